-- oncocite PostgreSQL store, migration 1: the schema of the embedded store's
-- migration 3, in PostgreSQL's own types.
--
-- Full text: a generated tsvector of the context line (weight A) and body (weight
-- D), and one of the context line alone, for terms that may only match there.
-- Vectors: pgvector, one row per (model, hash of the embedded text); the HNSW index
-- of a model is made when its first vectors are stored (its dimension is known then).

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS store_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO store_info(key, value) VALUES ('generation', '0'), ('vectors', '0')
    ON CONFLICT (key) DO NOTHING;

CREATE TABLE IF NOT EXISTS documents (
    doc_id           TEXT PRIMARY KEY,
    id               BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    format           TEXT NOT NULL,
    path             TEXT,
    title            TEXT NOT NULL,
    source           TEXT,
    source_type      TEXT,
    source_tier      INTEGER,
    audience_level   TEXT,
    language         TEXT NOT NULL,
    license          TEXT,
    status           TEXT NOT NULL,
    last_reviewed    DATE,
    review_frequency TEXT,
    cancer_types     JSONB NOT NULL,
    url              TEXT,
    metadata         JSONB NOT NULL,
    version          INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,
    ingested_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS versions (
    doc_id       TEXT NOT NULL REFERENCES documents(doc_id) DEFERRABLE INITIALLY DEFERRED,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL,
    path         TEXT,
    metadata     JSONB NOT NULL,
    text         TEXT NOT NULL,
    PRIMARY KEY (doc_id, version)
);

-- Keys come from an identity column: never reused, so a cached index can hold a
-- stale key, never a wrong one.
CREATE TABLE IF NOT EXISTS passages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    passage_id    TEXT NOT NULL UNIQUE,
    doc_id        TEXT NOT NULL REFERENCES documents(doc_id),
    seq           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    heading_path  JSONB NOT NULL,
    links         JSONB NOT NULL,
    question      TEXT,
    question_type TEXT,
    focus         TEXT,
    context       TEXT NOT NULL,
    text_hash     TEXT NOT NULL,
    context_hash  TEXT NOT NULL,
    tsv           TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', context), 'A')
        || setweight(to_tsvector('english', text), 'D')) STORED,
    context_tsv   TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', context)) STORED
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE INDEX IF NOT EXISTS passages_hash ON passages(text_hash);
CREATE INDEX IF NOT EXISTS passages_context_hash ON passages(context_hash);
CREATE INDEX IF NOT EXISTS passages_tsv ON passages USING gin(tsv);
CREATE INDEX IF NOT EXISTS passages_context_tsv ON passages USING gin(context_tsv);

CREATE TABLE IF NOT EXISTS embeddings (
    model     TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector    VECTOR NOT NULL,
    PRIMARY KEY (model, text_hash)
);

-- Data derived from the library (e.g. the lexical index), marked with the
-- generation it was built from.
CREATE TABLE IF NOT EXISTS artifacts (
    name       TEXT PRIMARY KEY,
    generation BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    data       BYTEA NOT NULL
);
