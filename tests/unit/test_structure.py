"""Checks that keep the code honest: one-way imports, public surface, documented CLI."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import typer

import oncocite
from oncocite.cli import app
from oncocite.config import SETTINGS_DOC
from oncocite.library import Library

SRC = Path(oncocite.__file__).parent
README = SRC.parents[1] / "README.md"

# Each layer may import only from the layers listed (plus the shared root modules).
SHARED = {"models", "errors", "licences", "config"}
ALLOWED = {
    "ingest": {"ingest", "store"},
    "store": {"store"},
    "governance": {"governance"},
    "search": {"search", "store"},
    "evaluation": {"evaluation"},
}


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "oncocite" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_layers_never_import_upward() -> None:
    for layer, allowed in ALLOWED.items():
        for path in (SRC / layer).rglob("*.py"):
            bad = imported_layers(path) - allowed - SHARED
            assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"
    for shared in SHARED:
        bad = imported_layers(SRC / f"{shared}.py") - SHARED
        assert not bad, f"{shared}.py imports {sorted(bad)}"


def test_public_surface_is_sorted_and_importable() -> None:
    assert oncocite.__all__ == sorted(oncocite.__all__)
    for name in oncocite.__all__:
        assert getattr(oncocite, name) is not None


def commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_is_a_thin_shell_over_a_library_method() -> None:
    mirrors = {"eval": "evaluate", "search": "search", "embed": "embed"}
    for name, command in commands().items():
        method = getattr(Library, mirrors.get(name, name), None)
        assert method is not None, f"`oncocite {name}` has no Library.{name}"
        params = {p.name for p in command.params}
        if name not in ("eval",):
            assert "db" in params, f"`oncocite {name}` lacks --db"
        if name not in ("ingest",):
            assert "as_json" in params, f"`oncocite {name}` lacks --json"
        assert inspect.getdoc(command.callback), f"`oncocite {name}` has no help text"


def test_readme_documents_every_command_option_and_setting() -> None:
    readme = README.read_text(encoding="utf-8")
    for name, command in commands().items():
        assert f"oncocite {name}" in readme, f"README lacks `oncocite {name}`"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in readme, f"README lacks {opt} of `oncocite {name}`"
    for variable in SETTINGS_DOC:
        assert variable in readme, f"README lacks the setting {variable}"
