"""Query building (a database-neutral TextQuery, safely quoted for FTS5) and BM25
parity with a reference engine (bm25s)."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from oncocite.models import DocumentMetadata, Passage
from oncocite.search.lexical import K1, Fts5Lexical, MemoryBM25, tokenize
from oncocite.search.query import build_lexical_query, query_bag, query_words
from oncocite.search.vocabulary import Vocabulary
from oncocite.store.base import DocumentWrite, FieldWeights, QueryTerm, SearchFilters, TextQuery
from oncocite.store.sqlite import SQLiteStore, fts5_match


def words_query(text: str) -> TextQuery:
    return TextQuery(terms=tuple(QueryTerm((w,)) for w in text.split()))


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
    views = store.passages_by_keys(store.allowed_keys(SearchFilters()).tolist())
    docs = [tokenize(f"{v.passage.context(v.title)} {v.passage.text}") for v in views]
    ref = bm25s.BM25(k1=1.2, b=0.75, method="robertson")
    ref.index(docs, show_progress=False)
    return ref, {i: v.key for i, v in enumerate(views)}


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
    match = fts5_match(query)
    # every user word appears only inside a quoted string
    assert all(f'"{" ".join(t.words)}"' in match for t in query.terms)
    Fts5Lexical(store).search(query, 10, SearchFilters())  # must not raise


def test_phrase_quotes_are_doubled() -> None:
    assert fts5_match(TextQuery((QueryTerm(('say "hi"',)),))) == '"say ""hi"""'


def test_query_terms_and_match_shape() -> None:
    expanded = Vocabulary.load().expand("TNBC treatment pain")
    query = build_lexical_query(expanded, context_boost=2, weights=FieldWeights(16.0, 1.0))
    assert query.weights == FieldWeights(16.0, 1.0)
    assert QueryTerm(("pain",)) in query.terms
    assert QueryTerm(("triple", "negative")) in query.terms
    context = [t for t in query.terms if t.field == "context"]
    assert context and all(t.boost == 2 for t in context)
    q = TextQuery(
        terms=(
            QueryTerm(("pain",)),
            QueryTerm(("triple", "negative")),
            QueryTerm(("treatment",), field="context", boost=2),
        )
    )
    assert fts5_match(q) == (
        '"pain" OR "triple negative" OR context : ("treatment") OR context : ("treatment")'
    )
    assert query_bag(q) == (["pain", "triple", "negative"], ["treatment", "treatment"])


@pytest.mark.parametrize("text", QUERIES)
def test_memory_bm25_matches_bm25s_scores(store: SQLiteStore, text: str) -> None:
    ref, rows = _reference(store)
    mine = MemoryBM25.from_store(store, weights=(1.0, 1.0))
    query = words_query(text)
    expected = (K1 + 1) * ref.get_scores(tokenize(text))
    got = mine.scores(query)
    by_row = dict(zip(mine.keys.tolist(), got.tolist(), strict=True))
    for i, row in rows.items():
        assert by_row[row] == pytest.approx(float(expected[i]), abs=1e-4)


@pytest.mark.parametrize("text", QUERIES)
def test_fts5_path_matches_bm25s_ranking(store: SQLiteStore, text: str) -> None:
    ref, rows = _reference(store)
    expected = (K1 + 1) * ref.get_scores(tokenize(text))
    order = [rows[int(i)] for i in np.argsort(-expected, kind="stable") if expected[i] > 0]
    query = TextQuery(words_query(text).terms, FieldWeights(1.0, 1.0))
    got = Fts5Lexical(store).search(query, 10, SearchFilters())
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
    q = words_query("zeta breast")
    assert heavy.search(q, 1, SearchFilters())[0][1] > plain.search(q, 1, SearchFilters())[0][1]


def test_saved_index_scores_like_the_built_one(store: SQLiteStore) -> None:
    built = MemoryBM25.from_store(store, weights=(4.0, 1.0), per_field=True)
    loaded = MemoryBM25.from_bytes(built.to_bytes())
    assert loaded is not None
    for text in QUERIES:
        query = words_query(text)
        assert loaded.search(query, 5, SearchFilters()) == built.search(query, 5, SearchFilters())


def test_damaged_or_foreign_index_bytes_are_ignored(store: SQLiteStore) -> None:
    data = MemoryBM25.from_store(store).to_bytes()
    assert MemoryBM25.from_bytes(data[: len(data) // 2]) is None
    assert MemoryBM25.from_bytes(b"not an index") is None
