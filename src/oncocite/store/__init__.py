"""Storage: the only package that talks to a database."""

from __future__ import annotations

from pathlib import Path

from oncocite.config import parse_database_url
from oncocite.errors import StoreError
from oncocite.store.base import (
    DocumentHead,
    DocumentWrite,
    FieldWeights,
    KeyArray,
    PassageKey,
    PassageView,
    QueryTerm,
    SearchFilters,
    Store,
    StoredVectors,
    TextMatch,
    TextQuery,
    VectorField,
    context_hash,
    embedding_text,
    embedding_text_hash,
)
from oncocite.store.sqlite import SQLiteStore

__all__ = [
    "DocumentHead",
    "DocumentWrite",
    "FieldWeights",
    "KeyArray",
    "PassageKey",
    "PassageView",
    "QueryTerm",
    "SQLiteStore",
    "SearchFilters",
    "Store",
    "StoredVectors",
    "TextMatch",
    "TextQuery",
    "VectorField",
    "context_hash",
    "embedding_text",
    "embedding_text_hash",
    "open_store",
]


def open_store(url: str | Path) -> Store:
    """Open the store a `--db` value names: a file path, `sqlite:///path` or `:memory:`."""
    text = str(url)
    if text == ":memory:":
        return SQLiteStore(text)
    try:
        target = parse_database_url(text)
    except ValueError as exc:
        raise StoreError(f"database {text!r} {exc}") from None
    if target.kind == "postgresql":
        raise StoreError(
            f"{text.split('@')[-1]}: the PostgreSQL store is not part of this release yet; "
            "use a SQLite file path"
        )
    return SQLiteStore(target.target)
