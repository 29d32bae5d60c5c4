"""The shared store: one PostgreSQL database (with pgvector) for many workers.

Chosen by `--db postgresql://…` when one process on one SQLite file is not enough:
API workers on several machines share one database. The contract is the embedded
store's (`tests/contract` runs on both); what differs is how it is kept:

- Each document version is one transaction, and two writers of the same document
  take turns on a transaction-scoped advisory lock named by its id, so two ingesters
  running at once each store whole versions and never number two versions alike.
  A killed writer's transaction is rolled back by the server.
- Reads that take several queries run in one REPEATABLE READ transaction, so they
  see one committed state, as SQLite's read transactions do.
- The schema is changed only by `oncocite db upgrade` (under an advisory lock, so
  two upgraders cannot interleave); a worker finding an older schema says so and
  stops, rather than migrating a database other workers are serving from.
- Full text is PostgreSQL's own (`english` stemming, GIN indexes, `ts_rank` with
  field weights); vectors are pgvector columns with an HNSW index per model over
  the vectors of passage texts (migration 2).
- Connections come from a pool (`pool_max` per process), shared by threads.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from oncocite.errors import MissingExtra, StoreError
from oncocite.models import (
    DocumentMetadata,
    DocumentRecord,
    DocumentSummary,
    Status,
)
from oncocite.store.base import (
    DocumentHead,
    DocumentWrite,
    KeyArray,
    PassageKey,
    PassageView,
    PutOutcome,
    SearchFilters,
    StoredVectors,
    TextMatch,
    TextQuery,
    VectorField,
    embedding_text,
)
from oncocite.store.shared import (
    GENERATIONS_SQL,
    PASSAGE_COLUMNS,
    document_summary,
    document_values,
    filter_sets,
    migrations,
    now,
    passage_values,
    passage_view,
    read_document,
    statements,
    status_change,
    upsert_documents_sql,
)

try:  # the `postgres` extra
    import psycopg
    from pgvector.psycopg import register_vector
    from psycopg.rows import dict_row
    from psycopg.types.json import Jsonb
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError:  # pragma: no cover - checked by open_store's message
    psycopg = None  # type: ignore[assignment]

__all__ = ["SCHEMA_VERSION", "PostgresStore", "ann_depth", "display_url", "upgrade"]

_MIGRATIONS = "oncocite.store.postgres_migrations"
SCHEMA_VERSION = migrations(_MIGRATIONS)[-1][0]
# The advisory lock `db upgrade` holds; document locks use their id's 64-bit hash.
_UPGRADE_LOCK = 0x6F6E636F  # "onco"
# Settings oncocite reads from the URL's query (the rest go to libpq as they are).
POOL_PARAMS = ("pool_min", "pool_max", "pool_timeout")
# Seconds to wait for a connection. Shorter than the API's deadline (10 s), so that a
# database that went away is a 503 "try again" rather than a 504 after the wait.
POOL_TIMEOUT_S = 5.0
# How deep `nearest` reads the HNSW index: ANN_OVERFETCH x k vectors, within pgvector's
# bounds for hnsw.ef_search (an HNSW scan returns at most ef_search rows). Measured in
# benchmarks/hnsw_recall.py (docs/benchmarks.md).
ANN_OVERFETCH = 4
ANN_MIN_DEPTH = 40
ANN_MAX_DEPTH = 1000


def ann_depth(k: int) -> int:
    """How many nearest vectors `nearest` reads (and hnsw.ef_search) for k passages."""
    return max(ANN_MIN_DEPTH, min(ANN_MAX_DEPTH, ANN_OVERFETCH * k))


def _require_driver() -> None:
    if psycopg is None:
        raise MissingExtra(
            "a postgresql:// library needs the postgres extra: pip install 'oncocite[postgres]'"
        )


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if "@" in parts.netloc:
        user = parts.netloc.split("@", 1)[0].split(":", 1)[0]
        host = f"{user}@{host}"
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _split_url(url: str) -> tuple[str, dict[str, str]]:
    """(the URL libpq is given, oncocite's own pool settings taken out of its query)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in query if k in POOL_PARAMS}
    theirs = [(k, v) for k, v in query if k not in POOL_PARAMS]
    scheme = "postgresql" if parts.scheme == "postgres" else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(theirs), "")), ours


def _positive(settings: dict[str, str], name: str, default: float, url: str) -> float:
    raw = settings.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise StoreError(f"{display_url(url)}: {name}={raw!r} in the URL must be a positive number")
    return value


def _schema_version(conn: Any) -> int:
    row = conn.execute("SELECT to_regclass('store_info') IS NOT NULL AS present").fetchone()
    if not row["present"]:
        return 0
    found = conn.execute("SELECT value FROM store_info WHERE key='schema_version'").fetchone()
    return int(found["value"]) if found else 0


def upgrade(url: str) -> tuple[int, int]:
    """Apply the migrations the database lacks, in one transaction, under an advisory
    lock (two upgraders run one after the other); (version before, version after)."""
    _require_driver()
    conninfo, _ = _split_url(url)
    try:
        with psycopg.connect(conninfo, autocommit=True, row_factory=dict_row) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (_UPGRADE_LOCK,))
            try:
                before = _schema_version(conn)
                if before > SCHEMA_VERSION:
                    raise StoreError(
                        f"{display_url(url)}: schema version {before} is newer than this "
                        f"oncocite reads ({SCHEMA_VERSION}): upgrade oncocite"
                    )
                with conn.transaction():
                    for number, script in migrations(_MIGRATIONS):
                        if number > before:
                            for statement in statements(script):
                                conn.execute(statement)
                    conn.execute(
                        "INSERT INTO store_info(key, value) VALUES ('schema_version', %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (str(SCHEMA_VERSION),),
                    )
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_UPGRADE_LOCK,))
    except psycopg.Error as exc:
        raise _error(url, exc, "upgrading the schema") from exc
    return before, SCHEMA_VERSION


def _error(url: str, exc: Exception, action: str) -> StoreError:
    """One StoreError line for any database failure; the password is never shown."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    where = display_url(url)
    if isinstance(exc, psycopg.OperationalError) and "connect" in detail.lower():
        return StoreError(
            f"{where}: cannot connect to PostgreSQL ({detail}); {action} did not happen"
        )
    if isinstance(exc, PoolTimeout):
        return StoreError(
            f"{where}: no database connection came free in time; {action} did not happen, "
            "try again (or raise pool_max in the URL)"
        )
    return StoreError(f"{where}: {action} failed ({detail}); nothing changed")


def _tsweights(context: float, body: float) -> tuple[float, float]:
    """(context, body) weights as ts_rank takes them: at most 1 each (their ratio is
    what ranks). The context line is weight A of `tsv`, the body weight D."""
    top = max(context, body, 1e-9)
    return context / top, body / top


class PostgresStore:
    """Store implementation over one PostgreSQL database with pgvector."""

    def __init__(self, url: str) -> None:
        _require_driver()
        self.url = url
        self.display = display_url(url)
        conninfo, settings = _split_url(url)
        pool_min = int(_positive(settings, "pool_min", 1, url))
        pool_max = max(pool_min, int(_positive(settings, "pool_max", 4, url)))
        timeout = _positive(settings, "pool_timeout", POOL_TIMEOUT_S, url)
        self._indexed_models: set[str] = set()
        self._models_lock = threading.Lock()
        try:
            with psycopg.connect(conninfo, autocommit=True, row_factory=dict_row) as conn:
                found = _schema_version(conn)
        except psycopg.Error as exc:
            raise _error(url, exc, "opening the library") from None
        if found != SCHEMA_VERSION:
            newer = found > SCHEMA_VERSION
            raise StoreError(
                f"{self.display}: schema version {found} is "
                + (
                    f"newer than this oncocite reads ({SCHEMA_VERSION}): upgrade oncocite"
                    if newer
                    else f"older than this oncocite needs ({SCHEMA_VERSION}): run "
                    f"`oncocite db upgrade --db {self.display}` first"
                )
            )
        self._pool = ConnectionPool(
            conninfo,
            min_size=pool_min,
            max_size=pool_max,
            timeout=timeout,
            kwargs={"autocommit": True, "row_factory": dict_row},
            configure=register_vector,
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except Exception as exc:
            self._pool.close()
            raise _error(url, exc, "opening the library") from None

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _connection(self, action: str) -> Iterator[Any]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except (psycopg.Error, PoolTimeout) as exc:
            raise _error(self.url, exc, action) from exc

    @contextmanager
    def _transaction(self, action: str) -> Iterator[Any]:
        """A write transaction; rolled back whole on any failure (or a killed client)."""
        with self._connection(action) as conn, conn.transaction():
            yield conn

    @contextmanager
    def _snapshot(self, action: str = "reading the library") -> Iterator[Any]:
        """A read transaction: every query inside sees one committed state."""
        with self._connection(action) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield conn
            finally:
                if not conn.closed:
                    conn.execute("COMMIT")

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._connection("reading the library") as conn:
            row = conn.execute(sql, params).fetchone()
        return None if row is None else next(iter(row.values()))

    def close(self) -> None:
        self._pool.close()

    # ------------------------------------------------------------------ writes
    def put_document(self, doc: DocumentWrite) -> tuple[PutOutcome, int]:
        """Store a new version unless the content hash is unchanged; one transaction."""
        with self._transaction(f"storing {doc.doc_id}") as conn:
            self._lock_document(conn, doc.doc_id)
            return self._put(conn, doc)

    @staticmethod
    def _lock_document(conn: Any, doc_id: str) -> None:
        """Writers of one document take turns until commit (other documents go on)."""
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (doc_id,))

    def _put(self, conn: Any, doc: DocumentWrite) -> tuple[PutOutcome, int]:
        row = conn.execute(
            "SELECT version, content_hash FROM documents WHERE doc_id=%s", (doc.doc_id,)
        ).fetchone()
        if row is not None and row["content_hash"] == doc.content_hash:
            return "unchanged", int(row["version"])
        version = 1 if row is None else int(row["version"]) + 1
        self._write_version(conn, doc, version)
        self._bump(conn, "generation")
        return ("added" if row is None else "updated"), version

    @staticmethod
    def _bump(conn: Any, key: str) -> None:
        conn.execute(
            "UPDATE store_info SET value = (value::bigint + 1)::text WHERE key = %s", (key,)
        )

    def _write_version(self, conn: Any, doc: DocumentWrite, version: int) -> None:
        record = Jsonb(doc.metadata.to_record())
        stamp = now()
        conn.execute(
            "INSERT INTO versions(doc_id, version, content_hash, ingested_at, path, metadata, text)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s)",
            (doc.doc_id, version, doc.content_hash, stamp, doc.path, record, doc.text),
        )
        conn.execute(
            upsert_documents_sql("%s"),
            document_values(doc, version, stamp, record, Jsonb, lambda day: day),
        )
        conn.execute("DELETE FROM passages WHERE doc_id=%s", (doc.doc_id,))
        rows = passage_values(doc, Jsonb)
        if rows:
            with conn.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO passages({', '.join(PASSAGE_COLUMNS)}) "
                    f"VALUES ({', '.join(['%s'] * len(PASSAGE_COLUMNS))})",
                    rows,
                )

    def set_status(self, doc_id: str, status: Status, reviewed_by: str | None = None) -> int:
        """Record a status change as a new version; read and write under one lock."""
        with self._transaction(f"changing the status of {doc_id}") as conn:
            self._lock_document(conn, doc_id)
            record = self._read_document(conn, doc_id)
            if record.metadata.status is status:
                return record.version
            return self._put(conn, status_change(record, status, reviewed_by))[1]

    # ------------------------------------------------------------------ reads
    def counts(self) -> dict[str, int]:
        with self._snapshot() as conn:
            return {
                table: int(conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"])
                for table in ("documents", "versions", "passages", "embeddings")
            }

    def generation(self) -> int:
        return int(self._value("SELECT value FROM store_info WHERE key='generation'"))

    def integrity_check(self) -> str:
        """ "ok", or what is inconsistent: a document whose current version is missing,
        or a passage outside its document's text."""
        try:
            with self._snapshot("checking the library") as conn:
                missing = conn.execute(
                    """SELECT count(*) AS n FROM documents d WHERE NOT EXISTS (
                         SELECT 1 FROM versions v
                         WHERE v.doc_id = d.doc_id AND v.version = d.version)"""
                ).fetchone()["n"]
                outside = conn.execute(
                    """SELECT count(*) AS n FROM passages p
                       JOIN versions v ON v.doc_id = p.doc_id
                       JOIN documents d ON d.doc_id = p.doc_id AND d.version = v.version
                       WHERE substr(v.text, p.start_offset + 1,
                                    p.end_offset - p.start_offset) <> p.text"""
                ).fetchone()["n"]
        except StoreError as exc:
            return str(exc)
        problems = []
        if missing:
            problems.append(f"{missing} documents without their current version")
        if outside:
            problems.append(f"{outside} passages that are not their document's text")
        return "; ".join(problems) or "ok"

    def document_head(self, doc_id: str) -> DocumentHead | None:
        with self._connection("reading the library") as conn:
            row = conn.execute(
                "SELECT version, content_hash, path FROM documents WHERE doc_id=%s", (doc_id,)
            ).fetchone()
        if row is None:
            return None
        return DocumentHead(doc_id, int(row["version"]), str(row["content_hash"]), row["path"])

    def list_documents(self) -> list[DocumentSummary]:
        with self._connection("listing documents") as conn:
            rows = conn.execute(
                """SELECT d.*, (SELECT count(*) FROM passages p WHERE p.doc_id=d.doc_id) AS n
                   FROM documents d ORDER BY d.doc_id COLLATE "C" """
            ).fetchall()
        return [document_summary(r) for r in rows]

    def all_metadata(self) -> list[tuple[str, DocumentMetadata]]:
        with self._connection("reading metadata") as conn:
            rows = conn.execute(
                'SELECT doc_id, metadata FROM documents ORDER BY doc_id COLLATE "C"'
            ).fetchall()
        return [(r["doc_id"], DocumentMetadata.from_record(r["metadata"])) for r in rows]

    def version_text(self, doc_id: str, version: int) -> str | None:
        text = self._value(
            "SELECT text FROM versions WHERE doc_id=%s AND version=%s", (doc_id, version)
        )
        return None if text is None else str(text)

    def get_document(self, doc_id: str) -> DocumentRecord:
        with self._snapshot() as conn:
            return self._read_document(conn, doc_id)

    def _read_document(self, conn: Any, doc_id: str) -> DocumentRecord:
        return read_document(conn, doc_id, "%s", _as_is)

    # ------------------------------------------------------------------ retrieval
    @staticmethod
    def _filter_sql(filters: SearchFilters) -> tuple[str, dict[str, Any]]:
        """The WHERE clause of the filters over `d` (documents), with named parameters."""
        clauses = ["d.status <> 'retired'"]
        params: dict[str, Any] = {}

        def add(template: str, value: Any) -> None:
            name = f"f{len(params)}"
            params[name] = value
            clauses.append(template.replace("{}", f"%({name})s"))

        for column, values in filter_sets(filters):
            add(column + " = ANY({})", sorted(values))
        if filters.cancer_types:
            add("d.cancer_types ?| {}", sorted(filters.cancer_types))
        if filters.max_source_tier is not None:
            add("d.source_tier <= {}", filters.max_source_tier)
        return " AND ".join(clauses), params

    def lexical_search(self, query: TextQuery, k: int, filters: SearchFilters) -> list[TextMatch]:
        """PostgreSQL full text: a passage matches any term; its score is the sum over
        terms of `ts_rank` with the field weights, times each term's boost.

        Every term is parsed by `phraseto_tsquery`, which reads plain text only, so no
        word a user types is query syntax.
        """
        terms = [term for term in query.terms if term.words]
        if not terms:
            return []
        where, filter_params = self._filter_sql(filters)
        context_weight, body_weight = _tsweights(query.weights.context, query.weights.body)
        params: dict[str, Any] = {
            "weights": [body_weight, 0.0, 0.0, context_weight],
            "context_weight": context_weight,
            "k": k,
        }
        values = []
        for i, term in enumerate(terms):
            values.append(f"(phraseto_tsquery('english', %(t{i})s), %(c{i})s, %(b{i})s)")
            params.update({f"t{i}": " ".join(term.words), f"c{i}": term.field == "context"})
            params[f"b{i}"] = max(1, term.boost)
        params.update(filter_params)
        sql = f"""
            WITH terms(q, ctx, boost) AS (VALUES {", ".join(values)}),
                 usable AS (SELECT * FROM terms WHERE numnode(q) > 0),
                 hits AS (
                   SELECT p.id, t.boost * ts_rank(%(weights)s::float4[], p.tsv, t.q) AS s
                   FROM usable t JOIN passages p ON p.tsv @@ t.q WHERE NOT t.ctx
                   UNION ALL
                   SELECT p.id, t.boost * %(context_weight)s
                                * ts_rank('{{1,1,1,1}}'::float4[], p.context_tsv, t.q)
                   FROM usable t JOIN passages p ON p.context_tsv @@ t.q WHERE t.ctx),
                 matched AS (SELECT id, sum(s) AS score FROM hits GROUP BY id)
            SELECT m.id AS key, m.score FROM matched m
            JOIN passages p ON p.id = m.id
            JOIN documents d ON d.doc_id = p.doc_id
            WHERE {where}
            ORDER BY m.score DESC, m.id LIMIT %(k)s"""
        with self._connection("a full-text query") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [TextMatch(key=int(r["key"]), score=float(r["score"])) for r in rows]

    def passages_by_keys(self, keys: Sequence[PassageKey]) -> list[PassageView]:
        if not len(keys):
            return []
        wanted = [int(k) for k in keys]
        with self._connection("reading passages") as conn:
            rows = conn.execute(
                """SELECT p.*, d.title, d.source, d.url, d.license, d.last_reviewed,
                          d.review_frequency, d.version
                   FROM passages p JOIN documents d ON d.doc_id = p.doc_id
                   WHERE p.id = ANY(%s)""",
                (wanted,),
            ).fetchall()
        found = {int(r["id"]): passage_view(r, _as_is) for r in rows}
        return [found[key] for key in wanted if key in found]

    def allowed_keys(self, filters: SearchFilters) -> KeyArray:
        where, params = self._filter_sql(filters)
        with self._connection("reading passages") as conn:
            rows = conn.execute(
                f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id "
                f"WHERE {where} ORDER BY p.id",
                params,
            ).fetchall()
        return np.fromiter((r["id"] for r in rows), dtype=np.int64, count=len(rows))

    # ------------------------------------------------------------------ vectors
    def texts_missing_embeddings(self, model: str) -> list[tuple[str, str]]:
        """(hash, text to embed) of every passage and context text with no vector yet."""
        with self._snapshot() as conn:
            rows = conn.execute(
                """SELECT * FROM (
                     SELECT p.text_hash AS hash, min(p.context) AS context,
                            min(p.text) AS text, min(p.id) AS first, 0 AS kind
                     FROM passages p
                     WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                                       WHERE e.model = %s AND e.text_hash = p.text_hash)
                     GROUP BY p.text_hash
                     UNION ALL
                     SELECT p.context_hash, '', min(p.context), min(p.id), 1
                     FROM passages p
                     WHERE p.context <> '' AND NOT EXISTS (
                         SELECT 1 FROM embeddings e
                         WHERE e.model = %s AND e.text_hash = p.context_hash)
                     GROUP BY p.context_hash) missing
                   ORDER BY first, kind""",
                (model, model),
            ).fetchall()
        found: dict[str, str] = {}
        for r in rows:
            found.setdefault(r["hash"], embedding_text(r["context"], r["text"]))
        return list(found.items())

    def put_embeddings(
        self, model: str, items: Sequence[tuple[str, npt.NDArray[np.float32]]]
    ) -> None:
        if not items:
            return
        with self._transaction("saving embeddings") as conn:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO embeddings(model, text_hash, vector, passage) VALUES "
                    "(%s, %s, %s, EXISTS (SELECT 1 FROM passages WHERE text_hash = %s)) "
                    "ON CONFLICT (model, text_hash) DO UPDATE SET vector = excluded.vector, "
                    "passage = excluded.passage",
                    [(model, key, np.asarray(vec, dtype=np.float32), key) for key, vec in items],
                )
            self._bump(conn, "vectors")
        self._ensure_vector_index(model, len(items[0][1]))

    def _ensure_vector_index(self, model: str, dimensions: int) -> None:
        """An HNSW index (cosine) over this model's passage vectors, made once its
        dimension is known: a partial expression index, since one column holds every
        model and both kinds of vector (passage texts and context lines; migration 2
        says why only passages are indexed). `db upgrade` builds it for the vectors
        a database already holds, under the same name."""
        with self._models_lock:
            if model in self._indexed_models:
                return
            name = "embeddings_ann_" + hashlib.sha256(model.encode()).hexdigest()[:12]
            literal = model.replace("'", "''")
            with self._connection("indexing vectors") as conn:
                conn.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON embeddings USING hnsw "
                    f"((vector::vector({int(dimensions)})) vector_cosine_ops) "
                    f"WHERE model = '{literal}' AND passage"
                )
            self._indexed_models.add(model)

    def nearest(
        self, model: str, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters
    ) -> list[TextMatch]:
        """The k passages that pass the filters whose vectors are closest (cosine) to
        `vector`, through the model's HNSW index: approximate, for libraries too big to
        scan row by row (`VectorSearch`; the engine uses it past `ann_min_passages`).

        Over-fetch, then filter: the index gives the `depth` nearest vectors of the
        model, and only then are they joined to their passages and the filters
        applied in SQL. Filtering inside the index scan is not an option on the
        pgvector this is built for (0.6, shipped by pgserver): an HNSW scan returns at
        most `hnsw.ef_search` rows and a WHERE clause drops some of them afterwards,
        so a filter would silently shorten the list; iterative scans
        (`hnsw.iterative_scan`, which keep walking the graph until LIMIT rows pass)
        arrive in pgvector 0.8. The depth is `ANN_OVERFETCH` times k (at least
        `ANN_MIN_DEPTH`, at most `ANN_MAX_DEPTH`, pgvector's ceiling for ef_search),
        and ef_search is set to it for this query alone. The index holds passage
        vectors only (`passage`, migration 2), so over-fetching pays for filters, for
        texts no passage has any more, and for the graph's approximation. With a
        selective filter fewer than k rows may come back; the caller
        knows how many passages the filter allows and searches exactly then.
        """
        where, params = self._filter_sql(filters)
        dims = len(vector)
        literal = model.replace("'", "''")
        depth = ann_depth(k)
        sql = f"""
            WITH near AS MATERIALIZED (
              SELECT e.text_hash, (e.vector::vector({dims})) <=> %(vector)s AS distance
              FROM embeddings e WHERE e.model = '{literal}' AND e.passage
              ORDER BY (e.vector::vector({dims})) <=> %(vector)s LIMIT %(depth)s)
            SELECT p.id AS key, 1 - n.distance AS score FROM near n
            JOIN passages p ON p.text_hash = n.text_hash
            JOIN documents d ON d.doc_id = p.doc_id
            WHERE {where}
            ORDER BY n.distance, p.id LIMIT %(k)s"""
        params["vector"] = np.asarray(vector, dtype=np.float32)
        params.update(depth=depth, k=k)
        with self._connection("a vector query") as conn, conn.transaction():
            conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(depth),))
            rows = conn.execute(sql, params).fetchall()
        return [TextMatch(key=int(r["key"]), score=float(r["score"])) for r in rows]

    def load_embeddings(self, model: str, field: VectorField = "passage") -> StoredVectors:
        """Vectors of every passage that has one (retired included: filters are
        applied at query time, so one matrix serves every filter)."""
        column = "text_hash" if field == "passage" else "context_hash"
        with self._snapshot("reading vectors") as conn:
            rows = conn.execute(
                f"""SELECT p.id, d.id AS doc, e.vector,
                           coalesce(p.question, '') <> '' AS standalone
                    FROM passages p
                    JOIN documents d ON d.doc_id = p.doc_id
                    JOIN embeddings e ON e.text_hash = p.{column} AND e.model = %s
                    ORDER BY p.id""",
                (model,),
            ).fetchall()
        keys = np.fromiter((r["id"] for r in rows), dtype=np.int64, count=len(rows))
        documents = np.fromiter((r["doc"] for r in rows), dtype=np.int64, count=len(rows))
        standalone = np.fromiter((r["standalone"] for r in rows), dtype=np.bool_, count=len(rows))
        if not rows:
            return StoredVectors(keys, np.zeros((0, 0), dtype=np.float32), documents, standalone)
        matrix = np.vstack([np.asarray(r["vector"].to_numpy()) for r in rows]).astype(np.float32)
        return StoredVectors(keys, matrix, documents, standalone)

    def vectors_generation(self) -> int:
        return int(self._value("SELECT value FROM store_info WHERE key='vectors'"))

    def generations(self) -> tuple[int, int]:
        with self._connection("reading the library") as conn:
            rows = {row["key"]: row["value"] for row in conn.execute(GENERATIONS_SQL)}
        return int(rows["generation"]), int(rows.get("vectors", 0))

    def embedding_count(self, model: str) -> int:
        return int(self._value("SELECT count(*) FROM embeddings WHERE model = %s", (model,)))

    # ------------------------------------------------------------------ artifacts
    def put_artifact(self, name: str, generation: int, data: bytes) -> None:
        try:
            with self._transaction(f"saving {name}") as conn:
                conn.execute(
                    "INSERT INTO artifacts(name, generation, created_at, data) "
                    "VALUES (%s,%s,%s,%s) ON CONFLICT (name) DO UPDATE SET "
                    "generation = excluded.generation, created_at = excluded.created_at, "
                    "data = excluded.data",
                    (name, generation, now(), data),
                )
        except StoreError:
            pass  # a read-only replica or a busy server: the artifact is only a cache

    def get_artifact(self, name: str) -> tuple[int, bytes] | None:
        with self._connection("reading an artifact") as conn:
            row = conn.execute(
                "SELECT generation, data FROM artifacts WHERE name = %s", (name,)
            ).fetchone()
        return None if row is None else (int(row["generation"]), bytes(row["data"]))


def _as_is(value: Any) -> Any:
    """JSONB comes back from psycopg already decoded."""
    return value
