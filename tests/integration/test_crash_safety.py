"""Crash safety: SIGKILL an ingest at random moments; the store always holds whole documents.

One database file is used across every kill, so each run resumes where the last one
died, as a user re-running the command would. Most kills are timed from the moment the
run commits its first new document (found by polling the file read-only), plus a random
part of a window sized so that the kills march across the whole corpus: they land
mid-transaction, mid-commit and mid-checkpoint at every stage of the ingest. A few land
earlier, while the process starts, opens the store or skips what is already stored.
After each kill the store must open, pass `PRAGMA integrity_check`, and hold exactly
the passages that `read_medquad` gives for every stored document, with a full-text row
and a version row for each.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from oncocite import open_library
from oncocite.ingest.loading import read_raw
from oncocite.ingest.medquad import read_medquad
from tests.conftest import MEDQUAD

pytestmark = pytest.mark.slow

RNG_SEED = 20250611
KILLS_WHILE_WRITING = 21
EARLY_KILLS = 3
DOCUMENTS = 5497
PASSAGES = 16423
# Prior for the write rate (documents/s), weighted as one second of observation, so a
# short first sample cannot make the next window wildly long or short.
PRIOR_DOCS_PER_SECOND = 700.0
RUN_TIMEOUT = 120.0


@dataclass
class Kill:
    kind: str  # "writing" (timed from the first new commit) or "early"
    at: float  # seconds after the process started
    startup: float | None  # seconds until the run's first new commit, when seen
    before: int  # documents stored when the run started
    after: int  # documents stored after the kill

    @property
    def while_writing(self) -> bool:
        return self.before < self.after < DOCUMENTS


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    """doc id -> passage ids in order, as the reader gives them for each source file."""
    wanted: dict[str, list[str]] = {}
    for path in sorted(MEDQUAD.rglob("*.xml")):
        parsed = read_medquad(path, read_raw(path).text)
        assert parsed.passages is not None, "MedQuAD passages are one per answered pair"
        wanted[parsed.doc_id] = [f"{parsed.doc_id}_{draft.key}" for draft in parsed.passages]
    assert len(wanted) == DOCUMENTS
    assert sum(map(len, wanted.values())) == PASSAGES
    return wanted


def ingest_command(db: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "oncocite", "ingest", str(MEDQUAD), "--db", str(db), *flags]


def launch(db: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONCOCITE_")}
    with log.open("ab") as err:
        return subprocess.Popen(
            ingest_command(db, "--no-embed", "--quiet"),
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )


def stored_documents(db: Path) -> int | None:
    """Documents committed so far, read without writing; None while unreadable."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def wait_for_new_commit(proc: subprocess.Popen[bytes], db: Path, before: int) -> bool:
    """Poll until the run has committed a document it did not find stored."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        count = stored_documents(db)
        if count is not None and count > before:
            return True
        time.sleep(0.005)
    raise AssertionError("the ingest committed nothing new within the timeout")


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
            assert doc_id in expected, f"{doc_id} is no MedQuAD file"
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


def test_sigkill_during_medquad_ingest_leaves_only_whole_documents(
    expected: dict[str, list[str]], tmp_path: Path
) -> None:
    rng = random.Random(RNG_SEED)
    plan = ["writing"] * KILLS_WHILE_WRITING + ["early"] * EARLY_KILLS
    rng.shuffle(plan)
    db = tmp_path / "crash.db"
    log = tmp_path / "stderr.log"
    kills: list[Kill] = []
    written, writing_seconds = 0, 0.0
    last_startup = 1.0
    stored = 0

    for index, kind in enumerate(plan):
        started = time.monotonic()
        proc = launch(db, log)
        startup: float | None = None
        if kind == "early":
            # Anywhere from interpreter start to the moment the previous run began writing.
            time.sleep(rng.uniform(0.05, last_startup))
        elif wait_for_new_commit(proc, db, stored):
            startup = time.monotonic() - started
            last_startup = startup
            # Kill after a random share of this kill's part of what is left, so that
            # kills spread over the whole corpus and a little is left for the last run.
            left_kills = plan[index:].count("writing") + 1
            rate = (PRIOR_DOCS_PER_SECOND + written) / (1.0 + writing_seconds)
            window = 1.6 * (DOCUMENTS - stored) / left_kills / rate
            time.sleep(rng.uniform(0.0, window))
        at = time.monotonic() - started
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=RUN_TIMEOUT)
        assert finished or proc.returncode == -signal.SIGKILL

        after = check_store(db, expected, fts_index_check=index % 4 == 0)
        assert after >= stored, "a kill lost committed documents"
        if startup is not None and after > stored:
            written += after - stored
            writing_seconds += at - startup
        kills.append(Kill(kind, at, startup, stored, after))
        stored = after

    # Run to completion: everything ingests, nothing is written twice.
    final = subprocess.run(
        ingest_command(db, "--no-embed", "--quiet", "--json"),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert final.returncode == 0, final.stderr
    assert "Traceback" not in final.stderr
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    assert check_store(db, expected, fts_index_check=True) == DOCUMENTS
    with open_library(db, embed="0") as lib:
        assert lib.counts()["documents"] == DOCUMENTS
        assert lib.counts()["passages"] == PASSAGES
        assert lib.counts()["versions"] == DOCUMENTS

    summary = "\n".join(
        f"{k.kind:8} at {k.at:5.2f}s startup "
        f"{'-' if k.startup is None else f'{k.startup:.2f}s':>6} docs {k.before:5} -> {k.after:5}"
        for k in kills
    )
    assert len(kills) >= 20
    during = [k for k in kills if k.while_writing]
    assert len(during) >= 0.75 * len(kills), summary
    # The kills covered the whole ingest, from its first documents to its last ones.
    assert min(k.after for k in during) < 0.15 * DOCUMENTS, summary
    assert max(k.after for k in during) > 0.75 * DOCUMENTS, summary
    startups = [k.startup for k in kills if k.startup is not None]
    print(f"\n{summary}\nstartup median {statistics.median(startups):.2f}s")
