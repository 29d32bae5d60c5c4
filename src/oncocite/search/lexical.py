"""Lexical retrieval: BM25 over passage context and body, behind one small interface.

Two engines score with the same formula (FTS5's: k1=1.2, b=0.75, column-weighted term
frequency, document length summed over both columns):

- `Fts5Lexical` asks the store's FTS5 index (Porter stemmer); nothing to load.
- `MemoryBM25` keeps an inverted index in numpy with the Snowball English stemmer
  (PyStemmer); it takes a second or two to build and then answers in about a
  millisecond, where an FTS5 OR over common words takes 10-40 ms.

benchmarks/cancergov_dev.py measures both; the engine uses `MemoryBM25` by default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
import Stemmer

from oncocite.search.query import LexicalQuery
from oncocite.store.base import PassageView, SearchFilters, Store

__all__ = ["K1", "B", "Fts5Lexical", "LexicalIndex", "MemoryBM25", "tokenize"]

K1 = 1.2
B = 0.75
_TOKEN = re.compile(r"[^\W_]+")
Scored = list[tuple[int, float]]


class LexicalIndex(Protocol):
    """Ranked (row, score) pairs for a query, restricted by filters or allowed rows."""

    def search(
        self,
        query: LexicalQuery,
        k: int,
        filters: SearchFilters,
        allowed: npt.NDArray[np.int64] | None,
    ) -> Scored: ...


class Fts5Lexical:
    """BM25 from the store's FTS5 index; filters are applied in SQL."""

    def __init__(self, store: Store, weights: tuple[float, float] = (2.0, 1.0)) -> None:
        self.store = store
        self.weights = weights

    def search(
        self,
        query: LexicalQuery,
        k: int,
        filters: SearchFilters,
        allowed: npt.NDArray[np.int64] | None = None,
    ) -> Scored:
        if query.is_empty:
            return []
        rows = self.store.lexical_search(query.match(), k, filters, self.weights)
        return [(r.row, r.score) for r in rows]


class _Stems:
    """Tokeniser with a stem cache: each distinct word is stemmed once."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        raw = _TOKEN.findall(text.lower())
        missing = [w for w in set(raw) if w not in self._cache]
        if missing:
            self._cache.update(zip(missing, self._stemmer.stemWords(missing), strict=True))
        return [self._cache[w] for w in raw]


def tokenize(text: str) -> list[str]:
    """Lower-cased, Snowball-stemmed words: the MemoryBM25 tokeniser, for tests."""
    return _Stems()(text)


class _Postings:
    """Per-term rows and precomputed BM25 contributions (a CSC matrix in numpy)."""

    def __init__(
        self,
        n_terms: int,
        term: npt.NDArray[np.int64],
        doc: npt.NDArray[np.int64],
        value: npt.NDArray[np.float32],
    ) -> None:
        order = np.argsort(term, kind="stable")
        self.doc = doc[order].astype(np.int32)
        self.value = value[order].astype(np.float32)
        self.indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(term, minlength=n_terms), out=self.indptr[1:])

    def add_to(self, scores: npt.NDArray[np.float32], term_id: int) -> None:
        lo, hi = self.indptr[term_id], self.indptr[term_id + 1]
        scores[self.doc[lo:hi]] += self.value[lo:hi]


class MemoryBM25:
    """In-memory BM25 over two fields (context, body) with column weights.

    `per_field=False` is FTS5's formula (weighted term frequency, length = both fields),
    checked against bm25s in tests. `per_field=True` is BM25F: each field is normalised
    by its own length, so a 3,000-word answer whose *context* says "treatment" is not
    penalised for the length of its body.
    """

    def __init__(
        self,
        views: Sequence[PassageView],
        weights: tuple[float, float] = (2.0, 1.0),
        k1: float = K1,
        b: float = B,
        per_field: bool = False,
    ) -> None:
        self.weights = weights
        self._stems = _Stems()
        self._mask: tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]] | None = None
        self.rows = np.array([v.row for v in views], dtype=np.int64)
        vocab: dict[str, int] = {}
        ids: list[int] = []
        lengths = np.zeros((2, len(views)), dtype=np.int64)
        for i, view in enumerate(views):
            for slot, text in enumerate((view.passage.context(view.title), view.passage.text)):
                tokens = self._stems(text)
                ids += [vocab.setdefault(t, len(vocab)) for t in tokens]
                lengths[slot, i] = len(tokens)
        self.vocab = vocab
        # one (term, doc, field) key per token, counted in numpy rather than in Python
        doc = np.repeat(np.arange(len(views)).repeat(2), lengths.T.reshape(-1))
        field = np.repeat(np.tile([0, 1], len(views)), lengths.T.reshape(-1))
        keys = (np.array(ids, dtype=np.int64) * len(views) + doc) * 2 + field
        unique, counts = np.unique(keys, return_counts=True)
        pair, fld = unique // 2, unique % 2
        pairs = np.unique(pair)
        tf = np.zeros((2, len(pairs)), dtype=np.float64)
        tf[fld, np.searchsorted(pairs, pair)] = counts
        term, docs = pairs // max(len(views), 1), pairs % max(len(views), 1)

        def norm(n_tokens: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
            avg = float(n_tokens.mean()) if len(n_tokens) and n_tokens.mean() > 0 else 1.0
            return np.asarray(1 - b + b * n_tokens / avg, dtype=np.float64)

        if per_field:
            norms = (norm(lengths[0])[docs], norm(lengths[1])[docs])
        else:
            both = norm(lengths[0] + lengths[1])[docs]
            norms = (both, both)
        n = max(len(views), 1)
        ctx: npt.NDArray[np.float64] = weights[0] * tf[0] / norms[0]
        both_fields: npt.NDArray[np.float64] = ctx + weights[1] * tf[1] / norms[1]
        self.all = self._build(term, docs, both_fields, k1, n)
        has_ctx = tf[0] > 0
        self.context = self._build(term[has_ctx], docs[has_ctx], ctx[has_ctx], k1, n)

    def _build(
        self,
        term: npt.NDArray[np.int64],
        doc: npt.NDArray[np.int64],
        tf: npt.NDArray[np.float64],
        k1: float,
        n: int,
    ) -> _Postings:
        keep = tf > 0
        term, doc, tf = term[keep], doc[keep], tf[keep]
        df = np.bincount(term, minlength=len(self.vocab)).astype(np.float64)
        idf = np.log((n - df + 0.5) / (df + 0.5))
        idf[idf <= 0] = 1e-6
        # tf is already length-normalised: tf*(k1+1)/(tf+k1) equals FTS5's
        # raw_tf*(k1+1)/(raw_tf + k1*norm) when one norm covers both fields
        value = idf[term] * tf * (k1 + 1) / (tf + k1)
        return _Postings(len(self.vocab), term, doc, value.astype(np.float32))

    @classmethod
    def from_store(
        cls,
        store: Store,
        weights: tuple[float, float] = (2.0, 1.0),
        b: float = B,
        per_field: bool = False,
    ) -> MemoryBM25:
        """Index every searchable passage (retired documents are left out by the store)."""
        rows = store.allowed_rows(SearchFilters())
        return cls(store.passages_by_rows(rows.tolist()), weights, b=b, per_field=per_field)

    def scores(self, query: LexicalQuery) -> npt.NDArray[np.float32]:
        """BM25 of every indexed passage for the query (0 where nothing matches)."""
        anywhere, context = query.bag()
        scores = np.zeros(len(self.rows), dtype=np.float32)
        for postings, tokens in ((self.all, anywhere), (self.context, context)):
            for token in self._stems(" ".join(tokens)):
                term_id = self.vocab.get(token)
                if term_id is not None:
                    postings.add_to(scores, term_id)
        return scores

    def search(
        self,
        query: LexicalQuery,
        k: int,
        filters: SearchFilters,
        allowed: npt.NDArray[np.int64] | None = None,
    ) -> Scored:
        scores = self.scores(query)
        if allowed is not None:
            cached = self._mask
            if cached is None or cached[0] is not allowed:
                cached = (allowed, np.isin(self.rows, allowed, assume_unique=True))
                self._mask = cached
            scores[~cached[1]] = 0.0
        return top_k(self.rows, scores, k)


def top_k(rows: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], k: int) -> Scored:
    """The k best positive scores, best first, ties broken by row for stable runs."""
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[part]
    order = np.lexsort((rows[candidates], -scores[candidates]))
    chosen = candidates[order]
    return [(int(rows[i]), float(scores[i])) for i in chosen]


def idf_fts5(n_docs: int, df: int) -> float:
    """FTS5's IDF: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6."""
    value = math.log((n_docs - df + 0.5) / (df + 0.5))
    return value if value > 0 else 1e-6
