"""Safety triage: phrasings recognised per category, false triage on ordinary
questions (each misfire listed), and time per question.

The phrasings are the test sets in tests/data/triage (one per line, `#` comments);
the held-out sets are only measured: the dosing one was written before the dosing
rules were widened, the generated ones (tests/data/triage/generate.py: a seeded third
of templates and fillers, and hand-written lines) were never used to tune the rules,
and the self-harm one and its look-alikes were written blind to the rules (their
misses are counted, never printed).
Time is measured with `TriageRules.decide`, which does not use `triage()`'s cache.

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
    ("urgent: phrasing, tuning (generated + hand-written)", "urgent_generated.txt", "urgent"),
    ("urgent: phrasing, held out (never tuned on)", "urgent_generated_heldout.txt", "urgent"),
    ("self-harm", "self_harm.txt", "self_harm"),
    ("self-harm, indirect (tuning)", "self_harm_indirect.txt", "self_harm"),
    ("self-harm amid anger and fear (tuning)", "self_harm_feelings.txt", "self_harm"),
    ("self-harm, held out (written blind, never tuned on)", "self_harm_heldout.txt", "self_harm"),
    ("dosing", "dosing.txt", "dosing"),
    ("dosing, held out (never tuned on)", "dosing_heldout.txt", "dosing"),
    ("not health (out of scope)", "off_topic.txt", "out_of_scope"),
]
HELD_OUT = {
    "dosing_heldout.txt",
    "urgent_generated_heldout.txt",
    "self_harm_heldout.txt",
    "ordinary_lookalike_heldout.txt",
}
# held-out sets written blind: counted, never listed
BLIND = {"self_harm_heldout.txt", "ordinary_lookalike_heldout.txt"}
# the other held-out sets: counted, listed only with --read-heldout (reading them would
# tune on them)
UNLISTED = {
    "self_harm_heldout.txt",
    "ordinary_lookalike_heldout.txt",
    "urgent_generated_heldout.txt",
    "dosing_heldout.txt",
    "ordinary_generated_heldout.txt",
}
ORDINARY = [
    ("ordinary questions", "ordinary.txt"),
    ("ordinary: phrasing, tuning (generated + hand-written)", "ordinary_generated.txt"),
    ("ordinary: phrasing, held out (never tuned on)", "ordinary_generated_heldout.txt"),
    ("ordinary look-alikes of self-harm (tuning)", "ordinary_lookalike.txt"),
    ("ordinary look-alikes of self-harm, held out", "ordinary_lookalike_heldout.txt"),
    ("ordinary anger, fear and dark humour (tuning)", "ordinary_feelings.txt"),
    ("ordinary dread, sleep, endings and idioms (tuning)", "ordinary_everyday.txt"),
]
TUNING_ORDINARY = ["ordinary.txt", "ordinary_generated.txt"]


def phrasings(name: str) -> list[str]:
    lines = (line.strip() for line in (DATA / name).read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timing passes over all sets")
    parser.add_argument(
        "--read-heldout",
        action="store_true",
        help="also list the held-out phrasings missed or triaged (by default only counted)",
    )
    args = parser.parse_args()
    unlisted = BLIND if args.read_heldout else UNLISTED

    start = time.perf_counter()
    rules = TriageRules.load()
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
            elif name not in unlisted:
                missed.append(f"  {label}: {question} -> {decision.rule if decision else None}")
        if category == "urgent" and name not in HELD_OUT:
            urgent_hit, urgent_all = urgent_hit + hits, urgent_all + len(questions)
        print(f"| {label} | {hits}/{len(questions)} | {hits / len(questions):.1%} |")
    print(
        f"| **urgent, all tuning sets** | **{urgent_hit}/{urgent_all}** "
        f"| {urgent_hit / urgent_all:.1%} |"
    )

    fired: list[tuple[str, str, str]] = []
    tuning_fired = tuning_all = 0
    for label, name in ORDINARY:
        questions = phrasings(name)
        here = [(label, q, d) for q in questions if (d := triage(q)) is not None]
        if name not in unlisted:
            fired += [(lab, q, f"{d.category}/{d.rule}") for lab, q, d in here]
        if name in TUNING_ORDINARY:
            tuning_fired, tuning_all = tuning_fired + len(here), tuning_all + len(questions)
        print(
            f"| {label}: triaged (false alarms) | {len(here)}/{len(questions)} "
            f"| {len(here) / len(questions):.1%} |"
        )
    print(
        f"| **ordinary tuning sets: triaged (false alarms)** | **{tuning_fired}/{tuning_all}** "
        f"| **{tuning_fired / tuning_all:.1%}** |"
    )
    if missed:
        print("\nnot recognised:")
        print("\n".join(missed))
    if fired:
        print("\nordinary questions triaged:")
        for label, question, rule in fired:
            print(f"  {label}: {rule}: {question}")

    ordinary = [q for _, name in ORDINARY for q in phrasings(name)]
    everything = ordinary + [q for _, name, _ in SETS for q in phrasings(name)]
    times: list[float] = []
    for _ in range(args.repeat):
        for question in everything:
            t0 = time.perf_counter()
            rules.decide(question)  # not triage(): its cache would time a dict lookup
            times.append(time.perf_counter() - t0)
    times.sort()
    p50 = times[len(times) // 2] * 1e6
    p95 = times[int(len(times) * 0.95)] * 1e6
    mean = statistics.mean(times) * 1e6
    long_message = " ".join(ordinary[:40])  # ~300 words of questions, none urgent
    t0 = time.perf_counter()
    for _ in range(10):
        rules.decide(long_message)
    long_us = (time.perf_counter() - t0) / 10 * 1e6
    print(
        f"\nspeed: {len(everything)} questions x {args.repeat}: mean {mean:.0f} µs, "
        f"p50 {p50:.0f} µs, p95 {p95:.0f} µs per question; a {len(long_message.split())}-word "
        f"message {long_us:.0f} µs; rules loaded and compiled once in {load_ms:.0f} ms"
    )
    print(f"\nreproduce: python benchmarks/triage.py --repeat {args.repeat}")


if __name__ == "__main__":
    main()
