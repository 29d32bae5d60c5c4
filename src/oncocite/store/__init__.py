"""Storage: the only package that talks to a database."""

from __future__ import annotations

from pathlib import Path

from oncocite.errors import StoreError
from oncocite.store.base import DocumentWrite, LexicalRow, PassageView, SearchFilters, Store
from oncocite.store.sqlite import SQLiteStore

__all__ = [
    "DocumentWrite",
    "LexicalRow",
    "PassageView",
    "SQLiteStore",
    "SearchFilters",
    "Store",
    "open_store",
]


def open_store(url: str | Path) -> Store:
    """Open the store a `--db` value names: a file path or `sqlite:///path`."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"{text.split('@')[-1]}: the PostgreSQL store is not part of this release yet; "
            "use a SQLite file path"
        )
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    elif "://" in text:
        raise StoreError(f"{text}: unknown database URL (use a file path or sqlite:///path)")
    return SQLiteStore(text)
