"""A time budget per file, checked by the loops that do the work.

Every reader and the chunker are linear in their input, but "linear" can still mean
minutes for a 10 MB file of an odd shape, and a library that blocks for minutes on
one file blocks every file after it. So each file gets a budget; the loops of the
readers, the YAML loader and the chunker call `check_time()`, which raises
`InvalidDocument` once the budget is spent. The check is cooperative on purpose: a
watchdog thread cannot stop Python code, and a signal only works in the main thread.
Between two checks the work is bounded by the size caps of each step (a YAML node, a
Markdown block, a sentence-splitter piece), so the overshoot stays small.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from oncocite.errors import InvalidDocument

__all__ = ["DEFAULT_TIME_BUDGET_S", "Deadline", "check_time", "time_budget"]

DEFAULT_TIME_BUDGET_S = 20.0


class Deadline:
    """The moment the current file's budget runs out, and the error to raise then."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        self.expires = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.expires:
            raise InvalidDocument(
                self.path,
                f"took longer than {self.seconds:g} s to read; nothing was stored "
                "(an unusually shaped file? raise the limit with --time-budget SECONDS)",
            )


_current: ContextVar[Deadline | None] = ContextVar("oncocite_ingest_deadline", default=None)


@contextmanager
def time_budget(path: Path, seconds: float | None) -> Iterator[None]:
    """Run the body under a budget of `seconds` for `path`; None means no budget."""
    token = _current.set(None if seconds is None else Deadline(path, seconds))
    try:
        yield
    finally:
        _current.reset(token)


def check_time() -> None:
    """Raise InvalidDocument if the current file's budget is spent; no budget, no-op."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()
