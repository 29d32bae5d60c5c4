"""Ranking parity: the CancerGov dev benchmark on PostgreSQL beside SQLite.

    .venv/bin/python benchmarks/postgres_parity.py [--pg postgresql://…] [--model minilm-int8]

Both stores hold all of MedQuAD. The SQLite library is benchmarks/.cache/medquad.db
(built and embedded on first use, as cancergov_dev.py does); the PostgreSQL one is
ingested from the same XML, and its vectors are copied from the SQLite library by the
hash of the text embedded (the same model gives the same vector for the same text, and
embedding 16k passages again would take ~8 minutes here). Without --pg a server is
started from the pgserver wheel in benchmarks/.cache/pgdata. Prints MRR@10 on each half
for the default hybrid mode, the in-memory lexical mode and each database's own full
text (FTS5 BM25 / PostgreSQL ts_rank), with per-query latency. Not a test.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from pathlib import Path

import numpy as np

from cancergov_dev import CACHE, CORPUS, collect, log, prepare, scores
from oncocite import open_library, upgrade_database
from oncocite.evaluation.medquad_dev import load_cancergov_dev
from oncocite.search.engine import EngineConfig, SearchEngine
from oncocite.search.vocabulary import Vocabulary
from oncocite.store.base import SearchFilters, Store


def start_server() -> str:
    import pgserver

    server = pgserver.get_server(CACHE / "pgdata", cleanup_mode="stop")
    return str(server.get_uri())


def prepare_postgres(url: str, sqlite_db: Path, model_id: str):  # type: ignore[no-untyped-def]
    """The MedQuAD library on PostgreSQL, ingested once, vectors copied by text hash."""
    upgrade_database(url)
    lib = open_library(url, embed="0")
    if lib.counts()["passages"] == 0:
        t0 = time.perf_counter()
        report = lib.ingest([CORPUS], embed=False)
        log(f"  ingested into PostgreSQL in {time.perf_counter() - t0:.1f} s: {report.summary()}")
    missing = dict(lib.store.texts_missing_embeddings(model_id))
    if missing:
        conn = sqlite3.connect(f"file:{sqlite_db}?mode=ro", uri=True)
        rows = conn.execute(
            "SELECT text_hash, vector FROM embeddings WHERE model = ?", (model_id,)
        ).fetchall()
        conn.close()
        found = [
            (key, np.frombuffer(blob, dtype="<f4").astype(np.float32))
            for key, blob in rows
            if key in missing
        ]
        t0 = time.perf_counter()
        for start in range(0, len(found), 2000):
            lib.store.put_embeddings(model_id, found[start : start + 2000])
        log(f"  copied {len(found)} vectors into pgvector in {time.perf_counter() - t0:.1f} s")
    return lib


def evaluate(store: Store, model: str, config: EngineConfig, mode: str, queries, parts):  # type: ignore[no-untyped-def]
    engine = SearchEngine(store, model=model, config=config, vocabulary=Vocabulary.load())
    for _ in range(3):
        engine.rank("warm up the engine", 10, SearchFilters(), mode)  # type: ignore[arg-type]
    views = store.passages_by_keys(store.allowed_keys(SearchFilters()).tolist())
    ids = {v.key: v.passage.passage_id for v in views}
    runs, times = collect(engine, queries, mode)
    cells = {half: scores(parts[half], runs, ids)["RR@10"] for half in ("tune", "test", "all")}
    ms = sorted(1000 * t for t in times)
    return cells, statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", help="a PostgreSQL URL (default: start pgserver)")
    parser.add_argument("--sqlite", type=Path, default=CACHE / "medquad.db")
    parser.add_argument("--model", default="minilm-int8")
    args = parser.parse_args()

    lite = prepare(args.sqlite, [args.model])
    url = args.pg or start_server()
    engine = SearchEngine(lite.store, model=args.model)
    pg = prepare_postgres(url, args.sqlite, engine.model_id)
    assert pg.counts()["passages"] == lite.counts()["passages"]

    queries = load_cancergov_dev(CORPUS / "1_CancerGov_QA")
    parts = {
        "tune": [q for q in queries if q.half == "tune"],
        "test": [q for q in queries if q.half == "test"],
        "all": queries,
    }
    settings = [
        ("hybrid (default)", EngineConfig(), "hybrid"),
        ("lexical (in-memory BM25F, default)", EngineConfig(), "lexical"),
        ("lexical (the database's full text)", EngineConfig(lexical="fts5"), "lexical"),
    ]
    lines = []
    for label, config, mode in settings:
        results = {}
        for name, lib in (("SQLite", lite), ("PostgreSQL", pg)):
            log(f"  {label} on {name} ...")
            results[name] = evaluate(lib.store, args.model, config, mode, queries, parts)
        (a, a50, a95), (b, b50, b95) = results["SQLite"], results["PostgreSQL"]
        lines.append(
            f"| {label:<36} | {a['test']:.3f} | {b['test']:.3f} | {b['test'] - a['test']:+.3f} "
            f"| {a['all']:.3f} | {b['all']:.3f} | {a50:.1f} / {a95:.1f} | {b50:.1f} / {b95:.1f} |"
        )
    print(f"\nCancerGov dev questions ({len(parts['test'])} test, {len(queries)} all), "
          f"model {args.model}; MRR@10, and ms per query p50 / p95\n")  # fmt: skip
    print(
        f"| {'mode':<36} | SQLite test | PostgreSQL test | difference | SQLite all "
        "| PostgreSQL all | SQLite ms | PostgreSQL ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    print(f"\ncommand: python benchmarks/postgres_parity.py --model {args.model}")
    pg.close()
    lite.close()


if __name__ == "__main__":
    main()
