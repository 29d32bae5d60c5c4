"""Dev benchmark on real consumer questions: MEDIQA 2019 Task 3 over MedQuAD.

Library: every MedQuAD answer plus every candidate answer of the MEDIQA sets as its
own document (title = the text before the first ": ", licence all rights
reserved). Relevance = ReferenceScore - 1 (0-3), judged per document: a run ranks
documents by their best passage. Relevant for MAP and MRR = 2 or more ("correct but
incomplete" or better); nDCG uses the grades.

Sets: *consumer* = the ValidationSet (less QID 2) and the TestSet-wLabels (174
questions), *alexa* = TrainingSet2-Alexa (104 short questions); each split into a
tuning and a test half by a hash of the question id. Settings are chosen on the
consumer tuning half only. The held-out LiveQA questions are never read.

    python benchmarks/consumer_dev.py --mediqa PATH/TO/MEDIQA2019 [--models minilm-int8 minilm]

PATH is a checkout of github:abachaa/MEDIQA2019 (nothing of it is copied here); the
library is built once in benchmarks/.cache/ (reusing an embedded MedQuAD copy from
cold_start.py when there is one).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import yaml

from oncocite import Library, open_library
from oncocite.evaluation.mediqa import ConsumerQuestion, load_mediqa
from oncocite.evaluation.metrics import evaluate_run
from oncocite.evaluation.trec import write_qrels
from oncocite.models import SearchMode
from oncocite.search.engine import EngineConfig, SearchEngine
from oncocite.store import SearchFilters

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
CORPUS = HERE.parents[1] / "shared" / "corpus" / "medquad"
MEASURES = ("AP(rel=2)@10", "RR(rel=2)@10", "nDCG@10")
LABELS = {"AP(rel=2)@10": "MAP@10", "RR(rel=2)@10": "MRR@10", "nDCG@10": "nDCG@10"}
DocRun = dict[str, list[tuple[str, float]]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(label: str):  # type: ignore[no-untyped-def]
    def report(done: int, total: int) -> None:
        if done % 800 == 0 or done == total:
            log(f"  {label}: {done}/{total}")

    return report


def build_library(mediqa: Path, models: list[str]) -> Library:
    """The benchmark library: MedQuAD + MEDIQA candidate answers, embedded per model."""
    db = CACHE / "consumer.db"
    CACHE.mkdir(exist_ok=True)
    seed = CACHE / "medquad-minilm-int8.db"
    if not db.exists() and seed.exists():
        log(f"copying the embedded MedQuAD library {seed.name}")
        with sqlite3.connect(seed) as source, sqlite3.connect(db) as target:
            source.backup(target)
    lib = open_library(db, embed="0")
    if lib.counts()["passages"] == 0:
        log("ingesting MedQuAD (once)")
        lib.ingest([CORPUS], embed=False)
    sets = load_mediqa(mediqa)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        for answer in sets.answers:
            meta = {
                "title": answer.title or answer.doc_id,
                "url": answer.url,
                "license": "all_rights_reserved",
                "source": "MEDIQA 2019 candidate answer",
                "sourceType": "09_benchmark",
            }
            front = yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True)
            body = answer.text.replace("\n", " ")
            Path(tmp, f"{answer.doc_id}.md").write_text(f"---\n{front}---\n\n{body}\n")
        report = lib.ingest([tmp], embed=False)
        log(f"MEDIQA answers: {report.summary()}")
    for model in models:
        engine = SearchEngine(lib.store, model=model)
        started = time.perf_counter()
        added = engine.update_embeddings(_progress(model))
        if added:
            log(f"embedded {added} texts with {model} in {time.perf_counter() - started:.0f} s")
    return lib


def document_run(
    engine: SearchEngine, questions: Iterable[ConsumerQuestion], mode: SearchMode
) -> tuple[DocRun, list[float]]:
    """Top 10 documents per question (by their best passage), and query latencies."""
    run: DocRun = {}
    latencies: list[float] = []
    engine.search("warm up the engine", k=10, mode=mode)
    for q in questions:
        started = time.perf_counter()
        hits = engine.search(q.text, k=100, mode=mode).hits
        latencies.append(time.perf_counter() - started)
        seen: dict[str, float] = {}
        for hit in hits:
            seen.setdefault(hit.doc_id, hit.score)
        run[q.qid] = list(seen.items())[:10]
    return run, latencies


def measure(questions: list[ConsumerQuestion], run: DocRun, folder: Path) -> dict[str, float]:
    qrels = folder / "q.qrels"
    write_qrels(qrels, {q.qid: q.judgements for q in questions})
    trec = folder / "r.trec"
    lines = [
        f"{q.qid} Q0 {doc} {rank} {100 - rank} oncocite\n"
        for q in questions
        for rank, (doc, _) in enumerate(run.get(q.qid, []), start=1)
    ]
    trec.write_text("".join(lines), encoding="utf-8")
    result = evaluate_run(qrels, trec, MEASURES)
    return {LABELS[name]: value for name, value in result.measures.items()}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mediqa", type=Path, required=True, help="MEDIQA2019 checkout")
    parser.add_argument("--models", nargs="+", default=["minilm-int8", "minilm"])
    args = parser.parse_args()

    sets = load_mediqa(args.mediqa)
    lib = build_library(args.mediqa, args.models)
    groups = {
        (name, half): [q for q in sets.questions if q.set == name and q.half == half]
        for name in ("consumer", "alexa")
        for half in ("tune", "test")
    }
    rows = [
        "| set | half (questions) | mode | model | MAP@10 | MRR@10 | nDCG@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    speed = ["| model | hybrid p50 ms | hybrid p95 ms (consumer questions) |", "|---|---|---|"]
    runs: list[tuple[str, SearchMode]] = [(args.models[0], "lexical")]
    runs += [(model, mode) for model in args.models for mode in ("dense", "hybrid")]
    with tempfile.TemporaryDirectory() as tmp:
        for model, mode in runs:
            engine = SearchEngine(lib.store, model=model, config=EngineConfig())
            engine.allowed(SearchFilters())
            run, latencies = document_run(engine, sets.questions, mode)
            if mode == "hybrid":
                consumer = [
                    t for q, t in zip(sets.questions, latencies, strict=True) if q.set == "consumer"
                ]
                speed.append(
                    f"| {model} | {1000 * statistics.median(consumer):.1f} "
                    f"| {1000 * percentile(consumer, 95):.1f} |"
                )
            label = "–" if mode == "lexical" else model
            for (name, half), questions in groups.items():
                values = measure(questions, run, Path(tmp))
                rows.append(
                    f"| {name} | {half} ({len(questions)}) | {mode} | {label} | "
                    + " | ".join(f"{values[m]:.3f}" for m in ("MAP@10", "MRR@10", "nDCG@10"))
                    + " |"
                )
    print("\n".join(rows))
    print()
    print("\n".join(speed))
    print(f"\nreproduce: python benchmarks/consumer_dev.py --mediqa {args.mediqa}")


if __name__ == "__main__":
    main()
