"""Dev benchmark: MedQuAD CancerGov questions over every MedQuAD answer.

Each of the 729 questions of 1_CancerGov_QA is judged by its own QA pair and searched
over all ~16.4k MedQuAD answers (questions are never indexed). Settings are tuned on
the `tune` half (split by document group) and reported on the `test` half and on all.

    .venv/bin/python benchmarks/cancergov_dev.py [--models minilm minilm-int8] [--quick]

The store (and its embeddings) is cached in benchmarks/.cache/ and reused.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from dataclasses import replace
from pathlib import Path

import ir_measures

from common import log
from oncocite import open_library
from oncocite.evaluation.medquad_dev import DevQuery, load_cancergov_dev
from oncocite.evaluation.metrics import evaluate_run
from oncocite.evaluation.trec import write_qrels, write_queries, write_run
from oncocite.search.engine import EngineConfig, SearchEngine
from oncocite.search.vocabulary import Vocabulary
from oncocite.store.base import SearchFilters

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "medquad"
CACHE = Path(__file__).resolve().parent / ".cache"
MEASURES = [ir_measures.parse_measure(m) for m in ("RR@10", "nDCG@10", "R@10")]
Ranked = list[tuple[int, float]]


def progress(label: str):  # type: ignore[no-untyped-def]
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 5 or done == total:
            last[0] = now
            log(f"  {label}: {done}/{total}")

    return report


def prepare(db: Path, models: list[str]):  # type: ignore[no-untyped-def]
    """Open (ingesting on first use) the MedQuAD store and embed for every model."""
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    lib = open_library(db, embed="0")
    if lib.counts()["passages"] == 0:
        log(f"ingesting {CORPUS} into {db} (once) ...")
        report = lib.ingest([CORPUS], embed=False)
        log(f"  {report.summary()}")
    for model in models:
        engine = SearchEngine(lib.store, model=model)
        t0 = time.perf_counter()
        added = engine.update_embeddings(progress(f"embedding with {model}"))
        if added:
            log(f"  embedded {added} passages with {model} in {time.perf_counter() - t0:.0f} s")
    return lib


def scores(queries: list[DevQuery], runs: dict[str, Ranked], ids: dict[int, str]) -> dict:
    """Mean RR@10, nDCG@10, R@10 over `queries` (unanswered queries count 0)."""
    qrels = {q.qid: {q.passage_id: 1} for q in queries}
    run = {
        q.qid: {ids[row]: float(100 - i) for i, (row, _) in enumerate(runs.get(q.qid, [])[:10])}
        for q in queries
    }
    run = {k: v for k, v in run.items() if v}
    totals = {str(m): 0.0 for m in MEASURES}
    for metric in ir_measures.iter_calc(MEASURES, qrels, run):
        totals[str(metric.measure)] += metric.value
    return {k: v / len(queries) for k, v in totals.items()}


def collect(engine: SearchEngine, queries: list[DevQuery], mode: str) -> tuple[dict, list]:
    runs: dict[str, Ranked] = {}
    times: list[float] = []
    for q in queries:
        engine.forget_queries()  # each query embedded afresh: other modes ran it before
        t0 = time.perf_counter()
        ranked, *_ = engine.rank(q.text, 100, SearchFilters(), mode)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
        runs[q.qid] = ranked
    return runs, times


def row(name: str, parts: dict[str, list[DevQuery]], runs: dict, ids: dict, ms: str) -> str:
    cells = []
    for half in ("tune", "test", "all"):
        s = scores(parts[half], runs, ids)
        cells.append(f"{s['RR@10']:.3f} {s['nDCG@10']:.3f} {s['R@10']:.3f}")
    return f"| {name:<44} | " + " | ".join(cells) + f" | {ms:>9} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=CACHE / "medquad.db")
    parser.add_argument("--models", nargs="*", default=["minilm", "minilm-int8"])
    parser.add_argument("--quick", action="store_true", help="fewer tuning settings")
    args = parser.parse_args()

    lib = prepare(args.db, args.models)
    store = lib.store
    queries = load_cancergov_dev(CORPUS / "1_CancerGov_QA")
    parts = {
        "tune": [q for q in queries if q.half == "tune"],
        "test": [q for q in queries if q.half == "test"],
        "all": queries,
    }
    views = store.passages_by_keys(store.allowed_keys(SearchFilters()).tolist())
    ids = {v.key: v.passage.passage_id for v in views}
    vocab = Vocabulary.load()
    tune = parts["tune"]
    lines: list[str] = []

    def ms(times: list[float]) -> str:
        return f"{1000 * statistics.mean(times):.1f}"

    # --- lexical: plain baseline, FTS5 vs in-memory BM25, then tuned settings
    plain = EngineConfig(lexical="fts5", weights=(0.0, 1.0), use_types=False)
    baseline = SearchEngine(store, config=plain, vocabulary=Vocabulary.load(_empty_vocab()))
    runs, times = collect(baseline, queries, "lexical")
    lines.append(row("BM25 plain (FTS5, body only, no vocabulary)", parts, runs, ids, ms(times)))

    index_grid = list(
        itertools.product(
            [(2.0, 1.0), (4.0, 1.0), (8.0, 1.0), (16.0, 1.0)], [False, True], [0.75, 0.5]
        )
    )
    query_grid = [(False, 1), (True, 1), (True, 2), (True, 3)]
    if args.quick:
        index_grid, query_grid = [((8.0, 1.0), True, 0.75)], [(True, 2)]
    best_lex: tuple[float, EngineConfig] | None = None
    for weights, bm25f, b in index_grid:
        engine = SearchEngine(
            store, config=EngineConfig(weights=weights, bm25f=bm25f, b=b), vocabulary=vocab
        )
        for use_types, boost in query_grid:
            cfg = EngineConfig(
                lexical="memory",
                weights=weights,
                bm25f=bm25f,
                b=b,
                use_types=use_types,
                context_boost=boost,
            )
            engine.config = cfg
            runs, _ = collect(engine, tune, "lexical")
            mrr = scores(tune, runs, ids)["RR@10"]
            log(
                f"  lexical w={weights} bm25f={bm25f} b={b} types={use_types} boost={boost}: "
                f"tune MRR@10 {mrr:.3f}"
            )
            if best_lex is None or mrr > best_lex[0]:
                best_lex = (mrr, cfg)
    assert best_lex is not None
    lex_cfg = best_lex[1]
    for backend in ("fts5", "memory"):
        cfg = replace(lex_cfg, lexical=backend)
        if backend == "fts5":  # FTS5 has one length norm and b=0.75
            cfg = replace(cfg, bm25f=False, b=0.75)
        engine = SearchEngine(store, config=cfg, vocabulary=vocab)
        engine.rank("warm up", 10, SearchFilters(), "lexical")
        runs, times = collect(engine, queries, "lexical")
        label = (
            f"lexical {backend} w={cfg.weights[0]:g}:{cfg.weights[1]:g} bm25f={cfg.bm25f} "
            f"b={cfg.b} boost={cfg.context_boost}"
        )
        lines.append(row(label, parts, runs, ids, ms(times)))

    # --- dense per model (with and without vocabulary terms), then the shipped hybrid.
    # Its fusion weights are chosen on the tuning halves of this set and of the consumer
    # questions together (benchmarks/consumer_dev.py --tune); here they are checked.
    for model in args.models:
        for expand in (False, True):
            cfg = replace(lex_cfg, expand_dense=expand)
            engine = SearchEngine(store, model=model, config=cfg, vocabulary=vocab)
            engine.rank("warm up", 10, SearchFilters(), "dense")
            runs, times = collect(engine, queries, "dense")
            lines.append(row(f"dense {model} expand={expand}", parts, runs, ids, ms(times)))
        engine = SearchEngine(store, model=model, config=EngineConfig(), vocabulary=vocab)
        for _ in range(3):
            engine.rank("warm up the engine", 10, SearchFilters(), "hybrid")
        runs, times = collect(engine, queries, "hybrid")
        lines.append(row(f"hybrid {model} (default)", parts, runs, ids, ms(times)))
        round_trip(engine, parts["test"], model)

    print("\nMRR@10 nDCG@10 R@10 on each half (tuned on `tune`); ms = mean per query\n")
    print(
        f"| {'system':<44} | {'tune (n=' + str(len(parts['tune'])) + ')':<19} | "
        f"{'test (n=' + str(len(parts['test'])) + ')':<19} | {'all (n=729)':<19} | "
        f"{'ms/query':>9} |"
    )
    print(f"|{'-' * 46}|{'-' * 21}|{'-' * 21}|{'-' * 21}|{'-' * 11}|")
    for line in lines:
        print(line)
    print(f"\nchosen lexical settings: {lex_cfg}")
    print(
        "reproduce: .venv/bin/python benchmarks/cancergov_dev.py "
        + " ".join(["--models", *args.models])
    )


def round_trip(engine: SearchEngine, queries: list[DevQuery], model: str) -> None:
    """The public path (hits -> TREC run -> ir-measures) on the test half, as a check."""
    folder = CACHE / "runs"
    folder.mkdir(exist_ok=True)
    write_queries(folder / "test.tsv", [(q.qid, q.text) for q in queries])
    write_qrels(folder / "test.qrels", {q.qid: {q.passage_id: 1} for q in queries})
    results = {q.qid: engine.search(q.text, k=100).hits for q in queries}
    write_run(folder / f"test-{model}.trec", results, f"oncocite-{model}")
    report = evaluate_run(folder / "test.qrels", folder / f"test-{model}.trec")
    values = " ".join(f"{k}={v:.3f}" for k, v in report.measures.items())
    log(f"  round trip ({model}, test half, via TREC files): {values}")


def _empty_vocab() -> Path:
    path = CACHE / "empty_vocabulary.yaml"
    path.write_text("version: 1\nterms: []\nquestion_types: []\n")
    return path


if __name__ == "__main__":
    main()
