"""The search engine: vocabulary expansion, lexical + dense retrieval, fusion, filters.

One engine per store. The BM25 index and the embedding matrix are loaded on first use
and kept; they are rebuilt when the store changes (its counts of versions, passages and
embeddings move), so a long-lived engine never serves a retired or stale passage.
Filters become a set of allowed rows, cached per filter for the same reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from oncocite.errors import InvalidQuery, MissingExtra
from oncocite.models import Hit
from oncocite.search.dense import (
    EMBEDDERS,
    Embedder,
    ExactIndex,
    VectorIndex,
    dense_available,
    load_embedder,
)
from oncocite.search.fusion import FusionMethod, fuse
from oncocite.search.lexical import Fts5Lexical, LexicalIndex, MemoryBM25
from oncocite.search.query import build_lexical_query
from oncocite.search.vocabulary import Vocabulary
from oncocite.store.base import SearchFilters, Store

__all__ = ["EngineConfig", "Mode", "SearchEngine"]

Mode = Literal["hybrid", "lexical", "dense"]
Ranked = list[tuple[int, float]]


@dataclass(frozen=True)
class EngineConfig:
    """Retrieval settings; the defaults were tuned on the tuning half of the dev set
    (benchmarks/cancergov_dev.py) and checked on the other half."""

    lexical: Literal["memory", "fts5"] = "memory"
    weights: tuple[float, float] = (16.0, 1.0)
    bm25f: bool = True
    b: float = 0.5
    use_types: bool = True
    context_boost: int = 2
    expand_dense: bool = True
    fusion: FusionMethod = "weighted"
    fusion_weights: tuple[float, float] = (0.8, 0.2)
    rrf_k: int = 60
    candidates: int = 100
    embed_batch: int = 16


class SearchEngine:
    """Ranked passages for a question over one store."""

    def __init__(
        self,
        store: Store,
        model: str = "minilm",
        config: EngineConfig | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        if model not in EMBEDDERS:
            known = ", ".join(sorted(EMBEDDERS))
            raise InvalidQuery(f"unknown embedding model {model!r} (known: {known})")
        self.store = store
        self.model = model
        self.model_id = EMBEDDERS[model].model_id
        self.config = config or EngineConfig()
        self.vocabulary = vocabulary or Vocabulary.load()
        self._generation: tuple[int, ...] | None = None
        self._lexical: LexicalIndex | None = None
        self._vectors: VectorIndex | None = None
        self._embeddings_seen = -1
        self._allowed: dict[SearchFilters, npt.NDArray[np.int64]] = {}
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------ caches
    def _check_generation(self) -> None:
        counts = self.store.counts()
        generation = (counts["versions"], counts["passages"])
        if generation != self._generation:
            self._generation = generation
            self._lexical = None
            self._vectors = None
            self._allowed.clear()
        elif counts["embeddings"] != self._embeddings_seen:
            self._vectors = None

    def allowed(self, filters: SearchFilters) -> npt.NDArray[np.int64]:
        """Rows that pass the filters (never retired), cached until the store changes."""
        if filters not in self._allowed:
            if len(self._allowed) > 64:
                self._allowed.clear()
            self._allowed[filters] = np.sort(self.store.allowed_rows(filters))
        return self._allowed[filters]

    def lexical_index(self) -> LexicalIndex:
        if self._lexical is None:
            if self.config.lexical == "fts5":
                self._lexical = Fts5Lexical(self.store, self.config.weights)
            else:
                self._lexical = MemoryBM25.from_store(
                    self.store, self.config.weights, self.config.b, self.config.bm25f
                )
        return self._lexical

    def vector_index(self) -> VectorIndex | None:
        """The embedding matrix of this model, or None when nothing is embedded."""
        if self._vectors is None:
            self._embeddings_seen = self.store.counts()["embeddings"]
            rows, matrix = self.store.load_embeddings(self.model_id)
            if len(rows):
                self._vectors = ExactIndex(rows, matrix)
        return self._vectors

    def embedder(self) -> Embedder:
        return load_embedder(self.model)

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
    ) -> list[Hit]:
        """The k best passages; each hit carries its lexical/dense/fused scores."""
        ranked, parts = self.rank(query, k, filters or SearchFilters(), mode)
        views = self.store.passages_by_rows([row for row, _ in ranked])
        scores = dict(ranked)
        return [
            Hit(
                passage_id=v.passage.passage_id,
                doc_id=v.passage.doc_id,
                title=v.title,
                source=v.source,
                url=v.url,
                score=scores[v.row],
                text=v.passage.text,
                heading_path=v.passage.heading_path,
                license=v.license,
                last_reviewed=v.last_reviewed,
                scores={name: part[v.row] for name, part in parts.items() if v.row in part},
            )
            for v in views
        ]

    def rank(
        self, query: str, k: int, filters: SearchFilters, mode: Mode = "hybrid"
    ) -> tuple[Ranked, dict[str, dict[int, float]]]:
        """(row, score) best first, plus each retriever's scores by row."""
        if mode not in ("hybrid", "lexical", "dense"):
            raise InvalidQuery(f"unknown search mode {mode!r} (hybrid, lexical or dense)")
        if not query.strip():
            raise InvalidQuery("the query is empty: type a question or some words")
        if k < 1:
            raise InvalidQuery(f"k={k} must be at least 1")
        self._check_generation()
        cfg = self.config
        expanded = self.vocabulary.expand(query)
        allowed = self.allowed(filters)
        depth = max(k, cfg.candidates)
        lists: list[Ranked] = []
        weights: list[float] = []
        parts: dict[str, dict[int, float]] = {}
        use_dense = mode == "dense" or (mode == "hybrid" and self._dense_ready())
        if mode in ("hybrid", "lexical"):
            t0 = time.perf_counter()
            lq = build_lexical_query(expanded, cfg.use_types, cfg.context_boost)
            lexical = self.lexical_index().search(lq, depth, filters, allowed)
            self.timings["lexical"] = time.perf_counter() - t0
            if mode == "lexical" or not use_dense:
                return lexical[:k], {"lexical": dict(lexical[:k])}
            lists.append(lexical)
            weights.append(cfg.fusion_weights[0])
            parts["lexical"] = dict(lexical)
        if use_dense:
            t0 = time.perf_counter()
            index = self.vector_index()
            if index is None:
                raise InvalidQuery(
                    "no passage has an embedding yet: run `oncocite embed` (or ingest with "
                    "the dense extra installed) before a dense search"
                )
            text = expanded.dense_text if cfg.expand_dense else query
            vector = self.embedder().encode([text])[0]
            dense = index.search(vector, depth, allowed)
            self.timings["dense"] = time.perf_counter() - t0
            if mode == "dense":
                return dense[:k], {"dense": dict(dense[:k])}
            lists.append(dense)
            weights.append(cfg.fusion_weights[1])
            parts["dense"] = dict(dense)
        fused = fuse(lists, weights, cfg.fusion, cfg.rrf_k)[:k]
        parts["fused"] = dict(fused)
        return fused, parts

    def _dense_ready(self) -> bool:
        return dense_available(self.model) and self.vector_index() is not None

    # ------------------------------------------------------------------ embeddings
    def update_embeddings(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed every passage text with no vector for this model; returns how many.

        Vectors are keyed by the hash of the embedded text, so re-ingesting an unchanged
        passage (or the same text in another document) costs nothing.
        """
        if not dense_available(self.model):
            raise MissingExtra("dense", EMBEDDERS[self.model].package)
        items = self.store.texts_missing_embeddings(self.model_id)
        total = len(items)
        if not total:
            return 0
        embedder = self.embedder()
        step = max(self.config.embed_batch * 8, 1)
        done = 0
        for start in range(0, total, step):
            batch = items[start : start + step]
            vectors = embedder.encode([text for _, text in batch], self.config.embed_batch)
            self.store.put_embeddings(
                self.model_id, [(key, vectors[i]) for i, (key, _) in enumerate(batch)]
            )
            done += len(batch)
            if progress is not None:
                progress(done, total)
        self._vectors = None
        self._generation = None
        return total
