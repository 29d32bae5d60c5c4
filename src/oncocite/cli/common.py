"""What every command shares: the --db and --json options and opening the library
so that any error is one line on stderr."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from oncocite.cli.output import fail
from oncocite.errors import OncociteError
from oncocite.library import Library, open_library

__all__ = ["DbOption", "JsonOption", "QuietOption", "library_at"]

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite file, sqlite:///path or postgresql://… (env ONCOCITE_DB).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]


@contextmanager
def library_at(db: str | None) -> Iterator[Library]:
    """Open the library; any OncociteError becomes one line on stderr and exit 1."""
    try:
        with open_library(db) as lib:
            lib.origin = "cli"
            yield lib
    except (OncociteError, OSError) as exc:
        fail(str(exc))
