"""Documents as stored: passages, versions, and the views `documents` and `show` return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, computed_field

from oncocite.models.metadata import DocumentMetadata, Status

__all__ = [
    "DocumentList",
    "DocumentRecord",
    "DocumentSummary",
    "Link",
    "Passage",
    "SchemaUpgrade",
    "VersionRecord",
]


class Link(BaseModel):
    """A hyperlink reduced to its text; the URL is kept so a citation can follow it."""

    text: str
    url: str
    start: int = Field(description="offset of the link text in the passage text")
    end: int
    # an image's alt text (the URL is the picture's): it describes a picture, so it
    # may help search find the page but is never quoted as an answer sentence
    image: bool = False


class Passage(BaseModel):
    """A retrievable span of a document's cleaned text, never cutting a sentence.

    `start`/`end` are character offsets into the cleaned text of the document version,
    so `document_text[start:end] == text` always holds and a quote can be located.
    """

    passage_id: str
    doc_id: str
    seq: int
    text: str
    start: int
    end: int
    heading_path: list[str] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    question: str | None = None
    question_type: str | None = None
    focus: str | None = None

    def context(self, title: str) -> str:
        """The words that say what a passage is about without being its text.

        Title, headings, focus and question type are indexed beside the text (and
        prefixed to it for embedding) because a passage such as "Treatment depends on
        the stage" only makes sense with its heading. The question itself is never
        included: retrieval must find answers, not look questions up.
        """
        parts: list[str] = []
        for part in [title, *self.heading_path, self.focus or "", self.question_type or ""]:
            if part and part.lower() not in (p.lower() for p in parts):
                parts.append(part)
        return " · ".join(parts)


class VersionRecord(BaseModel):
    """One ingested state of a document; versions are never rewritten."""

    doc_id: str
    version: int
    content_hash: str
    ingested_at: dt.datetime
    path: str | None = None
    metadata: dict[str, Any] = Field(
        description="the metadata record as stored then, kept as written even if the "
        "schema has moved on since"
    )


class DocumentSummary(BaseModel):
    """A row of `oncocite documents`."""

    doc_id: str
    title: str
    source: str | None
    source_type: str | None
    license: str | None
    status: Status
    last_reviewed: dt.date | None
    version: int
    passages: int
    format: str


class SchemaUpgrade(BaseModel):
    """What `oncocite db upgrade` did: the library's schema version before and after."""

    database: str = Field(description="The library, without any password.")
    kind: str = Field(description="sqlite or postgresql.")
    from_version: int
    to_version: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changed(self) -> bool:
        return self.from_version != self.to_version


class DocumentList(BaseModel):
    """Every stored document (`oncocite documents`, `GET /v1/documents`)."""

    documents: list[DocumentSummary]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return len(self.documents)


class DocumentRecord(BaseModel):
    """A document with its current metadata, text and passages (`oncocite show`)."""

    doc_id: str
    format: str
    path: str | None
    metadata: DocumentMetadata
    version: int
    content_hash: str
    ingested_at: dt.datetime
    text: str
    passages: list[Passage]
    versions: list[VersionRecord]
