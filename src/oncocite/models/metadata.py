"""Document metadata: the schema of frontmatter and sidecars, and metadata overrides.

Each field's rule is an annotated type defined once here and used by both
`DocumentMetadata` (a document's whole metadata) and `MetadataOverrides` (the values
a curator gives on the command line or through the API), so a licence spelled
"CC BY 4.0" is normalised, and "maybe" rejected, the same way wherever it is written.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from oncocite.licences import normalise_licence

__all__ = [
    "MAX_TITLE_CHARS",
    "AudienceLevel",
    "DocumentMetadata",
    "IngestOrigin",
    "MetadataOverrides",
    "Provenance",
    "ReviewFrequency",
    "Status",
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


# ---------------------------------------------------------------- field rules
def _text(value: Any) -> Any:
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


def _http_url(value: str | None) -> str | None:
    if value and not is_http_url(value):
        raise ValueError(f"{shown(value)} is not an http(s) URL")
    return value


def _licence(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalise_licence(value)
    except ValueError as exc:  # its message quotes the value: keep that short
        raise ValueError(str(exc).replace(repr(value), shown(value))) from None


def _source_type(value: str | None) -> str | None:
    if value is not None and not _SOURCE_TYPE.match(value):
        raise ValueError(
            f"{shown(value)} is not a tiered source type (two-digit tier, e.g. '02_nci_core')"
        )
    return value


def _slugs(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise ValueError(f"{shown(value)} is not a list")
    cleaned = [str(item).strip().lower().replace(" ", "_") for item in value]
    for item in cleaned:
        if not _SLUG.match(item):
            raise ValueError(f"{shown(item)} is not a lowercase name such as 'breast'")
    return cleaned


def _language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(f"{shown(value)} is not a language code such as 'en' or 'en-GB'")
    return value


def _optional_language(value: str | None) -> str | None:
    return None if value is None else _language(value)


def _iso_date(value: Any) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{shown(text)} is not a date (YYYY-MM-DD)") from None


def _frequency_word(value: Any) -> Any:
    if isinstance(value, str):
        word = value.strip().lower()
        return _FREQUENCY_SYNONYMS.get(word, word)
    return value


Title = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
HttpUrl = Annotated[str | None, AfterValidator(_http_url)]
LicenceId = Annotated[str | None, AfterValidator(_licence)]
SourceType = Annotated[str | None, AfterValidator(_source_type)]
Slugs = Annotated[list[str], BeforeValidator(_slugs)]
LanguageCode = Annotated[str, AfterValidator(_language)]
IsoDate = Annotated[dt.date | None, BeforeValidator(_iso_date)]
Frequency = Annotated[ReviewFrequency | None, BeforeValidator(_frequency_word)]


IngestOrigin = Literal["cli", "api", "python"]


class Provenance(BaseModel):
    """How a version came to be stored: set by oncocite, never by the document.

    A file's frontmatter may claim anything (`source: NCI`, `status: active`); what
    the file itself said is listed in `claimed`, apart from what a curator gave
    (flags, sidecar, API metadata), so a reviewer can tell a vouched-for tier from
    a claimed one. `source_hash` is the ingest fingerprint of the content, kept
    through status changes, so re-ingesting an unchanged file after `activate` or
    `retire` leaves the document as the reviewer left it.
    """

    model_config = ConfigDict(extra="ignore")

    ingested_by: IngestOrigin | None = Field(
        default=None,
        description="cli, api or python: which door it came in by (None: stored before "
        "oncocite recorded it)",
    )
    actor: str | None = Field(default=None, description="who ingested it, where known")
    ingested_at: dt.datetime | None = None
    claimed: list[str] = Field(
        default_factory=list,
        description="metadata fields whose value only the document itself states",
    )
    source_hash: str | None = Field(default=None, description="fingerprint of the content")
    draft_reason: str | None = Field(
        default=None, description="why it was stored as a draft, if it was"
    )
    reviewed_by: str | None = Field(default=None, description="who last changed its status")
    reviewed_at: dt.datetime | None = None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class DocumentMetadata(BaseModel):
    """Metadata of a vetted document, as written in frontmatter or a sidecar file.

    Keys are accepted in camelCase (as in the NCI seed) or snake_case. Keys the schema
    does not know are kept in `extra`, because a source may carry facts we have not
    modelled yet and losing them silently would be worse than storing them. Dumped,
    it is the stored record: snake_case keys, `source_tier`, unknown keys under `extra`.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=_camel,
        str_strip_whitespace=True,
        use_enum_values=False,
    )

    title: Title
    url: HttpUrl = None
    source: str | None = None
    source_type: SourceType = None
    audience_level: AudienceLevel | None = None
    cancer_types: Slugs = Field(default_factory=list)
    language: LanguageCode = "en"
    license: LicenceId = Field(default=None, validation_alias=AliasChoices("license", "licence"))
    citation: str | None = None
    last_reviewed: IsoDate = None
    review_frequency: Frequency = None
    status: Status = Status.ACTIVE
    tags: Slugs = Field(default_factory=list)
    version: str | None = None
    provenance: Provenance | None = Field(
        default=None, description="set by oncocite at ingest; a document cannot set it"
    )

    @model_validator(mode="before")
    @classmethod
    def _unwrap_record(cls, data: Any) -> Any:
        """Accept the stored record shape too, so dump and validate round-trip."""
        if isinstance(data, dict) and isinstance(data.get("extra"), dict):
            data = {**data["extra"], **{k: v for k, v in data.items() if k != "extra"}}
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "source_tier"}
        return data

    @model_serializer(mode="wrap")
    def _as_record(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        extra = self.extra
        record = {k: v for k, v in data.items() if k not in extra}
        record["source_tier"] = self.source_tier
        record["extra"] = {k: _jsonable(v) for k, v in extra.items()}
        return record

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
        return self.model_dump(mode="json")

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> DocumentMetadata:
        """Inverse of `to_record`: unknown keys come back as extras."""
        return cls.model_validate(record)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _flag(*names: str) -> dict[str, Any]:
    return {"flags": list(names)}


class MetadataOverrides(BaseModel):
    """Metadata given for every file of one ingest run; it wins over file and sidecar.

    Values are checked by the same rules as `DocumentMetadata` when the overrides are
    made, so a bad `--license` fails once, before any file is read. Only the fields
    that are set take part. The CLI's ingest flags are generated from these fields
    (`json_schema_extra["flags"]` names them where the flag is not the field name).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Annotated[str | None, Field(min_length=1)] = Field(
        default=None, description="Document title (overrides the file)."
    )
    source: str | None = Field(default=None, description="Publisher, e.g. 'Cancer Research UK'.")
    source_type: SourceType = Field(
        default=None, description="Tiered source type, e.g. 02_nci_core."
    )
    url: HttpUrl = Field(default=None, description="Canonical URL of the page.")
    license: LicenceId = Field(
        default=None,
        description="Licence id, e.g. CC-BY-4.0.",
        json_schema_extra=_flag("--license", "--licence"),
    )
    audience_level: AudienceLevel | None = Field(
        default=None,
        description="patient, caregiver, general or professional.",
        json_schema_extra=_flag("--audience"),
    )
    cancer_types: Annotated[list[str] | None, BeforeValidator(_slugs)] = Field(
        default=None,
        description="Cancer type (repeat for several).",
        json_schema_extra=_flag("--cancer-type"),
    )
    language: Annotated[str | None, AfterValidator(_optional_language)] = Field(
        default=None, description="Language code, e.g. en."
    )
    citation: str | None = Field(default=None, description="How to cite the source.")
    last_reviewed: IsoDate = Field(default=None, description="YYYY-MM-DD.")
    review_frequency: Frequency = Field(
        default=None, description="monthly, quarterly, semiannual, annual, biennial."
    )
    status: Status | None = Field(default=None, description="active, draft or retired.")
    tags: Annotated[list[str] | None, BeforeValidator(_slugs)] = Field(
        default=None, description="Tag (repeat for several).", json_schema_extra=_flag("--tag")
    )
    version: str | None = Field(default=None, description="The source's own version label.")

    def as_layer(self) -> dict[str, Any]:
        """The values that are set, as a metadata layer (snake_case keys)."""
        return {
            key: value
            for key, value in self.model_dump(mode="json", exclude_none=True).items()
            if value not in ([], "")
        }

    @staticmethod
    def flags(field: str) -> list[str]:
        """Command-line flags of a field: its `flags` extra, else `--field-name`."""
        extra = MetadataOverrides.model_fields[field].json_schema_extra
        flags = extra.get("flags") if isinstance(extra, dict) else None
        if isinstance(flags, list):
            return [str(flag) for flag in flags]
        return ["--" + field.replace("_", "-")]
