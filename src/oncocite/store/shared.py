"""What every store implementation does the same way, whatever its database.

Migrations are numbered SQL files shipped in a package per database; a status
change is a new version whose content hash says which status it records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

from oncocite.errors import NotFound
from oncocite.models import (
    DocumentMetadata,
    DocumentRecord,
    DocumentSummary,
    Link,
    Passage,
    Provenance,
    Status,
    VersionRecord,
)
from oncocite.store.base import (
    DocumentWrite,
    PassageView,
    SearchFilters,
    context_hash,
    embedding_text_hash,
)

__all__ = [
    "DOCUMENT_COLUMNS",
    "GENERATIONS_SQL",
    "PASSAGE_COLUMNS",
    "document_record",
    "document_summary",
    "document_values",
    "filter_sets",
    "migrations",
    "now",
    "passage_from_row",
    "passage_values",
    "passage_view",
    "read_document",
    "statements",
    "status_change",
    "upsert_documents_sql",
]

Row = Mapping[str, Any]
# How a store writes a JSON value (text for SQLite, a JSONB wrapper for PostgreSQL)
# and reads one back (json.loads, or as it comes).
Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]

DOCUMENT_COLUMNS = (
    "doc_id", "format", "path", "title", "source", "source_type", "source_tier",
    "audience_level", "language", "license", "status", "last_reviewed",
    "review_frequency", "cancer_types", "url", "metadata", "version", "content_hash",
    "ingested_at",
)  # fmt: skip
# Both change counters in one read (the vectors counter exists once a vector was put).
GENERATIONS_SQL = "SELECT key, value FROM store_info WHERE key IN ('generation', 'vectors')"
PASSAGE_COLUMNS = (
    "passage_id", "doc_id", "seq", "text", "start_offset", "end_offset", "heading_path",
    "links", "question", "question_type", "focus", "context", "text_hash", "context_hash",
)  # fmt: skip


def upsert_documents_sql(mark: str) -> str:
    """INSERT … ON CONFLICT of a documents row (SQLite and PostgreSQL say it alike);
    `mark` is the dialect's parameter placeholder."""
    updates = ", ".join(f"{c}=excluded.{c}" for c in DOCUMENT_COLUMNS[1:])
    return (
        f"INSERT INTO documents({', '.join(DOCUMENT_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(DOCUMENT_COLUMNS))}) "
        f"ON CONFLICT(doc_id) DO UPDATE SET {updates}"
    )


def document_values(
    doc: DocumentWrite, version: int, stamp: Any, record: Any, encode: Encode, day: Encode
) -> tuple[Any, ...]:
    """The documents row of a version, in DOCUMENT_COLUMNS order."""
    meta = doc.metadata
    return (
        doc.doc_id,
        doc.format,
        doc.path,
        meta.title,
        meta.source,
        meta.source_type,
        meta.source_tier,
        meta.audience_level.value if meta.audience_level else None,
        meta.language,
        meta.license,
        meta.status.value,
        day(meta.last_reviewed) if meta.last_reviewed else None,
        meta.review_frequency.value if meta.review_frequency else None,
        encode(meta.cancer_types),
        meta.url,
        record,
        version,
        doc.content_hash,
        stamp,
    )


def passage_values(doc: DocumentWrite, encode: Encode) -> list[tuple[Any, ...]]:
    """The passages rows of a version, in PASSAGE_COLUMNS order."""
    rows = []
    for p in doc.passages:
        context = p.context(doc.metadata.title)
        rows.append(
            (
                p.passage_id,
                doc.doc_id,
                p.seq,
                p.text,
                p.start,
                p.end,
                encode(p.heading_path),
                encode([link.model_dump() for link in p.links]),
                p.question,
                p.question_type,
                p.focus,
                context,
                embedding_text_hash(context, p.text),
                context_hash(context),
            )
        )
    return rows


def passage_from_row(r: Row, decode: Decode) -> Passage:
    return Passage(
        passage_id=r["passage_id"],
        doc_id=r["doc_id"],
        seq=r["seq"],
        text=r["text"],
        start=r["start_offset"],
        end=r["end_offset"],
        heading_path=decode(r["heading_path"]),
        links=[Link.model_validate(x) for x in decode(r["links"])],
        question=r["question"],
        question_type=r["question_type"],
        focus=r["focus"],
    )


def passage_view(r: Row, decode: Decode) -> PassageView:
    """A passage row joined with its document's title, source, url, licence, review."""
    reviewed = r["last_reviewed"]
    return PassageView(
        key=int(r["id"]),
        passage=passage_from_row(r, decode),
        title=r["title"],
        source=r["source"],
        url=r["url"],
        license=r["license"],
        last_reviewed=dt.date.fromisoformat(reviewed) if isinstance(reviewed, str) else reviewed,
        review_frequency=r["review_frequency"],
        version=int(r["version"]),
    )


def document_summary(r: Row) -> DocumentSummary:
    """A documents row with its passage count `n`."""
    return DocumentSummary(
        doc_id=r["doc_id"],
        title=r["title"],
        source=r["source"],
        source_type=r["source_type"],
        license=r["license"],
        status=r["status"],
        last_reviewed=r["last_reviewed"],
        version=r["version"],
        passages=r["n"],
        format=r["format"],
    )


def document_record(
    row: Row, versions: Sequence[Row], passages: Sequence[Row], decode: Decode
) -> DocumentRecord:
    """A document from its row, its version rows (in order) and its passage rows."""
    current = next(v for v in versions if v["version"] == row["version"])
    return DocumentRecord(
        doc_id=row["doc_id"],
        format=row["format"],
        path=row["path"],
        metadata=DocumentMetadata.from_record(decode(row["metadata"])),
        version=row["version"],
        content_hash=row["content_hash"],
        ingested_at=row["ingested_at"],
        text=current["text"],
        passages=[passage_from_row(p, decode) for p in passages],
        versions=[
            VersionRecord(
                doc_id=row["doc_id"],
                version=v["version"],
                content_hash=v["content_hash"],
                ingested_at=v["ingested_at"],
                path=v["path"],
                metadata=decode(v["metadata"]),
            )
            for v in versions
        ],
    )


def read_document(conn: Any, doc_id: str, mark: str, decode: Decode) -> DocumentRecord:
    """A stored document, its versions and its passages, read through `conn` (whose
    `execute` takes the driver's placeholder `mark`: ? or %s), or NotFound."""
    row = conn.execute(f"SELECT * FROM documents WHERE doc_id={mark}", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"no document with id {doc_id!r} (list them with `oncocite documents`)")
    versions = conn.execute(
        f"SELECT * FROM versions WHERE doc_id={mark} ORDER BY version", (doc_id,)
    ).fetchall()
    passages = conn.execute(
        f"SELECT * FROM passages WHERE doc_id={mark} ORDER BY seq", (doc_id,)
    ).fetchall()
    return document_record(row, versions, passages, decode)


def filter_sets(filters: SearchFilters) -> list[tuple[str, frozenset[str]]]:
    """(documents column, accepted values) of each set-valued filter that is given."""
    pairs = [
        ("d.audience_level", filters.audience_levels),
        ("d.source", filters.sources),
        ("d.source_type", filters.source_types),
        ("d.language", filters.languages),
        ("d.license", filters.licenses),
        ("d.status", filters.statuses),
        ("d.doc_id", filters.doc_ids),
    ]
    return [(column, values) for column, values in pairs if values]


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


def status_change(
    record: DocumentRecord, status: Status, reviewed_by: str | None = None
) -> DocumentWrite:
    """The write that records `status` as a new version of a stored document.

    Text and passages stay as they are; the content hash is derived from the old one
    and the status, so setting the same status twice is "unchanged". The provenance
    is kept (how the content came in) and says who changed the status, and when.
    """
    meta = record.metadata
    provenance = meta.provenance or Provenance()
    update: dict[str, object] = {
        "status": status,
        "provenance": provenance.model_copy(
            update={"reviewed_by": reviewed_by, "reviewed_at": now().replace(microsecond=0)}
        ),
    }
    metadata = DocumentMetadata.from_record(meta.model_copy(update=update).to_record())
    return DocumentWrite(
        doc_id=record.doc_id,
        format=record.format,
        path=record.path,
        metadata=metadata,
        content_hash=hashlib.sha256(f"{record.content_hash}:{status.value}".encode()).hexdigest(),
        text=record.text,
        passages=record.passages,
    )
