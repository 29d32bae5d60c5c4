"""A real PostgreSQL 16 with pgvector for the tests, started from the pgserver wheel.

No root set-up and no Debian package: pgserver ships the server binaries and the
vector extension. A test that needs PostgreSQL gets a database of its own, made
from a template that `oncocite db upgrade`'s code prepared once, so each test starts
from an empty library without paying for the migrations again. If the server cannot
start, the test fails (never skips): the PostgreSQL store is tested in every run.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from oncocite.store.postgres import upgrade

TEMPLATE = "oncocite_template"


class PostgresServer:
    """One server for the whole test session; databases are made per test."""

    def __init__(self, folder: Path) -> None:
        os.environ.setdefault("XDG_RUNTIME_DIR", str(folder))  # platformdirs warns without it
        import pgserver

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pgserver's own start-up chatter
            self.server = pgserver.get_server(folder / "pgdata", cleanup_mode="stop")
        self.admin_url = self.server.get_uri()
        self._names = itertools.count(1)
        self._template_ready = False

    def url(self, database: str, **query: str) -> str:
        """The URL of one database of this server (its socket folder kept)."""
        parts = urlsplit(self.admin_url)
        extra = "".join(f"&{k}={v}" for k, v in query.items())
        return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query + extra, ""))

    def create_database(self, prepared: bool = True) -> str:
        """A new empty database; `prepared`: already at the current schema version."""
        name = f"oncocite_test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            if prepared and not self._template_ready:
                conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
                conn.execute(f"CREATE DATABASE {TEMPLATE}")
                upgrade(self.url(TEMPLATE))
                self._template_ready = True
            template = f" TEMPLATE {TEMPLATE}" if prepared else ""
            conn.execute(f"CREATE DATABASE {name}{template}")
        return self.url(name)

    def stop(self) -> None:
        """Stop at once (`pg_ctl stop -m immediate`): the data folder is deleted next, so
        the shutdown checkpoint of a fast stop, writing out every test's database, is
        wasted work (it took 63-89 s at the end of a busy run). pgserver's cleanup then
        only releases its handle; if the stop failed, it stops or kills the server."""
        from pgserver._commands import pg_ctl

        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pg_ctl(
                ["-w", "-m", "immediate", "stop"],
                pgdata=self.server.pgdata,
                user=self.server.system_user,
                timeout=30,
            )
            # Stopped: pgserver must not try again (its failed stop of a server whose
            # postmaster lingers unreaped waits 2 s, then kills it).
            self.server.cleanup_mode = None
        self.server.cleanup()
