"""When to abstain: the trade-off between answering what the library cannot support
and abstaining on what it can.

    python benchmarks/abstention.py [--half tune|test|all]

Sets (benchmarks/answer_sets.py): answerable = CancerGov questions; unanswerable =
the same questions with every document about their focus left out of the library,
and off-topic questions written for this project. For each pair of thresholds
(closeness, closeness when the question names a cited document's title, topic;
see src/oncocite/answers/evidence.py) it prints the share of
answerable questions abstained and of unanswerable ones answered, and the best
pairs under each target (issue 14: <= 5 % answered unanswerable, <= 10 % abstained
answerable). The shipped thresholds were chosen on the tuning half.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass

from answer_sets import cancergov, library, log, off_topic
from oncocite.answers.compose import AnswerEngine
from oncocite.answers.evidence import (
    CLOSENESS_NEEDED,
    TITLED_CLOSENESS_NEEDED,
    TOPIC_NEEDED,
    Support,
)
from oncocite.answers.select import select_units
from oncocite.search.filters import parse_filters


@dataclass(frozen=True)
class Observed:
    support: Support
    quotes: bool  # there was a sentence to quote at all

    def answered(self, closeness: float, topic: float, titled: float) -> bool:
        return self.quotes and self.support.verdict(closeness, topic, titled) is None


def observe(engine: AnswerEngine, text: str, filters: list[str]) -> Observed:
    results = engine.search.search(text, k=10, filters=parse_filters(filters))
    if not results.hits:
        return Observed(Support(None, 0.0), False)
    terms, _, _ = engine._terms(results)
    candidates, _ = engine._candidates(results.hits)
    choices = select_units(candidates, terms, engine.search.vocabulary).choices
    return Observed(engine.support(results, choices), bool(choices))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["tune", "test", "all"], default="tune")
    args = parser.parse_args()
    lib = library()
    engine = lib.answers()
    questions = [q for q in cancergov(lib) if args.half in ("all", q.query.half)]
    every = {d.doc_id for d in lib.documents().documents}
    log(f"observing {len(questions)} answerable, as many topic-absent, and off-topic ...")
    answerable = [observe(engine, q.query.text, []) for q in questions]
    absent = [
        observe(engine, q.query.text, ["doc_id=" + ",".join(sorted(every - q.about))])
        for q in questions
        if q.about
    ]
    off = [observe(engine, text, []) for text in off_topic()]
    unanswerable = absent + off
    rows = []
    for closeness, titled, topic in itertools.product(
        [round(0.5 + 0.02 * i, 2) for i in range(16)],
        [round(0.5 + 0.02 * i, 2) for i in range(16)],
        [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    ):
        if titled > closeness:
            continue
        abstained = sum(not o.answered(closeness, topic, titled) for o in answerable)
        wrong = sum(o.answered(closeness, topic, titled) for o in unanswerable)
        rows.append(
            (closeness, titled, topic, abstained / len(answerable), wrong / len(unanswerable))
        )
    titled_share = sum(o.support.titled for o in answerable) / len(answerable)
    titled_absent = sum(o.support.titled for o in unanswerable) / len(unanswerable)
    print(f"titled closeness ≥ {TITLED_CLOSENESS_NEEDED:.2f} (as shipped) in this table")
    print("| closeness ≥ | topic ≥ | answerable abstained | unanswerable answered |")
    print("|---|---|---|---|")
    for closeness, titled, topic, abstained, wrong in rows:
        if (
            titled == min(TITLED_CLOSENESS_NEEDED, closeness)
            and topic in (0.8, 0.9, 1.0)
            and round(closeness * 100) % 4 == 0
        ):
            print(f"| {closeness:.2f} | {topic:.1f} | {abstained:.1%} | {wrong:.1%} |")
    safe = min((r for r in rows if r[4] <= 0.05), key=lambda r: (r[3], r[4]), default=None)
    useful = min((r for r in rows if r[3] <= 0.10), key=lambda r: (r[4], r[3]), default=None)
    shipped = next(
        r for r in rows if r[:3] == (CLOSENESS_NEEDED, TITLED_CLOSENESS_NEEDED, TOPIC_NEEDED)
    )
    print(
        f"\n{args.half} half: {len(answerable)} answerable, {len(absent)} topic-absent, "
        f"{len(off)} off-topic; the question names a cited title: {titled_share:.1%} of "
        f"answerable, {titled_absent:.1%} of unanswerable"
    )
    for label, row in (
        ("≤ 5 % unanswerable answered", safe),
        ("≤ 10 % abstained", useful),
        ("shipped", shipped),
    ):
        if row is not None:
            print(
                f"best with {label}: closeness ≥ {row[0]:.2f}, titled ≥ {row[1]:.2f}, "
                f"topic ≥ {row[2]:.1f}: abstained {row[3]:.1%}, "
                f"unanswerable answered {row[4]:.1%}"
            )
    print(f"reproduce: python benchmarks/abstention.py --half {args.half}")


if __name__ == "__main__":
    main()
