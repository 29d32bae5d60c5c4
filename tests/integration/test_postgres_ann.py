"""The dense side through PostgreSQL's HNSW index (issue 28): past `ann_min_passages`
the engine's passage candidates come from `PostgresStore.nearest`, filters applied in
SQL, and on a small library they are the exact search's; a filter the over-fetched
index scan cannot fill falls back to exact search rather than a shorter list.

Real PostgreSQL 16 + pgvector (tests/postgres_server.py) and the real model.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np
import psycopg
import pytest

from oncocite import open_library
from oncocite.search.candidates import ANN_MIN_ALLOWED_SHARE, DenseCandidates
from oncocite.search.dense import ExactIndex
from oncocite.store import DocumentWrite, SearchFilters, open_store
from oncocite.store.base import VectorSearch
from oncocite.store.postgres import SCHEMA_VERSION, PostgresStore, ann_depth, upgrade
from tests.conftest import seed_library
from tests.contract.test_store_contract import doc

pytestmark = pytest.mark.postgres

QUESTIONS = [
    "What is Kadcyla?",
    "Is Herceptin the same as trastuzumab?",
    "Which immunotherapy is used for triple negative breast cancer?",
    "my sister has inflammatory breast cancer, her2 positive. can she have perjeta?",
]
CRUK = ["source=Cancer Research UK"]


def _hnsw_scans(url: str) -> int:
    """Index scans of the HNSW indexes so far, as PostgreSQL's statistics count them."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes "
            "WHERE indexrelname LIKE 'embeddings_ann_%'"
        ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.dense
def test_search_takes_dense_candidates_from_the_hnsw_index_and_matches_exact(
    pg_url: str,
) -> None:
    """With the threshold lowered, every dense and hybrid search asks the index, and
    gets the exact search's hits and scores on a small library, filters honoured."""
    seed_library(pg_url).close()  # type: ignore[arg-type]
    # A library this small is cheaper to scan than to walk a graph, so the planner
    # would read the table instead: make it use the index, as it does when large.
    with psycopg.connect(pg_url, autocommit=True) as conn:
        name = conn.execute("SELECT current_database()").fetchone()
        assert name is not None
        for setting in ("enable_seqscan", "enable_sort"):
            conn.execute(f'ALTER DATABASE "{name[0]}" SET {setting} = off')
    before = _hnsw_scans(pg_url)
    with (
        open_library(pg_url, ann_min_passages=1) as ann,
        open_library(pg_url) as exact,
    ):
        for question in QUESTIONS:
            for mode in ("dense", "hybrid"):
                for filters in ([], CRUK):
                    ours = ann.search(question, k=5, mode=mode, filters=filters)
                    theirs = exact.search(question, k=5, mode=mode, filters=filters)
                    assert ours.mode_used == mode
                    assert [h.passage_id for h in ours.hits] == [
                        h.passage_id for h in theirs.hits
                    ], (question, mode, filters)
                    for a, b in zip(ours.hits, theirs.hits, strict=True):
                        assert a.score == pytest.approx(b.score, abs=1e-5)
                    if filters:
                        assert ours.hits and {h.source for h in ours.hits} == {"Cancer Research UK"}
        searches = len(QUESTIONS) * 2 * 2
        assert ann.engine().dense_candidates.used == {"index": searches}
        assert exact.engine().dense_candidates.used == {"exact": searches}
    # PostgreSQL saw the index scans (its statistics are flushed within a second)
    deadline = time.monotonic() + 10
    while _hnsw_scans(pg_url) < before + searches and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _hnsw_scans(pg_url) >= before + searches


def _write(doc_id: str, count: int, source: str) -> DocumentWrite:
    texts = [f"{doc_id} passage {i}" for i in range(count)]
    return doc(doc_id, texts, title=doc_id, source=source, license="public_domain")


def test_a_filter_the_index_scan_cannot_fill_falls_back_to_exact_search(pg_url: str) -> None:
    """Over-fetch then filter: the index reads `ann_depth(k)` nearest vectors, all of
    one crowded document here, so a filter on another document finds none among
    them; the candidates then come from the exact index, never a short list. A
    filter that keeps too small a share of the library goes to exact search at once."""
    store = open_store(pg_url)
    try:
        assert isinstance(store, PostgresStore) and isinstance(store, VectorSearch)
        crowd = ann_depth(10) + 60
        store.put_document(_write("crowd", crowd, "NCI"))
        store.put_document(_write("rare", 40, "CRUK"))
        store.put_document(_write("tiny", 2, "CRUK"))
        rng = np.random.default_rng(11)
        centre = rng.normal(size=16)
        vectors = {}
        for key, text in store.texts_missing_embeddings("toy"):
            side = -1.0 if text.startswith("rare") else 1.0  # rare: far from the query
            near = side * centre + 0.05 * rng.normal(size=16)
            vectors[key] = near / np.linalg.norm(near)
        store.put_embeddings("toy", [(k, v.astype(np.float32)) for k, v in vectors.items()])
        stored = store.load_embeddings("toy")
        exact = ExactIndex(stored.keys, stored.vectors)
        query = (centre / np.linalg.norm(centre)).astype(np.float32)
        size = crowd + 40 + 2
        rare = SearchFilters(doc_ids=frozenset({"rare"}))
        allowed = store.allowed_keys(rare)
        assert len(allowed) == 40 and len(allowed) >= ANN_MIN_ALLOWED_SHARE * size
        # the store alone: the rare passages are not among the nearest it read
        assert len(store.nearest("toy", query, 10, SearchFilters())) == 10
        assert store.nearest("toy", query, 10, rare) == []
        candidates = DenseCandidates(store, "toy", min_passages=1)
        found = candidates.search(query, 10, rare, allowed, exact, size)
        assert found == exact.search(query, 10, allowed) and len(found) == 10
        assert candidates.used == {"exact-fallback": 1}
        # a filter keeping 2 passages of 142: exact search without asking the index
        tiny = SearchFilters(doc_ids=frozenset({"tiny"}))
        few = store.allowed_keys(tiny)
        found = candidates.search(query, 10, tiny, few, exact, size)
        assert sorted(key for key, _ in found) == sorted(int(k) for k in few)
        assert candidates.used["exact"] == 1
        # unfiltered, the index serves, and finds the exact top 10 here
        found = candidates.search(query, 10, SearchFilters(), stored.keys, exact, size)
        assert [key for key, _ in found] == [key for key, _ in exact.search(query, 10, None)]
        assert candidates.used["index"] == 1
        # below the threshold the exact index serves, whatever the store offers
        small = DenseCandidates(store, "toy", min_passages=size + 1)
        small.search(query, 10, SearchFilters(), stored.keys, exact, size)
        assert small.used == {"exact": 1}
    finally:
        store.close()


def test_db_upgrade_indexes_passage_vectors_only(pg_url: str) -> None:
    """Migration 2 on a database as migration 1 left it: passage vectors marked, the
    old index over both kinds dropped, the new partial one built."""
    store = open_store(pg_url)
    try:
        store.put_document(_write("leaflet", 3, "NCI"))
        missing = store.texts_missing_embeddings("toy")
        rng = np.random.default_rng(5)
        store.put_embeddings(
            "toy", [(k, rng.normal(size=8).astype(np.float32)) for k, _ in missing]
        )
        passages = {k for k, text in missing if "passage" in text}
    finally:
        store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # back to schema 1
        conn.execute("DROP INDEX embeddings_ann_" + _model_hash("toy"))
        conn.execute("ALTER TABLE embeddings DROP COLUMN passage")
        conn.execute(
            "CREATE INDEX embeddings_hnsw_old ON embeddings USING hnsw "
            "((vector::vector(8)) vector_cosine_ops) WHERE model = 'toy'"
        )
        conn.execute("UPDATE store_info SET value = '1' WHERE key = 'schema_version'")
    assert upgrade(pg_url) == (1, SCHEMA_VERSION)
    with psycopg.connect(pg_url) as conn:
        marked = {r[0]: r[1] for r in conn.execute("SELECT text_hash, passage FROM embeddings")}
        indexes = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'embeddings'"
            )
        }
    assert {k for k, is_passage in marked.items() if is_passage} == passages
    assert len(marked) > len(passages)  # the context lines' vectors, unmarked
    assert "embeddings_hnsw_old" not in indexes
    definition = indexes["embeddings_ann_" + _model_hash("toy")]
    assert "hnsw" in definition and "passage" in definition, definition


def _model_hash(model: str) -> str:
    return hashlib.sha256(model.encode()).hexdigest()[:12]
