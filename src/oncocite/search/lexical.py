"""Lexical retrieval: BM25 over passage context and body, behind one small interface.

Two engines score with the same formula (FTS5's: k1=1.2, b=0.75, column-weighted term
frequency, document length summed over both columns):

- `Fts5Lexical` asks the store's FTS5 index (Porter stemmer); nothing to load.
- `MemoryBM25` keeps an inverted index in numpy with the Snowball English stemmer
  (PyStemmer); it takes a second or two to build and then answers in about a
  millisecond, where an FTS5 OR over common words takes 10-40 ms.

benchmarks/cancergov_dev.py measures both; the engine uses `MemoryBM25` by default.
Its arrays are saved into the store as an artifact (`to_bytes`), so a one-shot
command loads the index in milliseconds instead of rebuilding it from every passage.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
import Stemmer

from oncocite.search.lru import MAX_KEY_CHARS, LruCache
from oncocite.search.query import query_bag
from oncocite.search.ranking import AllowedMask, Ranked, top_k
from oncocite.search.spelling import Speller
from oncocite.store.base import KeyArray, PassageView, SearchFilters, Store, TextQuery

__all__ = ["K1", "B", "Fts5Lexical", "LexicalIndex", "MemoryBM25", "tokenize"]

K1 = 1.2
B = 0.75
_TOKEN = re.compile(r"[^\W_]+")
# _TOKEN on ASCII text (nearly every passage and question): the same words, found
# in about two thirds of the time, since no character needs a Unicode lookup
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
# Bump when tokenising or the index layout changes: a stored index of another
# format is rebuilt, never misread.
INDEX_FORMAT = 2
# A word becomes a spelling-correction target once this many passages use it, or at
# once when a title, heading or focus does (the names patients misspell are there).
SPELLING_MIN_PASSAGES = 3
# Recent texts whose stems an index remembers (see _Stems).
STEMMED_TEXTS = 8192
# And recent long texts, up to this many characters: the whole passages an answer
# stems (~6,000 characters on average over MedQuAD's hits, 7.8 an ask, three in four
# of them stemmed before within 300 distinct questions). At most 512 x 12,000
# characters of text and the stems beside them: ~14 MB, typically half that.
STEMMED_LONG_TEXTS = 512
LONG_TEXT_CHARS = 12_000


class LexicalIndex(Protocol):
    """Ranked (key, score) pairs for a query, restricted by filters or allowed keys."""

    def search(
        self, query: TextQuery, k: int, filters: SearchFilters, allowed: KeyArray | None
    ) -> Ranked: ...


class Fts5Lexical:
    """BM25 from the store's own full-text index; filters are applied by the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def search(
        self, query: TextQuery, k: int, filters: SearchFilters, allowed: KeyArray | None = None
    ) -> Ranked:
        if query.is_empty:
            return []
        return [(m.key, m.score) for m in self.store.lexical_search(query, k, filters)]


class _Stems:
    """Tokeniser with a stem cache: each distinct word is stemmed once.

    `texts` > 0 also remembers the stems of that many recent short texts: answering
    stems the same sentences, titles and headings for every asking of a question
    (the index's own tokeniser; building an index passes 0, each text once), and of
    `STEMMED_LONG_TEXTS` long ones: the passages of a library's hits, which distinct
    questions about one topic share."""

    # Words remembered at most: a library's vocabulary fits many times over, while a
    # server fed endless made-up words by its users stops growing there.
    MAX_WORDS = 300_000

    def __init__(self, texts: int = 0) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._lock = threading.Lock()  # a PyStemmer object is not thread-safe
        self._cache: dict[str, str] = {}
        self._texts: LruCache[str, tuple[str, ...]] | None = LruCache(texts) if texts else None
        self._long: LruCache[str, tuple[str, ...]] | None = (
            LruCache(STEMMED_LONG_TEXTS) if texts else None
        )

    def __call__(self, text: str) -> list[str]:
        texts = self._texts if len(text) <= MAX_KEY_CHARS else self._long
        if texts is None or len(text) > LONG_TEXT_CHARS:
            return self.words_and_stems(text)[1]
        cached = texts.get(text)
        if cached is None:
            cached = tuple(self.words_and_stems(text)[1])
            texts.put(text, cached)
        return list(cached)

    def words_and_stems(self, text: str) -> tuple[list[str], list[str]]:
        """The lower-cased words of `text` and their stems. Answering one question
        stems its ten hits' passages whole (~2 KB each, too long to remember), so the
        common case, every word stemmed before, is read straight off the cache."""
        raw = words_of(text)
        cache = self._cache
        try:
            return raw, list(map(cache.__getitem__, raw))
        except KeyError:
            pass
        missing = [w for w in set(raw) if w not in cache]
        with self._lock:
            stemmed = dict(zip(missing, self._stemmer.stemWords(missing), strict=True))
        if len(cache) < self.MAX_WORDS:
            cache.update(stemmed)
        return raw, [cache[w] if w in cache else stemmed[w] for w in raw]


def words_of(text: str) -> list[str]:
    """The lower-cased words of `text`: runs of letters and digits."""
    lowered = text.lower()
    return (_ASCII_TOKEN if lowered.isascii() else _TOKEN).findall(lowered)


def tokenize(text: str) -> list[str]:
    """Lower-cased, Snowball-stemmed words: the MemoryBM25 tokeniser, for tests."""
    return _Stems()(text)


class _Postings:
    """Per-term passages and precomputed BM25 contributions (a CSC matrix in numpy)."""

    def __init__(
        self,
        doc: npt.NDArray[np.int32],
        value: npt.NDArray[np.float32],
        indptr: npt.NDArray[np.int64],
    ) -> None:
        self.doc = doc
        self.value = value
        self.indptr = indptr

    @classmethod
    def build(
        cls,
        n_terms: int,
        term: npt.NDArray[np.int64],
        doc: npt.NDArray[np.int64],
        value: npt.NDArray[np.float32],
    ) -> _Postings:
        order = np.argsort(term, kind="stable")
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(term, minlength=n_terms), out=indptr[1:])
        return cls(doc[order].astype(np.int32), value[order].astype(np.float32), indptr)

    def add_to(self, scores: npt.NDArray[np.float32], term_id: int) -> None:
        lo, hi = self.indptr[term_id], self.indptr[term_id + 1]
        scores[self.doc[lo:hi]] += self.value[lo:hi]


class MemoryBM25:
    """In-memory BM25 over two fields (context, body) with column weights.

    `per_field=False` is FTS5's formula (weighted term frequency, length = both fields),
    checked against bm25s in tests. `per_field=True` is BM25F: each field is normalised
    by its own length, so a 3,000-word answer whose *context* says "treatment" is not
    penalised for the length of its body. Field weights are part of the index (fixed
    when it is built); a query's own weights are not used.
    """

    def __init__(
        self,
        keys: KeyArray,
        vocab: dict[str, int],
        all_: _Postings,
        context: _Postings,
        words: Sequence[str] = (),
    ) -> None:
        self.keys = keys
        self.vocab = vocab
        self.all = all_
        self.context = context
        self.words = words
        self._stems = _Stems(texts=STEMMED_TEXTS)
        self._mask = AllowedMask(keys)
        self._speller: Speller | None = None

    def stems(self, text: str) -> list[str]:
        """The index's tokens of `text`: lower-cased, Snowball-stemmed words."""
        return self._stems(text)

    def idf(self, stem: str) -> float:
        """How rare a stemmed word is across the indexed passages (0 if unseen)."""
        term = self.vocab.get(stem)
        if term is None:
            return 0.0
        df = float(self.all.indptr[term + 1] - self.all.indptr[term])
        n = float(max(len(self.keys), 1))
        return max(float(np.log((n - df + 0.5) / (df + 0.5))), 1e-6)

    def share(self, stem: str) -> float:
        """The share of indexed passages that hold a stemmed word (0 if none)."""
        term = self.vocab.get(stem)
        if term is None:
            return 0.0
        df = float(self.all.indptr[term + 1] - self.all.indptr[term])
        return df / float(max(len(self.keys), 1))

    def unseen_idf(self) -> float:
        """The IDF a word would have if no passage held it."""
        n = float(max(len(self.keys), 1))
        return float(np.log((n + 0.5) / 0.5))

    def knows(self, word: str) -> bool:
        """Whether any passage holds a word of this word's stem."""
        stems = self._stems(word)
        return bool(stems) and all(stem in self.vocab for stem in stems)

    def speller(self) -> Speller:
        """Corrections towards the words of this index (built on first use)."""
        if self._speller is None:
            self._speller = Speller(self.words, self.knows)
        return self._speller

    @classmethod
    def build(
        cls,
        views: Sequence[PassageView],
        weights: tuple[float, float] = (2.0, 1.0),
        k1: float = K1,
        b: float = B,
        per_field: bool = False,
    ) -> MemoryBM25:
        stems = _Stems()
        keys = np.array([v.key for v in views], dtype=np.int64)
        vocab: dict[str, int] = {}
        ids: list[int] = []
        lengths = np.zeros((2, len(views)), dtype=np.int64)
        spread: Counter[str] = Counter()
        topics: set[str] = set()
        for i, view in enumerate(views):
            surface: set[str] = set()
            for slot, text in enumerate((view.passage.context(view.title), view.passage.text)):
                raw, tokens = stems.words_and_stems(text)
                (topics if slot == 0 else surface).update(raw)
                ids += [vocab.setdefault(t, len(vocab)) for t in tokens]
                lengths[slot, i] = len(tokens)
            spread.update(surface)
        common = {w for w, n in spread.items() if n >= SPELLING_MIN_PASSAGES}
        words = sorted(w for w in topics | common if w.isalpha())
        n = max(len(views), 1)
        # one (term, doc, field) key per token, counted in numpy rather than in Python
        doc = np.repeat(np.arange(len(views)).repeat(2), lengths.T.reshape(-1))
        field = np.repeat(np.tile([0, 1], len(views)), lengths.T.reshape(-1))
        packed = (np.array(ids, dtype=np.int64) * len(views) + doc) * 2 + field
        unique, counts = np.unique(packed, return_counts=True)
        pair, fld = unique // 2, unique % 2
        pairs = np.unique(pair)
        tf = np.zeros((2, len(pairs)), dtype=np.float64)
        tf[fld, np.searchsorted(pairs, pair)] = counts
        term, docs = pairs // n, pairs % n

        def norm(n_tokens: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
            avg = float(n_tokens.mean()) if len(n_tokens) and n_tokens.mean() > 0 else 1.0
            return np.asarray(1 - b + b * n_tokens / avg, dtype=np.float64)

        if per_field:
            norms = (norm(lengths[0])[docs], norm(lengths[1])[docs])
        else:
            both = norm(lengths[0] + lengths[1])[docs]
            norms = (both, both)
        ctx: npt.NDArray[np.float64] = weights[0] * tf[0] / norms[0]
        both_fields: npt.NDArray[np.float64] = ctx + weights[1] * tf[1] / norms[1]
        has_ctx = tf[0] > 0
        return cls(
            keys,
            vocab,
            _postings(len(vocab), term, docs, both_fields, k1, n),
            _postings(len(vocab), term[has_ctx], docs[has_ctx], ctx[has_ctx], k1, n),
            words,
        )

    @classmethod
    def from_store(
        cls,
        store: Store,
        weights: tuple[float, float] = (2.0, 1.0),
        b: float = B,
        per_field: bool = False,
    ) -> MemoryBM25:
        """Index every searchable passage (retired documents are left out by the store)."""
        keys = store.allowed_keys(SearchFilters())
        return cls.build(store.passages_by_keys(keys.tolist()), weights, b=b, per_field=per_field)

    # ------------------------------------------------------------------ persistence
    def to_bytes(self) -> bytes:
        """The index as one .npz blob (no pickle: loading it runs no code)."""
        buffer = io.BytesIO()
        vocab = "\n".join(sorted(self.vocab, key=self.vocab.__getitem__)).encode("utf-8")
        words = "\n".join(self.words).encode("utf-8")
        np.savez(
            buffer,
            format=np.array([INDEX_FORMAT]),
            keys=self.keys,
            vocab=np.frombuffer(vocab, dtype=np.uint8),
            words=np.frombuffer(words, dtype=np.uint8),
            **{
                f"{name}_{part}": getattr(postings, part)
                for name, postings in (("all", self.all), ("context", self.context))
                for part in ("doc", "value", "indptr")
            },
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> MemoryBM25 | None:
        """The index saved by `to_bytes`, or None if it is of another format or damaged."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as saved:
                if int(saved["format"][0]) != INDEX_FORMAT:
                    return None
                words = bytes(saved["vocab"]).decode("utf-8")
                vocab = {w: i for i, w in enumerate(words.split("\n"))} if words else {}
                parts = {
                    name: _Postings(
                        saved[f"{name}_doc"], saved[f"{name}_value"], saved[f"{name}_indptr"]
                    )
                    for name in ("all", "context")
                }
                spelt = bytes(saved["words"]).decode("utf-8")
                return cls(
                    saved["keys"],
                    vocab,
                    parts["all"],
                    parts["context"],
                    spelt.split("\n") if spelt else [],
                )
        except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile):
            return None

    # ------------------------------------------------------------------ queries
    def scores(self, query: TextQuery) -> npt.NDArray[np.float32]:
        """BM25 of every indexed passage for the query (0 where nothing matches)."""
        anywhere, context = query_bag(query)
        scores = np.zeros(len(self.keys), dtype=np.float32)
        for postings, tokens in ((self.all, anywhere), (self.context, context)):
            for token in self._stems(" ".join(tokens)):
                term_id = self.vocab.get(token)
                if term_id is not None:
                    postings.add_to(scores, term_id)
        return scores

    def search(
        self, query: TextQuery, k: int, filters: SearchFilters, allowed: KeyArray | None = None
    ) -> Ranked:
        scores = self.scores(query)
        if allowed is not None:
            scores[~self._mask(allowed)] = 0.0
        return top_k(self.keys, scores, k)


def _postings(
    n_terms: int,
    term: npt.NDArray[np.int64],
    doc: npt.NDArray[np.int64],
    tf: npt.NDArray[np.float64],
    k1: float,
    n: int,
) -> _Postings:
    keep = tf > 0
    term, doc, tf = term[keep], doc[keep], tf[keep]
    df = np.bincount(term, minlength=n_terms).astype(np.float64)
    idf = np.log((n - df + 0.5) / (df + 0.5))
    idf[idf <= 0] = 1e-6  # FTS5's floor: a word in most passages still counts a little
    # tf is already length-normalised: tf*(k1+1)/(tf+k1) equals FTS5's
    # raw_tf*(k1+1)/(raw_tf + k1*norm) when one norm covers both fields
    value = idf[term] * tf * (k1 + 1) / (tf + k1)
    return _Postings.build(n_terms, term, doc, value.astype(np.float32))
