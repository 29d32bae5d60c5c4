-- oncocite embedded store, migration 2: stable passage keys, a library generation
-- and derived artifacts.
--
-- Passage keys become AUTOINCREMENT so a key is never reused for another passage
-- (a cached index can then hold a stale key, never a wrong one). Existing keys are
-- kept, so the full-text index, whose rowids are passage keys, stays valid.

CREATE TABLE passages_v2 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    passage_id    TEXT NOT NULL UNIQUE,
    doc_id        TEXT NOT NULL REFERENCES documents(doc_id),
    seq           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    heading_path  TEXT NOT NULL,
    links         TEXT NOT NULL,
    question      TEXT,
    question_type TEXT,
    focus         TEXT,
    context       TEXT NOT NULL,
    text_hash     TEXT NOT NULL
);
INSERT INTO passages_v2 SELECT * FROM passages;
DROP TABLE passages;
ALTER TABLE passages_v2 RENAME TO passages;
CREATE INDEX passages_doc ON passages(doc_id);
CREATE INDEX passages_hash ON passages(text_hash);

-- Grows with every change search can see; caches above the store compare it.
INSERT INTO store_info(key, value)
    SELECT 'generation', CAST((SELECT count(*) FROM versions) AS TEXT);

-- Data derived from the library (e.g. the lexical index), marked with the
-- generation it was built from.
CREATE TABLE artifacts (
    name       TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    data       BLOB NOT NULL
);
