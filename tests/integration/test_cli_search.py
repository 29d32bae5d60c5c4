"""`oncocite search` and `oncocite eval` through the CLI, on a real store file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncocite.cli import app
from tests.conftest import SEED_CRUK, SEED_NCI


@pytest.fixture
def db(cli: CliRunner, db_path: Path) -> str:
    # the CRUK page carries no metadata of its own: without a source and licence it
    # would be a draft, which search serves only when asked for
    flags = {SEED_CRUK: ["--source", "Cancer Research UK", "--license", "all_rights_reserved"]}
    for seed in (SEED_NCI, SEED_CRUK):
        command = ["ingest", str(seed), "--db", str(db_path), "--no-embed", *flags.get(seed, [])]
        result = cli.invoke(app, command)
        assert result.exit_code == 0, result.stderr
    return str(db_path)


def test_search_json_has_the_public_hit_shape(cli: CliRunner, db: str) -> None:
    result = cli.invoke(
        app, ["search", "Perjeta before surgery", "--db", db, "--mode", "lexical", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "Perjeta before surgery" and data["mode_used"] == "lexical"
    hits = data["hits"]
    assert hits and {"passage_id", "doc_id", "title", "source", "url", "score", "text"} <= set(
        hits[0]
    )
    assert "pertuzumab" in hits[0]["text"].lower()
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_filters_and_their_errors(cli: CliRunner, db: str) -> None:
    ok = cli.invoke(
        app,
        [
            "search",
            "immunotherapy",
            "--mode",
            "lexical",
            "--json",
            "--filter",
            "source=NCI",
            "--db",
            db,
        ],
    )
    assert ok.exit_code == 0
    assert {h["source"] for h in json.loads(ok.stdout)["hits"]} == {"NCI"}
    bad = cli.invoke(app, ["search", "immunotherapy", "--db", db, "--filter", "colour=blue"])
    assert bad.exit_code == 1 and bad.stdout == ""
    assert bad.stderr.startswith("error: ") and "colour" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    mode = cli.invoke(app, ["search", "x", "--db", db, "--mode", "fuzzy"])
    assert mode.exit_code == 1 and "'fuzzy'" in mode.stderr


def test_batch_run_and_eval_round_trip(cli: CliRunner, db: str, tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("kad\tKadcyla\ntn\ttriple negative immunotherapy\n", encoding="utf-8")
    run = tmp_path / "r.trec"
    result = cli.invoke(
        app,
        [
            "search",
            "-k",
            "5",
            "--mode",
            "lexical",
            "--tag",
            "t1",
            "--json",
            "--db",
            db,
            "--batch",
            str(queries),
            "--run",
            str(run),
        ],
    )
    assert result.exit_code == 0, result.stderr
    written = json.loads(result.stdout)
    assert (written["queries"], written["run"], written["tag"]) == (2, str(run), "t1")
    lines = [line.split() for line in run.read_text(encoding="utf-8").splitlines()]
    assert {line[0] for line in lines} == {"kad", "tn"}
    assert all(line[1] == "Q0" and line[5] == "t1" for line in lines)
    by_query = {q: [line[2] for line in lines if line[0] == q] for q in ("kad", "tn")}
    # Judge the second-ranked passage of "kad" relevant: its reciprocal rank must be 1/2.
    qrels = tmp_path / "q.qrels"
    qrels.write_text(f"kad 0 {by_query['kad'][1]} 1\ntn 0 {by_query['tn'][0]} 2\n")
    evaluated = cli.invoke(app, ["eval", "--qrels", str(qrels), "--run", str(run), "--json"])
    assert evaluated.exit_code == 0, evaluated.stderr
    data = json.loads(evaluated.stdout)
    assert data["per_query"]["kad"]["RR@10"] == pytest.approx(0.5)
    assert data["per_query"]["tn"]["RR@10"] == pytest.approx(1.0)
    assert data["measures"]["RR@10"] == pytest.approx(0.75)
    table = cli.invoke(app, ["eval", "--qrels", str(qrels), "--run", str(run)])
    assert table.exit_code == 0 and "RR@10" in table.stdout and "0.7500" in table.stdout


def test_search_needs_a_query_or_a_batch(cli: CliRunner, db: str, tmp_path: Path) -> None:
    result = cli.invoke(app, ["search", "--db", db])
    assert result.exit_code == 1 and "give a QUERY" in result.stderr
    missing = cli.invoke(
        app, ["search", "--batch", str(tmp_path / "none.tsv"), "--run", "r", "--db", db]
    )
    assert missing.exit_code == 1 and "none.tsv" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_unwritable_run_file_is_a_one_line_error(cli: CliRunner, db: str, tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("a\tKadcyla\n", encoding="utf-8")
    target = tmp_path / "no" / "such" / "dir" / "r.trec"
    result = cli.invoke(
        app, ["search", "--batch", str(queries), "--run", str(target), "--db", db, "-q"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "r.trec" in result.stderr
    bad_qrels = cli.invoke(
        app, ["eval", "--qrels", str(tmp_path / "none.qrels"), "--run", str(queries)]
    )
    assert bad_qrels.exit_code == 1 and "none.qrels" in bad_qrels.stderr


def test_hybrid_fallback_is_said_on_stderr(cli: CliRunner, db: str) -> None:
    result = cli.invoke(app, ["search", "Herceptin", "--db", db, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["mode_used"] == "lexical"
    assert result.stderr.startswith("notice: hybrid search ran lexical only")
