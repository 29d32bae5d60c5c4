"""The store interface: the only door to a database.

Every implementation (the embedded SQLite store today, PostgreSQL later) passes the
same contract tests, so the layers above never know which one they talk to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from oncocite.models import DocumentMetadata, DocumentRecord, DocumentSummary, Passage

__all__ = [
    "DocumentWrite",
    "LexicalRow",
    "PassageView",
    "PutOutcome",
    "SearchFilters",
    "Store",
]

PutOutcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class DocumentWrite:
    """Everything needed to store one version of a document in one transaction."""

    doc_id: str
    format: str
    path: str | None
    metadata: DocumentMetadata
    content_hash: str
    text: str
    passages: Sequence[Passage]


@dataclass(frozen=True)
class SearchFilters:
    """Metadata filters shared by every retrieval path; retired is always excluded.

    Each field is a set of accepted values (any of them matches); empty means any.
    """

    cancer_types: frozenset[str] = frozenset()
    audience_levels: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    source_types: frozenset[str] = frozenset()
    max_source_tier: int | None = None
    languages: frozenset[str] = frozenset()
    licenses: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    doc_ids: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return self == SearchFilters()


@dataclass(frozen=True)
class LexicalRow:
    """A full-text match: the passage's row key and its BM25 score (higher is better)."""

    row: int
    score: float


@dataclass
class PassageView:
    """A passage with the document fields a search hit shows."""

    row: int
    passage: Passage
    title: str
    source: str | None
    url: str | None
    license: str | None
    last_reviewed: dt.date | None
    extra: dict[str, str] = field(default_factory=dict)


class Store(Protocol):
    """What every store implementation offers."""

    url: str

    def close(self) -> None: ...

    # documents and versions
    def put_document(self, doc: DocumentWrite) -> tuple[PutOutcome, int]: ...
    def current_hash(self, doc_id: str) -> str | None: ...
    def list_documents(self) -> list[DocumentSummary]: ...
    def get_document(self, doc_id: str) -> DocumentRecord: ...
    def all_metadata(self) -> list[tuple[str, DocumentMetadata]]: ...
    def set_status(self, doc_id: str, status: str) -> int: ...
    def counts(self) -> dict[str, int]: ...
    def integrity_check(self) -> str: ...

    # retrieval
    def lexical_search(
        self, match: str, k: int, filters: SearchFilters, weights: tuple[float, float]
    ) -> list[LexicalRow]: ...
    def passages_by_rows(self, rows: Sequence[int]) -> list[PassageView]: ...
    def allowed_rows(self, filters: SearchFilters) -> npt.NDArray[np.int64]: ...

    # vectors, keyed by (model, hash of the embedded text): unchanged text is reused
    def texts_missing_embeddings(self, model: str) -> list[tuple[str, str]]: ...
    def put_embeddings(
        self, model: str, items: Sequence[tuple[str, npt.NDArray[np.float32]]]
    ) -> None: ...
    def load_embeddings(
        self, model: str
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]: ...
