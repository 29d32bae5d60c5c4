-- oncocite embedded store, migration 1: the first schema.
-- One file, WAL journal; every document version is written in one transaction.

CREATE TABLE IF NOT EXISTS store_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id           TEXT PRIMARY KEY,
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
    last_reviewed    TEXT,
    review_frequency TEXT,
    cancer_types     TEXT NOT NULL,   -- JSON list
    url              TEXT,
    metadata         TEXT NOT NULL,   -- JSON: the validated metadata record
    version          INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,
    ingested_at      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS versions (
    doc_id       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at  TEXT NOT NULL,
    path         TEXT,
    metadata     TEXT NOT NULL,
    text         TEXT NOT NULL,
    PRIMARY KEY (doc_id, version)
);

CREATE TABLE IF NOT EXISTS passages (
    id            INTEGER PRIMARY KEY,
    passage_id    TEXT NOT NULL UNIQUE,
    doc_id        TEXT NOT NULL REFERENCES documents(doc_id),
    seq           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    heading_path  TEXT NOT NULL,      -- JSON list
    links         TEXT NOT NULL,      -- JSON list of Link
    question      TEXT,
    question_type TEXT,
    focus         TEXT,
    context       TEXT NOT NULL,
    text_hash     TEXT NOT NULL       -- hash of the embedded text (context + text)
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE INDEX IF NOT EXISTS passages_hash ON passages(text_hash);

-- Lexical index: context (title, headings, focus, question type) and body, Porter-stemmed.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    context, body, tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE IF NOT EXISTS embeddings (
    model     TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector    BLOB NOT NULL,          -- float32, little endian
    PRIMARY KEY (model, text_hash)
);
