"""Search over the two seeds finds the passage that answers patient questions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncocite import Library, open_library
from oncocite.search.dense import dense_available
from tests.conftest import CRUK_FLAGS, SEED_CRUK, SEED_NCI

CASES = [
    # (query, words the top passage must contain)
    ("Kadcyla", ["Kadcyla"]),
    ("Herceptin", ["trastuzumab"]),
    ("triple negative immunotherapy", ["triple-negative", "immunotherapy"]),
    ("Can I have Perjeta before surgery?", ["pertuzumab", "before surgery"]),
]


def _library(folder: Path, embed: bool) -> Library:
    lib = open_library(folder / "t.db", embed="1" if embed else "0")
    assert lib.ingest([SEED_NCI], embed=embed).failed == 0
    assert lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS, embed=embed).failed == 0
    return lib


@pytest.fixture(scope="module")
def lexical_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with _library(tmp_path_factory.mktemp("lex"), embed=False) as lib:
        yield lib


@pytest.fixture(scope="module")
def dense_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    if not dense_available():
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    with _library(tmp_path_factory.mktemp("dense"), embed=True) as lib:
        yield lib


def _check(hits: list, expected: list[str]) -> None:  # type: ignore[type-arg]
    assert hits, "no hits"
    top = hits[0].text.lower()
    for word in expected:
        assert word.lower() in top, f"{word!r} not in top passage: {hits[0].text[:200]!r}"


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_lexical_finds_the_passage(lexical_lib: Library, query: str, expected: list[str]) -> None:
    _check(lexical_lib.search(query, k=5, mode="lexical").hits, expected)


@pytest.mark.dense
@pytest.mark.parametrize(("query", "expected"), CASES)
def test_hybrid_finds_the_passage(dense_lib: Library, query: str, expected: list[str]) -> None:
    results = dense_lib.search(query, k=5)
    assert results.mode_used == "hybrid" and results.notices == []
    _check(results.hits, expected)
    assert set(results.hits[0].scores) >= {"fused"}


@pytest.mark.dense
def test_dense_alone_understands_brand_names(dense_lib: Library) -> None:
    _check(dense_lib.search("Kadcyla", k=3, mode="dense").hits, ["emtansine"])


@pytest.mark.dense
def test_embeddings_are_stored_and_reused(dense_lib: Library) -> None:
    counts = dense_lib.counts()
    assert counts["embeddings"] > 0
    assert dense_lib.embed().embedded == 0
    report = dense_lib.ingest([SEED_NCI])
    assert report.count("unchanged") == 1 and report.embedded == 0


def test_filters_restrict_hits(lexical_lib: Library) -> None:
    results = lexical_lib.search("immunotherapy", k=10, filters=["source=NCI"], mode="lexical")
    assert results.filters == ["source=NCI"]
    assert results.hits and {h.source for h in results.hits} == {"NCI"}
    assert lexical_lib.search("immunotherapy", filters=["tier=1"], mode="lexical").hits == []


def test_hybrid_without_embeddings_says_it_ran_lexical(lexical_lib: Library) -> None:
    results = lexical_lib.search("Herceptin", k=3)
    assert results.mode == "hybrid" and results.mode_used == "lexical"
    assert results.hits and all(set(h.scores) == {"lexical"} for h in results.hits)
    [notice] = results.notices
    assert notice.startswith("hybrid search ran lexical only")
    # the reason: nothing embedded (dense installed), or the model is not installed
    assert ("oncocite embed" if dense_available() else "is not installed") in notice


@pytest.mark.dense
def test_ingest_seconds_count_the_whole_run_embedding_included(tmp_path: Path) -> None:
    with open_library(tmp_path / "s.db", embed="1") as lib:
        started = time.perf_counter()
        report = lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS)
        wall = time.perf_counter() - started
    assert report.embedded > 0
    assert 0.9 * wall <= report.seconds <= wall
