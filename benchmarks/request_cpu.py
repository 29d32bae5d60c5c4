"""CPU a distinct question costs, by stage: one warm process, one thread, MedQuAD.

    python benchmarks/request_cpu.py [--db benchmarks/.cache/answers.db] [--questions 240]

Asks and searches the load benchmark's questions made new (a number appended, as
`load.py --distinct` does), and reports the CPU time (time.process_time) of a
search and of an ask (and of the same requests repeated, as `load.py` repeats its
questions: their ratio bounds the distinct / repeated throughput of a server whose
cores are all busy), and of the search stages within them: the query embedding,
the passage vectors' top list, the context vectors' bounds and top lists (search/
prescan.py), the context scores of other candidates, BM25, fusion. Two engines over
the same library run in turn, question by question: as shipped, and with the int8
prescan off (ONCOCITE_PRESCAN_MIN_ROWS=0: every search reads the float vectors in
full), so other work on the machine weighs on both alike. CPU time, not wall time:
on a shared machine it is what a request costs, whatever share of the cores it got.
Not a test.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from answer_sets import CACHE
from load import QUESTIONS
from oncocite import Library, open_library
from oncocite.answers import compose
from oncocite.search import candidates, dense, engine, lexical

STAGES: Counter[tuple[str, str]] = Counter()
CURRENT = ["shipped"]


def timed(owner: Any, name: str, label: str) -> None:
    """Count the CPU time of `owner.name` under `label` (for the engine running)."""
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            STAGES[CURRENT[0], label] += time.process_time() - started

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(CACHE / "answers.db"))
    parser.add_argument("--questions", type=int, default=240)
    args = parser.parse_args()
    timed(engine.SearchEngine, "query_vectors_many", "embed the question")
    timed(candidates.DenseCandidates, "search", "passage vectors: top 100")
    timed(dense.DocumentMaxIndex, "context_sides", "context vectors: full scan or bounds")
    timed(dense._PrescannedSide, "top", "context vectors: top lists (prescan)")
    timed(engine._ContextScores, "complete", "context scores of other candidates")
    timed(lexical.MemoryBM25, "search", "BM25")
    timed(engine, "weighted", "fusion")
    timed(compose.AnswerEngine, "_flags_self_harm", "self-harm detector (the message's sentences)")
    libraries: dict[str, Library] = {
        "shipped": open_library(args.db),
        "full scan": open_library(args.db, prescan_min_rows=0),
    }
    serial = itertools.count(1)
    for library in libraries.values():  # warm: indexes, model sessions, caches
        for question in QUESTIONS:
            library.ask(question)
            library.search(f"{question} warm{next(serial)}")
    cycle = itertools.cycle(QUESTIONS)
    totals: Counter[tuple[str, str]] = Counter()
    for i in range(args.questions):
        plain_ask, plain_search = next(cycle), next(cycle)
        ask, search = f"{plain_ask} {next(serial)}", f"{plain_search} {next(serial)}"
        for name in ("shipped", "full scan") if i % 2 else ("full scan", "shipped"):
            CURRENT[0] = name
            library = libraries[name]
            for kind, run in (("search", library.search), ("ask", library.ask)):
                before = dict(STAGES)
                started = time.process_time()
                run(search if kind == "search" else ask)
                totals[name, kind] += time.process_time() - started
                for key, value in STAGES.items():
                    if key[0] == name:
                        totals[name, f"{kind}: {key[1]}"] += value - before.get(key, 0.0)
                # the same request as the load benchmark's repeated questions make it
                started = time.process_time()
                run(plain_search if kind == "search" else plain_ask)
                totals[name, f"{kind}, repeated"] += time.process_time() - started
    n = args.questions
    print(f"ms of CPU a distinct request, {n} of each, one thread ({args.db})")
    print("| | shipped | full scan |")
    print("|---|---|---|")
    labels = sorted({label for _, label in totals}, key=lambda s: (s.split(":")[0], s))
    for label in labels:
        row = [f"{1000 * totals[name, label] / n:.2f}" for name in libraries]
        print(f"| {label} | {' | '.join(row)} |")
    for name in libraries:
        distinct = totals[name, "ask"] + totals[name, "search"]
        repeated = totals[name, "ask, repeated"] + totals[name, "search, repeated"]
        print(
            f"{name}: an ask and a search, {1000 * repeated / n:.2f} ms of CPU repeated, "
            f"{1000 * distinct / n:.2f} distinct: repeated / distinct {repeated / distinct:.2f} "
            "(the most distinct / repeated asks/s can reach where CPU is all that bounds them)"
        )
    print(f"reproduce: python benchmarks/request_cpu.py --questions {n}")


if __name__ == "__main__":
    main()
