"""What every store implementation does the same way, whatever its database.

Migrations are numbered SQL files shipped in a package per database; a status
change is a new version whose content hash says which status it records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import resources

from oncocite.models import DocumentMetadata, DocumentRecord, Status
from oncocite.store.base import DocumentWrite

__all__ = ["migrations", "now", "statements", "status_change"]


def migrations(package: str) -> list[tuple[int, str]]:
    """(number, SQL) of every migration shipped in `package`, in order."""
    found = []
    for entry in resources.files(package).iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            found.append((int(entry.name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def statements(script: str) -> list[str]:
    """The statements of a migration script: comment lines dropped, split on `;` at a
    line end (no statement shipped has one inside)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().strip(";")]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def status_change(record: DocumentRecord, status: Status) -> DocumentWrite:
    """The write that records `status` as a new version of a stored document.

    Text and passages stay as they are; the content hash is derived from the old one
    and the status, so setting the same status twice is "unchanged".
    """
    metadata = DocumentMetadata.from_record({**record.metadata.to_record(), "status": status.value})
    return DocumentWrite(
        doc_id=record.doc_id,
        format=record.format,
        path=record.path,
        metadata=metadata,
        content_hash=hashlib.sha256(f"{record.content_hash}:{status.value}".encode()).hexdigest(),
        text=record.text,
        passages=record.passages,
    )
