"""The search engine: vocabulary expansion, lexical + dense retrieval, fusion, filters.

One engine per store. Caches follow the store's generation: the lexical index, the
embedding matrix and the allowed keys of each filter are rebuilt when the library
changes, so a long-lived engine never serves a retired or stale passage. The
in-memory BM25 index is also saved in the store, marked with the generation it was
built from, so a one-shot command loads it instead of reading every passage again.
The embedding model is loaded only when a query needs the dense side.

A long-lived engine (a server) also keeps, bounded: the vectors of recent query
texts (a vector depends on the text and the model alone, so it never goes stale;
embedding is most of what a warm hybrid search costs), and the stored passages
recent hits showed, tagged with the generation they were read at and dropped
when it changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from oncocite.errors import InvalidQuery, MissingExtra
from oncocite.models import Correction, Hit, QuestionReading, SearchMode, SearchResults
from oncocite.search.batching import MicroBatcher
from oncocite.search.candidates import ANN_MIN_PASSAGES, DenseCandidates
from oncocite.search.dense import (
    EMBEDDERS,
    ContextSide,
    DocumentMaxIndex,
    Embedder,
    ExactIndex,
    Matrix,
    Pooled,
    QueryItem,
    VectorIndex,
    dense_available,
    encode_queries,
    load_embedder,
)
from oncocite.search.fusion import Scale, weighted
from oncocite.search.lexical import INDEX_FORMAT, Fts5Lexical, LexicalIndex, MemoryBM25
from oncocite.search.lru import MAX_KEY_CHARS, LruCache
from oncocite.search.prescan import PRESCAN_MIN_ROWS
from oncocite.search.query import build_lexical_query
from oncocite.search.query_model import cache_folder
from oncocite.search.question import QuestionAnalysis, analyse
from oncocite.search.ranking import Ranked, sorted_distinct
from oncocite.search.sides import shipped_ranking
from oncocite.search.single_flight import Claim, SingleFlight
from oncocite.search.vocabulary import ExpandedQuery, Vocabulary
from oncocite.store.base import (
    FieldWeights,
    KeyArray,
    PassageKey,
    PassageView,
    SearchFilters,
    Store,
    VectorField,
)

__all__ = ["EngineConfig", "SearchEngine"]

Weights = tuple[float, ...]
QueryKey = tuple[str, str | None, int]  # a query's text, its subject line, its token limit
# The sides fused, their scales and weights: search/sides.yaml (search/sides.py).
SIDES = shipped_ranking().names

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
    # Weights of the SIDES for a short question and for a message (search/question.py)
    # and how each side's scores are put on one scale: search/sides.yaml, which
    # says what they were tuned on (benchmarks/consumer_dev.py --tune writes it).
    question_weights: Weights = field(default_factory=lambda: shipped_ranking().weights.question)
    message_weights: Weights = field(default_factory=lambda: shipped_ranking().weights.message)
    side_scales: tuple[Scale, ...] = field(default_factory=lambda: shipped_ranking().scales)
    # Word pieces of a question the model reads (passages: 256). A long message costs
    # ~4x more to embed at 256 than at 128, and what names its topic comes first.
    query_max_tokens: int = 80
    # Questions embedded by the model's int8 query model (search/query_model.py),
    # kept in `cache_dir` (ONCOCITE_CACHE_DIR; None: the XDG cache folder); False: by
    # the float model.
    quantised_queries: bool = True
    cache_dir: str | None = None
    # How deep each side's list goes before fusion (at least k). Every candidate is
    # also scored on the context sides, whose cosine is known for every passage.
    candidates: int = 100
    # From this many searchable passages, a store with an ANN index (PostgreSQL's
    # HNSW) finds the passage side's candidates; below it the exact in-memory matrix
    # is both exact and faster (search/candidates.py, docs/benchmarks.md).
    ann_min_passages: int = ANN_MIN_PASSAGES
    # From this many vectors, the in-memory indexes keep an int8 copy that bounds
    # each passage's score, and score exactly only those that can make a top list
    # (search/prescan.py): the same hits and scores for a quarter of the memory
    # traffic. 0: always scan the float matrix in full.
    prescan_min_rows: int = PRESCAN_MIN_ROWS
    embed_batch: int = 16
    # Bounds of the caches a long-lived engine keeps (entries): query vectors (1.5 KB
    # each, two for a message) and passages shown in hits (a passage's text each).
    query_vector_cache: int = 4096
    passage_cache: int = 4096
    # Query embeddings of concurrent requests, and of a message's questions, made in
    # one model call (search/batching.py). Off by default: the int8 query model scales
    # its activations per call, so a question's vector in a batch is within cosine
    # ~0.99 of its vector alone, and its ranking could depend on what strangers asked
    # at the same moment; a medical answer should not.
    batch_queries: bool = False
    # How long (s) a batch may wait for company while requests arrive together; a
    # lone request never waits (docs/benchmarks.md, load).
    query_batch_window: float = 0.0

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


@dataclass(frozen=True)
class _ContextScores:
    """Every passage's score on the context sides (about, subject, question), kept
    beside their top lists so that fusion can score each candidate on every side.

    A side's list holds its own best `candidates`; a passage that another side found
    would otherwise count 0 there, as if its context were unrelated, when it is
    only ranked 101st. These sides keep cosines as they are (no min-max), so the
    added scores change nothing else.
    """

    keys: KeyArray
    # each side's scores of every passage, or a side that scores the rows asked for
    scores: dict[str, npt.NDArray[np.float32] | ContextSide]

    def complete(self, lists: dict[str, Ranked]) -> None:
        """Add to each context side's list every candidate of any list it lacks, with
        its finite score, best first and by key among equals. In numpy: the loop over
        each side's few hundred candidates cost ~0.4 ms a search."""
        candidates = sorted_distinct(
            np.fromiter((k for r in lists.values() for k, _ in r), np.int64)
        )
        rows = np.searchsorted(self.keys, candidates)
        rows = np.minimum(rows, len(self.keys) - 1)
        present = self.keys[rows] == candidates
        keys, rows = candidates[present], rows[present]
        for side, scores in self.scores.items():
            listed = np.fromiter((key for key, _ in lists[side]), np.int64, len(lists[side]))
            # the listed among `keys` (ascending): a lookup, where np.isin would sort
            at = np.minimum(np.searchsorted(keys, listed), max(len(keys) - 1, 0))
            unlisted = np.ones(len(keys), dtype=np.bool_)
            if len(keys):
                unlisted[at[keys[at] == listed]] = False
            values = scores[rows] if isinstance(scores, np.ndarray) else scores.at(rows)
            keep = np.isfinite(values) & unlisted
            found, kept = keys[keep], values[keep]
            order = np.lexsort((found, -kept))
            extra = zip(found[order].tolist(), kept[order].tolist(), strict=True)
            lists[side] = lists[side] + list(extra)


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
        # the folder of the model's int8 query model, or None for float questions
        self._query_cache = (
            cache_folder(self.config.cache_dir) if self.config.quantised_queries else None
        )
        self.vocabulary = vocabulary or Vocabulary.load()
        self.dense_candidates = DenseCandidates(store, self.model_id, self.config.ann_min_passages)
        self._generation: int | None = None
        self._lexical: LexicalIndex | None = None
        self._vectors: dict[VectorField, VectorIndex | None] = {}
        self._vectors_count = -1
        self._allowed: dict[SearchFilters, KeyArray] = {}
        self._query_vectors: LruCache[QueryKey, tuple[Matrix, ...]] = LruCache(
            self.config.query_vector_cache
        )
        # the query vectors some thread is embedding now (`ask` reads a message for
        # self-harm beside its search, and both want the vector of its one sentence)
        self._embedding_now: SingleFlight[QueryKey, tuple[Matrix, ...]] = SingleFlight()
        # query embeddings of concurrent callers share model calls (search/batching.py)
        self.query_batcher: MicroBatcher[QueryItem, Pooled] = MicroBatcher(
            self._embed_queries, window=self.config.query_batch_window
        )
        self._passages: LruCache[tuple[int, PassageKey], PassageView] = LruCache(
            self.config.passage_cache
        )
        self._coverage: tuple[tuple[int, int], tuple[int, int]] | None = None
        # where the current lexical index came from: "stored" (loaded from the store)
        # or "built" (read from every passage); None before the first lexical search
        self.index_origin: Literal["stored", "built"] | None = None

    # ------------------------------------------------------------------ caches
    def _check_generation(self) -> int:
        """Drop what the store's changes made stale; the generation read (callers tag
        what they cache with it, not with `_generation`, which another thread may
        have moved on meanwhile)."""
        generation, vectors = self.store.generations()
        if generation != self._generation:
            self._generation = generation
            self._lexical = None
            self._vectors.clear()
            self._allowed.clear()
            self._passages.clear()
        if vectors != self._vectors_count:
            self._vectors_count = vectors
            self._vectors.clear()
        return generation

    def forget_queries(self) -> None:
        """Forget the query vectors and passages kept for recent queries. The engine
        never needs this; a benchmark that times what one new question costs does."""
        self._query_vectors.clear()
        self._passages.clear()

    def passage_views(self, keys: list[PassageKey], generation: int) -> list[PassageView]:
        """The stored passages of `keys` (in that order, missing ones left out), read
        once per generation: `generation` must have been read before this call, so
        what is cached under it is never older than it (a passage read after a
        change is cached under the older number, and dropped with it)."""
        found: dict[PassageKey, PassageView] = {}
        missing: list[PassageKey] = []
        for key in keys:
            view = self._passages.get((generation, key))
            if view is None:
                missing.append(key)
            else:
                found[key] = view
        if missing:
            for view in self.store.passages_by_keys(missing):
                found[view.key] = view
                self._passages.put((generation, view.key), view)
        return [found[key] for key in keys if key in found]

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
        if generation is not None and generation == self.store.generation():
            self.store.put_artifact(cfg.index_name(), generation, index.to_bytes())
        return index

    def refresh_index(self) -> None:
        """Build (and save) the lexical index now, so the next search does not wait."""
        self._check_generation()
        self.lexical_index()

    def vector_index(self, field: VectorField = "passage") -> VectorIndex | None:
        """The matrix of this model's passage (or context) vectors, None when empty."""
        if field not in self._vectors:
            stored = self.store.load_embeddings(self.model_id, field)
            index: VectorIndex | None = None
            if len(stored.keys) and field == "context":
                index = DocumentMaxIndex(
                    stored.keys,
                    stored.vectors,
                    stored.documents,
                    stored.standalone,
                    self.config.prescan_min_rows,
                )
            elif len(stored.keys):
                index = ExactIndex(stored.keys, stored.vectors, self.config.prescan_min_rows)
            self._vectors[field] = index
        return self._vectors[field]

    def analyse(self, query: str) -> QuestionAnalysis:
        """The question's kind, subject line and spelling corrections."""
        index = self.lexical_index()
        speller = index.speller() if isinstance(index, MemoryBM25) else None

        def corrections(text: str) -> list[tuple[str, str]]:
            # a drug name written as heard ("keytrooda") is read as the name it is,
            # whether or not the library holds it; other words towards the library's
            named = self.vocabulary.name_corrections(text)
            mended = {written.lower() for written, _ in named}
            found = speller.corrections(text) if speller is not None else []
            return [*named, *(fix for fix in found if fix[0].lower() not in mended)]

        return analyse(query, corrections)

    def embedder(self) -> Embedder:
        return load_embedder(self.model, self._query_cache)

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: SearchMode = "hybrid",
    ) -> SearchResults:
        """The k best passages; each hit carries its lexical/dense/fused scores."""
        ranked, parts, used, notices, reading, generation = self._rank(
            query, k, filters or SearchFilters(), mode
        )
        views = self.passage_views([key for key, _ in ranked], generation)
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
                review_frequency=v.review_frequency,
                version=v.version,
                start=v.passage.start,
                end=v.passage.end,
                scores={name: part[v.key] for name, part in parts.items() if v.key in part},
                image_spans=[(ln.start, ln.end) for ln in v.passage.links if ln.image],
            )
            for v in views
        ]
        return SearchResults(
            query=query,
            mode=mode,
            mode_used=used,
            k=k,
            hits=hits,
            notices=notices,
            reading=QuestionReading(
                kind=reading.kind,
                subject=reading.subject,
                corrections=[Correction(written=w, read_as=r) for w, r in reading.corrections],
            ),
        )

    def rank(
        self, query: str, k: int, filters: SearchFilters, mode: SearchMode = "hybrid"
    ) -> tuple[Ranked, dict[str, dict[int, float]], SearchMode, list[str], QuestionAnalysis]:
        """(key, score) best first, each side's scores by key, the mode that actually
        ran, notices (why hybrid ran lexical alone), and how the question was read."""
        ranked, parts, used, notices, reading, _ = self._rank(query, k, filters, mode)
        return ranked, parts, used, notices, reading

    def _rank(
        self, query: str, k: int, filters: SearchFilters, mode: SearchMode = "hybrid"
    ) -> tuple[Ranked, dict[str, dict[int, float]], SearchMode, list[str], QuestionAnalysis, int]:
        """`rank`, and the store generation it ranked at."""
        if mode not in ("hybrid", "lexical", "dense"):
            raise InvalidQuery(f"unknown search mode {mode!r} (hybrid, lexical or dense)")
        check_query(query)
        if k < 1 or k > 10_000:
            raise InvalidQuery(f"k={k} must be between 1 and 10000")
        generation = self._check_generation()
        cfg = self.config
        reading = self.analyse(query)
        expanded = self.vocabulary.expand(reading.corrected)
        allowed = self.allowed(filters)
        depth = max(k, cfg.candidates)
        weights = cfg.message_weights if reading.message else cfg.question_weights
        notices: list[str] = []
        dense_gap = self._dense_gap() if mode == "hybrid" else None
        if dense_gap:
            notices.append(f"hybrid search ran lexical only: {dense_gap}")
        use_dense = mode == "dense" or (mode == "hybrid" and dense_gap is None)
        if use_dense:
            searchable, with_vectors = self._vector_coverage()
            if with_vectors < searchable:
                notices.append(self.coverage_notice(searchable, with_vectors))
        lists: dict[str, Ranked] = {}
        if mode in ("hybrid", "lexical"):
            text_query = build_lexical_query(
                expanded, cfg.use_types, cfg.context_boost, FieldWeights(*cfg.weights)
            )
            lists["lexical"] = self.lexical_index().search(text_query, depth, filters, allowed)
            if weights[SIDES.index("matched")] > 0:
                lists["matched"] = lists["lexical"]
            if not use_dense:
                top = lists["lexical"][:k]
                return top, {"lexical": dict(top)}, "lexical", notices, reading, generation
        dense_lists, context = self._dense_lists(
            expanded, reading, depth, filters, allowed, weights, mode, lists.get("lexical", [])
        )
        lists.update(dense_lists)
        if mode == "dense":  # the passage vectors alone: the plain dense baseline
            top = lists["dense"][:k]
            return top, {"dense": dict(top)}, "dense", notices, reading, generation
        if context is not None:
            context.complete(lists)
        sides = [side for side in SIDES if side in lists]
        chosen = [weights[SIDES.index(side)] for side in sides]
        scales = [cfg.side_scales[SIDES.index(side)] for side in sides]
        fused = weighted([lists[side] for side in sides], chosen, scales)[:k]
        parts = {side: dict(lists[side]) for side in sides if side != "matched"}
        parts["fused"] = dict(fused)
        return fused, parts, mode, notices, reading, generation

    def _dense_lists(
        self,
        expanded: ExpandedQuery,
        reading: QuestionAnalysis,
        depth: int,
        filters: SearchFilters,
        allowed: KeyArray,
        weights: Weights,
        mode: SearchMode,
        lexical: Ranked,
    ) -> tuple[dict[str, Ranked], _ContextScores | None]:
        """Passages by their text's and their context's closeness to the question (and
        to the subject line of a message): one or two query vectors, up to four lists
        (only the first in dense mode), and the context sides' score of every passage
        (or of those asked for: `lexical`'s and the dense list's candidates, which
        fusion scores on every side, are scored with the context lists' own)."""
        passages = self.vector_index("passage")
        if passages is None:
            raise InvalidQuery(
                "no passage has an embedding yet: run `oncocite embed` (or ingest with "
                "the dense extra installed) before a dense search"
            )

        def weight(side: str) -> float:
            return weights[SIDES.index(side)]

        vectors = self.query_vectors(*self._dense_query(expanded, reading, weights, mode))
        # the library's size matters only where an ANN index may serve (PostgreSQL)
        size = len(self.allowed(SearchFilters())) if self.dense_candidates.index else 0
        dense = self.dense_candidates.search(vectors[0], depth, filters, allowed, passages, size)
        lists = {"dense": dense}
        about = self.vector_index("context") if mode == "hybrid" else None
        if not isinstance(about, DocumentMaxIndex):
            return lists, None
        known = np.fromiter((key for r in (lexical, dense) for key, _ in r), np.int64)
        found = about.context_sides(vectors, allowed, sorted_distinct(known))
        sides: dict[str, ContextSide] = {}
        if weight("about") > 0:
            sides["about"] = found[0][0]
        if weight("question") > 0:
            sides["question"] = found[0][1]
        if len(found) > 1:
            sides["subject"] = found[1][0]
        for side, scores in sides.items():
            lists[side] = scores.top(depth)
        return lists, _ContextScores(about.keys, dict(sides))

    def query_vectors(self, text: str, subject: str | None = None) -> tuple[Matrix, ...]:
        """The vector of a query's text and, for a message, of its `subject` line;
        remembered per (text, subject, length limit), since a vector depends on
        nothing else (the model is the engine's own). Read-only: they are shared."""
        return self.query_vectors_many([(text, subject)])[0]

    def query_vectors_many(self, queries: list[tuple[str, str | None]]) -> list[tuple[Matrix, ...]]:
        """`query_vectors` of several (text, subject) pairs: those not remembered are
        embedded together, and with other threads' queries (`batch_queries`); a query
        another thread is embedding now is waited for (search/single_flight.py)."""
        limit = self.config.query_max_tokens
        keys = [(text, subject, limit) for text, subject in queries]
        found: list[tuple[Matrix, ...] | None] = [
            self._query_vectors.get(key) if len(key[0]) <= MAX_KEY_CHARS else None for key in keys
        ]
        claim = self._embedding_now.claim(
            key for key, vectors in zip(keys, found, strict=True) if vectors is None
        )
        try:
            embedded = self._embed_claimed(claim, queries, keys, found)
        except BaseException as exc:
            self._embedding_now.fail(claim, exc)
            raise
        for key, future in claim.theirs.items():
            embedded[key] = future.result()
        return [
            vectors if vectors is not None else embedded[key]
            for key, vectors in zip(keys, found, strict=True)
        ]

    def _embed_claimed(
        self,
        claim: Claim[QueryKey, tuple[Matrix, ...]],
        queries: list[tuple[str, str | None]],
        keys: list[QueryKey],
        found: list[tuple[Matrix, ...] | None],
    ) -> dict[QueryKey, tuple[Matrix, ...]]:
        """Embed the claimed queries in one call, remember and settle each. A query
        another thread finished between this one's look in the memory and its claim is
        taken from the memory, not embedded again."""
        embedded: dict[QueryKey, tuple[Matrix, ...]] = {}
        for key in claim.mine:
            done = self._query_vectors.get(key) if len(key[0]) <= MAX_KEY_CHARS else None
            if done is not None:
                embedded[key] = done
                self._embedding_now.settle(claim, key, done)
        query_of = {key: queries[i] for i, key in enumerate(keys) if found[i] is None}
        plans = [
            (key, self._query_items(*query_of[key])) for key in claim.mine if key not in embedded
        ]
        if not plans:
            return embedded
        items = [item for _, plan in plans for item in plan]
        embed = self.query_batcher if self.config.batch_queries else self._embed_queries
        pooled = iter(embed(items))
        for key, plan in plans:
            vectors: list[Matrix] = []
            for _ in plan:
                whole, prefix = next(pooled)
                vectors += [whole] if prefix is None else [whole, prefix]
            frozen = tuple(np.array(v, dtype=np.float32) for v in vectors)
            for vector in frozen:
                vector.flags.writeable = False
            if len(key[0]) <= MAX_KEY_CHARS:
                self._query_vectors.put(key, frozen)
            embedded[key] = frozen
            self._embedding_now.settle(claim, key, frozen)
        return embedded

    def _query_items(self, text: str, subject: str | None) -> list[QueryItem]:
        """What to embed for a query: its text, with its subject line pooled from the
        same pass when the text starts with it and the model can; else the subject
        (with its vocabulary terms) as a text of its own."""
        if subject is None:
            return [(text, None)]
        if text.startswith(subject) and hasattr(self.embedder(), "encode_with_prefix"):
            return [(text, len(subject))]
        return [(text, None), (self.vocabulary.expand(subject).dense_text, None)]

    def _embed_queries(self, items: list[QueryItem]) -> list[Pooled]:
        return encode_queries(self.embedder(), items, self.config.query_max_tokens)

    def _dense_query(
        self, expanded: ExpandedQuery, reading: QuestionAnalysis, weights: Weights, mode: SearchMode
    ) -> tuple[str, str | None]:
        """What the dense side embeds for a question: its text (expanded, when the
        config says so) and, in hybrid mode with a subject side, its subject line.
        One rule for searching and for `prepare_queries`, whose vectors are kept
        under this very key."""
        text = expanded.dense_text if self.config.expand_dense else reading.corrected
        wants_subject = (
            mode == "hybrid" and reading.subject is not None and weights[SIDES.index("subject")] > 0
        )
        return text, reading.subject if wants_subject else None

    def prepare_queries(self, queries: list[str], mode: SearchMode = "hybrid") -> None:
        """Embed the query vectors that searching each of `queries` will need, in one
        model call, and remember them: a message of several questions is searched one
        question at a time, and each would otherwise embed its own. Does nothing when
        the dense side will not run or `batch_queries` is off; a query that is not
        valid is left to its search."""
        cfg = self.config
        if not cfg.batch_queries or mode == "lexical" or self._dense_gap() is not None:
            return
        wanted: list[tuple[str, str | None]] = []
        for query in queries:
            if not query.strip() or len(query) > MAX_QUERY_CHARS:
                continue
            reading = self.analyse(query)
            weights = cfg.message_weights if reading.message else cfg.question_weights
            expanded = self.vocabulary.expand(reading.corrected)
            wanted.append(self._dense_query(expanded, reading, weights, mode))
        if wanted:
            self.query_vectors_many(wanted)

    def vector_coverage(self) -> tuple[int, int]:
        """(searchable passages, those of them with a vector of this model), kept
        until the library or its vectors change: a search that uses the dense side
        says when it cannot see every passage."""
        self._check_generation()
        return self._vector_coverage()

    def _vector_coverage(self) -> tuple[int, int]:
        """`vector_coverage` as of the generations last read: a search has just read
        them, and reading them again is a store round trip (~0.05 ms) a search."""
        stamp = (self._generation or 0, self._vectors_count)
        if self._coverage is None or self._coverage[0] != stamp:
            searchable = self.allowed(SearchFilters())
            index = self.vector_index("passage")
            keys = index.keys if index is not None else np.empty(0, dtype=np.int64)
            with_vectors = int(np.isin(searchable, keys, assume_unique=True).sum())
            self._coverage = (stamp, (len(searchable), with_vectors))
        return self._coverage[1]

    def coverage_notice(self, searchable: int, with_vectors: int) -> str:
        """What a reader must know when some passages have no vector."""
        return (
            f"{searchable - with_vectors} of {searchable} passages have no {self.model} vector, "
            "so the dense side cannot find them (an ingest was interrupted while embedding): "
            "run `oncocite embed` or ingest again"
        )

    def texts_without_vectors(self) -> int:
        """How many passage texts and context lines have no vector of this model."""
        return len(self.store.texts_missing_embeddings(self.model_id))

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
        self._vectors.clear()
        return total
