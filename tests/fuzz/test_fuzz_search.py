"""Fuzzed queries, filters and k through the Library: only the project's own errors,
each one line; a search never changes the library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncocite import Library, OncociteError, open_library
from oncocite.search.filters import FILTER_KEYS
from tests.conftest import CRUK_FLAGS, SEED_CRUK, SEED_NCI

HOSTILE = [
    '"',
    "NEAR(",
    "*",
    "-",
    ":",
    "\x00",
    "\x1b[31m",
    "\udcff",
    "\ud800",
    "[/i]",
    "HER2+",
    "ER-",
    "🎗️",
    "\u202e",
    " OR ",
    "tier",
    "=",
    ",",
]
text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE)), max_size=8).map("".join)
filter_item = st.one_of(
    st.builds(
        lambda key, value: f"{key}={value}",
        st.sampled_from([*FILTER_KEYS, "licence", "colour", "", "TIER"]),
        st.one_of(text, st.integers(-(2**70), 2**70).map(str)),
    ),
    text,
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    db: Path = tmp_path_factory.mktemp("fuzz") / "f.db"
    with open_library(db, embed="0") as lib:
        assert lib.ingest([SEED_NCI]).failed == 0
        assert lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS).failed == 0
        yield lib


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=text,
    filters=st.lists(filter_item, max_size=3),
    k=st.one_of(st.integers(-3, 30), st.integers(-(2**70), 2**70)),
    mode=st.sampled_from(["hybrid", "lexical", "dense", "fuzzy"]),
)
def test_search_raises_only_one_line_project_errors(
    library: Library, query: str, filters: list[str], k: int, mode: str
) -> None:
    before = library.store.generation()
    try:
        results = library.search(query, k=k, filters=filters, mode=mode)  # type: ignore[arg-type]
    except OncociteError as exc:
        message = str(exc)
        assert message and "\n" not in message
    else:
        assert len(results.hits) <= k
        scores = [hit.score for hit in results.hits]
        assert scores == sorted(scores, reverse=True)
    assert library.store.generation() == before
