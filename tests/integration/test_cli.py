"""The CLI end to end: it writes a real SQLite file that the Python API reopens."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncocite import open_library
from oncocite.cli import app
from tests.conftest import SEED_CRUK, SEED_NCI, SEEDS


def run(cli: CliRunner, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = cli.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_list_show_review_round_trip(cli: CliRunner, db_path: Path) -> None:
    db = str(db_path)
    code, out, _ = run(cli, "ingest", str(SEED_NCI), "--db", db, "--no-embed", "--json")
    assert code == 0
    assert json.loads(out)["totals"]["added"] == 1
    code, out, _ = run(
        cli,
        "ingest",
        str(SEED_CRUK),
        "--db",
        db,
        "--no-embed",
        "--json",
        "--source",
        "Cancer Research UK",
        "--licence",
        "all_rights_reserved",
        "--cancer-type",
        "breast",
    )
    assert code == 0
    (result,) = json.loads(out)["results"]
    assert result["outcome"] == "added" and "lastReviewed" in result["warnings"][0]

    code, out, _ = run(cli, "documents", "--db", db, "--json")
    listing = json.loads(out)
    assert listing["total"] == 2
    docs = {d["doc_id"]: d for d in listing["documents"]}
    assert set(docs) == {"000_115646f3b8bff644", "003_5c17e5cb39d03151"}
    assert docs["000_115646f3b8bff644"]["source"] == "Cancer Research UK"

    code, out, _ = run(cli, "show", "003_5c17e5cb39d03151", "--db", db, "--json")
    shown = json.loads(out)
    assert shown["metadata"]["last_reviewed"] == "2025-12-30"
    assert shown["metadata"]["source_tier"] == 2
    assert shown["passages"][0]["passage_id"] == "003_5c17e5cb39d03151#1"

    code, out, _ = run(cli, "review", "--db", db, "--json", "--today", "2026-01-15")
    assert code == 0
    report = json.loads(out)
    assert report["today"] == "2026-01-15" and report["counts"]["unknown"] == 1
    assert [(i["doc_id"], i["state"]) for i in report["items"]] == [
        ("000_115646f3b8bff644", "unknown")
    ]
    code, out, _ = run(cli, "review", "--db", db, "--json", "--today", "2026-04-01")
    items = json.loads(out)["items"]
    assert items[0]["doc_id"] == "003_5c17e5cb39d03151" and items[0]["state"] == "overdue"
    assert items[0]["due"] == "2026-03-30" and items[0]["days_overdue"] == 2

    with open_library(db_path, embed="0") as lib:
        assert lib.counts()["documents"] == 2
        assert lib.store.integrity_check() == "ok"
        # the CLI prints the very models the Library returns: one public shape
        assert json.loads(run(cli, "documents", "--db", db, "--json")[1]) == json.loads(
            lib.documents().model_dump_json()
        )
        assert json.loads(out) == json.loads(
            lib.review(today=dt.date(2026, 4, 1)).model_dump_json()
        )
        shown_again = lib.show("003_5c17e5cb39d03151").model_dump(mode="json")
        assert shown == shown_again


def test_db_comes_from_the_environment(cli: CliRunner, db_path: Path) -> None:
    env = {"ONCOCITE_DB": str(db_path)}
    assert run(cli, "ingest", str(SEEDS), "--no-embed", "--quiet", env=env)[0] == 0
    code, out, _ = run(cli, "documents", "--json", env=env)
    assert code == 0 and json.loads(out)["total"] == 2
    assert db_path.exists()


def test_human_output_is_a_table_and_errors_are_one_line(cli: CliRunner, db_path: Path) -> None:
    db = str(db_path)
    code, out, _ = run(cli, "ingest", str(SEED_NCI), "--db", db, "--no-embed")
    assert code == 0 and "ingest summary" in out
    code, out, err = run(cli, "show", "nope", "--db", db)
    assert code == 1 and out == ""
    assert err.strip() == "error: no document with id 'nope' (list them with `oncocite documents`)"
    code, _, err = run(cli, "review", "--db", db, "--today", "2026-13-01")
    assert code == 1 and "--today '2026-13-01' is not a date" in err
    code, _, err = run(cli, "ask", "What is immunotherapy?", "--db", db, "--today", "soon")
    assert code == 1 and err.strip() == "error: --today 'soon' is not a date (YYYY-MM-DD)"


def test_retire_hides_and_is_listed(cli: CliRunner, db_path: Path) -> None:
    db = str(db_path)
    run(cli, "ingest", str(SEED_NCI), "--db", db, "--no-embed")
    code, out, _ = run(cli, "retire", "003_5c17e5cb39d03151", "--db", db, "--json")
    assert code == 0 and json.loads(out) == {
        "doc_id": "003_5c17e5cb39d03151",
        "status": "retired",
        "version": 2,
        "changed": True,
    }
    code, out, _ = run(cli, "retire", "003_5c17e5cb39d03151", "--db", db)
    assert code == 0 and out.strip() == "003_5c17e5cb39d03151 was already retired (version 2)"
    code, out, _ = run(cli, "documents", "--db", db, "--json")
    assert json.loads(out)["documents"][0]["status"] == "retired"


@pytest.mark.parametrize("command", ["documents", "review"])
def test_unopenable_database_is_a_clear_error(cli: CliRunner, tmp_path: Path, command: str) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    code, _, err = run(cli, command, "--db", str(bad))
    assert code == 1
    assert err.startswith("error: ") and "cannot open as an oncocite store" in err
    assert "Traceback" not in err
    assert bad.read_bytes() == b"this is not sqlite" * 100


def test_a_missing_or_unreadable_path_is_an_error_line_before_the_summary(
    cli: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "not_here.md"
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)  # unreadable even for root, unlike a chmod 000 file
    code, out, err = run(
        cli, "ingest", str(missing), str(loop), str(SEED_NCI), "--db", str(db_path), "--no-embed"
    )
    assert code == 1
    assert err.splitlines()[:2] == [
        f"error: {missing} does not exist",
        f"error: {loop} is a loop of symbolic links",
    ]
    assert "failed:" not in err  # each reason once
    assert "ingest summary" in out and "Traceback" not in out + err
    row = [line for line in out.splitlines() if line.startswith("│")][-1]
    assert row.split("│")[1:6] == [" 1     ", " 0       ", " 0         ", " 0       ", " 2      "]
    assert open_library(db_path).documents().total == 1  # the readable file is stored


def test_the_error_comes_first_on_a_terminal_stream_too(db_path: Path, tmp_path: Path) -> None:
    """One stream, as a terminal or a CI log shows it: the reason, then the summary."""
    missing = tmp_path / "nowhere" / "page.md"
    done = subprocess.run(
        [sys.executable, "-m", "oncocite", "ingest", str(missing), "--db", str(db_path),
         "--no-embed"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == f"error: {missing} does not exist", done.stdout
    assert lines[1] == "ingest summary" and len([x for x in lines if "does not exist" in x]) == 1
    as_json = subprocess.run(
        [sys.executable, "-m", "oncocite", "ingest", str(missing), "--db", str(db_path),
         "--no-embed", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert as_json.returncode == 1
    assert as_json.stderr == f"error: {missing} does not exist\n"
    assert json.loads(as_json.stdout)["totals"]["failed"] == 1


def test_ask_names_licences_in_plain_words_and_each_page_read_once(
    cli: CliRunner, db_path: Path
) -> None:
    db = str(db_path)
    ingested = run(cli, "ingest", str(SEED_NCI), "--db", db, "--no-embed", "--quiet")
    assert ingested[0] == 0, ingested
    code, out, _ = run(cli, "ask", "What is pembrolizumab?", "--db", db)
    assert code == 0 and "Sources:" in out, out
    sources = [line for line in out.splitlines() if line.startswith("[")]
    assert sources and all("licence: " in line for line in sources)
    assert not any("licence: public_domain" in line for line in sources)  # the id, not a name
    code, as_json, _ = run(cli, "ask", "What is pembrolizumab?", "--db", db, "--json")
    answer = json.loads(as_json)
    names = {c["license_name"] for c in answer["citations"]}
    assert all(f"licence: {name}" in out for name in names)
    if "Also read, not quoted:" in out:
        read = out.split("Also read, not quoted:")[1].splitlines()[1:]
        ids = [line.rsplit("(", 1)[1].split(")")[0] for line in read if line.startswith("  ")]
        assert len(ids) == len(set(ids))
        assert not set(ids) & {c["doc_id"] for c in answer["citations"]}


def test_an_abstention_counts_what_it_read_in_plain_english(cli: CliRunner, db_path: Path) -> None:
    """Read as a patient would: "Searched 10 passages of 1 documents" said "1
    documents"; one document is one document."""
    db = str(db_path)
    assert run(cli, "ingest", str(SEED_NCI), "--db", db, "--no-embed", "--quiet")[0] == 0
    code, out, _ = run(cli, "ask", "Can I drink wine while on pembrolizumab?", "--db", db)
    assert code == 0 and "No answer:" in out, out
    assert " of 1 document for " in out, out
