"""When to abstain: the trade-off between answering what the library cannot support
and abstaining on what it can.

    python benchmarks/abstention.py [--half tune|test|all] [--mediqa DIR]

Sets (benchmarks/answer_sets.py): answerable = CancerGov questions; unanswerable =
the same questions with every document about their focus left out of the library,
and off-topic questions written for this project. For each pair of thresholds
(closeness, closeness when the question names a cited document's title, topic;
see src/oncocite/answers/evidence.py) it prints the share of
answerable questions abstained and of unanswerable ones answered, and the best
pairs under each target (issue 14: <= 5 % answered unanswerable, <= 10 % abstained
answerable). The shipped thresholds were chosen on the tuning half.

Every CancerGov question names the title of its page ("What are the treatments for
Anal Cancer ?"), so this set cannot tell how much closeness a question that does
not needs. With --mediqa DIR (a MEDIQA2019 checkout, as for consumer_dev.py) it
also asks the real consumer and Alexa questions over the consumer library and
prints, per half, how many it would abstain on and how many it answers from a
document judged relevant: every one of them has a judged answer in that library.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

from answer_sets import cancergov, library, log, off_topic
from oncocite.answers.compose import AnswerEngine
from oncocite.answers.evidence import (
    CLOSENESS_NEEDED,
    TITLED_CLOSENESS_NEEDED,
    TOPIC_NEEDED,
    Support,
)
from oncocite.evaluation.mediqa import by_answer, load_mediqa, same_answers
from oncocite.search.filters import parse_filters


@dataclass(frozen=True)
class Observed:
    support: Support
    quotes: bool  # there was a sentence to quote at all
    cited: frozenset[str] = frozenset()  # documents of the chosen quotes

    def answered(self, closeness: float, topic: float, titled: float) -> bool:
        return self.quotes and self.support.verdict(closeness, topic, titled) is None


def observe(engine: AnswerEngine, text: str, filters: list[str]) -> Observed:
    results = engine.search.search(text, k=10, filters=parse_filters(filters))
    if not results.hits:
        return Observed(Support(None, 0.0), False)
    choices, _, found = engine.choose(results)
    doc_of = {h.passage_id: h.doc_id for h in results.hits}
    cited = frozenset(doc_of[c.candidate.key] for c in choices)
    return Observed(found, bool(choices), cited)


def relevant_cited(
    judgements: dict[str, int], cited: frozenset[str], canonical: dict[str, str]
) -> bool:
    """Whether an answer quotes a document judged relevant (grade >= 2), by answer."""
    grades, ranked = by_answer(judgements, sorted(cited), canonical)
    return any(grades.get(doc, 0) >= 2 for doc in ranked)


def consumer(mediqa: Path) -> None:
    """Abstention on real questions: asked of the consumer library, where each has a
    judged answer, and again with every document judged for it left out. Judged by
    answer: a copy of a judged answer (same title and text under another question's
    id) is that answer, cited or left out with it (consumer_dev.py)."""
    from consumer_dev import build_library

    sets = load_mediqa(mediqa)
    canonical = same_answers(sets.answers)
    lib = build_library(mediqa, ["minilm-int8"])
    engine = lib.answers()
    every = {d.doc_id for d in lib.documents().documents}
    log(f"observing {len(sets.questions)} consumer and Alexa questions, twice ...")
    seen = []
    for q in sets.questions:
        answers = {canonical.get(d, d) for d, grade in q.judgements.items() if grade >= 1}
        judged = {d for d in every if canonical.get(d, d) in answers}
        absent = observe(engine, q.text, ["doc_id=" + ",".join(sorted(every - judged))])
        seen.append((q, observe(engine, q.text, []), absent))
    print(
        "\nReal questions (MEDIQA 2019), titled and topic as shipped. Cells: "
        "abstained / answered from a document judged relevant (grade ≥ 2) / answered "
        "with every judged document left out (an upper bound on wrong answers: an "
        "unjudged page may still answer). By answer: copies of one answer are one."
    )
    closenesses = [0.6, 0.64, 0.68, 0.72, 0.76]
    print(
        "| set | half (questions) | "
        + " | ".join(f"closeness ≥ {c:.2f}" for c in closenesses)
        + " |"
    )
    print("|---|---|" + "---|" * len(closenesses))
    for name in ("consumer", "alexa"):
        for half in ("tune", "test"):
            group = [row for row in seen if row[0].set == name and row[0].half == half]
            cells = []
            for c in closenesses:

                def said(o: Observed, c: float = c) -> bool:
                    return o.answered(c, TOPIC_NEEDED, TITLED_CLOSENESS_NEEDED)

                answered = [(q, o) for q, o, _ in group if said(o)]
                right = sum(relevant_cited(q.judgements, o.cited, canonical) for q, o in answered)
                wrong = sum(said(a) for _, _, a in group)
                n = len(group)
                cells.append(f"{1 - len(answered) / n:.0%} / {right / n:.0%} / {wrong / n:.0%}")
            print(f"| {name} | {half} ({len(group)}) | " + " | ".join(cells) + " |")
    print(f"reproduce: python benchmarks/abstention.py --mediqa {mediqa}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--half",
        choices=["tune", "test", "all", "none"],
        default="tune",
        help="CancerGov half (none: only the real questions of --mediqa)",
    )
    parser.add_argument("--mediqa", type=Path, help="MEDIQA2019 checkout: real questions too")
    args = parser.parse_args()
    if args.half == "none":
        if args.mediqa is None:
            parser.error("--half none needs --mediqa")
        consumer(args.mediqa)
        return
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
    print(f"\nAt topic ≥ {TOPIC_NEEDED:.1f}: answerable abstained / unanswerable answered")
    closenesses = [c for c in sorted({r[0] for r in rows}) if 0.6 <= c <= 0.8]
    print("| titled ≥ \\ closeness ≥ | " + " | ".join(f"{c:.2f}" for c in closenesses) + " |")
    print("|---|" + "---|" * len(closenesses))
    for titled in [0.5, 0.54, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68]:
        cells = [
            f"{r[3]:.1%} / {r[4]:.1%}"
            for c in closenesses
            for r in rows
            if r[:3] == (c, min(titled, c), TOPIC_NEEDED)
        ]
        print(f"| {titled:.2f} | " + " | ".join(cells) + " |")
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
    if args.mediqa is not None:
        consumer(args.mediqa)


if __name__ == "__main__":
    main()
