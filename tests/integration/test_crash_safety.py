"""Crash safety: SIGKILL an ingest at chosen moments; the store always holds whole documents.

A slice of MedQuAD (every 12th file, 459 files from all nine collections) is ingested
into one SQLite file, killed and re-run as a user would: once while the interpreter
starts, once a quarter of the way through the documents, once after the resumed run
passed 70 % (a kill lands a few milliseconds after a commit, inside the next
document's transaction), then run to completion. With the embedding model, a kill
after the first batch of vectors is committed, and the next run heals the vectors.
After every kill the store must open, pass `PRAGMA integrity_check` and hold only
whole documents (tests/crash_checks.py). The long loop (21 + 3 kills at random moments
over all of MedQuAD) is a benchmark: `python benchmarks/crash_loop.py`.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from oncocite import open_library
from tests.conftest import MEDQUAD
from tests.crash_checks import (
    RUN_TIMEOUT,
    check_store,
    clean_environment,
    expected_passages,
    ingest_command,
    launch,
    wait_for,
)

SLICE = sorted(MEDQUAD.rglob("*.xml"))[::12]
# About two texts to embed per passage (its text and its context line), committed 128 at
# a time: 75 short GHR passages make two commits, so a kill after the first splits them.
EMBED_PASSAGES = 75
# Loading the model and embedding the first 128 texts takes seconds on an idle machine,
# minutes on one shared by several test runs.
EMBED_TIMEOUT = 900.0


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    wanted = expected_passages(SLICE)
    assert len(wanted) == len(SLICE) == 459
    assert {p.parent.name for p in SLICE} == {p.name for p in MEDQUAD.iterdir() if p.is_dir()}
    return wanted


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL a run that must still be going (it would prove nothing otherwise)."""
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=RUN_TIMEOUT)
    assert not finished and proc.returncode == -signal.SIGKILL, "the run ended before the kill"


def resume(db: Path, files: list[Path], *flags: str) -> dict[str, object]:
    """Run the ingest to completion; its JSON report."""
    run = subprocess.run(
        ingest_command(db, files, "--quiet", "--json", *flags),
        capture_output=True,
        text=True,
        timeout=EMBED_TIMEOUT,
        check=False,
        env=clean_environment(),
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    report: dict[str, object] = json.loads(run.stdout)
    return report


def test_sigkills_while_ingesting_leave_only_whole_documents_and_a_rerun_resumes(
    expected: dict[str, list[str]], tmp_path: Path
) -> None:
    db, log = tmp_path / "crash.db", tmp_path / "stderr.log"
    total = len(expected)

    # Early: while the interpreter starts and the store is created.
    proc = launch(db, SLICE, log, "--no-embed")
    time.sleep(0.2)
    kill(proc)
    stored = check_store(db, expected, fts_index_check=True)
    assert stored < total

    # While writing: past a quarter of the documents, then past 70 % in the resumed run
    # (which first finds what is stored unchanged).
    for share in (0.25, 0.70):
        proc = launch(db, SLICE, log, "--no-embed")
        assert wait_for(proc, db, "documents", int(share * total)), "the run ended first"
        kill(proc)
        after = check_store(db, expected, fts_index_check=True)
        assert after >= stored, "a kill lost committed documents"
        assert share * total < after < total, f"{after} stored: the kill missed the writing"
        stored = after

    report = resume(db, SLICE, "--no-embed")
    totals = report["totals"]
    assert isinstance(totals, dict)
    assert totals["unchanged"] == stored and totals["added"] == total - stored
    assert totals["failed"] == 0
    assert check_store(db, expected, fts_index_check=True) == total
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    with open_library(db, embed="0") as lib:
        counts = lib.counts()
    assert counts["documents"] == counts["versions"] == total
    assert counts["passages"] == sum(map(len, expected.values()))


@pytest.mark.dense
def test_a_sigkill_while_embedding_keeps_documents_whole_and_the_rerun_heals_vectors(
    expected: dict[str, list[str]], tmp_path: Path
) -> None:
    files: list[Path] = []
    for path in [p for p in SLICE if p.parent.name == "3_GHR_QA"]:
        files.append(path)
        if sum(len(v) for v in expected_passages(files).values()) >= EMBED_PASSAGES:
            break
    wanted = expected_passages(files)
    db, log = tmp_path / "embedding.db", tmp_path / "stderr.log"

    proc = launch(db, files, log, "--embed")
    assert wait_for(proc, db, "embeddings", 0, EMBED_TIMEOUT), "the run ended before a vector"
    kill(proc)
    assert check_store(db, wanted, fts_index_check=True) == len(files)
    with open_library(db) as lib:
        killed = lib.status()
    assert 0 < killed.passages_with_vectors < killed.passages
    assert not killed.dense_complete

    report = resume(db, files, "--embed")
    totals = report["totals"]
    assert isinstance(totals, dict) and totals["unchanged"] == len(files)
    assert isinstance(report["embedded"], int) and report["embedded"] > 0
    assert check_store(db, wanted, fts_index_check=True) == len(files)
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    with open_library(db) as lib:
        healed = lib.status()
    assert healed.passages_without_vectors == 0 and healed.dense_complete
    assert healed.passages_with_vectors == healed.passages == sum(map(len, wanted.values()))
