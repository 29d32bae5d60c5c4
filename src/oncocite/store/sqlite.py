"""The embedded store: one SQLite file in WAL mode.

WAL lets readers (search, the API) work while an ingest writes, and each document
version is one `BEGIN IMMEDIATE … COMMIT`, so a process killed at any moment leaves
every document either wholly old or wholly new.

Each thread gets its own connection (a sqlite3 connection must not be used by two
threads at once), and reads that take several queries run in one read transaction,
so a reader never sees half of a concurrent write. An in-memory store has only one
database, so its single connection is shared under a lock instead.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from oncocite.errors import DamagedStore, StoreError
from oncocite.models import (
    DocumentMetadata,
    DocumentRecord,
    DocumentSummary,
    Status,
)
from oncocite.store import base, shared

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "fts5_match"]

_MIGRATIONS = "oncocite.store.sqlite_migrations"


def _migrations() -> list[tuple[int, str]]:
    return shared.migrations(_MIGRATIONS)


SCHEMA_VERSION = _migrations()[-1][0]


def _now() -> str:
    return shared.now().isoformat(timespec="microseconds")


def _phrase(words: Sequence[str]) -> str:
    """One FTS5 string literal; embedded quotes are doubled as FTS5 requires."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def fts5_match(query: base.TextQuery) -> str:
    """The FTS5 MATCH expression of a query: every term quoted, so user words are
    never FTS5 syntax (`NEAR`, `*`, `:` or a stray quote are just text)."""
    parts: list[str] = []
    for term in query.terms:
        if not term.words:
            continue
        quoted = _phrase(term.words)
        part = quoted if term.field == "any" else f"context : ({quoted})"
        parts += [part] * max(1, term.boost)
    return " OR ".join(parts)


class SQLiteStore:
    """Store implementation over one SQLite file (or ':memory:')."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        self._memory = self.path == ":memory:"
        if not self._memory:
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._registry = threading.Lock()
        self._guard: AbstractContextManager[Any] = (
            threading.RLock() if self._memory else nullcontext()
        )
        self._checked = self._memory  # integrity checked before this store's first write
        self._damage: DamagedStore | None = None
        try:
            with self._guard:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path}: cannot open as an oncocite store ({exc})") from exc

    # ------------------------------------------------------------------ plumbing
    def _connection(self) -> sqlite3.Connection:
        """This thread's connection (the one shared connection for ':memory:')."""
        if self._memory and self._opened:
            return self._opened[0]
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        conn.row_factory = sqlite3.Row
        conn.create_function("oncocite_text_hash", 1, base.context_hash, deterministic=True)
        conn.execute("PRAGMA busy_timeout=30000")
        if not self._memory:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        with self._registry:
            self._opened.append(conn)
        self._local.conn = conn
        return conn

    def _schema_version(self, conn: sqlite3.Connection) -> int:
        has_info = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='store_info'"
        ).fetchone()
        if not has_info:
            return 0
        row = conn.execute("SELECT value FROM store_info WHERE key='schema_version'").fetchone()
        return int(row["value"]) if row else 0

    def _migrate(self) -> None:
        """Apply the migrations this file lacks, all in one transaction; a library at
        the current version is only read (a read-only file opens for search)."""
        current = self._schema_version(self._connection())
        self.upgraded_from = current
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this oncocite "
                f"reads ({SCHEMA_VERSION}): upgrade oncocite"
            )
        if current == SCHEMA_VERSION:
            return
        with self._transaction("upgrading the schema", check=False) as conn:
            current = self._schema_version(conn)
            for number, script in _migrations():
                if number > current:
                    for statement in shared.statements(script):
                        conn.execute(statement)
            conn.execute(
                "INSERT OR REPLACE INTO store_info(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Any SQLite failure inside becomes one StoreError line saying what failed."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc, action) from exc
        except UnicodeEncodeError:  # a lone surrogate from undecodable input bytes
            raise StoreError(
                f"{action} failed: a value given is not valid text (undecodable bytes)"
            ) from None

    @contextmanager
    def _transaction(self, action: str, check: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction: other writers wait, readers go on seeing the old state.

        Before a store's first write the file is checked (`PRAGMA quick_check`): a
        damaged library is reported, never written into.
        """
        with self._guard, self._errors(action):
            conn = self._connection()
            if check and not self._checked:
                self._require_intact(conn)
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def _snapshot(self, action: str = "reading the library") -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees one committed state."""
        with self._guard, self._errors(action):
            conn = self._connection()
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def _require_intact(self, conn: sqlite3.Connection) -> None:
        if self._damage is not None:
            raise self._damage
        verdict = "; ".join(str(r[0]) for r in conn.execute("PRAGMA quick_check(3)"))
        if verdict != "ok":
            raise self._damaged(verdict)
        self._checked = True

    def _damaged(self, verdict: str) -> DamagedStore:
        verdict = " ".join(verdict.split())
        self._damage = DamagedStore(
            f"{self.path} is damaged (integrity check: {verdict}); nothing was written to "
            "it: restore it from a backup, or ingest the documents again into a new file"
        )
        return self._damage

    def _error(self, exc: sqlite3.Error, action: str) -> StoreError:
        """One StoreError line for any SQLite failure, saying what it means to do."""
        name = getattr(exc, "sqlite_errorname", "")
        if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(exc):
            try:
                rows = self._connection().execute("PRAGMA integrity_check(3)").fetchall()
                verdict = "; ".join(str(r[0]) for r in rows)
            except sqlite3.Error as again:
                verdict = str(again)
            return self._damaged(verdict)
        if name.startswith("SQLITE_BUSY") or "locked" in str(exc):
            return StoreError(
                f"{self.path} is busy: another process held its write lock for over 30 s; "
                f"{action} did not happen, try again"
            )
        if name.startswith("SQLITE_READONLY"):
            return StoreError(f"{self.path} is read-only: {action} did not happen")
        return StoreError(f"{self.path}: {action} failed ({exc}); nothing changed")

    def close(self) -> None:
        with self._registry:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    # ------------------------------------------------------------------ writes
    def put_document(self, doc: base.DocumentWrite) -> tuple[base.PutOutcome, int]:
        """Store a new version unless the content hash is unchanged; one transaction."""
        with self._transaction(f"storing {doc.doc_id}") as conn:
            return self._put(conn, doc)

    def _put(
        self, conn: sqlite3.Connection, doc: base.DocumentWrite
    ) -> tuple[base.PutOutcome, int]:
        row = conn.execute(
            "SELECT version, content_hash FROM documents WHERE doc_id=?", (doc.doc_id,)
        ).fetchone()
        if row is not None and row["content_hash"] == doc.content_hash:
            return "unchanged", int(row["version"])
        version = 1 if row is None else int(row["version"]) + 1
        self._write_version(conn, doc, version)
        conn.execute(
            "UPDATE store_info SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
        )
        return ("added" if row is None else "updated"), version

    def _write_version(
        self, conn: sqlite3.Connection, doc: base.DocumentWrite, version: int
    ) -> None:
        record = _json(doc.metadata.to_record())
        now = _now()
        conn.execute(
            "INSERT INTO versions(doc_id, version, content_hash, ingested_at, path, metadata, text)"
            " VALUES (?,?,?,?,?,?,?)",
            (doc.doc_id, version, doc.content_hash, now, doc.path, record, doc.text),
        )
        conn.execute(
            shared.upsert_documents_sql("?"),
            shared.document_values(doc, version, now, record, _json, dt.date.isoformat),
        )
        conn.execute(
            "DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE doc_id=?)",
            (doc.doc_id,),
        )
        conn.execute("DELETE FROM passages WHERE doc_id=?", (doc.doc_id,))
        insert = (
            f"INSERT INTO passages({', '.join(shared.PASSAGE_COLUMNS)}) "
            f"VALUES ({','.join('?' * len(shared.PASSAGE_COLUMNS))})"
        )
        for values in shared.passage_values(doc, _json):
            cur = conn.execute(insert, values)
            context, text = values[shared.PASSAGE_COLUMNS.index("context")], values[3]
            conn.execute(
                "INSERT INTO passages_fts(rowid, context, body) VALUES (?,?,?)",
                (cur.lastrowid, context, text),
            )

    def set_status(self, doc_id: str, status: Status, reviewed_by: str | None = None) -> int:
        """Record a status change (e.g. retirement) as a new version of the document.

        Read and write happen in one transaction, so a concurrent ingest of the same
        document is never overwritten by the text this change started from.
        """
        with self._transaction(f"changing the status of {doc_id}") as conn:
            record = self._read_document(conn, doc_id)
            if record.metadata.status is status:
                return record.version
            return self._put(conn, shared.status_change(record, status, reviewed_by))[1]

    # ------------------------------------------------------------------ reads
    def counts(self) -> dict[str, int]:
        with self._snapshot() as conn:
            return {
                table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for table in ("documents", "versions", "passages", "embeddings")
            }

    def generation(self) -> int:
        with self._snapshot() as conn:
            row = conn.execute("SELECT value FROM store_info WHERE key='generation'").fetchone()
        return int(row[0])

    def integrity_check(self) -> str:
        with self._guard:
            try:
                rows = self._connection().execute("PRAGMA integrity_check").fetchall()
            except sqlite3.DatabaseError as exc:
                return str(exc)
        return "; ".join(str(r[0]) for r in rows)

    def document_head(self, doc_id: str) -> base.DocumentHead | None:
        with self._snapshot() as conn:
            row = conn.execute(
                "SELECT version, content_hash, path FROM documents WHERE doc_id=?", (doc_id,)
            ).fetchone()
        if row is None:
            return None
        return base.DocumentHead(doc_id, int(row["version"]), str(row["content_hash"]), row["path"])

    def list_documents(self) -> list[DocumentSummary]:
        with self._snapshot() as conn:
            rows = conn.execute(
                """SELECT d.*, (SELECT count(*) FROM passages p WHERE p.doc_id=d.doc_id) AS n
                   FROM documents d ORDER BY d.doc_id"""
            ).fetchall()
        return [shared.document_summary(r) for r in rows]

    def all_metadata(self) -> list[tuple[str, DocumentMetadata]]:
        with self._snapshot() as conn:
            rows = conn.execute("SELECT doc_id, metadata FROM documents ORDER BY doc_id").fetchall()
        return [(r["doc_id"], _metadata(r["metadata"])) for r in rows]

    def version_text(self, doc_id: str, version: int) -> str | None:
        with self._snapshot() as conn:
            row = conn.execute(
                "SELECT text FROM versions WHERE doc_id=? AND version=?", (doc_id, version)
            ).fetchone()
        return None if row is None else str(row[0])

    def get_document(self, doc_id: str) -> DocumentRecord:
        with self._snapshot() as conn:
            return self._read_document(conn, doc_id)

    def _read_document(self, conn: sqlite3.Connection, doc_id: str) -> DocumentRecord:
        return shared.read_document(conn, doc_id, "?", json.loads)

    # ------------------------------------------------------------------ retrieval
    def _filter_sql(self, filters: base.SearchFilters) -> tuple[str, list[Any]]:
        clauses = ["d.status != 'retired'"]
        params: list[Any] = []

        for column, values in shared.filter_sets(filters):
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(sorted(values))
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
        self, query: base.TextQuery, k: int, filters: base.SearchFilters
    ) -> list[base.TextMatch]:
        """BM25 over the FTS5 index; FTS5's bm25() is lower-is-better, so it is negated."""
        match = fts5_match(query)
        if not match:
            return []
        where, params = self._filter_sql(filters)
        weights = (query.weights.context, query.weights.body)
        sql = f"""
            SELECT f.rowid AS key, -bm25(passages_fts, ?, ?) AS score
            FROM passages_fts f
            JOIN passages p ON p.id = f.rowid
            JOIN documents d ON d.doc_id = p.doc_id
            WHERE passages_fts MATCH ? AND {where}
            ORDER BY bm25(passages_fts, ?, ?), f.rowid LIMIT ?"""
        with self._snapshot("a full-text query") as conn:
            rows = conn.execute(sql, [*weights, match, *params, *weights, k]).fetchall()
        return [base.TextMatch(key=int(r["key"]), score=float(r["score"])) for r in rows]

    def passages_by_keys(self, keys: Sequence[base.PassageKey]) -> list[base.PassageView]:
        if not len(keys):
            return []
        found: dict[int, base.PassageView] = {}
        with self._snapshot() as conn:
            for chunk_start in range(0, len(keys), 500):
                chunk = [int(k) for k in keys[chunk_start : chunk_start + 500]]
                marks = ",".join("?" * len(chunk))
                for r in conn.execute(
                    f"""SELECT p.*, d.title, d.source, d.url, d.license, d.last_reviewed,
                               d.review_frequency, d.version
                        FROM passages p JOIN documents d ON d.doc_id = p.doc_id
                        WHERE p.id IN ({marks})""",
                    chunk,
                ):
                    found[int(r["id"])] = shared.passage_view(r, json.loads)
        return [found[int(key)] for key in keys if int(key) in found]

    def allowed_keys(self, filters: base.SearchFilters) -> base.KeyArray:
        where, params = self._filter_sql(filters)
        with self._snapshot() as conn:
            rows = conn.execute(
                f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id "
                f"WHERE {where} ORDER BY p.id",
                params,
            ).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    # ------------------------------------------------------------------ vectors
    def texts_missing_embeddings(self, model: str) -> list[tuple[str, str]]:
        """(hash, text to embed) of every passage and context text with no vector yet."""
        with self._snapshot() as conn:
            rows = conn.execute(
                """SELECT p.text_hash AS hash, p.context, p.text, min(p.id) AS first
                   FROM passages p
                   WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                                     WHERE e.model = ? AND e.text_hash = p.text_hash)
                   GROUP BY p.text_hash
                   UNION ALL
                   SELECT p.context_hash, '', p.context, min(p.id)
                   FROM passages p
                   WHERE p.context != '' AND NOT EXISTS (
                       SELECT 1 FROM embeddings e
                       WHERE e.model = ? AND e.text_hash = p.context_hash)
                   GROUP BY p.context_hash
                   ORDER BY first""",
                (model, model),
            ).fetchall()
        missing: dict[str, str] = {}
        for r in rows:
            missing.setdefault(r["hash"], base.embedding_text(r["context"], r["text"]))
        return list(missing.items())

    def put_embeddings(
        self, model: str, items: Sequence[tuple[str, npt.NDArray[np.float32]]]
    ) -> None:
        with self._transaction("saving embeddings") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(model, text_hash, vector) VALUES (?,?,?)",
                [(model, key, np.asarray(vec, dtype="<f4").tobytes()) for key, vec in items],
            )
            conn.execute(
                "INSERT INTO store_info(key, value) VALUES ('vectors', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )

    def load_embeddings(
        self, model: str, field: base.VectorField = "passage"
    ) -> base.StoredVectors:
        """Vectors of every passage that has one (retired included: filters are
        applied at query time, so one matrix serves every filter)."""
        column = "text_hash" if field == "passage" else "context_hash"
        with self._snapshot() as conn:
            rows = conn.execute(
                f"""SELECT p.id, d.rowid, e.vector, coalesce(p.question, '') <> ''
                    FROM passages p
                    JOIN documents d ON d.doc_id = p.doc_id
                    JOIN embeddings e ON e.text_hash = p.{column} AND e.model = ?
                    ORDER BY p.id""",
                (model,),
            ).fetchall()
        keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        documents = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        standalone = np.fromiter((bool(r[3]) for r in rows), dtype=np.bool_, count=len(rows))
        if not rows:
            return base.StoredVectors(
                keys, np.zeros((0, 0), dtype=np.float32), documents, standalone
            )
        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype="<f4")
        matrix = matrix.reshape(len(rows), -1).astype(np.float32)
        return base.StoredVectors(keys, matrix, documents, standalone)

    def vectors_generation(self) -> int:
        with self._snapshot() as conn:
            row = conn.execute("SELECT value FROM store_info WHERE key='vectors'").fetchone()
        return 0 if row is None else int(row[0])

    def generations(self) -> tuple[int, int]:
        with self._snapshot() as conn:
            rows = dict(conn.execute(shared.GENERATIONS_SQL).fetchall())
        return int(rows["generation"]), int(rows.get("vectors", 0))

    def embedding_count(self, model: str) -> int:
        with self._snapshot() as conn:
            row = conn.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,))
            return int(row.fetchone()[0])

    # ------------------------------------------------------------------ artifacts
    def put_artifact(self, name: str, generation: int, data: bytes) -> None:
        try:
            with self._transaction(f"saving {name}") as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO artifacts(name, generation, created_at, data) "
                    "VALUES (?,?,?,?)",
                    (name, generation, _now(), data),
                )
        except DamagedStore:
            raise
        except StoreError:
            pass  # a read-only file or a busy writer: the artifact is only a cache

    def get_artifact(self, name: str) -> tuple[int, bytes] | None:
        with self._snapshot() as conn:
            row = conn.execute(
                "SELECT generation, data FROM artifacts WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _metadata(raw: str) -> DocumentMetadata:
    return DocumentMetadata.from_record(json.loads(raw))
