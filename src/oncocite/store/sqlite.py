"""The embedded store: one SQLite file in WAL mode.

WAL lets readers (search, the API) work while an ingest writes, and each document
version is one `BEGIN IMMEDIATE … COMMIT`, so a process killed at any moment leaves
every document either wholly old or wholly new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from oncocite.errors import NotFound, StoreError
from oncocite.models import (
    DocumentMetadata,
    DocumentRecord,
    DocumentSummary,
    Link,
    Passage,
    VersionRecord,
)
from oncocite.store.base import (
    DocumentWrite,
    LexicalRow,
    PassageView,
    PutOutcome,
    SearchFilters,
)

__all__ = ["SQLiteStore", "embedding_text"]

SCHEMA_VERSION = "1"


def embedding_text(context: str, text: str) -> str:
    """The exact string embedded for a passage; its hash keys the vector cache."""
    return f"{context}\n{text}" if context else text


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class SQLiteStore:
    """Store implementation over one SQLite file (or ':memory:')."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
        try:
            self.conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30.0
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as an oncocite store ({exc})") from exc

    # ------------------------------------------------------------------ plumbing
    def _migrate(self) -> None:
        schema = resources.files("oncocite.store").joinpath("schema_sqlite.sql").read_text()
        with self._transaction():
            for statement in schema.split(";\n"):
                if statement.strip():
                    self.conn.execute(statement)
            row = self.conn.execute(
                "SELECT value FROM store_info WHERE key='schema_version'"
            ).fetchone()
            if row is None:
                self.conn.execute(
                    "INSERT INTO store_info(key, value) VALUES ('schema_version', ?)",
                    (SCHEMA_VERSION,),
                )
            elif row["value"] != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {row['value']} is not supported "
                    f"(this oncocite reads version {SCHEMA_VERSION})"
                )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ writes
    def current_hash(self, doc_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT content_hash FROM documents WHERE doc_id=?", (doc_id,)
        ).fetchone()
        return None if row is None else str(row["content_hash"])

    def put_document(self, doc: DocumentWrite) -> tuple[PutOutcome, int]:
        """Store a new version unless the content hash is unchanged; one transaction."""
        try:
            with self._transaction() as conn:
                row = conn.execute(
                    "SELECT version, content_hash FROM documents WHERE doc_id=?",
                    (doc.doc_id,),
                ).fetchone()
                if row is not None and row["content_hash"] == doc.content_hash:
                    return "unchanged", int(row["version"])
                version = 1 if row is None else int(row["version"]) + 1
                self._write_version(conn, doc, version)
                return ("added" if row is None else "updated"), version
        except sqlite3.Error as exc:
            raise StoreError(f"{doc.doc_id}: could not be stored ({exc}); nothing changed") from exc

    def _write_version(self, conn: sqlite3.Connection, doc: DocumentWrite, version: int) -> None:
        meta = doc.metadata
        record = json.dumps(meta.to_record(), ensure_ascii=False)
        now = _now()
        conn.execute(
            "INSERT INTO versions(doc_id, version, content_hash, ingested_at, path, metadata, text)"
            " VALUES (?,?,?,?,?,?,?)",
            (doc.doc_id, version, doc.content_hash, now, doc.path, record, doc.text),
        )
        conn.execute(
            """INSERT INTO documents(doc_id, format, path, title, source, source_type,
                 source_tier, audience_level, language, license, status, last_reviewed,
                 review_frequency, cancer_types, url, metadata, version, content_hash,
                 ingested_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(doc_id) DO UPDATE SET
                 format=excluded.format, path=excluded.path, title=excluded.title,
                 source=excluded.source, source_type=excluded.source_type,
                 source_tier=excluded.source_tier, audience_level=excluded.audience_level,
                 language=excluded.language, license=excluded.license,
                 status=excluded.status, last_reviewed=excluded.last_reviewed,
                 review_frequency=excluded.review_frequency,
                 cancer_types=excluded.cancer_types, url=excluded.url,
                 metadata=excluded.metadata, version=excluded.version,
                 content_hash=excluded.content_hash, ingested_at=excluded.ingested_at""",
            (
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
                meta.last_reviewed.isoformat() if meta.last_reviewed else None,
                meta.review_frequency.value if meta.review_frequency else None,
                json.dumps(meta.cancer_types),
                meta.url,
                record,
                version,
                doc.content_hash,
                now,
            ),
        )
        conn.execute(
            "DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE doc_id=?)",
            (doc.doc_id,),
        )
        conn.execute("DELETE FROM passages WHERE doc_id=?", (doc.doc_id,))
        for p in doc.passages:
            context = p.context(meta.title)
            cur = conn.execute(
                """INSERT INTO passages(passage_id, doc_id, seq, text, start_offset,
                     end_offset, heading_path, links, question, question_type, focus,
                     context, text_hash)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    p.passage_id,
                    doc.doc_id,
                    p.seq,
                    p.text,
                    p.start,
                    p.end,
                    json.dumps(p.heading_path, ensure_ascii=False),
                    json.dumps([link.model_dump() for link in p.links], ensure_ascii=False),
                    p.question,
                    p.question_type,
                    p.focus,
                    context,
                    _hash(embedding_text(context, p.text)),
                ),
            )
            conn.execute(
                "INSERT INTO passages_fts(rowid, context, body) VALUES (?,?,?)",
                (cur.lastrowid, context, p.text),
            )

    def set_status(self, doc_id: str, status: str) -> int:
        """Record a status change (e.g. retirement) as a new version of the document."""
        record = self.get_document(doc_id)
        if record.metadata.status.value == status:
            return record.version
        metadata = DocumentMetadata.from_record({**record.metadata.to_record(), "status": status})
        doc = DocumentWrite(
            doc_id=doc_id,
            format=record.format,
            path=record.path,
            metadata=metadata,
            content_hash=_hash(f"{record.content_hash}:{status}"),
            text=record.text,
            passages=record.passages,
        )
        return self.put_document(doc)[1]

    # ------------------------------------------------------------------ reads
    def counts(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "documents": int(one("SELECT count(*) FROM documents").fetchone()[0]),
            "versions": int(one("SELECT count(*) FROM versions").fetchone()[0]),
            "passages": int(one("SELECT count(*) FROM passages").fetchone()[0]),
            "embeddings": int(one("SELECT count(*) FROM embeddings").fetchone()[0]),
        }

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def list_documents(self) -> list[DocumentSummary]:
        rows = self.conn.execute(
            """SELECT d.*, (SELECT count(*) FROM passages p WHERE p.doc_id=d.doc_id) AS n
               FROM documents d ORDER BY d.doc_id"""
        ).fetchall()
        return [
            DocumentSummary(
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
            for r in rows
        ]

    def all_metadata(self) -> list[tuple[str, DocumentMetadata]]:
        rows = self.conn.execute("SELECT doc_id, metadata FROM documents ORDER BY doc_id")
        return [(r["doc_id"], _metadata(r["metadata"])) for r in rows]

    def get_document(self, doc_id: str) -> DocumentRecord:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id!r} (list them with `oncocite documents`)")
        versions = self.conn.execute(
            "SELECT * FROM versions WHERE doc_id=? ORDER BY version", (doc_id,)
        ).fetchall()
        current = next(v for v in versions if v["version"] == row["version"])
        passages = self.conn.execute(
            "SELECT * FROM passages WHERE doc_id=? ORDER BY seq", (doc_id,)
        ).fetchall()
        return DocumentRecord(
            doc_id=doc_id,
            format=row["format"],
            path=row["path"],
            metadata=_metadata(row["metadata"]),
            version=row["version"],
            content_hash=row["content_hash"],
            ingested_at=row["ingested_at"],
            text=current["text"],
            passages=[_passage(p) for p in passages],
            versions=[
                VersionRecord(
                    doc_id=doc_id,
                    version=v["version"],
                    content_hash=v["content_hash"],
                    ingested_at=v["ingested_at"],
                    path=v["path"],
                    metadata=json.loads(v["metadata"]),
                )
                for v in versions
            ],
        )

    # ------------------------------------------------------------------ retrieval
    def _filter_sql(self, filters: SearchFilters) -> tuple[str, list[Any]]:
        clauses = ["d.status != 'retired'"]
        params: list[Any] = []

        def any_of(column: str, values: frozenset[str]) -> None:
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(sorted(values))

        any_of("d.audience_level", filters.audience_levels)
        any_of("d.source", filters.sources)
        any_of("d.source_type", filters.source_types)
        any_of("d.language", filters.languages)
        any_of("d.license", filters.licenses)
        any_of("d.status", filters.statuses)
        any_of("d.doc_id", filters.doc_ids)
        if filters.cancer_types:
            marks = ",".join("?" * len(filters.cancer_types))
            clauses.append(
                f"EXISTS (SELECT 1 FROM json_each(d.cancer_types) WHERE value IN ({marks}))"
            )
            params.extend(sorted(filters.cancer_types))
        if filters.max_source_tier is not None:
            clauses.append("d.source_tier <= ?")
            params.append(filters.max_source_tier)
        return " AND ".join(clauses), params

    def lexical_search(
        self, match: str, k: int, filters: SearchFilters, weights: tuple[float, float]
    ) -> list[LexicalRow]:
        """BM25 over the FTS5 index; FTS5's bm25() is lower-is-better, so it is negated."""
        where, params = self._filter_sql(filters)
        sql = f"""
            SELECT f.rowid AS row, -bm25(passages_fts, ?, ?) AS score
            FROM passages_fts f
            JOIN passages p ON p.id = f.rowid
            JOIN documents d ON d.doc_id = p.doc_id
            WHERE passages_fts MATCH ? AND {where}
            ORDER BY bm25(passages_fts, ?, ?) LIMIT ?"""
        try:
            rows = self.conn.execute(
                sql, [weights[0], weights[1], match, *params, weights[0], weights[1], k]
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"full-text query {match!r} failed: {exc}") from exc
        return [LexicalRow(row=int(r["row"]), score=float(r["score"])) for r in rows]

    def passages_by_rows(self, rows: Sequence[int]) -> list[PassageView]:
        if not rows:
            return []
        found: dict[int, PassageView] = {}
        for chunk_start in range(0, len(rows), 500):
            chunk = list(rows[chunk_start : chunk_start + 500])
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"""SELECT p.*, d.title, d.source, d.url, d.license, d.last_reviewed
                    FROM passages p JOIN documents d ON d.doc_id = p.doc_id
                    WHERE p.id IN ({marks})""",
                chunk,
            ):
                found[int(r["id"])] = PassageView(
                    row=int(r["id"]),
                    passage=_passage(r),
                    title=r["title"],
                    source=r["source"],
                    url=r["url"],
                    license=r["license"],
                    last_reviewed=(
                        dt.date.fromisoformat(r["last_reviewed"]) if r["last_reviewed"] else None
                    ),
                )
        return [found[row] for row in rows if row in found]

    def allowed_rows(self, filters: SearchFilters) -> npt.NDArray[np.int64]:
        where, params = self._filter_sql(filters)
        rows = self.conn.execute(
            f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE {where}",
            params,
        ).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    # ------------------------------------------------------------------ vectors
    def texts_missing_embeddings(self, model: str) -> list[tuple[str, str]]:
        """(text_hash, text to embed) for every passage text with no vector yet."""
        rows = self.conn.execute(
            """SELECT p.text_hash, p.context, p.text FROM passages p
               WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                                 WHERE e.model = ? AND e.text_hash = p.text_hash)
               GROUP BY p.text_hash ORDER BY min(p.id)""",
            (model,),
        ).fetchall()
        return [(r["text_hash"], embedding_text(r["context"], r["text"])) for r in rows]

    def put_embeddings(
        self, model: str, items: Sequence[tuple[str, npt.NDArray[np.float32]]]
    ) -> None:
        with self._transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(model, text_hash, vector) VALUES (?,?,?)",
                [(model, key, np.asarray(vec, dtype="<f4").tobytes()) for key, vec in items],
            )

    def load_embeddings(self, model: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Row keys and vectors of every passage that has one (retired included;
        filters are applied at query time so one matrix serves every filter)."""
        rows = self.conn.execute(
            """SELECT p.id, e.vector FROM passages p
               JOIN embeddings e ON e.text_hash = p.text_hash AND e.model = ?
               ORDER BY p.id""",
            (model,),
        ).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        if not rows:
            return ids, np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4")
        return ids, matrix.reshape(len(rows), -1).astype(np.float32)


def _metadata(raw: str) -> DocumentMetadata:
    return DocumentMetadata.from_record(json.loads(raw))


def _passage(r: sqlite3.Row) -> Passage:
    return Passage(
        passage_id=r["passage_id"],
        doc_id=r["doc_id"],
        seq=r["seq"],
        text=r["text"],
        start=r["start_offset"],
        end=r["end_offset"],
        heading_path=json.loads(r["heading_path"]),
        links=[Link.model_validate(x) for x in json.loads(r["links"])],
        question=r["question"],
        question_type=r["question_type"],
        focus=r["focus"],
    )
