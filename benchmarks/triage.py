"""Safety triage: phrasings recognised per category, false triage on ordinary
questions (each misfire listed), and time per question.

The phrasings are the test sets in tests/data/triage (one per line); the held-out
dosing set was written before the dosing rules were widened and is only measured.

    .venv/bin/python benchmarks/triage.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from oncocite.answers.triage import TriageRules, triage

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "triage"
SETS = [
    ("urgent: general", "urgent_general.txt", "urgent"),
    ("urgent: lay words", "urgent_lay.txt", "urgent"),
    ("urgent: drug-specific", "urgent_drugs.txt", "urgent"),
    ("urgent: typos", "urgent_typos.txt", "urgent"),
    ("self-harm", "self_harm.txt", "self_harm"),
    ("dosing", "dosing.txt", "dosing"),
    ("dosing, held out (never tuned on)", "dosing_heldout.txt", "dosing"),
    ("not health (out of scope)", "off_topic.txt", "out_of_scope"),
]


def phrasings(name: str) -> list[str]:
    return [line.strip() for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timing passes over all sets")
    args = parser.parse_args()

    start = time.perf_counter()
    TriageRules.load()
    load_ms = (time.perf_counter() - start) * 1000

    print("| set | recognised | share |")
    print("|---|---|---|")
    urgent_hit = urgent_all = 0
    missed: list[str] = []
    for label, name, category in SETS:
        questions = phrasings(name)
        hits = 0
        for question in questions:
            decision = triage(question)
            if decision is not None and decision.category == category:
                hits += 1
            else:
                missed.append(f"  {label}: {question} -> {decision.rule if decision else None}")
        if category == "urgent":
            urgent_hit, urgent_all = urgent_hit + hits, urgent_all + len(questions)
        print(f"| {label} | {hits}/{len(questions)} | {hits / len(questions):.1%} |")
    print(f"| **urgent, all** | **{urgent_hit}/{urgent_all}** | {urgent_hit / urgent_all:.1%} |")

    ordinary = phrasings("ordinary.txt")
    fired = [(q, d) for q in ordinary if (d := triage(q)) is not None]
    share = len(fired) / len(ordinary)
    print(
        f"| **ordinary questions triaged (false triage)** | **{len(fired)}/{len(ordinary)}** "
        f"| **{share:.1%}** |"
    )
    if missed:
        print("\nnot recognised:")
        print("\n".join(missed))
    if fired:
        print("\nordinary questions triaged:")
        for question, decision in fired:
            print(f"  {decision.category}/{decision.rule}: {question}")

    everything = ordinary + [q for _, name, _ in SETS for q in phrasings(name)]
    times: list[float] = []
    for _ in range(args.repeat):
        for question in everything:
            t0 = time.perf_counter()
            triage(question)
            times.append(time.perf_counter() - t0)
    times.sort()
    p50 = times[len(times) // 2] * 1e6
    p95 = times[int(len(times) * 0.95)] * 1e6
    mean = statistics.mean(times) * 1e6
    long_message = " ".join(ordinary[:40])  # ~300 words of questions, none urgent
    t0 = time.perf_counter()
    for _ in range(10):
        triage(long_message)
    long_us = (time.perf_counter() - t0) / 10 * 1e6
    print(
        f"\nspeed: {len(everything)} questions x {args.repeat}: mean {mean:.0f} µs, "
        f"p50 {p50:.0f} µs, p95 {p95:.0f} µs per question; a {len(long_message.split())}-word "
        f"message {long_us:.0f} µs; rules loaded and compiled once in {load_ms:.0f} ms"
    )
    print(f"\nreproduce: python benchmarks/triage.py --repeat {args.repeat}")


if __name__ == "__main__":
    main()
