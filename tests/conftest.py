"""Shared fixtures: paths into ../shared (read-only) and fresh libraries in tmp_path."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oncocite import Library, MetadataOverrides, open_library

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_NCI = SEEDS / "003_5c17e5cb39d03151.txt"
SEED_CRUK = SEEDS / "000_115646f3b8bff644.txt"
MEDQUAD = SHARED / "corpus" / "medquad"

# Every drug named in the CRUK seed: cleaning must keep each one.
SEED_CRUK_DRUGS = [
    "abemaciclib",
    "neratinib",
    "pembrolizumab",
    "pertuzumab",
    "Perjeta",
    "trastuzumab",
    "Herceptin",
    "Herzuma",
    "Ontruzant",
    "deruxtecan",
    "emtansine",
    "Kadcyla",
    "tucatinib",
    "capecitabine",
    "palbociclib",
    "ribociclib",
    "fulvestrant",
    "aromatase inhibitor",
]

# the CRUK page's curated metadata, shared with the benchmarks (tests/data/seeds)
CRUK_FLAGS = MetadataOverrides.model_validate_json(
    (ROOT / "tests" / "data" / "seeds" / "cruk_metadata.json").read_text(encoding="utf-8")
)


def seed_library(db: Path, **settings: Any) -> Library:
    """A library at `db` holding both seeds (the CRUK page with its metadata)."""
    library = open_library(db, **settings)
    assert library.ingest([SEED_NCI]).failed == 0
    assert library.ingest([SEED_CRUK], metadata=CRUK_FLAGS).failed == 0
    return library


def pytest_configure(config: pytest.Config) -> None:
    if not SEEDS.is_dir():
        raise pytest.UsageError(f"{SHARED} is missing: tests read ../shared beside the checkout")


# Test modules whose code paths differ when the dense extra is missing: searches and
# answers (lexical fallback and its notices), the CLI and REST API over them, cold start,
# a missing extra's 500. With every unit test, they are marked `lexical`, and they are
# what scripts/test runs again in the lexical-only venv. The other modules (stores,
# ingest, crash safety, hostile input, readers' fuzzing, PostgreSQL) run the same code
# with or without the extra, so a second run would add time, not coverage.
LEXICAL_MODULES = frozenset(
    {
        "test_answers",
        "test_api",
        "test_cli",
        "test_cli_search",
        "test_cold_start",
        "test_error_statuses",
        "test_fuzz_search",
        "test_openapi_fuzz",
        "test_search_questions",
        "test_search_seeds",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name == "unit" or item.path.stem in LEXICAL_MODULES:
            item.add_marker(pytest.mark.lexical)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A real PostgreSQL with pgvector for this session (fails the test if it cannot
    start: the PostgreSQL store is never skipped)."""
    from tests.postgres_server import PostgresServer

    # Not under pytest's basetemp: another pytest session of this user prunes old
    # basetemps, and would delete the data folder of a server still running.
    folder = Path(tempfile.mkdtemp(prefix="oncocite-pg-"))
    server = PostgresServer(folder)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: Any) -> str:
    """A new PostgreSQL database at the current schema version, for this test alone."""
    return str(postgres_server.create_database())


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many PostgreSQL tests ran and how they ended (CI prints it)."""
    outcomes: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "postgres" in getattr(report, "keywords", {}) and report.when in ("call", "setup"):
                if outcome == "passed" and report.when != "call":
                    continue
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if outcomes:
        shown = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        terminalreporter.write_line(f"PostgreSQL tests run: {shown}")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def lib(db_path: Path) -> Iterator[Library]:
    with open_library(db_path, embed="0") as library:
        yield library


@pytest.fixture
def seeded(lib: Library) -> Library:
    """A library holding both seeds, the CRUK page with curated metadata flags."""
    report = lib.ingest([SEED_NCI])
    assert report.failed == 0
    report = lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS)
    assert report.failed == 0
    return lib


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()
