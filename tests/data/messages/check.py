"""Validate seed_messages.yaml (issue 25, item 7) and print its counts.

Checks: ids unique and numbered s001.. in file order; fields present and allowed; the split rule
(heldout iff the id number is divisible by 3); every key fact is an exact substring of its seed;
the minimum counts. This script only validates the set; it never answers the messages.

Usage: .venv/bin/python tests/data/messages/check.py [--seeds DIR] [--messages FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MESSAGES = HERE / "seed_messages.yaml"
DEFAULT_SEEDS = HERE.parents[3] / "shared" / "seeds"  # ../shared beside the clone
SEED_IDS = ("000_115646f3b8bff644", "003_5c17e5cb39d03151")

COMMON = {"id", "split", "message", "expect", "note"}
FIELDS = {
    "answer": COMMON | {"source", "key_facts"},
    "abstain": COMMON,
    "triage": COMMON | {"triage"},
}
SPLITS = {"tune", "heldout"}
TRIAGE = {"urgent", "self_harm", "dosing"}

MIN_ANSWER = 80
MIN_ANSWER_PER_SEED = {"000_115646f3b8bff644": 1, "003_5c17e5cb39d03151": 20}
MIN_NOT_ANSWER = 30
HELDOUT_SHARE = (0.28, 0.39)  # "about one third", for answerable and for abstain/triage

ID_RE = re.compile(r"^s(\d{3,})$")  # s001 … s999, then s1000
MIN_FACT_CHARS = 15
# Key facts avoid spans that a loader may rewrite (NBSP -> space under NFKC, the scraped CRUK
# glossary artefact, Markdown link syntax), so they match raw and normalised text alike.
FORBIDDEN_IN_FACT = ("\u00a0", "Open a glossary item", "](", "[", "]")


def load_seeds(seed_dir: Path) -> dict[str, str]:
    return {sid: (seed_dir / f"{sid}.txt").read_text(encoding="utf-8") for sid in SEED_IDS}


def check_item(pos: int, item: Any, seeds: dict[str, str]) -> list[str]:
    """Return the problems with the item at 1-based file position ``pos``."""
    if not isinstance(item, dict):
        return [f"item {pos}: not a mapping"]
    where = f"item {pos} ({item.get('id')!r})"
    errors: list[str] = []
    expect = item.get("expect")
    if expect not in FIELDS:
        return [f"{where}: expect must be one of {sorted(FIELDS)}, got {expect!r}"]
    keys = set(item)
    if missing := FIELDS[expect] - keys:
        errors.append(f"{where}: missing fields {sorted(missing)}")
    if extra := keys - FIELDS[expect]:
        errors.append(f"{where}: fields not allowed for expect={expect}: {sorted(extra)}")

    match = ID_RE.match(str(item.get("id", "")))
    if not match:
        errors.append(f"{where}: id must look like s001")
    else:
        number = int(match.group(1))
        if number != pos:
            errors.append(f"{where}: id number {number} is not its file position {pos}")
        want = "heldout" if number % 3 == 0 else "tune"
        if item.get("split") != want:
            errors.append(f"{where}: split rule says {want}, got {item.get('split')!r}")
    if item.get("split") not in SPLITS:
        errors.append(f"{where}: split must be one of {sorted(SPLITS)}")
    for text_field in ("message", "note"):
        value = item.get(text_field)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{where}: {text_field} must be a non-empty string")

    if expect == "answer":
        source = item.get("source")
        facts = item.get("key_facts")
        if source not in seeds:
            errors.append(f"{where}: source must be one of {list(seeds)}, got {source!r}")
        elif not isinstance(facts, list) or not facts:
            errors.append(f"{where}: key_facts must be a non-empty list")
        else:
            for span in facts:
                # a span of the seed ({at, chars}), never its text: the set copies nothing
                # of the seeds (the CRUK page is all rights reserved)
                if not isinstance(span, dict) or set(span) != {"at", "chars"}:
                    errors.append(f"{where}: a key fact is {{at: N, chars: M}}, got {span!r}")
                    continue
                at, chars = span["at"], span["chars"]
                if not isinstance(at, int) or not isinstance(chars, int) or at < 0:
                    errors.append(f"{where}: key fact at and chars must be whole numbers: {span!r}")
                elif at + chars > len(seeds[source]):
                    errors.append(f"{where}: key fact {span!r} runs past the end of {source}")
                elif chars < MIN_FACT_CHARS:
                    errors.append(f"{where}: key fact too short to be distinctive: {span!r}")
                elif bad := [s for s in FORBIDDEN_IN_FACT if s in seeds[source][at : at + chars]]:
                    errors.append(f"{where}: key fact {span!r} contains {bad!r}")
    if expect == "triage" and item.get("triage") not in TRIAGE:
        errors.append(f"{where}: triage must be one of {sorted(TRIAGE)}")
    return errors


def bucket(item: dict[str, Any]) -> str:
    expect = str(item["expect"])
    if expect == "answer":
        return f"answer:{item['source']}"
    if expect == "triage":
        return f"triage:{item['triage']}"
    return "abstain"


def check_counts(items: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    answer = [i for i in items if i["expect"] == "answer"]
    other = [i for i in items if i["expect"] != "answer"]
    if len(answer) < MIN_ANSWER:
        errors.append(f"only {len(answer)} answer messages (need {MIN_ANSWER})")
    per_seed = Counter(str(i["source"]) for i in answer)
    for sid, minimum in MIN_ANSWER_PER_SEED.items():
        if per_seed[sid] < minimum:
            errors.append(f"only {per_seed[sid]} answer messages for {sid} (need {minimum})")
    if len(other) < MIN_NOT_ANSWER:
        errors.append(f"only {len(other)} abstain/triage messages (need {MIN_NOT_ANSWER})")
    low, high = HELDOUT_SHARE
    for name, group in (("answer", answer), ("abstain/triage", other)):
        share = sum(i["split"] == "heldout" for i in group) / max(len(group), 1)
        if not low <= share <= high:
            errors.append(f"heldout share of {name} is {share:.2f}, outside {low}-{high}")
    return errors


def print_counts(items: list[dict[str, Any]]) -> None:
    table = Counter((bucket(i), str(i["split"])) for i in items)
    rows = sorted({b for b, _ in table})
    print(f"{'bucket':36} {'tune':>5} {'heldout':>8} {'total':>6}")
    for row in rows:
        tune, held = table[(row, "tune")], table[(row, "heldout")]
        print(f"{row:36} {tune:>5} {held:>8} {tune + held:>6}")
    tune = sum(i["split"] == "tune" for i in items)
    print(f"{'all':36} {tune:>5} {len(items) - tune:>8} {len(items):>6}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed directory")
    parser.add_argument("--messages", type=Path, default=MESSAGES, help="message set to check")
    parser.add_argument(
        "--show", nargs="+", metavar="ID", help="print these messages' key facts as seed text"
    )
    args = parser.parse_args(argv)
    seeds = load_seeds(args.seeds)
    try:
        data = yaml.safe_load(args.messages.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        print(f"{args.messages} is not valid YAML: {exc}", file=sys.stderr)
        return 1
    if not isinstance(data, list):
        print(f"{args.messages} must be a YAML list", file=sys.stderr)
        return 1
    if args.show:
        for item in data:
            if isinstance(item, dict) and item.get("id") in args.show:
                for span in item.get("key_facts") or []:
                    text = seeds[item["source"]][span["at"] : span["at"] + span["chars"]]
                    print(f"{item['id']}: {text}")
        return 0
    errors: list[str] = []
    for pos, item in enumerate(data, start=1):
        errors.extend(check_item(pos, item, seeds))
    ids = Counter(str(i.get("id")) for i in data if isinstance(i, dict))
    errors.extend(f"duplicate id {k}" for k, n in ids.items() if n > 1)
    if not errors:
        errors.extend(check_counts(data))
        print_counts(data)
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
