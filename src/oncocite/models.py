"""The pydantic models every layer passes to the next.

Layers exchange these models, never loose dicts, so that a field renamed in one
place fails type checking everywhere it is used.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from oncocite.licences import normalise_licence

__all__ = [
    "MAX_TITLE_CHARS",
    "AudienceLevel",
    "DocumentMetadata",
    "DocumentRecord",
    "DocumentSummary",
    "Hit",
    "IngestFileResult",
    "IngestReport",
    "Link",
    "Passage",
    "ReviewFrequency",
    "ReviewItem",
    "Status",
    "VersionRecord",
    "is_http_url",
    "shown",
]

_SOURCE_TYPE = re.compile(r"^(\d{2})_[a-z0-9][a-z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
# A title is indexed with every passage of its document, so it must stay a title.
MAX_TITLE_CHARS = 500
_SHOWN_CHARS = 60


def shown(value: Any) -> str:
    """repr of a value for an error message, cut short: the input may be megabytes."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 4] + "…" + text[-3:]


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host that urllib can take apart.

    `http://[::1` (an unclosed IPv6 host) looks like a URL to a regex but makes
    urllib raise wherever a link is later resolved against it.
    """
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError on a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class Status(StrEnum):
    """Lifecycle of a document: only `retired` hides it from search."""

    ACTIVE = "active"
    DRAFT = "draft"
    RETIRED = "retired"


class AudienceLevel(StrEnum):
    """Who a document is written for; answers for patients prefer `patient`."""

    PATIENT = "patient"
    CAREGIVER = "caregiver"
    GENERAL = "general"
    PROFESSIONAL = "professional"


class ReviewFrequency(StrEnum):
    """How often a source must be re-checked; `months` gives the interval."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"
    BIENNIAL = "biennial"

    @property
    def months(self) -> int:
        return {
            "monthly": 1,
            "quarterly": 3,
            "semiannual": 6,
            "annual": 12,
            "biennial": 24,
        }[self.value]


_FREQUENCY_SYNONYMS = {
    "month": "monthly",
    "quarter": "quarterly",
    "biannual": "semiannual",
    "half-yearly": "semiannual",
    "half_yearly": "semiannual",
    "semi-annual": "semiannual",
    "six-monthly": "semiannual",
    "yearly": "annual",
    "annually": "annual",
    "year": "annual",
    "two-yearly": "biennial",
    "biennially": "biennial",
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class DocumentMetadata(BaseModel):
    """Metadata of a vetted document, as written in frontmatter or a sidecar file.

    Keys are accepted in camelCase (as in the NCI seed) or snake_case. Keys the schema
    does not know are kept in `extra`, because a source may carry facts we have not
    modelled yet and losing them silently would be worse than storing them.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=_camel,
        str_strip_whitespace=True,
        use_enum_values=False,
    )

    title: str = Field(min_length=1)
    url: str | None = None
    source: str | None = None
    source_type: str | None = None
    audience_level: AudienceLevel | None = None
    cancer_types: list[str] = Field(default_factory=list)
    language: str = "en"
    license: str | None = Field(default=None, validation_alias=AliasChoices("license", "licence"))
    citation: str | None = None
    last_reviewed: dt.date | None = None
    review_frequency: ReviewFrequency | None = None
    status: Status = Status.ACTIVE
    tags: list[str] = Field(default_factory=list)
    version: str | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _title_is_text(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("is missing")
        if not isinstance(value, str):
            raise ValueError(f"{shown(value)} is not text")
        if len(value.strip()) > MAX_TITLE_CHARS:
            raise ValueError(
                f"is {len(value.strip()):,} characters long, over the {MAX_TITLE_CHARS} "
                "a title may have"
            )
        return value

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value and not is_http_url(value):
            raise ValueError(f"{shown(value)} is not an http(s) URL")
        return value

    @field_validator("license")
    @classmethod
    def _known_licence(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise_licence(value)
        except ValueError as exc:  # its message quotes the value: keep that short
            raise ValueError(str(exc).replace(repr(value), shown(value))) from None

    @field_validator("source_type")
    @classmethod
    def _source_type_has_tier(cls, value: str | None) -> str | None:
        if value is not None and not _SOURCE_TYPE.match(value):
            raise ValueError(
                f"{shown(value)} is not a tiered source type (two-digit tier, e.g. '02_nci_core')"
            )
        return value

    @field_validator("cancer_types", "tags", mode="before")
    @classmethod
    def _list_of_slugs(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            raise ValueError(f"{shown(value)} is not a list")
        cleaned = [str(item).strip().lower().replace(" ", "_") for item in value]
        for item in cleaned:
            if not _SLUG.match(item):
                raise ValueError(f"{shown(item)} is not a lowercase name such as 'breast'")
        return cleaned

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str) -> str:
        if not _LANGUAGE.match(value):
            raise ValueError(f"{shown(value)} is not a language code such as 'en' or 'en-GB'")
        return value

    @field_validator("last_reviewed", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if value is None or isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{shown(text)} is not a date (YYYY-MM-DD)") from None

    @field_validator("review_frequency", mode="before")
    @classmethod
    def _frequency_word(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip().lower()
            return _FREQUENCY_SYNONYMS.get(word, word)
        return value

    @property
    def source_tier(self) -> int | None:
        """Trust tier from the `NN_` prefix of source_type: lower is more trusted."""
        if self.source_type is None:
            return None
        return int(self.source_type[:2])

    @property
    def extra(self) -> dict[str, Any]:
        """Keys the schema does not model, kept as they were written."""
        return dict(self.__pydantic_extra__ or {})

    def to_record(self) -> dict[str, Any]:
        """JSON-ready dict with snake_case keys and unknown keys under `extra`."""
        data = self.model_dump(mode="json", exclude=set(self.extra))
        data["source_tier"] = self.source_tier
        data["extra"] = {k: _jsonable(v) for k, v in self.extra.items()}
        return data

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> DocumentMetadata:
        """Inverse of `to_record`: unknown keys come back as extras."""
        data = dict(record)
        extra = data.pop("extra", None) or {}
        data.pop("source_tier", None)
        return cls.model_validate({**extra, **data})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class Link(BaseModel):
    """A hyperlink reduced to its text; the URL is kept so a citation can follow it."""

    text: str
    url: str
    start: int = Field(description="offset of the link text in the passage text")
    end: int


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
    metadata: dict[str, Any]


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


FileOutcome = Literal["added", "updated", "unchanged", "skipped", "failed"]


class IngestFileResult(BaseModel):
    """What happened to one file (or one document of a multi-document file)."""

    path: str
    doc_id: str | None = None
    outcome: FileOutcome
    version: int | None = None
    passages: int = 0
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    """Summary of one ingest run; `failed` makes the CLI exit 1."""

    results: list[IngestFileResult] = Field(default_factory=list)
    seconds: float = 0.0
    embedded: int = Field(default=0, description="passage texts newly embedded")

    def count(self, outcome: FileOutcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def passages(self) -> int:
        return sum(r.passages for r in self.results if r.outcome in ("added", "updated"))

    def summary(self) -> dict[str, Any]:
        return {
            "added": self.count("added"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skipped"),
            "failed": self.failed,
            "passages_written": self.passages,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }


class ReviewItem(BaseModel):
    """A document due (or overdue) for review, as `oncocite review` lists it."""

    doc_id: str
    title: str
    source: str | None
    last_reviewed: dt.date | None
    review_frequency: ReviewFrequency | None
    due: dt.date | None
    days_overdue: int | None
    state: Literal["overdue", "due", "unknown"]
    reason: str


class Hit(BaseModel):
    """One search result, in the public JSON shape plus ranking details."""

    passage_id: str
    doc_id: str
    title: str
    source: str | None
    url: str | None
    score: float
    text: str
    heading_path: list[str] = Field(default_factory=list)
    license: str | None = None
    last_reviewed: dt.date | None = None
    scores: dict[str, float] = Field(default_factory=dict)
