"""The README's five-minute tour, run command by command as a newcomer would run it
after `scripts/run`: the same library (the two seeds, the CRUK page with the flags
scripts/run gives it), each command as written, each ending well."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, seed_library

README = ROOT / "README.md"
RUN = ROOT / "scripts" / "run"


def tour_commands() -> list[str]:
    """The `.venv/bin/oncocite …` lines of the README's tour block."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the tour has no bash block"
    return [line for line in block.group(1).splitlines() if line.startswith(".venv/bin/oncocite")]


def test_the_tour_and_scripts_run_use_the_same_library() -> None:
    """The tour names no --db: it reads ./oncocite.db, which scripts/run builds."""
    script = RUN.read_text(encoding="utf-8")
    assert 'ONCOCITE_DB="${1:-${ONCOCITE_DB:-oncocite.db}}"' in script
    assert all("--db" not in command for command in tour_commands())
    assert len(tour_commands()) >= 10


@pytest.mark.dense
@pytest.mark.slow
def test_every_tour_command_works_as_written(tmp_path: Path) -> None:
    db = tmp_path / "oncocite.db"
    seed_library(db).close()  # what scripts/run stores
    env = {**os.environ, "ONCOCITE_DB": str(db), "HF_HUB_OFFLINE": "1"}
    for command in tour_commands():
        args = shlex.split(command)[1:]
        run = subprocess.run(
            [sys.executable, "-m", "oncocite", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180,
        )  # fmt: skip
        assert run.returncode == 0, (command, run.stderr)
        assert run.stdout.strip(), command
        assert "Traceback" not in run.stderr, command
