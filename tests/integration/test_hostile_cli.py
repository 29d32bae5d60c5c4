"""Hostile but realistic input through the CLI: text that looks like markup or carries
terminal escapes is printed as written, odd values get one-line errors, and a damaged
store is reported as such and never written to."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from oncocite import open_library
from oncocite.cli import app
from tests.conftest import SEEDS

TITLES = {
    "chemo": "Chemo [/i] guide",
    "bold": "[bold]Strong[/bold] words",
    "escape": "Red \x1b[31malert\x1b[0m text",
    "rtl": "Safe \u202eexe.txt",
}


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, title in TITLES.items():
        body = f"Trastuzumab [link](x) [/] notes \x1b[2J for {name}.\n"
        meta = {
            "title": title,
            "source": "[red]NCI",
            "license": "CC-BY-4.0",
            "reviewFrequency": "annual",
        }
        front = yaml.safe_dump(meta, allow_unicode=False) + "lastReviewed: 2020-01-01\n"
        (docs / f"{name}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    db = tmp_path / "h.db"
    with open_library(db, embed="0") as lib:
        assert lib.ingest([docs]).failed == 0
    return db


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oncocite", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["documents"],
        ["review", "--today", "2026-01-01"],
        ["show", "chemo"],
        ["show", "escape", "--text"],
        ["search", "trastuzumab", "--mode", "lexical"],
    ],
)
def test_document_text_is_printed_as_written(hostile_db: Path, command: list[str]) -> None:
    result = run(*command, "--db", str(hostile_db))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    if command[0] in ("documents", "review"):
        assert "Chemo [/i] guide" in result.stdout
        assert "[bold]Strong[/bold] words" in result.stdout
        assert r"Red \x1b[31malert\x1b[0m text" in result.stdout
        assert r"Safe \u202eexe.txt" in result.stdout
        assert "[red]NCI" in result.stdout
    if command[0] == "search":
        assert "Trastuzumab link [/] notes \\x1b[2J" in result.stdout


def test_json_output_keeps_text_exact(hostile_db: Path) -> None:
    result = run("documents", "--db", str(hostile_db), "--json")
    assert result.returncode == 0
    assert "\\u001b[31malert" in result.stdout and "\x1b" not in result.stdout


def test_undecodable_query_bytes_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with open_library(db, embed="0") as lib:
        lib.ingest([SEEDS])
    for mode in ("lexical", "hybrid", "dense"):
        command = [sys.executable, "-m", "oncocite", "search", b"caf\xff breast"]
        done = subprocess.run(
            [*command, "--db", db, "--mode", mode],
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
            timeout=120,
            check=False,
        )
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 1, err
        assert err.startswith("error: the query is not valid text"), err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "x", "--filter", "tier=99999999999999999999999"], "is not a tier from 0"),
        (["review", "--within", "99999999999"], "within=99999999999 days is out of range"),
        (["review", "--within", "-3"], "within=-3 days is out of range"),
        (["search", "x", "-k", "99999999999999"], "must be between 1 and 10000"),
    ],
)
def test_huge_numbers_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, [*args, "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _damaged_copy(tmp_path: Path, table: str) -> Path:
    db = tmp_path / "lib.db"
    with open_library(db, embed="0") as lib:
        assert lib.ingest([SEEDS]).failed == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name=?", (table,)
        ).fetchone()
    bad = tmp_path / f"bad-{table}.db"
    shutil.copyfile(db, bad)
    with bad.open("r+b") as handle:
        handle.seek((root - 1) * 4096)
        handle.write(b"\xff" * 4096)
    return bad


def _digest(path: Path) -> str:
    parts = [p for p in (path, Path(f"{path}-wal")) if p.exists()]
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()


@pytest.mark.parametrize("table", ["documents", "passages"])
def test_a_damaged_store_is_reported_and_never_written(tmp_path: Path, table: str) -> None:
    bad = _damaged_copy(tmp_path, table)
    before = _digest(bad)
    doc = tmp_path / "new.md"
    doc.write_text("---\ntitle: New\n---\n\nNew text.\n", encoding="utf-8")
    ingest = run("ingest", str(doc), "--db", str(bad), "--no-embed")
    assert ingest.returncode == 1
    assert "is damaged (integrity check: " in ingest.stderr
    assert "restore it from a backup" in ingest.stderr and "Traceback" not in ingest.stderr
    assert _digest(bad) == before, "nothing was written into the damaged store"
    reads = [run(*c, "--db", str(bad)) for c in (["documents"], ["search", "herceptin"])]
    failed = [r for r in reads if r.returncode != 0]
    assert failed, "reading the damaged table fails"
    for result in failed:
        assert result.stderr.startswith("error: ") and "is damaged" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert _digest(bad) == before


def test_replace_and_time_budget_flags(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    first, second = tmp_path / "a" / "leaflet.md", tmp_path / "b" / "leaflet.md"
    for path, title in ((first, "First"), (second, "Second")):
        path.parent.mkdir()
        path.write_text(f"---\ntitle: {title}\n---\n\nText of {title}.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(first), "--db", db, "--no-embed"]).exit_code == 0
    refused = runner.invoke(app, ["ingest", str(second), "--db", db, "--no-embed"])
    assert refused.exit_code == 1 and "pass --replace" in refused.stderr
    taken = runner.invoke(app, ["ingest", str(second), "--db", db, "--no-embed", "--replace"])
    assert taken.exit_code == 0, taken.stderr
    with open_library(db, embed="0") as lib:
        assert lib.show("leaflet").metadata.title == "Second"
    bad = runner.invoke(app, ["ingest", str(first), "--db", db, "--time-budget", "soon"])
    assert bad.exit_code == 1
    assert bad.stderr.strip().startswith("error: --time-budget 'soon' is not allowed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "herceptin", "--filter", "cancer_type=\udcff"], "is not valid text"),
        (["show", "\udcff"], "is not valid text"),
        (["retire", "doc\udcff"], "is not valid text"),
    ],
)
def test_undecodable_values_are_one_line_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "u.db"
    with open_library(db, embed="0") as lib:
        lib.ingest([SEEDS])
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
