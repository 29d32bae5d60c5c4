"""The search engine: vocabulary expansion, lexical + dense retrieval, fusion, filters.

One engine per store. Caches follow the store's generation: the lexical index, the
embedding matrix and the allowed keys of each filter are rebuilt when the library
changes, so a long-lived engine never serves a retired or stale passage. The
in-memory BM25 index is also saved in the store, marked with the generation it was
built from, so a one-shot command loads it instead of reading every passage again.
The embedding model is loaded only when a query needs the dense side.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from oncocite.errors import InvalidQuery, MissingExtra
from oncocite.models import Hit, SearchMode, SearchResults
from oncocite.search.dense import (
    EMBEDDERS,
    Embedder,
    ExactIndex,
    VectorIndex,
    dense_available,
    load_embedder,
)
from oncocite.search.fusion import FusionMethod, fuse
from oncocite.search.lexical import INDEX_FORMAT, Fts5Lexical, LexicalIndex, MemoryBM25
from oncocite.search.query import build_lexical_query
from oncocite.search.ranking import Ranked
from oncocite.search.vocabulary import Vocabulary
from oncocite.store.base import FieldWeights, KeyArray, SearchFilters, Store

__all__ = ["EngineConfig", "SearchEngine"]

# The longest query accepted: a long patient message fits many times over, a pasted
# book does not (every word of it would be looked up).
MAX_QUERY_CHARS = 20_000


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
    persist_index: bool = True

    def index_name(self) -> str:
        """The artifact name of the lexical index these settings build."""
        shape = (INDEX_FORMAT, self.weights, self.b, self.bm25f)
        digest = hashlib.sha1(repr(shape).encode()).hexdigest()[:12]
        return f"lexical-bm25-{digest}"


def check_query(query: str) -> str:
    """The query, or InvalidQuery saying what is wrong with it."""
    if not query.strip():
        raise InvalidQuery("the query is empty: type a question or some words")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidQuery(
            f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidQuery(
            f"the query is not valid text (undecodable byte at character {exc.start + 1}): "
            "type it again as UTF-8"
        ) from None
    return query


class SearchEngine:
    """Ranked passages for a question over one store."""

    def __init__(
        self,
        store: Store,
        model: str = "minilm-int8",
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
        self._generation: int | None = None
        self._lexical: LexicalIndex | None = None
        self._vectors: VectorIndex | None = None
        self._vectors_count = -1
        self._allowed: dict[SearchFilters, KeyArray] = {}
        self.timings: dict[str, float] = {}
        # where the current lexical index came from: "stored" (loaded from the store)
        # or "built" (read from every passage); None before the first lexical search
        self.index_origin: Literal["stored", "built"] | None = None

    # ------------------------------------------------------------------ caches
    def _check_generation(self) -> None:
        generation = self.store.generation()
        if generation != self._generation:
            self._generation = generation
            self._lexical = None
            self._vectors = None
            self._allowed.clear()

    def allowed(self, filters: SearchFilters) -> KeyArray:
        """Keys that pass the filters (never retired), cached until the store changes."""
        if filters not in self._allowed:
            if len(self._allowed) > 64:
                self._allowed.clear()
            self._allowed[filters] = self.store.allowed_keys(filters)
        return self._allowed[filters]

    def lexical_index(self) -> LexicalIndex:
        """The lexical index of the current library: loaded, or built and saved."""
        if self._generation is None:
            self._check_generation()
        if self._lexical is None:
            if self.config.lexical == "fts5":
                self._lexical = Fts5Lexical(self.store)
            elif (stored := self._stored_index()) is not None:
                self._lexical, self.index_origin = stored, "stored"
            else:
                self._lexical, self.index_origin = self._build_index(), "built"
        return self._lexical

    def _stored_index(self) -> MemoryBM25 | None:
        if not self.config.persist_index:
            return None
        saved = self.store.get_artifact(self.config.index_name())
        if saved is None or saved[0] != self._generation:
            return None
        return MemoryBM25.from_bytes(saved[1])

    def _build_index(self) -> MemoryBM25:
        """Index every searchable passage and save it, unless the library changed while
        it was being built (then it is used once and rebuilt on the next change)."""
        cfg = self.config
        index = MemoryBM25.from_store(self.store, cfg.weights, cfg.b, cfg.bm25f)
        generation = self._generation
        if cfg.persist_index and generation is not None and generation == self.store.generation():
            self.store.put_artifact(cfg.index_name(), generation, index.to_bytes())
        return index

    def refresh_index(self) -> None:
        """Build (and save) the lexical index now, so the next search does not wait."""
        self._check_generation()
        self.lexical_index()

    def vector_index(self) -> VectorIndex | None:
        """The embedding matrix of this model, or None when nothing is embedded."""
        count = self.store.embedding_count(self.model_id)
        if self._vectors is None or count != self._vectors_count:
            self._vectors_count = count
            keys, matrix = self.store.load_embeddings(self.model_id)
            self._vectors = ExactIndex(keys, matrix) if len(keys) else None
        return self._vectors

    def embedder(self) -> Embedder:
        return load_embedder(self.model)

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: SearchMode = "hybrid",
    ) -> SearchResults:
        """The k best passages; each hit carries its lexical/dense/fused scores."""
        ranked, parts, used, notices = self.rank(query, k, filters or SearchFilters(), mode)
        views = self.store.passages_by_keys([key for key, _ in ranked])
        scores = dict(ranked)
        hits = [
            Hit(
                passage_id=v.passage.passage_id,
                doc_id=v.passage.doc_id,
                title=v.title,
                source=v.source,
                url=v.url,
                score=scores[v.key],
                text=v.passage.text,
                heading_path=v.passage.heading_path,
                license=v.license,
                last_reviewed=v.last_reviewed,
                scores={name: part[v.key] for name, part in parts.items() if v.key in part},
            )
            for v in views
        ]
        return SearchResults(
            query=query, mode=mode, mode_used=used, k=k, hits=hits, notices=notices
        )

    def rank(
        self, query: str, k: int, filters: SearchFilters, mode: SearchMode = "hybrid"
    ) -> tuple[Ranked, dict[str, dict[int, float]], SearchMode, list[str]]:
        """(key, score) best first, each retriever's scores by key, the mode that
        actually ran, and notices (why hybrid ran lexical alone)."""
        if mode not in ("hybrid", "lexical", "dense"):
            raise InvalidQuery(f"unknown search mode {mode!r} (hybrid, lexical or dense)")
        check_query(query)
        if k < 1 or k > 10_000:
            raise InvalidQuery(f"k={k} must be between 1 and 10000")
        self._check_generation()
        cfg = self.config
        expanded = self.vocabulary.expand(query)
        allowed = self.allowed(filters)
        depth = max(k, cfg.candidates)
        notices: list[str] = []
        dense_gap = self._dense_gap() if mode == "hybrid" else None
        if dense_gap:
            notices.append(f"hybrid search ran lexical only: {dense_gap}")
        use_dense = mode == "dense" or (mode == "hybrid" and dense_gap is None)
        lists: list[Ranked] = []
        weights: list[float] = []
        parts: dict[str, dict[int, float]] = {}
        if mode in ("hybrid", "lexical"):
            t0 = time.perf_counter()
            text_query = build_lexical_query(
                expanded, cfg.use_types, cfg.context_boost, FieldWeights(*cfg.weights)
            )
            lexical = self.lexical_index().search(text_query, depth, filters, allowed)
            self.timings["lexical"] = time.perf_counter() - t0
            if not use_dense:
                return lexical[:k], {"lexical": dict(lexical[:k])}, "lexical", notices
            lists.append(lexical)
            weights.append(cfg.fusion_weights[0])
            parts["lexical"] = dict(lexical)
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
            return dense[:k], {"dense": dict(dense[:k])}, "dense", notices
        lists.append(dense)
        weights.append(cfg.fusion_weights[1])
        parts["dense"] = dict(dense)
        fused = fuse(lists, weights, cfg.fusion, cfg.rrf_k)[:k]
        parts["fused"] = dict(fused)
        return fused, parts, "hybrid", notices

    def _dense_gap(self) -> str | None:
        """Why the dense side cannot run, or None when it can."""
        if not dense_available(self.model):
            return (
                f"the embedding model {self.model} is not installed (pip install 'oncocite[dense]')"
            )
        if self.vector_index() is None:
            return f"no passage has a {self.model} embedding yet (run `oncocite embed`)"
        return None

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
        return total
