"""How the CLI writes: data to stdout, progress and errors to stderr, text as text.

Everything printed that comes from a document or a user (titles, ids, passages, file
names, error messages) goes through `printable`: rich markup is off on both consoles,
so `[bold]` or `[/i]` in a title is shown as written, and control characters (ANSI
escapes, bidirectional overrides, carriage returns) are shown as visible escapes
instead of reaching the terminal.
"""

from __future__ import annotations

import re
import sys
from typing import NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

# One-line fields (titles, ids, error messages) are escaped by the one rule errors
# use for file names: line breaks, tabs and other controls shown as escapes.
from oncocite.errors import one_line

__all__ = [
    "counted",
    "err",
    "fail",
    "new_table",
    "one_line",
    "out",
    "print_json",
    "printable",
    "progress",
]

# Piped output is not squeezed into 80 columns: a table read by a script or a log
# should keep whole ids and titles.
out = Console(
    soft_wrap=True,
    width=None if sys.stdout.isatty() else 160,
    markup=False,
    highlight=False,
    emoji=False,
)
err = Console(
    stderr=True,
    soft_wrap=True,
    width=None if sys.stderr.isatty() else 160,
    markup=False,
    highlight=False,
    emoji=False,
)

# C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidirectional
# overrides and isolates that can make text display in another order than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text safe for a terminal: control characters become visible escapes."""
    return _CONTROL.sub(_visible, text)


def counted(number: int, noun: str) -> str:
    """ "1 document", "10 passages": what a reader is told, in plain English."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def fail(message: str) -> NoReturn:
    """One `error:` line on stderr and exit code 1: never a traceback."""
    err.print(f"error: {one_line(message)}")
    raise typer.Exit(1)


def print_json(model: BaseModel) -> None:
    """A result as the JSON the REST API will serve for it."""
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")


def new_table(title: str, *columns: str, header: bool = True) -> Table:
    """A table whose cells wrap rather than end in "…": an id is never cut short."""
    table = Table(title=one_line(title), show_header=header)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def progress(quiet: bool) -> Progress:
    """A progress display on stderr, shown only on a terminal and unless --quiet."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
