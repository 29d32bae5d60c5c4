"""The store contract: what every Store implementation must do, tested through the
protocol only. PostgreSQL will join the parametrisation when it lands."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from oncocite.errors import NotFound
from oncocite.models import DocumentMetadata, Passage
from oncocite.store import DocumentWrite, SearchFilters, Store, open_store


@pytest.fixture(params=["sqlite-file", "sqlite-memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = str(tmp_path / "c.db") if request.param == "sqlite-file" else ":memory:"
    opened = open_store(url)
    yield opened
    opened.close()


def doc(doc_id: str, texts: list[str], **meta: object) -> DocumentWrite:
    text = "\n\n".join(texts)
    passages, offset = [], 0
    for seq, body in enumerate(texts, start=1):
        passages.append(
            Passage(
                passage_id=f"{doc_id}#{seq}",
                doc_id=doc_id,
                seq=seq,
                text=body,
                start=offset,
                end=offset + len(body),
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


def lexical(store: Store, word: str, filters: SearchFilters | None = None) -> list[str]:
    rows = store.lexical_search(f'"{word}"', 10, filters or SearchFilters(), (1.0, 1.0))
    return [v.passage.passage_id for v in store.passages_by_rows([r.row for r in rows])]


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
    assert record.text[record.passages[1].start : record.passages[1].end] == (
        "It is given into a vein."
    )
    assert lexical(store, "monoclonal") == []
    assert lexical(store, "vein") == ["a#2"]
    assert store.counts() == {"documents": 1, "versions": 2, "passages": 2, "embeddings": 0}
    assert store.integrity_check() == "ok"


def test_unknown_document_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="'nope'"):
        store.get_document("nope")


def test_filters_and_retirement(store: Store) -> None:
    store.put_document(
        doc(
            "nci",
            ["Pembrolizumab is immunotherapy."],
            source="NCI",
            sourceType="02_nci_core",
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
            cancerTypes=["breast", "lung"],
            language="en-GB",
        )
    )
    store.put_document(doc("old", ["Pembrolizumab trial."], status="retired"))
    assert sorted(lexical(store, "pembrolizumab")) == ["cruk#1", "nci#1"]
    only = {
        SearchFilters(sources=frozenset({"NCI"})): ["nci#1"],
        SearchFilters(max_source_tier=2): ["nci#1"],
        SearchFilters(cancer_types=frozenset({"lung"})): ["cruk#1"],
        SearchFilters(languages=frozenset({"en-GB"})): ["cruk#1"],
        SearchFilters(licenses=frozenset({"public_domain"})): ["nci#1"],
        SearchFilters(statuses=frozenset({"retired"})): [],
    }
    for filters, expected in only.items():
        assert lexical(store, "pembrolizumab", filters) == expected, filters
        allowed = store.allowed_rows(filters)
        ids = [v.passage.passage_id for v in store.passages_by_rows(allowed.tolist())]
        assert ids == expected, filters
    assert store.set_status("nci", "retired") == 2
    assert lexical(store, "pembrolizumab") == ["cruk#1"]
    assert store.get_document("nci").metadata.status.value == "retired"


def test_review_metadata_round_trips(store: Store) -> None:
    store.put_document(
        doc("a", ["Text."], lastReviewed="2025-12-30", reviewFrequency="quarterly", owner="x")
    )
    ((doc_id, meta),) = store.all_metadata()
    assert doc_id == "a"
    assert meta.last_reviewed == dt.date(2025, 12, 30)
    assert meta.extra == {"owner": "x"}


def test_embeddings_are_keyed_by_text_and_reused(store: Store) -> None:
    store.put_document(doc("a", ["First passage.", "Second passage."]))
    missing = store.texts_missing_embeddings("m")
    assert [text.split("\n")[-1] for _, text in missing] == ["First passage.", "Second passage."]
    vectors = [np.full(4, i + 1, dtype=np.float32) for i in range(len(missing))]
    store.put_embeddings("m", [(key, vec) for (key, _), vec in zip(missing, vectors, strict=True)])
    assert store.texts_missing_embeddings("m") == []
    assert len(store.texts_missing_embeddings("other-model")) == 2
    rows, matrix = store.load_embeddings("m")
    assert matrix.shape == (2, 4) and matrix.dtype == np.float32
    assert sorted(matrix[:, 0].tolist()) == [1.0, 2.0]
    # A new version that keeps one passage's text needs only the other embedded.
    store.put_document(doc("a", ["First passage.", "A changed passage."]))
    again = store.texts_missing_embeddings("m")
    assert [text.split("\n")[-1] for _, text in again] == ["A changed passage."]
    rows, matrix = store.load_embeddings("m")
    assert len(rows) == 1 and matrix[0, 0] == 1.0
