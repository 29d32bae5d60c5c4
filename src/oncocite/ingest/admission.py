"""What a document may be when it is let in: dates checked, provenance recorded, and
whether it starts as a draft.

The library is meant to hold vetted documents only, but a file can be wrong or
tampered with, and its frontmatter may claim anything (`source: NCI`, `status:
active`). So the door records what the document claimed apart from what a curator
gave, and a document that no curator has vouched for (one that came in through the
REST API, or has no source or no licence) starts as a draft: stored and searchable
by curators, never quoted in an answer until a reviewer activates it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from oncocite.errors import InvalidDocument
from oncocite.models import DocumentMetadata, IngestOrigin, Provenance, Status

__all__ = [
    "FUTURE_TOLERANCE",
    "admit",
    "check_dates",
    "claimed_fields",
    "draft_reason",
]

# A review dated tomorrow is a time-zone difference; one dated later is a mistake
# (or a way to keep a page from ever falling due), and 9999-12-31 would make every
# later date calculation overflow.
FUTURE_TOLERANCE = dt.timedelta(days=1)
# Keys a curator or the document may write that name metadata fields.
_PROVENANCE_KEYS = frozenset({"provenance"})


def check_dates(path: Path, metadata: DocumentMetadata, today: dt.date) -> None:
    """A lastReviewed after tomorrow is an error naming the file and field."""
    day = metadata.last_reviewed
    if day is not None and day > today + FUTURE_TOLERANCE:
        raise InvalidDocument(
            path,
            f"{day.isoformat()} is in the future (today is {today.isoformat()}): give the "
            "date the page was last reviewed",
            field="lastReviewed",
        )


def claimed_fields(document: Mapping[str, Any], curator: Iterable[Mapping[str, Any]]) -> list[str]:
    """Metadata fields the document states and no curator layer (sidecar, flags, API
    metadata) restates: the document's own claims, by schema field name."""
    given = {_field(key) for layer in curator for key in layer}
    fields = set(DocumentMetadata.model_fields) - _PROVENANCE_KEYS - {"title"}
    return sorted({_field(key) for key in document} & fields - given)


def draft_reason(metadata: DocumentMetadata, origin: IngestOrigin) -> str | None:
    """Why a document must start as a draft, or None when it may be as it says."""
    if metadata.status is not Status.ACTIVE:
        return None
    if origin == "api":
        return "it came in through the REST API"
    missing = [name for name in ("source", "license") if not getattr(metadata, name)]
    if missing:
        return f"it has no {' and no '.join(missing)}"
    return None


def admit(
    path: Path,
    metadata: DocumentMetadata,
    *,
    origin: IngestOrigin,
    actor: str | None,
    claimed: list[str],
    source_hash: str,
    today: dt.date,
) -> tuple[DocumentMetadata, list[str]]:
    """The metadata to store (status and provenance set) and the warnings to report;
    raises InvalidDocument for a date that cannot be right."""
    check_dates(path, metadata, today)
    reason = draft_reason(metadata, origin)
    provenance = Provenance(
        ingested_by=origin,
        actor=actor,
        ingested_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        claimed=claimed,
        source_hash=source_hash,
        draft_reason=reason,
    )
    update: dict[str, Any] = {"provenance": provenance}
    warnings: list[str] = []
    if reason is not None:
        update["status"] = Status.DRAFT
        warnings.append(
            f"stored as a draft because {reason}: it is not used in answers until a "
            "reviewer checks it and runs `oncocite activate DOC_ID`"
        )
    return metadata.model_copy(update=update), warnings


def _field(key: str) -> str:
    """A metadata key as its schema field name ("lastReviewed" -> "last_reviewed")."""
    for name, info in DocumentMetadata.model_fields.items():
        if key in (name, info.alias):
            return name
    return key
