"""Settings are validated in one place: flags > ONCOCITE_* environment > defaults, and
a bad value is one line naming the flag or variable, the value and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncocite.cli import app
from oncocite.config import load_settings, parse_database_url
from oncocite.errors import SettingsError


def test_defaults_environment_and_flags_in_that_order() -> None:
    assert load_settings(environ={}).model_dump() == {
        "db": "oncocite.db",
        "embed": "auto",
        "model": "minilm-int8",
        "quantised_queries": True,
        "cache_dir": None,
        "max_bytes": 10 * 1024 * 1024,
        "time_budget": 20.0,
        "llm_url": None,
        "llm_model": "gpt-4o-mini",
        "llm_key": None,
        "llm_timeout": 10.0,
        "api_max_body": 1024 * 1024,
        "api_max_question": 2000,
        "api_rate": 1200,
        "api_timeout": 10.0,
        "api_max_header": 16 * 1024,
        "api_client_timeout": 10.0,
        "api_trusted_proxies": "",
        "admin_token": None,
        "log_questions": False,
    }
    env = {"ONCOCITE_DB": "env.db", "ONCOCITE_EMBED": "off", "ONCOCITE_MAX_BYTES": "2MiB"}
    from_env = load_settings(environ=env)
    assert (from_env.db, from_env.embed, from_env.max_bytes) == ("env.db", "0", 2 * 1024 * 1024)
    flagged = load_settings({"db": "flag.db", "embed": True, "max_bytes": None}, environ=env)
    assert (flagged.db, flagged.embed, flagged.max_bytes) == ("flag.db", "1", 2 * 1024 * 1024)
    assert load_settings(environ={"ONCOCITE_QUANTISED_QUERIES": "off"}).quantised_queries is False
    with pytest.raises(SettingsError, match="ONCOCITE_QUANTISED_QUERIES='maybe'"):
        load_settings(environ={"ONCOCITE_QUANTISED_QUERIES": "maybe"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10MB", 10_000_000), ("10 MiB", 10 * 1024 * 1024), ("512kb", 512_000), ("1234", 1234)],
)
def test_sizes_may_carry_a_unit(value: str, expected: int) -> None:
    assert load_settings(environ={"ONCOCITE_MAX_BYTES": value}).max_bytes == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"ONCOCITE_EMBED": "maybe"},
            "ONCOCITE_EMBED='maybe' is not allowed: use auto, 1 or 0",
        ),
        (
            {"ONCOCITE_MAX_BYTES": "ten megabytes"},
            "ONCOCITE_MAX_BYTES='ten megabytes' is not allowed: use a positive number of bytes",
        ),
        ({"ONCOCITE_MAX_BYTES": "0"}, "ONCOCITE_MAX_BYTES='0' is not allowed"),
        (
            {"ONCOCITE_MODEL": "bert"},
            "ONCOCITE_MODEL='bert' is not allowed: use minilm-int8 or minilm",
        ),
        ({"ONCOCITE_DB": ""}, "ONCOCITE_DB='' is empty"),
        ({"ONCOCITE_DB": "sqlite:///"}, "ONCOCITE_DB='sqlite:///' names no database file"),
        ({"ONCOCITE_DB": "mysql://x/y"}, "has the unknown scheme 'mysql'"),
    ],
)
def test_a_bad_environment_value_is_named_once(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(environ=env)
    text = str(raised.value)
    assert message in text and "\n" not in text


def test_a_bad_flag_names_the_flag() -> None:
    with pytest.raises(SettingsError, match=r"^--max-bytes '12 parsecs' is not allowed"):
        load_settings({"max_bytes": "12 parsecs"}, environ={})
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings({"colour": "red"}, environ={})


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("lib.db", "lib.db"),
        ("sqlite:///lib.db", "lib.db"),
        ("sqlite:////tmp/lib.db", "/tmp/lib.db"),
        ("/abs/lib.db", "/abs/lib.db"),
    ],
)
def test_database_urls(url: str, target: str) -> None:
    assert parse_database_url(url).target == target


@pytest.mark.parametrize("url", ["", "  ", "sqlite:///", "sqlite://", "sqlite:lib.db", "dir/"])
def test_path_less_database_urls_are_errors(url: str) -> None:
    with pytest.raises(ValueError):
        parse_database_url(url)


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oncocite", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", **env},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"ONCOCITE_MAX_BYTES": "ten"}, "error: ONCOCITE_MAX_BYTES='ten' is not allowed"),
        ({"ONCOCITE_EMBED": "maybe"}, "error: ONCOCITE_EMBED='maybe' is not allowed"),
        ({"ONCOCITE_MODEL": "foo"}, "error: ONCOCITE_MODEL='foo' is not allowed"),
    ],
)
def test_cli_reports_a_bad_setting_in_one_line(
    tmp_path: Path, env: dict[str, str], line: str
) -> None:
    result = run_cli("documents", "--db", str(tmp_path / "x.db"), env=env)
    assert result.returncode == 1
    assert result.stderr.startswith(line)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "x.db").exists() or result.stdout == ""


def test_ten_megabytes_is_a_size_not_a_traceback(tmp_path: Path) -> None:
    result = run_cli(
        "documents", "--db", str(tmp_path / "x.db"), env={"ONCOCITE_MAX_BYTES": "10MB"}
    )
    assert result.returncode == 0, result.stderr
    assert "0 documents" in result.stdout


@pytest.mark.parametrize("db", ["", "sqlite:///"])
def test_empty_database_url_never_writes_a_temporary_database(tmp_path: Path, db: str) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("---\ntitle: X\n---\n\nText.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(doc), "--db", db, "--no-embed"])
    assert result.exit_code == 1 and "added" not in result.stdout
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


def test_flag_values_are_printed_as_typed(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    result = CliRunner().invoke(app, ["review", "--db", db, "--today", "[red]x[/red]"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --today '[red]x[/red]' is not a date (YYYY-MM-DD)"
    bad = CliRunner().invoke(app, ["ingest", "x.md", "--db", db, "--license", "[bold]mine"])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: --license '[bold]mine' is not a known licence")
    mode = CliRunner().invoke(app, ["search", "q", "--db", db, "--mode", "[blink]"])
    assert mode.stderr.strip() == "error: --mode '[blink]' is not one of hybrid, lexical, dense"
