"""Where the dense side's candidates come from: the exact in-memory index, or the
store's approximate vector index (PostgreSQL's HNSW) once the library is large.

Below `ANN_MIN_PASSAGES` searchable passages the engine keeps scanning its
in-memory matrix: one matrix product over every vector is exact (recall 1) and, at
that size, faster than a round trip to the database (benchmarks/hnsw_recall.py,
docs/benchmarks.md). Past it, on a store that offers `VectorSearch`, the passage
side asks the store for its nearest passages instead, filters applied in SQL; the
context sides (about, question, subject) stay exact, since they score a passage by
the best context of its document, which an approximate top list cannot give.

Filters: the store over-fetches and filters in SQL (PostgresStore.nearest says why).
A filter that keeps less than `ANN_MIN_ALLOWED_SHARE` of the library is searched
exactly from the start; when the index still returns fewer candidates than the
filters allow, the engine searches exactly instead: a filter is honoured in full,
never by a shorter list.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from oncocite.search.ranking import Ranked
from oncocite.store.base import KeyArray, SearchFilters, Store, VectorSearch

__all__ = ["ANN_MIN_ALLOWED_SHARE", "ANN_MIN_PASSAGES", "DenseCandidates", "DensePath"]

# The library size (searchable passages) from which the store's HNSW index serves
# the dense side; settings: ONCOCITE_ANN_MIN_PASSAGES (docs/configuration.md).
# Measured (benchmarks/hnsw_recall.py): for the engine's 100 candidates exact search
# takes ~2 ms at 10k passages against the index's ~13, and they are level at 100k
# (~24 ms each on 2 shared cores), past which exact search grows with the library.
ANN_MIN_PASSAGES = 100_000
# The index is asked only when the filters keep at least this share of the library:
# it reads 4 x k nearest vectors (PostgresStore's ANN_OVERFETCH) before filtering, so
# with less the k allowed are unlikely to be among them, and the exact fallback would
# follow a wasted query (measured: one source in ten came back short every time).
ANN_MIN_ALLOWED_SHARE = 0.25

DensePath = Literal["exact", "index", "exact-fallback"]


class _Exact(Protocol):
    """What the exact side must offer: the engine's in-memory `ExactIndex`."""

    def search(
        self, vector: npt.NDArray[np.float32], k: int, allowed: KeyArray | None
    ) -> Ranked: ...


class DenseCandidates:
    """The passage side's top list: exact in memory, or the store's ANN index.

    `used` counts which path served each search ("exact", "index", or
    "exact-fallback" when the index gave too few for the filters): what a test or
    an operator reads to know the index is in use.
    """

    def __init__(self, store: Store, model_id: str, min_passages: int = ANN_MIN_PASSAGES) -> None:
        self.index: VectorSearch | None = store if isinstance(store, VectorSearch) else None
        self.model_id = model_id
        self.min_passages = min_passages
        self.used: Counter[DensePath] = Counter()

    def uses_index(self, library_size: int, allowed: int | None = None) -> bool:
        """True when the store has an ANN index, the library is large enough and the
        filters keep enough of it (`allowed` passages; None: no filter)."""
        if self.index is None or library_size < self.min_passages:
            return False
        return allowed is None or allowed >= ANN_MIN_ALLOWED_SHARE * library_size

    def search(
        self,
        vector: npt.NDArray[np.float32],
        k: int,
        filters: SearchFilters,
        allowed: KeyArray,
        exact: _Exact,
        library_size: int,
    ) -> Ranked:
        """The k passages nearest to `vector` among `allowed` (the keys `filters`
        allow), best first, scored by cosine similarity either way."""
        if self.index is not None and self.uses_index(library_size, len(allowed)):
            found = self.index.nearest(self.model_id, vector, k, filters)
            if len(found) >= min(k, len(allowed)):
                self.used["index"] += 1
                return [(match.key, match.score) for match in found]
            self.used["exact-fallback"] += 1
        else:
            self.used["exact"] += 1
        return exact.search(vector, k, allowed)
