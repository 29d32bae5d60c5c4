"""The store contract: what every Store implementation must do, tested through the
protocol only. It is everything the layers above rely on, and the suite the
PostgreSQL store must pass: add its factory to STORES and every test runs on it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from oncocite.errors import NotFound
from oncocite.models import DocumentMetadata, Passage, Status
from oncocite.store import (
    DocumentWrite,
    FieldWeights,
    QueryTerm,
    SearchFilters,
    Store,
    TextQuery,
    embedding_text,
    open_store,
)

StoreFactory = Callable[[pytest.FixtureRequest, Path], Store]
STORES: dict[str, StoreFactory] = {
    "sqlite-file": lambda request, tmp: open_store(str(tmp / "c.db")),
    "sqlite-memory": lambda request, tmp: open_store(":memory:"),
    # a database of its own on the session's real PostgreSQL server
    "postgresql": lambda request, tmp: open_store(request.getfixturevalue("pg_url")),
}


@pytest.fixture(
    params=[
        pytest.param(name, marks=[pytest.mark.postgres] if name == "postgresql" else [])
        for name in sorted(STORES)
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = STORES[request.param](request, tmp_path)
    yield opened
    opened.close()


def doc(doc_id: str, texts: list[str], **meta: object) -> DocumentWrite:
    """A document write whose passages are the given texts, with exact offsets."""
    text = "\n\n".join(texts)
    passages, offset = [], 0
    headings = meta.pop("headings", [])
    for seq, body in enumerate(texts, start=1):
        passages.append(
            Passage(
                passage_id=f"{doc_id}#{seq}",
                doc_id=doc_id,
                seq=seq,
                text=body,
                start=offset,
                end=offset + len(body),
                heading_path=list(headings),  # type: ignore[call-overload]
            )
        )
        offset += len(body) + 2
    metadata = DocumentMetadata.model_validate({"title": f"Title {doc_id}", **meta})
    return DocumentWrite(
        doc_id=doc_id,
        format="markdown",
        path=f"/docs/{doc_id}.md",
        metadata=metadata,
        content_hash=json.dumps([doc_id, text, meta], sort_keys=True),
        text=text,
        passages=passages,
    )


def words(text: str, **term: object) -> TextQuery:
    return TextQuery(tuple(QueryTerm(tuple(w.split()), **term) for w in text.split("|")))  # type: ignore[arg-type]


def lexical(store: Store, query: str, filters: SearchFilters | None = None) -> list[str]:
    matches = store.lexical_search(words(query), 10, filters or SearchFilters())
    return [v.passage.passage_id for v in store.passages_by_keys([m.key for m in matches])]


def allowed_ids(store: Store, filters: SearchFilters) -> list[str]:
    keys = store.allowed_keys(filters)
    return sorted(v.passage.passage_id for v in store.passages_by_keys(keys.tolist()))


# ----------------------------------------------------------------- documents, versions
def test_put_is_added_then_unchanged_then_updated(store: Store) -> None:
    first = doc("a", ["Trastuzumab is a monoclonal antibody."])
    assert store.put_document(first) == ("added", 1)
    assert store.put_document(first) == ("unchanged", 1)
    second = doc("a", ["Trastuzumab targets HER2.", "It is given into a vein."])
    assert store.put_document(second) == ("updated", 2)
    record = store.get_document("a")
    assert [p.text for p in record.passages] == [
        "Trastuzumab targets HER2.",
        "It is given into a vein.",
    ]
    assert [v.version for v in record.versions] == [1, 2]
    assert record.versions[0].content_hash == first.content_hash
    assert record.text == second.text and record.content_hash == second.content_hash
    for p in record.passages:
        assert record.text[p.start : p.end] == p.text
    assert lexical(store, "monoclonal") == []
    assert lexical(store, "vein") == ["a#2"]
    assert store.version_text("a", 1) == first.text and store.version_text("a", 2) == second.text
    assert store.version_text("a", 3) is None and store.version_text("nope", 1) is None
    assert store.counts() == {"documents": 1, "versions": 2, "passages": 2, "embeddings": 0}
    assert store.integrity_check() == "ok"


def test_document_head_is_the_current_version(store: Store) -> None:
    assert store.document_head("a") is None
    store.put_document(doc("a", ["One."]))
    second = doc("a", ["Two."])
    store.put_document(second)
    head = store.document_head("a")
    assert head is not None
    assert (head.version, head.content_hash, head.path) == (2, second.content_hash, second.path)


def test_unknown_document_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="'nope'"):
        store.get_document("nope")
    with pytest.raises(NotFound):
        store.set_status("nope", Status.RETIRED)


def test_listing_is_sorted_and_counts_passages(store: Store) -> None:
    store.put_document(doc("b", ["One.", "Two."], source="NCI", license="public_domain"))
    store.put_document(doc("a", ["Only."], lastReviewed="2025-01-02"))
    listing = store.list_documents()
    assert [(d.doc_id, d.passages, d.version) for d in listing] == [("a", 1, 1), ("b", 2, 1)]
    assert listing[1].source == "NCI" and listing[1].license == "public_domain"
    assert listing[0].last_reviewed == dt.date(2025, 1, 2)
    assert listing[0].status is Status.ACTIVE


def test_metadata_round_trips_with_unknown_keys(store: Store) -> None:
    store.put_document(
        doc("a", ["Text."], lastReviewed="2025-12-30", reviewFrequency="quarterly", owner="x")
    )
    ((doc_id, meta),) = store.all_metadata()
    assert doc_id == "a"
    assert meta.last_reviewed == dt.date(2025, 12, 30)
    assert meta.extra == {"owner": "x"}
    record = store.get_document("a")
    assert record.metadata == meta
    assert record.versions[0].metadata["extra"] == {"owner": "x"}


def test_status_change_is_a_version_and_is_reversible(store: Store) -> None:
    store.put_document(doc("a", ["Pembrolizumab is immunotherapy."]))
    assert store.set_status("a", Status.RETIRED) == 2
    assert store.set_status("a", Status.RETIRED) == 2, "unchanged status, no new version"
    record = store.get_document("a")
    assert record.metadata.status is Status.RETIRED and record.passages
    assert [v.metadata["status"] for v in record.versions] == ["active", "retired"]
    assert lexical(store, "pembrolizumab") == []
    assert store.set_status("a", Status.ACTIVE) == 3
    assert lexical(store, "pembrolizumab") == ["a#1"]


def test_generation_grows_with_every_visible_change_only(store: Store) -> None:
    g0 = store.generation()
    store.put_document(doc("a", ["Text."]))
    g1 = store.generation()
    assert g1 > g0
    store.put_document(doc("a", ["Text."]))
    assert store.generation() == g1, "an unchanged document changes nothing"
    store.put_document(doc("a", ["New text."]))
    g2 = store.generation()
    assert g2 > g1
    store.set_status("a", Status.RETIRED)
    assert store.generation() > g2
    missing = store.texts_missing_embeddings("m")
    before = store.generation()
    store.put_embeddings("m", [(key, np.ones(4, dtype=np.float32)) for key, _ in missing])
    store.put_artifact("x", before, b"data")
    assert store.generation() == before, "vectors and artifacts are not library changes"


# ----------------------------------------------------------------- retrieval
def test_full_text_query_terms_phrases_fields_and_weights(store: Store) -> None:
    store.put_document(doc("ctx", ["Given into a vein."], headings=["Treatment with trastuzumab"]))
    store.put_document(doc("body", ["Trastuzumab treatment is given into a vein."]))
    store.put_document(doc("apart", ["Negative results. Triple checks."]))
    store.put_document(doc("phrase", ["Triple negative breast cancer."]))
    assert lexical(store, "triple negative") == ["phrase#1"]
    assert sorted(lexical(store, "triple|negative")) == ["apart#1", "phrase#1"]
    context_only = words("trastuzumab", field="context")
    matches = store.lexical_search(context_only, 10, SearchFilters())
    assert [v.passage.doc_id for v in store.passages_by_keys([m.key for m in matches])] == ["ctx"]

    def top(weights: FieldWeights) -> str:
        query = TextQuery(words("trastuzumab|treatment").terms, weights)
        best = store.lexical_search(query, 1, SearchFilters())[0]
        return store.passages_by_keys([best.key])[0].passage.doc_id

    assert top(FieldWeights(context=20.0, body=1.0)) == "ctx"
    assert top(FieldWeights(context=0.05, body=1.0)) == "body"
    boosted = TextQuery((QueryTerm(("vein",)), QueryTerm(("trastuzumab",), boost=3)))
    scores = [m.score for m in store.lexical_search(boosted, 10, SearchFilters())]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2


@pytest.mark.parametrize(
    "hostile",
    ['cancer" OR body:*', "NEAR(cancer drug)", "-drug", '"', "context : pain", "*", "'; DROP"],
)
def test_query_words_are_never_syntax(store: Store, hostile: str) -> None:
    store.put_document(doc("a", ["Cancer drug pain."]))
    query = TextQuery((QueryTerm((hostile,)), QueryTerm(("cancer",))))
    assert [m.key for m in store.lexical_search(query, 5, SearchFilters())]
    assert store.lexical_search(TextQuery(()), 5, SearchFilters()) == []


def _library(store: Store) -> None:
    store.put_document(
        doc(
            "nci",
            ["Pembrolizumab is immunotherapy."],
            source="NCI",
            sourceType="02_nci_core",
            audienceLevel="patient",
            cancerTypes=["breast"],
            license="public_domain",
        )
    )
    store.put_document(
        doc(
            "cruk",
            ["Pembrolizumab with chemotherapy."],
            source="CRUK",
            sourceType="03_charity",
            audienceLevel="caregiver",
            cancerTypes=["breast", "lung"],
            language="en-GB",
            license="all_rights_reserved",
        )
    )
    store.put_document(doc("draft", ["Pembrolizumab draft."], status="draft"))
    store.put_document(doc("old", ["Pembrolizumab trial."], status="retired"))


FILTERS = {
    "none": (SearchFilters(), ["cruk#1", "draft#1", "nci#1"]),
    "source": (SearchFilters(sources=frozenset({"NCI"})), ["nci#1"]),
    "sources any": (SearchFilters(sources=frozenset({"NCI", "CRUK"})), ["cruk#1", "nci#1"]),
    "source type": (SearchFilters(source_types=frozenset({"03_charity"})), ["cruk#1"]),
    "tier": (SearchFilters(max_source_tier=2), ["nci#1"]),
    "tier 3": (SearchFilters(max_source_tier=3), ["cruk#1", "nci#1"]),
    "cancer type": (SearchFilters(cancer_types=frozenset({"lung"})), ["cruk#1"]),
    "audience": (SearchFilters(audience_levels=frozenset({"patient"})), ["nci#1"]),
    "language": (SearchFilters(languages=frozenset({"en-GB"})), ["cruk#1"]),
    "licence": (SearchFilters(licenses=frozenset({"public_domain"})), ["nci#1"]),
    "status": (SearchFilters(statuses=frozenset({"draft"})), ["draft#1"]),
    "retired asked for": (SearchFilters(statuses=frozenset({"retired"})), []),
    "doc id": (SearchFilters(doc_ids=frozenset({"cruk", "old"})), ["cruk#1"]),
    "keys AND": (
        SearchFilters(cancer_types=frozenset({"breast"}), sources=frozenset({"CRUK"})),
        ["cruk#1"],
    ),
    "nothing": (
        SearchFilters(cancer_types=frozenset({"lung"}), sources=frozenset({"NCI"})),
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_filter_kind_on_both_retrieval_paths(store: Store, name: str) -> None:
    _library(store)
    filters, expected = FILTERS[name]
    assert sorted(lexical(store, "pembrolizumab", filters)) == expected
    assert allowed_ids(store, filters) == expected
    keys = store.allowed_keys(filters)
    assert keys.dtype == np.int64 and keys.tolist() == sorted(keys.tolist())


def test_passages_by_keys_keeps_order_and_drops_unknown_keys(store: Store) -> None:
    store.put_document(doc("a", ["One.", "Two.", "Three."], source="S", url="https://x.org/a"))
    keys = store.allowed_keys(SearchFilters()).tolist()
    views = store.passages_by_keys([keys[2], 10**9, keys[0]])
    assert [v.passage.text for v in views] == ["Three.", "One."]
    assert [v.key for v in views] == [keys[2], keys[0]]
    assert (views[0].title, views[0].source, views[0].url) == ("Title a", "S", "https://x.org/a")
    assert store.passages_by_keys([]) == []


def test_keys_are_stable_and_never_reused(store: Store) -> None:
    store.put_document(doc("a", ["Alpha one.", "Alpha two."]))
    store.put_document(doc("b", ["Beta."]))
    before = {v.passage.passage_id: v.key for v in _views(store)}
    store.put_document(doc("c", ["Gamma."]))
    after = {v.passage.passage_id: v.key for v in _views(store)}
    assert {k: after[k] for k in before} == before, "other writes never move a key"
    store.put_document(doc("b", ["Beta, revised."]))
    store.put_document(doc("d", ["Delta."]))
    latest = {v.passage.passage_id: v.key for v in _views(store)}
    old_keys = set(before.values()) | set(after.values())
    reused = {pid for pid, key in latest.items() if key in old_keys and after.get(pid) != key}
    assert reused == set(), "a key is never given to another passage"
    assert store.passages_by_keys([before["b#1"]]) == [], "a replaced passage's key is gone"


def _views(store: Store) -> list:  # type: ignore[type-arg]
    return store.passages_by_keys(store.allowed_keys(SearchFilters()).tolist())


# ----------------------------------------------------------------- vectors
def test_embeddings_are_keyed_by_model_and_text_and_reused(store: Store) -> None:
    store.put_document(doc("a", ["First passage.", "Second passage."]))
    missing = store.texts_missing_embeddings("m")
    assert [text for _, text in missing] == [
        embedding_text("Title a", "First passage."),
        "Title a",  # the context line, embedded once for both passages
        embedding_text("Title a", "Second passage."),
    ]
    vectors = [np.full(4, i + 1, dtype=np.float32) for i in range(len(missing))]
    store.put_embeddings("m", [(key, vec) for (key, _), vec in zip(missing, vectors, strict=True)])
    assert store.texts_missing_embeddings("m") == []
    assert store.embedding_count("m") == 3 and store.embedding_count("other-model") == 0
    assert len(store.texts_missing_embeddings("other-model")) == 3
    before = store.vectors_generation()
    library = store.generation()
    assert store.generations() == (library, before)
    store.put_embeddings("other-model", [(missing[0][0], np.ones(4, dtype=np.float32))])
    assert store.vectors_generation() > before
    assert store.generations() == (library, store.vectors_generation())
    keys, matrix, documents, standalone = store.load_embeddings("m")
    assert matrix.shape == (2, 4) and matrix.dtype == np.float32
    assert standalone.tolist() == [False, False], "sections of a page answer no question alone"
    assert documents[0] == documents[1], "both passages are of one document"
    assert keys.tolist() == sorted(keys.tolist())
    assert sorted(matrix[:, 0].tolist()) == [1.0, 3.0]
    context_keys, contexts, _, _ = store.load_embeddings("m", "context")
    assert context_keys.tolist() == keys.tolist()
    assert contexts[:, 0].tolist() == [2.0, 2.0], "one context vector serves both passages"
    # A new version that keeps one passage's text needs only the other embedded.
    store.put_document(doc("a", ["First passage.", "A changed passage."]))
    again = store.texts_missing_embeddings("m")
    assert [text.split("\n")[-1] for _, text in again] == ["A changed passage."]
    keys, matrix, _, _ = store.load_embeddings("m")
    assert len(keys) == 1 and matrix[0, 0] == 1.0
    assert store.load_embeddings("none")[0].size == 0


def test_same_text_in_two_documents_is_embedded_once(store: Store) -> None:
    store.put_document(doc("x", ["Shared text."], title="Same title"))
    store.put_document(doc("y", ["Shared text."], title="Same title"))
    missing = store.texts_missing_embeddings("m")
    assert len(missing) == 2, "one passage text and one context line"
    store.put_embeddings("m", [(key, np.ones(3, dtype=np.float32)) for key, _ in missing])
    keys, _, documents, _ = store.load_embeddings("m")
    assert len(keys) == 2, "one vector serves both passages"
    assert documents[0] != documents[1], "of two documents"


def test_vectors_say_which_passages_answer_a_question_of_their_own(store: Store) -> None:
    write = doc("qa", ["What it is.", "How it is treated.", "More."])
    questions = ["What is it?", "How is it treated?", None]
    passages = [
        p.model_copy(update={"question": q, "question_type": "information" if q else None})
        for p, q in zip(write.passages, questions, strict=True)
    ]
    store.put_document(dataclasses.replace(write, passages=passages))
    missing = store.texts_missing_embeddings("m")
    store.put_embeddings("m", [(key, np.ones(3, dtype=np.float32)) for key, _ in missing])
    for field in ("passage", "context"):
        keys, _, _, standalone = store.load_embeddings("m", field)  # type: ignore[arg-type]
        views = {v.key: v.passage.question for v in store.passages_by_keys(keys.tolist())}
        assert standalone.tolist() == [views[int(k)] is not None for k in keys]
        assert standalone.tolist() == [True, True, False]


# ----------------------------------------------------------------- artifacts
def test_artifacts_are_kept_replaced_and_marked(store: Store) -> None:
    assert store.get_artifact("index") is None
    store.put_artifact("index", 3, b"\x00first")
    assert store.get_artifact("index") == (3, b"\x00first")
    store.put_artifact("index", 4, b"second")
    assert store.get_artifact("index") == (4, b"second")
    assert store.get_artifact("other") is None


# ----------------------------------------------------------------- threads
def test_readers_in_threads_see_whole_versions_during_writes(store: Store) -> None:
    """One store shared by a writer and readers in other threads: every read sees one
    committed version whole (its passages match its text), and nothing errors."""
    store.put_document(doc("a", [f"Version 0 passage {i}." for i in range(5)]))
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                record = store.get_document("a")
                version = record.version - 1
                assert all(p.text.startswith(f"Version {version} ") for p in record.passages)
                assert all(record.text[p.start : p.end] == p.text for p in record.passages)
                seen.add(record.version)
                # keys found a moment ago may name passages replaced since: dropped
                assert len(lexical(store, "passage")) <= 5
                store.counts()
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for version in range(1, 30):
            texts = [f"Version {version} passage {i}." for i in range(5)]
            assert store.put_document(doc("a", texts))[0] == "updated"
            deadline = time.monotonic() + 10
            while version + 1 not in seen and not errors and time.monotonic() < deadline:
                time.sleep(0.001)  # let a reader see this version before the next write
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=30)
    assert errors == []
    assert len(seen) >= 25, "readers ran while the writer wrote"
    assert store.get_document("a").version == 30


def test_writers_in_threads_each_write_whole_documents(store: Store) -> None:
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(10):
                store.put_document(doc(f"w{worker}-{i}", [f"Worker {worker} doc {i}."]))
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=60)
    assert errors == []
    assert store.counts()["documents"] == 40
    assert store.integrity_check() == "ok"
