"""The store interface: the only door to a database, in words no database owns.

Every implementation (the embedded SQLite store today, PostgreSQL next) passes the
same contract suite (`tests/contract`), so the layers above never know which one
they talk to. Nothing here names a SQL dialect: a full-text query is a `TextQuery`
of words and field weights that each store translates into its own syntax, and a
passage is named by an opaque `PassageKey` that the store hands out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from oncocite.models import DocumentMetadata, DocumentRecord, DocumentSummary, Passage, Status

__all__ = [
    "DocumentHead",
    "DocumentWrite",
    "FieldWeights",
    "KeyArray",
    "PassageKey",
    "PassageView",
    "PutOutcome",
    "QueryTerm",
    "SearchFilters",
    "Store",
    "StoredVectors",
    "TextMatch",
    "TextQuery",
    "VectorField",
    "VectorSearch",
    "context_hash",
    "embedding_text",
    "embedding_text_hash",
]

PutOutcome = Literal["added", "updated", "unchanged"]

PassageKey = int
"""A store-assigned number naming one stored passage.

Opaque: it means nothing outside the store that issued it. Stable: it names the
same passage for as long as that passage is stored, and is never reused for another
one, so an index built a moment ago can at worst hold a key that no longer exists
(and is dropped), never one that now names a different passage.
"""

KeyArray = npt.NDArray[np.int64]


def embedding_text(context: str, text: str) -> str:
    """The exact string embedded for a passage: its context line, then its text.

    The context (title, headings, focus) is embedded with the text because a passage
    such as "Treatment depends on the stage" only means something under its heading.
    """
    return f"{context}\n{text}" if context else text


def embedding_text_hash(context: str, text: str) -> str:
    """The key of a passage's vector: equal embedded text, equal key, one vector."""
    return hashlib.sha1(embedding_text(context, text).encode("utf-8")).hexdigest()


def context_hash(context: str) -> str:
    """The key of a passage's context vector: the embedding of its context line alone.

    A context says what a passage is about ("Breast cancer · Treatment"), much as
    the question it answers would; matched against a patient's question it finds
    the passages that answer that kind of question about that topic.
    """
    return hashlib.sha1(context.encode("utf-8")).hexdigest()


VectorField = Literal["passage", "context"]


class StoredVectors(NamedTuple):
    """Vectors of stored passages: keys ascending, one row each, the document each
    passage belongs to (a number that only groups passages of one document), and
    whether it answers a question of its own (a MedQuAD question-answer pair: a
    whole answer, where a section of a page is only part of one)."""

    keys: KeyArray
    vectors: npt.NDArray[np.float32]
    documents: KeyArray
    standalone: npt.NDArray[np.bool_]


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
class DocumentHead:
    """What a writer needs to know of a stored document without reading it all."""

    doc_id: str
    version: int
    content_hash: str
    path: str | None


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


@dataclass(frozen=True)
class FieldWeights:
    """How much a match in each field counts: context (title, headings, focus) and body."""

    context: float = 2.0
    body: float = 1.0


@dataclass(frozen=True)
class QueryTerm:
    """A word, or a phrase of consecutive words, that a passage may contain.

    `field="context"` matches only the passage context (question-type words such as
    "treatment" say what a passage is about, not what it mentions); `boost` counts
    the term that many times, the portable way to weight one term above another.
    """

    words: tuple[str, ...]
    field: Literal["any", "context"] = "any"
    boost: int = 1


@dataclass(frozen=True)
class TextQuery:
    """A full-text query: any of its terms may match (OR), ranked by BM25."""

    terms: tuple[QueryTerm, ...]
    weights: FieldWeights = FieldWeights()

    @property
    def is_empty(self) -> bool:
        return not any(term.words for term in self.terms)


@dataclass(frozen=True)
class TextMatch:
    """A full-text match: the passage's key and its BM25 score (higher is better)."""

    key: PassageKey
    score: float


@dataclass(frozen=True)
class PassageView:
    """A passage with the document fields a search hit shows."""

    key: PassageKey
    passage: Passage
    title: str
    source: str | None
    url: str | None
    license: str | None
    last_reviewed: dt.date | None
    review_frequency: str | None = None
    version: int = 1


class Store(Protocol):
    """What every store implementation offers; safe to share between threads."""

    url: str

    def close(self) -> None: ...

    # documents and versions
    def put_document(self, doc: DocumentWrite) -> tuple[PutOutcome, int]:
        """Store a new version unless the content hash is unchanged; all or nothing."""
        ...

    def document_head(self, doc_id: str) -> DocumentHead | None:
        """Version, content hash and path of a stored document, or None."""
        ...

    def list_documents(self) -> list[DocumentSummary]: ...
    def get_document(self, doc_id: str) -> DocumentRecord:
        """The document with its versions and passages; `NotFound` if there is none."""
        ...

    def all_metadata(self) -> list[tuple[str, DocumentMetadata]]: ...
    def version_text(self, doc_id: str, version: int) -> str | None:
        """The cleaned text of one stored version of a document, or None."""
        ...

    def set_status(self, doc_id: str, status: Status, reviewed_by: str | None = None) -> int:
        """Record a status change as a new version (unless unchanged), with who made
        it in the provenance; the version."""
        ...

    def counts(self) -> dict[str, int]: ...
    def generation(self) -> int:
        """A number that grows with every change search can see (documents, passages,
        statuses): caches built above the store are valid while it stays the same."""
        ...

    def integrity_check(self) -> str: ...

    # retrieval
    def lexical_search(self, query: TextQuery, k: int, filters: SearchFilters) -> list[TextMatch]:
        """The k best BM25 matches that pass the filters, best first."""
        ...

    def passages_by_keys(self, keys: Sequence[PassageKey]) -> list[PassageView]:
        """The passages of `keys` in that order; keys no longer stored are left out."""
        ...

    def allowed_keys(self, filters: SearchFilters) -> KeyArray:
        """Keys of every searchable passage that passes the filters, ascending."""
        ...

    # vectors, keyed by (model, hash of the embedded text): unchanged text is reused
    def texts_missing_embeddings(self, model: str) -> list[tuple[str, str]]:
        """(hash, text to embed) of every stored passage text (`embedding_text`) and
        context line (`context_hash`) that has no vector for `model` yet."""
        ...

    def put_embeddings(
        self, model: str, items: Sequence[tuple[str, npt.NDArray[np.float32]]]
    ) -> None: ...
    def load_embeddings(self, model: str, field: VectorField = "passage") -> StoredVectors:
        """Vectors (of the passage text, or of its context line) of every stored
        passage that has one."""
        ...

    def embedding_count(self, model: str) -> int: ...
    def vectors_generation(self) -> int:
        """A number that grows with every `put_embeddings`: vector caches compare it
        (counting the vectors of a model on every query would cost milliseconds)."""
        ...

    def generations(self) -> tuple[int, int]:
        """(`generation()`, `vectors_generation()`) read together, in one round trip:
        a search checks both, and on a database server each read is one."""
        ...

    # derived data (e.g. a search index) kept beside the library it was built from
    def put_artifact(self, name: str, generation: int, data: bytes) -> None:
        """Keep `data` under `name` (replacing it), marked with the generation it is
        of; never fails the caller's work: a store that cannot write skips it."""
        ...

    def get_artifact(self, name: str) -> tuple[int, bytes] | None: ...


@runtime_checkable
class VectorSearch(Protocol):
    """A store that can find nearest passage vectors itself, through an approximate
    index (PostgreSQL: pgvector's HNSW), so a large library need not be searched
    row by row. Optional: the engine asks `isinstance(store, VectorSearch)` and
    otherwise searches its in-memory matrix exactly (the SQLite store)."""

    def nearest(
        self, model: str, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters
    ) -> list[TextMatch]:
        """Up to k passages that pass the filters whose `passage` vectors (of
        `embedding_text`) are closest to the normalised `vector`, best first, scored
        by cosine similarity (the inner product the exact index computes).
        Approximate: a passage may be missed, and with a selective filter fewer than
        k may come back although more pass it; the caller decides what then."""
        ...
