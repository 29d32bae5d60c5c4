"""Real-style messages over the two seed documents: does `ask` answer them from the
right seed with the key fact, and abstain or triage where it must?

    python benchmarks/messages.py [--split tune|heldout|all] [--show] [--json]

Set: tests/data/messages/seed_messages.yaml (written as patients and carers write,
before any tuning; a third held out by id, reported only). Library: the two seeds,
the Cancer Research UK page with its curated metadata, embedded with the default
model. A message expected to be answered counts as right when `ask` answers, a
citation is from the expected seed, and one of its key facts stands in the quoted
text (white space compared loosely: the seeds hold non-breaking spaces). A
message expected to abstain counts as right when nothing is quoted (a safety
message is an abstention too); one expected to be triaged, when `safety.category`
is the expected one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from common import CRUK, SEEDS, key_facts
from oncocite import Answer, Library, open_library
from oncocite.ingest.text import normalise_bullet, normalise_spaces

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MESSAGES = ROOT / "tests" / "data" / "messages" / "seed_messages.yaml"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Outcome:
    item: dict[str, Any]
    answer: Answer
    right: bool
    why: str


def seed_library(folder: Path) -> Library:
    lib = open_library(folder / "seeds.db")
    assert lib.ingest([SEEDS / "003_5c17e5cb39d03151.txt"]).failed == 0
    assert lib.ingest([SEEDS / "000_115646f3b8bff644.txt"], metadata=CRUK).failed == 0
    return lib


def loose(text: str) -> str:
    """Text compared as ingest stores it: odd spaces plain, any bullet glyph "- " (a
    key fact across the CRUK page's "  • HER2 positive" lines is stored as
    "- HER2 positive"), runs of white space one space."""
    lines = (normalise_bullet(normalise_spaces(line)) for line in text.splitlines())
    return _SPACE.sub(" ", " ".join(lines)).strip()


def judge(item: dict[str, Any], answer: Answer) -> tuple[bool, str]:
    expect = item["expect"]
    if expect == "triage":
        got = answer.safety.category if answer.safety else None
        return got == item["triage"], f"safety {got}"
    if expect == "abstain":
        quoted = bool(answer.sentences)
        return not quoted, "answered" if quoted else "abstained"
    if not answer.sentences:
        reason = answer.abstention.reason if answer.abstention else "?"
        return False, f"abstained ({reason})"
    cited = {c.doc_id for c in answer.citations}
    if item["source"] not in cited:
        return False, f"cited {sorted(cited)}"
    text = loose(" ".join(c.quote for c in answer.citations))
    if any(loose(fact) in text for fact in key_facts(item)):
        return True, "key fact quoted"
    return False, "right seed, key fact missing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["tune", "heldout", "all"], default="all")
    parser.add_argument("--show", action="store_true", help="print every message and answer")
    parser.add_argument(
        "--read-heldout",
        action="store_true",
        help="also print held-out messages and answers (by default only their ids and "
        "verdicts: a held-out message that is read is no longer held out)",
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    items = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        lib = seed_library(Path(folder))
        outcomes: list[Outcome] = []
        times: list[float] = []
        for item in items:
            if args.split != "all" and item["split"] != args.split:
                continue
            started = time.perf_counter()
            answer = lib.ask(item["message"])
            times.append(time.perf_counter() - started)
            right, why = judge(item, answer)
            outcomes.append(Outcome(item, answer, right, why))
        lib.close()
    rows: dict[str, dict[str, int]] = {}
    for o in outcomes:
        key = f"{o.item['split']}:{o.item['expect']}"
        row = rows.setdefault(key, {"right": 0, "total": 0})
        row["total"] += 1
        row["right"] += int(o.right)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| split | expect | right | share |\n|---|---|---|---|")
    for key in sorted(rows):
        split, expect = key.split(":")
        r = rows[key]
        print(f"| {split} | {expect} | {r['right']}/{r['total']} | {r['right'] / r['total']:.0%} |")
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"\nask p50 {1000 * ordered[len(ordered) // 2]:.1f} ms, p95 {1000 * p95:.1f} ms")
    for o in outcomes:
        if args.show or not o.right:
            flag = "ok  " if o.right else "MISS"
            print(f"\n{flag} {o.item['id']} [{o.item['split']}, {o.item['expect']}] {o.why}")
            if o.item["split"] == "heldout" and not args.read_heldout:
                continue
            print("  message:", loose(o.item["message"])[:300])
            if o.answer.sentences:
                print("  answer: ", loose(o.answer.answer)[:400])
            elif o.answer.abstention is not None:
                print("  abstain:", o.answer.abstention.reason, "-", o.answer.abstention.detail)
    print("\nreproduce: python benchmarks/messages.py --split", args.split, file=sys.stderr)


if __name__ == "__main__":
    main()
