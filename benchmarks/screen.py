"""Sentence screen: recall and false blocks on the test sets, flags on real documents,
and speed.

Recall is the share of harmful sentences flagged; a false block is an ordinary
sentence flagged. The tuning sets (harmful.txt, ordinary.txt) are what the rules were
tuned on; the held-out sets were written before the rules and never tuned on, so
their figures are the honest estimate. Then the two seed documents and every MedQuAD
answer (read with the project's reader) are scanned: real NIH and Cancer Research UK
patient information, where every flag is a false block or a dose said to patients,
printed with up to 20 examples; scan speed counts scanning only, not XML reading.

    python benchmarks/screen.py [--corpus ../shared/corpus/medquad] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from oncocite.governance.screen import ScreenFlag, SentenceScreen, sentence_spans
from oncocite.ingest.medquad import read_medquad

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "screen"
SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "medquad"
EXAMPLES = 20


def sentences(name: str) -> list[tuple[str, str | None]]:
    """(sentence, expected category); a "# category: X" line sets the category."""
    found: list[tuple[str, str | None]] = []
    category: str | None = None
    for line in (DATA / name).read_text("utf-8").splitlines():
        text = line.strip()
        if text.startswith("# category:"):
            category = text.split(":", 1)[1].strip()
        elif text and not text.startswith("#"):
            found.append((text, category))
    return found


def measure_set(screen: SentenceScreen, harmful: str, ordinary: str) -> dict[str, Any]:
    bad = sentences(harmful)
    good = sentences(ordinary)
    flags = [(text, category, screen.check(text)) for text, category in bad]
    missed = [(category, text) for text, category, flag in flags if flag is None]
    wrong = [
        (category, flag.category, flag.rule, text)
        for text, category, flag in flags
        if flag is not None and flag.category != category
    ]
    per_category: dict[str, list[int]] = {}
    for _, category, flag in flags:
        counts = per_category.setdefault(str(category), [0, 0])
        counts[0] += flag is not None
        counts[1] += 1
    blocked = [(flag.rule, text) for text, _ in good if (flag := screen.check(text))]
    return {
        "harmful": len(bad),
        "flagged": len(bad) - len(missed),
        "recall": (len(bad) - len(missed)) / len(bad),
        "recall_by_category": {k: v[0] / v[1] for k, v in sorted(per_category.items())},
        "other_category": len(wrong),
        "ordinary": len(good),
        "false_blocks": len(blocked),
        "false_block_rate": len(blocked) / len(good),
        "missed": missed,
        "blocked": blocked,
        "wrong_category": wrong,
    }


def scan_corpus(screen: SentenceScreen, corpus: Path) -> dict[str, Any]:
    answers: list[str] = []
    read_start = time.perf_counter()
    for path in sorted(corpus.rglob("*.xml")):
        document = read_medquad(path, path.read_text("utf-8"))
        answers += [passage.text for passage in document.passages or []]
    read_seconds = time.perf_counter() - read_start
    total_chars = sum(map(len, answers))
    started = time.perf_counter()
    flags: list[ScreenFlag] = []
    for answer in answers:
        flags += screen.scan(answer)
    seconds = time.perf_counter() - started
    # a second pass: word stems are cached by then, as in a long-running process
    started = time.perf_counter()
    for answer in answers:
        screen.scan(answer)
    warm_seconds = time.perf_counter() - started
    count = sum(len(sentence_spans(answer)) for answer in answers)
    return {
        "answers": len(answers),
        "megabytes": total_chars / 1e6,
        "sentences": count,
        "flagged": len(flags),
        "flagged_share": len(flags) / count if count else 0.0,
        "by_rule": dict(Counter(flag.rule for flag in flags).most_common()),
        "examples": [(flag.rule, flag.sentence) for flag in flags[:EXAMPLES]],
        "read_seconds": read_seconds,
        "scan_seconds": seconds,
        "scan_mb_per_second": total_chars / 1e6 / seconds,
        "warm_scan_seconds": warm_seconds,
        "warm_scan_mb_per_second": total_chars / 1e6 / warm_seconds,
        "_sample": [answer[a:b] for answer in answers[::20] for a, b in sentence_spans(answer)],
    }


def check_speed(screen: SentenceScreen, pool: list[str], repeat: int) -> dict[str, float]:
    times: list[float] = []
    for _ in range(repeat):
        for sentence in pool:
            started = time.perf_counter()
            screen.check(sentence)
            times.append(time.perf_counter() - started)
    times.sort()
    return {
        "sentences": len(pool),
        "mean_us": statistics.mean(times) * 1e6,
        "p50_us": times[len(times) // 2] * 1e6,
        "p99_us": times[int(len(times) * 0.99)] * 1e6,
    }


def print_set(label: str, result: dict[str, Any]) -> None:
    print(
        f"| {label} | {result['flagged']}/{result['harmful']} ({result['recall']:.1%}) "
        f"| {result['false_blocks']}/{result['ordinary']} ({result['false_block_rate']:.1%}) "
        f"| {result['other_category']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="MedQuAD folder")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes for check()")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a report")
    args = parser.parse_args()

    started = time.perf_counter()
    screen = SentenceScreen.load()
    load_ms = (time.perf_counter() - started) * 1000

    tuning = measure_set(screen, "harmful.txt", "ordinary.txt")
    heldout = measure_set(screen, "harmful_heldout.txt", "ordinary_heldout.txt")
    seeds = {
        path.name: [(f.rule, f.sentence) for f in screen.scan(path.read_text("utf-8"))]
        for path in sorted(SEEDS.glob("*.txt"))
    }
    corpus = scan_corpus(screen, args.corpus)
    test_pool = [text for name in ("harmful.txt", "ordinary.txt") for text, _ in sentences(name)]
    speed_sets = check_speed(screen, test_pool, args.repeat)
    speed_medquad = check_speed(screen, corpus["_sample"], 1)
    summary: dict[str, Any] = {
        "rules": len(screen.rules),
        "load_ms": load_ms,
        "tuning": tuning,
        "heldout": heldout,
        "seeds": seeds,
        "medquad": {k: v for k, v in corpus.items() if not k.startswith("_")},
        "check_speed_test_sets": speed_sets,
        "check_speed_medquad": speed_medquad,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return

    print(f"{len(screen.rules)} rules, loaded and compiled in {load_ms:.0f} ms\n")
    print("| set | harmful flagged (recall) | ordinary flagged (false blocks) | other category |")
    print("|---|---|---|---|")
    print_set("tuning", tuning)
    print_set("held-out", heldout)
    for label, result in (("tuning", tuning), ("held-out", heldout)):
        shares = ", ".join(f"{k} {v:.0%}" for k, v in result["recall_by_category"].items())
        print(f"\n{label} recall by category: {shares}")
        for category, text in result["missed"]:
            print(f"  missed ({category}): {text}")
        for rule, text in result["blocked"]:
            print(f"  falsely blocked ({rule}): {text}")
        for expected, got, rule, text in result["wrong_category"]:
            print(f"  flagged as {got} ({rule}), listed as {expected}: {text}")

    print("\nseed documents:")
    for name, flags in seeds.items():
        print(f"  {name}: {len(flags)} flagged")
        for rule, sentence in flags:
            print(f"    {rule}: {sentence}")

    print(
        f"\nMedQuAD ({args.corpus}): {corpus['answers']} answers, {corpus['megabytes']:.1f} MB, "
        f"{corpus['sentences']} sentences; {corpus['flagged']} flagged "
        f"({corpus['flagged_share']:.4%})"
    )
    for rule, count in corpus["by_rule"].items():
        print(f"  {rule}: {count}")
    if corpus["examples"]:
        print(f"  examples (up to {EXAMPLES}):")
        for rule, sentence in corpus["examples"]:
            print(f"    {rule}: {sentence}")
    print(
        f"\nspeed: scan {corpus['scan_mb_per_second']:.1f} MB/s ({corpus['scan_seconds']:.1f} s "
        f"for the corpus, word stems not yet cached; {corpus['warm_scan_seconds']:.1f} s, "
        f"{corpus['warm_scan_mb_per_second']:.1f} MB/s once cached; reading the XML took "
        f"{corpus['read_seconds']:.1f} s more)"
    )
    print(
        f"       check() on the {speed_sets['sentences']} test sentences (43% harmful, so read "
        f"in full) x {args.repeat}: mean {speed_sets['mean_us']:.0f} µs, p50 "
        f"{speed_sets['p50_us']:.0f} µs, p99 {speed_sets['p99_us']:.0f} µs"
    )
    print(
        f"       check() on {speed_medquad['sentences']} MedQuAD sentences: mean "
        f"{speed_medquad['mean_us']:.1f} µs, p50 {speed_medquad['p50_us']:.1f} µs, p99 "
        f"{speed_medquad['p99_us']:.0f} µs"
    )
    print(f"\nreproduce: python benchmarks/screen.py --corpus {args.corpus}")


if __name__ == "__main__":
    main()
