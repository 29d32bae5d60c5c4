"""Settings are validated in one place: flags > ONCOCITE_* environment > defaults, and
a bad value is one line naming the flag or variable, the value and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ByteSize
from typer.testing import CliRunner

from oncocite.cli import app
from oncocite.config import Settings, env_name, load_settings, parse_database_url
from oncocite.errors import SettingsError


def test_defaults_environment_and_flags_in_that_order() -> None:
    assert load_settings(environ={}).model_dump() == {
        "db": "oncocite.db",
        "embed": "auto",
        "model": "minilm-int8",
        "quantised_queries": True,
        "query_batching": False,
        "ann_min_passages": 100_000,
        "prescan_min_rows": 4096,
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
    assert load_settings(environ={"ONCOCITE_ANN_MIN_PASSAGES": "0"}).ann_min_passages == 0
    with pytest.raises(SettingsError, match="ONCOCITE_ANN_MIN_PASSAGES='-1'"):
        load_settings(environ={"ONCOCITE_ANN_MIN_PASSAGES": "-1"})
    assert load_settings(environ={"ONCOCITE_PRESCAN_MIN_ROWS": "0"}).prescan_min_rows == 0


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


def _default_as_documented(field: str) -> str:
    """A setting's default as docs/configuration.md writes it."""
    value = Settings.model_fields[field].default
    if value is None:
        return "unset"
    if value == "":
        return "empty"
    if isinstance(value, bool):
        return "`1`" if value else "`0`"
    if isinstance(value, ByteSize):
        for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
            if value % size == 0:
                return f"`{value // size} {unit}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`"


def test_the_docs_give_every_setting_with_its_default() -> None:
    page = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = {
        cells[0].strip("` "): cells[2].strip()
        for line in page.splitlines()
        if line.startswith("| `ONCOCITE_")
        for cells in [line.strip("|").split(" | ")]
    }
    for field in Settings.model_fields:
        assert env_name(field) in documented, f"docs/configuration.md lacks {env_name(field)}"
        assert documented[env_name(field)] == _default_as_documented(field), env_name(field)


def test_settings_read_the_process_environment_and_no_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pydantic-settings object: the process's ONCOCITE_* variables under the
    values it is given (the flags); a stray .env file is never read."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ONCOCITE_DB=dotenv.db\n", encoding="utf-8")
    monkeypatch.setenv("ONCOCITE_API_RATE", "7")
    assert Settings().api_rate == 7 and Settings().db == "oncocite.db"
    assert Settings(api_rate=9).api_rate == 9
    assert load_settings({"api_rate": None}).api_rate == 7
    assert load_settings(environ={}).api_rate == 1200
