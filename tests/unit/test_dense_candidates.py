"""Where dense candidates come from without PostgreSQL: always the exact index.
(The HNSW path is tested on a real PostgreSQL in tests/integration/test_postgres_ann.py.)"""

from __future__ import annotations

import numpy as np

from oncocite.config import Settings
from oncocite.search.candidates import ANN_MIN_PASSAGES, DenseCandidates
from oncocite.search.dense import ExactIndex
from oncocite.store import SearchFilters, open_store
from oncocite.store.base import VectorSearch


def test_the_threshold_default_is_one_number() -> None:
    assert Settings().ann_min_passages == ANN_MIN_PASSAGES == 100_000


def test_sqlite_has_no_ann_index_so_search_stays_exact() -> None:
    store = open_store(":memory:")
    try:
        assert not isinstance(store, VectorSearch)
        candidates = DenseCandidates(store, "toy", min_passages=0)
        assert not candidates.uses_index(10**6)
        keys = np.arange(1, 6, dtype=np.int64)
        rng = np.random.default_rng(3)
        matrix = rng.normal(size=(5, 4)).astype(np.float32)
        exact = ExactIndex(keys, matrix)
        found = candidates.search(matrix[2], 2, SearchFilters(), keys, exact, 10**6)
        assert found == exact.search(matrix[2], 2, keys)
        assert candidates.used == {"exact": 1}
    finally:
        store.close()
