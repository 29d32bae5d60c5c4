"""A library made by an older oncocite is upgraded in place when opened."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from oncocite.errors import StoreError
from oncocite.store import QueryTerm, SearchFilters, TextQuery, context_hash, open_store
from oncocite.store.sqlite import SCHEMA_VERSION


def _version_one(path: Path) -> None:
    """A store as the first release wrote it: schema 1 and one document."""
    script = resources.files("oncocite.store.sqlite_migrations").joinpath("0001_initial.sql")
    record = json.dumps({"title": "Old", "status": "active", "cancer_types": [], "extra": {}})
    with sqlite3.connect(path) as conn:
        conn.executescript(script.read_text(encoding="utf-8"))
        conn.execute("INSERT INTO store_info VALUES ('schema_version', '1')")
        conn.execute(
            "INSERT INTO documents(doc_id, format, title, language, status, cancer_types, "
            "metadata, version, content_hash, ingested_at) VALUES "
            "('old', 'markdown', 'Old', 'en', 'active', '[]', ?, 1, 'h', '2025-01-01')",
            (record,),
        )
        conn.execute(
            "INSERT INTO versions VALUES ('old', 1, 'h', '2025-01-01', NULL, ?, 'Old text.')",
            (record,),
        )
        conn.execute(
            "INSERT INTO passages(id, passage_id, doc_id, seq, text, start_offset, end_offset,"
            " heading_path, links, context, text_hash) VALUES "
            "(7, 'old#1', 'old', 1, 'Old text.', 0, 9, '[]', '[]', 'Old', 'x')"
        )
        conn.execute(
            "INSERT INTO passages_fts(rowid, context, body) VALUES (7, 'Old', 'Old text.')"
        )


def test_a_first_release_library_is_upgraded_keeping_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _version_one(path)
    store = open_store(str(path))
    try:
        assert store.allowed_keys(SearchFilters()).tolist() == [7]
        matches = store.lexical_search(TextQuery((QueryTerm(("old",)),)), 5, SearchFilters())
        assert [m.key for m in matches] == [7]
        assert store.generation() >= 1
        assert store.get_document("old").versions[0].version == 1
        missing = dict(store.texts_missing_embeddings("m"))
        assert missing[context_hash("Old")] == "Old", "the context hash was filled in"
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        (version,) = conn.execute("SELECT value FROM store_info WHERE key='schema_version'")
        assert int(version[0]) == SCHEMA_VERSION


def test_a_library_from_a_newer_oncocite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE store_info SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        open_store(str(path))
