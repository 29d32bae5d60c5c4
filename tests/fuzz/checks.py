"""What every fuzz input must satisfy, for the hypothesis suite and benchmarks/fuzz.py."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncocite.errors import OncociteError, one_line
from oncocite.ingest.pipeline import IngestOptions, ingest_paths, prepare_document
from oncocite.store.base import Store
from tests.fuzz.inputs import FuzzCase

# Short: fuzz inputs are small, and a hang must show up as a failure, not a slow run.
FUZZ_BUDGET_S = 10.0
_FALLBACK = "could not be read ("


@dataclass
class Outcome:
    """What one input did: accepted, rejected (with its one-line message), or crashed."""

    accepted: bool
    message: str | None = None
    crash: str | None = None


def store_state(store: Store) -> tuple[dict[str, int], dict[str, str | None]]:
    """Everything a rejected file could have touched, cheaply: counts and current hashes."""
    docs = {d.doc_id: store.document_head(d.doc_id) for d in store.list_documents()}
    return store.counts(), docs


def message_problem(message: str, path: Path) -> str | None:
    """Why a rejection message breaks the rules (one line, names the file), or None."""
    if "\n" in message or "\r" in message:
        return "not one line"
    if _FALLBACK in message:
        return "the last-resort handler caught an unexpected exception"
    names = (one_line(path.name), one_line(path.name + ".meta.yaml"))
    if not message.startswith(tuple(f"{name}: " for name in names)):
        return "does not start with the file name"
    return None


def check_case(case: FuzzCase, store: Store, options: Any = None) -> Outcome:
    """Run one input through prepare_document and the pipeline; describe any breach.

    Only OncociteError may escape prepare_document; a rejection is one line naming the
    file; a rejected file leaves the store exactly as it was.
    """
    options = options or IngestOptions(time_budget_s=FUZZ_BUDGET_S, replace=True)
    with tempfile.TemporaryDirectory(prefix="oncocite-fuzz-") as folder:
        path = case.write(Path(folder))
        try:
            prepare_document(path, options)
        except OncociteError as exc:
            problem = message_problem(str(exc), path)
            if problem:
                return Outcome(False, str(exc), crash=f"{problem}: {str(exc)[:200]!r}")
        except Exception as exc:  # the property under test: nothing else escapes
            return Outcome(False, crash=f"{type(exc).__name__}: {str(exc)[:200]}")
        before = store_state(store)
        [result] = ingest_paths(store, [path], options).results
        if result.outcome != "failed":
            return Outcome(True)
        message = result.error or ""
        problem = message_problem(message, path)
        if problem:
            return Outcome(False, message, crash=f"{problem}: {message[:200]!r}")
        if store_state(store) != before:
            return Outcome(False, message, crash="a rejected file changed the store")
        return Outcome(False, message)
