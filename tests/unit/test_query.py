"""Query building (safe FTS5 MATCH) and BM25 parity with a reference engine (bm25s)."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from oncocite.models import DocumentMetadata, Passage
from oncocite.search.lexical import K1, Fts5Lexical, MemoryBM25, tokenize
from oncocite.search.query import LexicalQuery, build_lexical_query, fts5_phrase, query_words
from oncocite.search.vocabulary import Vocabulary
from oncocite.store.base import DocumentWrite, SearchFilters
from oncocite.store.sqlite import SQLiteStore

# Words whose Porter (FTS5) and Snowball (PyStemmer) stems agree, so the two engines
# and the reference see the same tokens.
CORPUS = {
    "alpha": "cancer drug breast cancer scan",
    "beta": "heart drug pain",
    "gamma": "liver cancer cancer cancer blood test test risk",
    "delta": "bone pain scan blood",
    "epsilon": "lung cancer drug blood risk risk risk heart",
    "zeta": "breast scan",
    "eta": "trastuzumab drug breast pain pain blood",
}
QUERIES = ["cancer", "drug pain", "breast cancer risk", "blood test scan", "trastuzumab heart"]


@pytest.fixture(scope="module")
def store() -> SQLiteStore:
    s = SQLiteStore(":memory:")
    for name, text in CORPUS.items():
        passage = Passage(
            passage_id=f"{name}#1", doc_id=name, seq=1, text=text, start=0, end=len(text)
        )
        s.put_document(
            DocumentWrite(
                doc_id=name,
                format="text",
                path=None,
                metadata=DocumentMetadata(title=name),
                content_hash=name,
                text=text,
                passages=[passage],
            )
        )
    return s


def _reference(store: SQLiteStore) -> tuple[bm25s.BM25, dict[int, int]]:
    """bm25s "robertson" (same IDF; its term-frequency part omits the constant factor
    k1 + 1 that FTS5 keeps, so FTS5 scores are (k1 + 1) times bm25s scores)."""
    views = store.passages_by_rows(store.allowed_rows(SearchFilters()).tolist())
    docs = [tokenize(f"{v.passage.context(v.title)} {v.passage.text}") for v in views]
    ref = bm25s.BM25(k1=1.2, b=0.75, method="robertson")
    ref.index(docs, show_progress=False)
    return ref, {i: v.row for i, v in enumerate(views)}


def test_query_words_drop_function_words() -> None:
    assert query_words("What are the treatments for HER2+ cancer?") == [
        "treatments",
        "her2",
        "positive",
        "cancer",
    ]


@pytest.mark.parametrize(
    "hostile",
    [
        'cancer" OR body:*',
        "NEAR(cancer drug)",
        "-drug",
        '"unbalanced',
        "context : pain",
        "cancer AND",
        "* ^ ( ) { }",
        "drug NOT pain",
        "'; DROP TABLE passages; --",
        "✓ 🎗️",
    ],
)
def test_user_text_cannot_inject_fts_syntax(store: SQLiteStore, hostile: str) -> None:
    query = build_lexical_query(Vocabulary.load().expand(hostile))
    # every user word appears only inside a quoted string
    assert all(fts5_phrase(w) in query.match() for w in query.terms)
    Fts5Lexical(store).search(query, 10, SearchFilters())  # must not raise


def test_phrase_quotes_are_doubled() -> None:
    assert fts5_phrase('say "hi"') == '"say ""hi"""'


def test_match_shape() -> None:
    q = LexicalQuery(
        terms=("pain",),
        phrases=("triple negative",),
        context_phrases=("treatment",),
        context_boost=2,
    )
    assert q.match() == (
        '"pain" OR "triple negative" OR context : ("treatment") OR context : ("treatment")'
    )


@pytest.mark.parametrize("text", QUERIES)
def test_memory_bm25_matches_bm25s_scores(store: SQLiteStore, text: str) -> None:
    ref, rows = _reference(store)
    mine = MemoryBM25.from_store(store, weights=(1.0, 1.0))
    query = LexicalQuery(terms=tuple(text.split()))
    expected = (K1 + 1) * ref.get_scores(tokenize(text))
    got = mine.scores(query)
    by_row = dict(zip(mine.rows.tolist(), got.tolist(), strict=True))
    for i, row in rows.items():
        assert by_row[row] == pytest.approx(float(expected[i]), abs=1e-4)


@pytest.mark.parametrize("text", QUERIES)
def test_fts5_path_matches_bm25s_ranking(store: SQLiteStore, text: str) -> None:
    ref, rows = _reference(store)
    expected = (K1 + 1) * ref.get_scores(tokenize(text))
    order = [rows[int(i)] for i in np.argsort(-expected, kind="stable") if expected[i] > 0]
    got = Fts5Lexical(store, weights=(1.0, 1.0)).search(
        LexicalQuery(terms=tuple(text.split())), 10, SearchFilters()
    )
    # a word in more than half the rows has IDF 1e-6 in FTS5 and 0 in bm25s
    assert {row for row, score in got if score > 1e-4} == set(order)
    for row, score in got:
        i = next(i for i, r in rows.items() if r == row)
        assert score == pytest.approx(float(expected[i]), abs=1e-4)
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)


def test_context_weight_boosts_title_matches(store: SQLiteStore) -> None:
    plain = MemoryBM25.from_store(store, weights=(1.0, 1.0))
    heavy = MemoryBM25.from_store(store, weights=(8.0, 1.0))
    q = LexicalQuery(terms=("zeta", "breast"))
    assert heavy.search(q, 1, SearchFilters())[0][1] > plain.search(q, 1, SearchFilters())[0][1]
