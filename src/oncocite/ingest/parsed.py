"""What a reader hands to the rest of ingest: cleaned text plus its structure.

Readers only read and clean. Validation, chunking and storage happen afterwards, the
same way for every format, so a new format needs only a new reader.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from oncocite.models import Link

__all__ = [
    "MAX_LINKS",
    "MAX_PASSAGES",
    "DocumentTooLarge",
    "ParsedDocument",
    "PassageDraft",
    "Section",
    "TooManyLinks",
    "TooManyPassages",
]

# Every passage is a row in the store and in both indexes: a 10 MB file of one-line
# sections would otherwise become 300,000 of them. Ordinary prose gives about 2,000
# passages per MB, so only files of unusual shape reach the limit.
MAX_PASSAGES = 50_000
# Each link is an object kept until the document is stored (10 MB of links: 480 MB).
MAX_LINKS = 50_000


class DocumentTooLarge(ValueError):
    """A document over a per-document limit; the message is the reason, for the user."""


class TooManyPassages(DocumentTooLarge):
    def __init__(self) -> None:
        super().__init__(
            f"would be cut into more than {MAX_PASSAGES:,} passages, the most one document "
            "may have: split it into smaller files"
        )


class TooManyLinks(DocumentTooLarge):
    def __init__(self) -> None:
        super().__init__(
            f"has more than {MAX_LINKS:,} links, the most one document may have: "
            "split it into smaller files"
        )


class Section(BaseModel):
    """A run of body text under one heading path, as offsets into `ParsedDocument.text`.

    Chunks never cross a section boundary, so every passage keeps the headings that
    give it meaning ("Side effects" > "Immunotherapy").
    """

    heading_path: list[str] = Field(default_factory=list)
    start: int
    end: int


class PassageDraft(BaseModel):
    """A passage before it has ids: text and offsets into the document's cleaned text."""

    text: str
    start: int
    end: int
    heading_path: list[str] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    key: str | None = Field(
        default=None,
        description="reader-given passage key (MedQuAD's 'Sec<pid>'); None means '#<n>'",
    )
    question: str | None = None
    question_type: str | None = None
    focus: str | None = None


class ParsedDocument(BaseModel):
    """One document as a reader found it.

    `metadata` holds what the file itself says about the document (frontmatter, XML
    attributes, the title line of a scraped page) before validation; `links` are
    offsets into `text` (the link text) with the URL resolved against the document url.
    Readers that know their own passage boundaries (MedQuAD) fill `passages`;
    otherwise the chunker builds them from `sections`.
    """

    doc_id: str
    format: str
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    passages: list[PassageDraft] | None = None
    warnings: list[str] = Field(default_factory=list)
