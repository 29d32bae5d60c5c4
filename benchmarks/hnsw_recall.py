"""Recall and latency of PostgreSQL's HNSW index against exact search (issue 28).

    python benchmarks/hnsw_recall.py [--sizes 10000 100000] [--queries 300]

What it measures, for each library size: the dense side's top k passages as the
engine gets them past `ann_min_passages` (`PostgresStore.nearest`: pgvector HNSW,
over-fetch then filter in SQL) against the exact in-memory index (`ExactIndex`, what
the engine uses below it): recall@10 and recall@100 (k = 100 is the engine's
`candidates` depth), p50/p95 latency of each, the HNSW build time, and with a filter
that allows one source in ten, how often the index came back short and the engine
fell back to exact search ("short": fewer than k rows, which sends the engine to
exact search; unfiltered as well).

Data: real all-MiniLM-L6-v2 int8 vectors of MedQuAD passages and of their context
lines, read from benchmarks/.cache/medquad.db (built and embedded by cold_start.py
or cancergov_dev.py). The 10k set is 10,000 real passages. MedQuAD has 16,423
passages, so the 100k set is those plus copies of them with Gaussian noise
(`--noise`, per-dimension sigma / sqrt(384), renormalised: a copy's cosine to its
original is about 0.96), contexts replicated the same way: near-duplicates make the
neighbourhoods denser than real text would, so this is if anything harder than a
real 100k library. Context-line vectors are stored too, one per passage here
(MedQuAD has 0.9), as in a real library; the HNSW index holds passage vectors only
(migration 2 of the PostgreSQL store). Queries are
MedQuAD questions, embedded as the engine embeds a question (int8 query model, 80
word pieces).

The server is pgserver's PostgreSQL 16 + pgvector 0.6.2 (no iterative index scans:
those arrive in 0.8), in benchmarks/.cache/pgdata-hnsw; each set gets a fresh
database. The index is built once per set after the vectors are loaded, with
maintenance_work_mem 1GB (the graph must fit, or the build slows many times) and no
parallel build workers (2 cores shared by six engineers); shared_buffers is 512MB
(`--shared-buffers`, set and the server restarted if needed), so that the 100k
index (~200 MB) stays in PostgreSQL's own cache rather than being read from the
OS at every query. `--reuse` queries the libraries an earlier run built. All timings were taken on
that shared machine: contended.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import psycopg
from pgvector.psycopg import register_vector

from oncocite.models import DocumentMetadata, Passage
from oncocite.search.dense import EMBEDDERS, ExactIndex, load_embedder
from oncocite.search.query_model import cache_folder
from oncocite.store import DocumentWrite, SearchFilters, postgres
from oncocite.store.base import context_hash, embedding_text_hash
from oncocite.store.postgres import PostgresStore, ann_depth, upgrade

CACHE = Path(__file__).resolve().parent / ".cache"
MODEL = "minilm-int8"
MODEL_ID = EMBEDDERS[MODEL].model_id
PER_DOCUMENT = 50  # passages per synthetic document
SOURCES = 10  # documents get one of ten sources, round robin: a filter allows one in ten
Matrix = npt.NDArray[np.float32]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Source:
    """Real MedQuAD vectors: each passage's, its context's row, and the questions."""

    passages: Matrix
    context_of: npt.NDArray[np.int64]  # row of `contexts` for each passage
    contexts: Matrix
    questions: list[str]


def read_source(db: Path) -> Source:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        """SELECT p.context_hash, e.vector, c.vector, coalesce(p.question, '')
           FROM passages p
           JOIN embeddings e ON e.text_hash = p.text_hash AND e.model = ?
           JOIN embeddings c ON c.text_hash = p.context_hash AND c.model = ?
           ORDER BY p.id""",
        (MODEL_ID, MODEL_ID),
    ).fetchall()
    conn.close()
    if not rows:
        raise SystemExit(f"{db}: no {MODEL_ID} vectors; build it with benchmarks/cold_start.py")
    passages = np.vstack([np.frombuffer(r[1], dtype="<f4") for r in rows]).astype(np.float32)
    order: dict[str, int] = {}
    context_rows: list[Matrix] = []
    context_of = np.empty(len(rows), dtype=np.int64)
    for i, row in enumerate(rows):
        if row[0] not in order:
            order[row[0]] = len(order)
            context_rows.append(np.frombuffer(row[2], dtype="<f4").astype(np.float32))
        context_of[i] = order[row[0]]
    questions = [r[3] for r in rows if r[3]]
    return Source(passages, context_of, np.vstack(context_rows), questions)


def noisy(vectors: Matrix, sigma: float, rng: np.random.Generator) -> Matrix:
    out = vectors + rng.normal(scale=sigma / np.sqrt(vectors.shape[1]), size=vectors.shape)
    normalised: Matrix = (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)
    return normalised


def make_set(source: Source, size: int, sigma: float, seed: int) -> tuple[Matrix, Matrix]:
    """(passage vectors, each passage's context vector) of `size` passages: real ones
    first, then noisy copies of them (a copy keeps its original's context, noised)."""
    rng = np.random.default_rng(seed)
    real = min(size, len(source.passages))
    passages = [source.passages[:real]]
    contexts = [source.contexts[source.context_of[:real]]]
    made = real
    while made < size:
        take = min(size - made, len(source.passages))
        passages.append(noisy(source.passages[:take], sigma, rng))
        contexts.append(noisy(source.contexts[source.context_of[:take]], sigma, rng))
        made += take
    return np.vstack(passages), np.vstack(contexts)


def _document(number: int, first: int, count: int) -> DocumentWrite:
    texts = [f"passage {first + i}" for i in range(count)]
    passages, offset = [], 0
    for seq, body in enumerate(texts, start=1):
        passages.append(
            Passage(
                passage_id=f"d{number}#{seq}",
                doc_id=f"d{number}",
                seq=seq,
                text=body,
                start=offset,
                end=offset + len(body),
                heading_path=[f"topic {first + seq - 1}"],
            )
        )
        offset += len(body) + 2
    metadata = DocumentMetadata.model_validate(
        {"title": f"Document {number}", "source": f"source {number % SOURCES}"}
    )
    return DocumentWrite(
        doc_id=f"d{number}",
        format="markdown",
        path=None,
        metadata=metadata,
        content_hash=f"d{number}-{first}-{count}",
        text="\n\n".join(texts),
        passages=passages,
    )


def load_library(url: str, passages: Matrix, contexts: Matrix) -> tuple[PostgresStore, float]:
    """A library of len(passages) passages with these vectors; the HNSW build time."""
    store = PostgresStore(url)
    size = len(passages)
    t0 = time.perf_counter()
    items: list[tuple[str, Matrix, bool]] = []  # (hash, vector, of a passage's text)
    for number, first in enumerate(range(0, size, PER_DOCUMENT)):
        doc = _document(number, first, min(PER_DOCUMENT, size - first))
        store.put_document(doc)
        for p in doc.passages:
            context = p.context(doc.metadata.title)
            row = first + p.seq - 1
            items.append((embedding_text_hash(context, p.text), passages[row], True))
            items.append((context_hash(context), contexts[row], False))
    log(f"  {size:,} passages stored in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
        cur = conn.cursor()
        sql = "COPY embeddings (model, text_hash, vector, passage) FROM STDIN (FORMAT BINARY)"
        with cur.copy(sql) as copy:
            copy.set_types(["text", "text", "vector", "bool"])
            for key, vector, of_passage in items[1:]:
                copy.write_row((MODEL_ID, key, vector, of_passage))
    log(f"  {len(items):,} vectors copied in {time.perf_counter() - t0:.0f} s")
    # the last vector through the store: it makes the model's HNSW index, over them all
    t0 = time.perf_counter()
    store.put_embeddings(MODEL_ID, [(key, vector) for key, vector, _ in items[:1]])
    return store, time.perf_counter() - t0


def recall(found: list[int], truth: list[int]) -> float:
    return len(set(found) & set(truth)) / max(1, len(truth))


def ms(values: list[float], p: float) -> float:
    return float(np.percentile(values, p) * 1000)


def run_set(
    admin_url: str, name: str, passages: Matrix, contexts: Matrix, queries: Matrix, reuse: bool
) -> dict[str, float]:
    database = f"hnsw_{name}"
    url = admin_url.replace("/postgres?", f"/{database}?", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        reuse = reuse and exists.fetchone() is not None
        if not reuse:
            conn.execute(f"DROP DATABASE IF EXISTS {database}")
            conn.execute(f"CREATE DATABASE {database}")
            conn.execute(f"ALTER DATABASE {database} SET maintenance_work_mem = '1GB'")
            conn.execute(f"ALTER DATABASE {database} SET max_parallel_maintenance_workers = 0")
    if reuse:  # the same set (same seed and noise) built by an earlier run
        store, build = PostgresStore(url), float("nan")
        log("  reusing the library and index an earlier run built")
    else:
        upgrade(url)
        store, build = load_library(url, passages, contexts)
        log(f"  HNSW index built in {build:.1f} s")
    try:
        keys = store.allowed_keys(SearchFilters())
        stored = store.load_embeddings(MODEL_ID)
        exact = ExactIndex(stored.keys, stored.vectors)
        assert len(stored.keys) == len(passages) == len(keys)
        one_source = SearchFilters(sources=frozenset({"source 3"}))
        allowed_one = store.allowed_keys(one_source)
        result: dict[str, float] = {"passages": len(passages), "build_s": build}
        for k in (10, 100):
            times: dict[str, list[float]] = {"exact": [], "hnsw": [], "hnsw_filtered": []}
            recalls, top10, short, short_all = [], [], 0, 0
            for query in queries:
                t0 = time.perf_counter()
                truth = [key for key, _ in exact.search(query, k, keys)]
                times["exact"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                found = [m.key for m in store.nearest(MODEL_ID, query, k, SearchFilters())]
                times["hnsw"].append(time.perf_counter() - t0)
                short_all += len(found) < k
                recalls.append(recall(found, truth))
                top10.append(recall(found[:10], truth[:10]))
                t0 = time.perf_counter()
                filtered = store.nearest(MODEL_ID, query, k, one_source)
                times["hnsw_filtered"].append(time.perf_counter() - t0)
                short += len(filtered) < min(k, len(allowed_one))
            result[f"recall@{k}"] = float(np.mean(recalls))
            result[f"recall@10_of_{k}"] = float(np.mean(top10))
            result[f"fallback_{k}"] = short / len(queries)
            result[f"short_{k}"] = short_all / len(queries)
            for path, values in times.items():
                result[f"{path}_p50_{k}"] = ms(values, 50)
                result[f"{path}_p95_{k}"] = ms(values, 95)
        return result
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=CACHE / "medquad.db")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--noise", type=float, default=0.3, help="sigma of the copies' noise")
    parser.add_argument("--seed", type=int, default=28)
    parser.add_argument(
        "--reuse", action="store_true", help="query the libraries an earlier run built"
    )
    parser.add_argument(
        "--overfetch",
        type=int,
        default=postgres.ANN_OVERFETCH,
        help="nearest() reads this many times k vectors (the store's ANN_OVERFETCH)",
    )
    parser.add_argument(
        "--shared-buffers",
        default="512MB",
        help="PostgreSQL's shared_buffers: the 100k index (~200 MB) must fit (default 512MB)",
    )
    args = parser.parse_args()
    postgres.ANN_OVERFETCH = args.overfetch  # read by ann_depth at each query

    import pgserver

    folder = CACHE / "pgdata-hnsw"
    server = pgserver.get_server(folder, cleanup_mode="stop")  # type: ignore[attr-defined]
    admin_url = str(server.get_uri())
    with psycopg.connect(admin_url, autocommit=True) as conn:
        shown = conn.execute("SHOW shared_buffers").fetchone()
        if shown is None or shown[0] != args.shared_buffers:
            # an index that does not fit is read from the OS cache at every query
            conn.execute(f"ALTER SYSTEM SET shared_buffers = '{args.shared_buffers}'")
            changed = True
        else:
            changed = False
    if changed:  # shared_buffers takes a restart (also of a server another run left up)
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(["-w", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=120)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        shown = conn.execute("SHOW shared_buffers").fetchone()
    log(f"shared_buffers {shown[0] if shown else '?'}")
    source = read_source(args.source)
    rng = np.random.default_rng(args.seed)
    chosen = rng.choice(len(source.questions), size=args.queries, replace=False)
    embedder = load_embedder(MODEL, cache_folder(None))
    texts = [source.questions[i] for i in chosen]
    queries = embedder.encode(texts, max_tokens=80, query=True)
    log(f"{len(source.passages):,} real passages, {len(queries)} questions embedded")
    rows = []
    for size in args.sizes:
        log(f"set of {size:,} passages")
        passages, contexts = make_set(source, size, args.noise, args.seed)
        rows.append(run_set(admin_url, f"{size}", passages, contexts, queries, args.reuse))

    print(f"HNSW (pgvector 0.6.2, m=16, ef_construction=64) vs exact, {len(queries)} queries")
    print(f"depth read per query: k=10 -> {ann_depth(10)}, k=100 -> {ann_depth(100)}")
    header = (
        "| passages | k | recall@k | recall@10 | exact p50 / p95 ms | HNSW p50 / p95 ms, short "
        "| filtered (1 source in 10): HNSW p50 / p95 ms, short -> exact | build s |"
    )
    print(header)
    print("|" + "---|" * 8)
    for row in rows:
        for k in (10, 100):
            print(
                f"| {int(row['passages']):,} | {k} | {row[f'recall@{k}']:.3f} "
                f"| {row[f'recall@10_of_{k}']:.3f} "
                f"| {row[f'exact_p50_{k}']:.1f} / {row[f'exact_p95_{k}']:.1f} "
                f"| {row[f'hnsw_p50_{k}']:.1f} / {row[f'hnsw_p95_{k}']:.1f}, "
                f"{row[f'short_{k}']:.0%} "
                f"| {row[f'hnsw_filtered_p50_{k}']:.1f} / {row[f'hnsw_filtered_p95_{k}']:.1f}, "
                f"{row[f'fallback_{k}']:.0%} | {row['build_s']:.1f} |"
            )


if __name__ == "__main__":
    main()
