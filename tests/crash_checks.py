"""What a SIGKILLed ingest must leave behind, shared by the crash tests and the long
kill loop of benchmarks/crash_loop.py, so both judge a store by the same rules.

After a kill the store must open (which recovers SQLite's WAL), pass
`PRAGMA integrity_check`, and hold exactly the passages that `read_medquad` gives for
every stored document, with a full-text row and a version row for each: a document is
stored whole or not at all.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from oncocite import open_library
from oncocite.ingest.loading import read_raw
from oncocite.ingest.medquad import read_medquad

RUN_TIMEOUT = 120.0


def expected_passages(files: Iterable[Path]) -> dict[str, list[str]]:
    """doc id -> passage ids in order, as the reader gives them for each source file."""
    wanted: dict[str, list[str]] = {}
    for path in files:
        parsed = read_medquad(path, read_raw(path).text)
        assert parsed.passages is not None, "MedQuAD passages are one per answered pair"
        wanted[parsed.doc_id] = [f"{parsed.doc_id}_{draft.key}" for draft in parsed.passages]
    return wanted


def ingest_command(db: Path, sources: list[Path], *flags: str) -> list[str]:
    """`oncocite ingest` in a fresh interpreter, as a user runs it."""
    return [
        sys.executable,
        "-m",
        "oncocite",
        "ingest",
        *map(str, sources),
        "--db",
        str(db),
        *flags,
    ]


def clean_environment() -> dict[str, str]:
    """This process's environment without ONCOCITE_* settings that would change the run."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ONCOCITE_")}


def launch(db: Path, sources: list[Path], log: Path, *flags: str) -> subprocess.Popen[bytes]:
    """Start an ingest whose stderr is appended to `log` (checked for tracebacks)."""
    with log.open("ab") as err:
        return subprocess.Popen(
            ingest_command(db, sources, "--quiet", *flags),
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=clean_environment(),
        )


def read_count(db: Path, table: str) -> int | None:
    """Rows committed so far in `table`, read without writing; None while unreadable."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def wait_for(
    proc: subprocess.Popen[bytes],
    db: Path,
    table: str,
    more_than: int,
    timeout: float = RUN_TIMEOUT,
) -> bool:
    """Poll until `table` holds more than `more_than` rows; False if the run ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        count = read_count(db, table)
        if count is not None and count > more_than:
            return True
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    raise AssertionError(f"the ingest committed no {table} row past {more_than} in {timeout} s")


def check_store(db: Path, expected: dict[str, list[str]], fts_index_check: bool) -> int:
    """Assert the store is sound and holds only whole documents; return their count."""
    with open_library(db, embed="0") as lib:  # opening recovers the WAL after the kill
        assert lib.store.integrity_check() == "ok"
        counts = lib.counts()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        docs = {
            r[0]: (r[1], r[2])
            for r in conn.execute("SELECT doc_id, version, content_hash FROM documents").fetchall()
        }
        stored: dict[str, list[str]] = defaultdict(list)
        for doc_id, passage_id in conn.execute(
            "SELECT doc_id, passage_id FROM passages ORDER BY doc_id, seq"
        ):
            stored[doc_id].append(passage_id)
        assert set(stored) <= set(docs), f"passages without a document: {set(stored) - set(docs)}"
        for doc_id in docs:
            assert doc_id in expected, f"{doc_id} is no file of the ingested set"
            assert stored.get(doc_id, []) == expected[doc_id], f"{doc_id} is not whole"
        passages = counts["passages"]
        assert passages == sum(len(expected[d]) for d in docs)
        fts = conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0]
        assert fts == passages, f"{fts} full-text rows for {passages} passages"
        unindexed = conn.execute(
            "SELECT count(*) FROM passages p LEFT JOIN passages_fts f ON f.rowid = p.id"
            " WHERE f.rowid IS NULL OR f.body IS NOT p.text"
        ).fetchone()[0]
        assert unindexed == 0, f"{unindexed} passages missing from the full-text index"
        if fts_index_check:  # FTS5's own check of its index against its content
            conn.execute("INSERT INTO passages_fts(passages_fts) VALUES('integrity-check')")
        versions = {
            (r[0], r[1]): r[2]
            for r in conn.execute("SELECT doc_id, version, content_hash FROM versions")
        }
        for doc_id, (version, content_hash) in docs.items():
            assert versions.get((doc_id, version)) == content_hash, f"{doc_id} v{version}"
        # Each document was written once: a resumed run finds it unchanged.
        assert len(versions) == len(docs) == counts["documents"], "a document written twice"
    finally:
        conn.close()
    return len(docs)
