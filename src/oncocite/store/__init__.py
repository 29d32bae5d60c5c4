"""Storage: the only package that talks to a database."""

from __future__ import annotations

from pathlib import Path

from oncocite.config import parse_database_url
from oncocite.errors import StoreError
from oncocite.models import SchemaUpgrade
from oncocite.store import base
from oncocite.store.base import *  # noqa: F403  (the store's words, named once: base.__all__)
from oncocite.store.base import Store
from oncocite.store.sqlite import SCHEMA_VERSION as SQLITE_SCHEMA_VERSION
from oncocite.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "open_store", "upgrade_store"]
__all__ += base.__all__
__all__.sort()


def open_store(url: str | Path) -> Store:
    """Open the store a `--db` value names: a file path, `sqlite:///path`, `:memory:`
    or `postgresql://…` (a database prepared by `oncocite db upgrade`)."""
    text = str(url)
    if text == ":memory:":
        return SQLiteStore(text)
    try:
        target = parse_database_url(text)
    except ValueError as exc:
        raise StoreError(f"database {text!r} {exc}") from None
    if target.kind == "postgresql":
        from oncocite.store.postgres import PostgresStore  # only with the postgres extra

        return PostgresStore(target.target)
    return SQLiteStore(target.target)


def upgrade_store(url: str | Path) -> SchemaUpgrade:
    """Bring the library at `url` to this oncocite's schema version.

    A SQLite file is upgraded whenever it is opened (one process owns it); a
    PostgreSQL database is upgraded only here, because many workers share it and
    none of them should change its schema while the others serve from it.
    """
    text = str(url)
    try:
        target = parse_database_url(text)
    except ValueError as exc:
        raise StoreError(f"database {text!r} {exc}") from None
    if target.kind == "postgresql":
        from oncocite.store.postgres import display_url, upgrade

        before, after = upgrade(target.target)
        return SchemaUpgrade(
            database=display_url(target.target), kind="postgresql", from_version=before,
            to_version=after,
        )  # fmt: skip
    store = SQLiteStore(target.target)
    try:
        return SchemaUpgrade(
            database=store.path, kind="sqlite", from_version=store.upgraded_from,
            to_version=SQLITE_SCHEMA_VERSION,
        )  # fmt: skip
    finally:
        store.close()
