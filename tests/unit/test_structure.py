"""Checks that keep the code honest, each run on the real code and on a made-up case
that must fail: one-way imports, CLI options = Library parameters, the README's CLI
reference and settings, and a public surface that exports every type it uses."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer

import oncocite
from oncocite.cli import app
from oncocite.config import Settings, env_name
from oncocite.library import Library, open_library, upgrade_database
from oncocite.models import MetadataOverrides, Profile
from oncocite.store.base import SearchFilters
from tests.checks import (
    Command,
    cli_drift,
    layer_violations,
    readme_gaps,
    route_gaps,
    settings_gaps,
    unexported_types,
)

SRC = Path(oncocite.__file__).parent
README = SRC.parents[1] / "README.md"
DOCS = SRC.parents[1] / "docs"

# Library methods behind each command (the same name unless listed here).
METHODS = {
    "eval": ["evaluate"],
    "search": ["search", "search_batch"],
    "knowledge check": ["check_knowledge"],
}
# Commands whose twin is a module function: they act before a Library can open.
FUNCTIONS: dict[str, list[Callable[..., Any]]] = {"db upgrade": [upgrade_database]}
# Options that change only how a result is printed.
PRESENTATION = {"as_json", "quiet"}
PRESENTATION_OF = {"show": {"text"}}
# Options that read a file into a model parameter (its fields are options too).
FILES_OF = {"options": {"profile_file"}}
# Model-typed Library parameters whose fields are options of their own.
MODEL_PARAMS = {"metadata": MetadataOverrides, "profile": Profile}


def commands() -> dict[str, Command]:
    """Every command by its full name: a group's commands as "knowledge check"."""
    group = typer.main.get_command(app)
    found: dict[str, Command] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for sub, inner in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = inner
        if not hasattr(command, "commands"):
            found[name] = command
    return found


# ----------------------------------------------------------------- layers
def test_layers_never_import_upward() -> None:
    assert layer_violations(SRC) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "oncocite"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"store/x.py": "from oncocite.cli import app\n"}, "store/x.py imports ['cli']"),
        ({"store/x.py": "from ..search import engine\n"}, "store/x.py imports ['search']"),
        ({"search/__init__.py": "from .. import library\n"}, "imports ['library']"),
        ({"store/a/b.py": "from ...ingest import x\n"}, "store/a/b.py imports ['ingest']"),
        ({"models/x.py": "import oncocite.store\n"}, "models/x.py imports ['store']"),
        ({"rest/x.py": "from oncocite.store import Store\n"}, "must declare its layer"),
    ],
)
def test_layer_check_bites(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    problems = layer_violations(_tree(tmp_path, files))
    assert any(expected in p for p in problems), problems


def test_layer_check_allows_relative_imports_within_a_layer(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"search/x.py": "from . import y\nfrom ..store import base\n"})
    assert layer_violations(root) == []


# ----------------------------------------------------------------- CLI = Library
# Commands that run something rather than return a model: no --json, no Library twin.
RUNNERS = {"serve"}


def test_every_command_options_match_its_library_method() -> None:
    for name, command in commands().items():
        if name in RUNNERS:
            assert inspect.getdoc(command.callback), f"`oncocite {name}` has no help text"
            continue
        methods = FUNCTIONS.get(name) or [getattr(Library, m) for m in METHODS.get(name, [name])]
        problems = cli_drift(
            command,
            methods,
            PRESENTATION | PRESENTATION_OF.get(name, set()) | FILES_OF.get(name, set()),
            MODEL_PARAMS,
        )
        assert problems == [], f"oncocite {name}: {problems}"
        params = {p.name for p in command.params}
        if name != "eval":
            assert "db" in params, f"`oncocite {name}` lacks --db"
        assert "as_json" in params, f"`oncocite {name}` lacks --json"
        assert inspect.getdoc(command.callback), f"`oncocite {name}` has no help text"


def _command(callback: Any) -> Command:
    extra = typer.Typer()
    extra.command()(callback)
    return typer.main.get_command(extra)


def test_cli_check_bites() -> None:
    def review(
        today: str | None = None,
        within: int = 7,
        source: Annotated[str | None, typer.Option()] = None,
        as_json: bool = False,
    ) -> None:
        """A review command that drifted from the Library."""

    problems = cli_drift(_command(review), [Library.review], PRESENTATION)
    assert "--source has no Library parameter 'source'" in problems
    assert any(p.startswith("within: the CLI default 7") for p in problems)
    assert "Library parameter 'known_only' has no option" in problems


# ----------------------------------------------------------------- docs
def test_the_cli_guide_documents_each_command_option_in_its_own_section() -> None:
    assert readme_gaps((DOCS / "cli.md").read_text(encoding="utf-8"), commands()) == []


def test_readme_check_bites() -> None:
    readme = (
        "## CLI reference\n### `oncocite review [--today D]`\nLists what is due; --within.\n"
        "### `oncocite retire ID`\nRetires.\n### `oncocite gone`\n## Configuration\n"
        "--known-only is mentioned here, outside the review section.\n"
    )
    wanted = {k: v for k, v in commands().items() if k in ("review", "retire")}
    problems = readme_gaps(readme, wanted)
    assert "docs/cli.md section of `oncocite review` lacks --known-only" in problems
    assert "docs/cli.md section of `oncocite retire` lacks --db" in problems
    assert "docs/cli.md documents `oncocite gone`, which does not exist" in problems


def test_the_docs_document_every_setting_and_no_other() -> None:
    variables = [env_name(field) for field in Settings.model_fields]
    configuration = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert settings_gaps(configuration, variables) == []
    every_page = "\n".join(
        p.read_text(encoding="utf-8") for p in [README, *sorted(DOCS.glob("*.md"))]
    )
    assert [g for g in settings_gaps(every_page, variables) if "not a setting" in g] == []
    problems = settings_gaps("ONCOCITE_DB and ONCOCITE_TYPO", ["ONCOCITE_DB", "ONCOCITE_MODEL"])
    assert problems == [
        "the docs lack the setting ONCOCITE_MODEL",
        "the docs mention ONCOCITE_TYPO, which is not a setting",
    ]


def test_the_rest_docs_name_every_route(tmp_path: Path) -> None:
    from fastapi.routing import APIRoute

    from oncocite.api.app import create_app

    with open_library(tmp_path / "r.db", embed="0") as lib:
        app = create_app(lib)
    routes = [r.path for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema]
    assert len(routes) >= 10
    rest = (DOCS / "rest-api.md").read_text(encoding="utf-8")
    assert route_gaps(rest, routes) == []
    assert route_gaps("GET /v1/search", ["/v1/search", "/v1/gone"]) == [
        "docs/rest-api.md lacks the route /v1/gone"
    ]


def test_the_readme_is_a_short_front_door() -> None:
    readme = README.read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert readme.startswith("# oncocite\n\n```bash\nscripts/run ")
    for page in DOCS.glob("*.md"):
        if not page.name.startswith("_"):
            assert f"docs/{page.name}" in readme, f"the README does not link {page.name}"


# ----------------------------------------------------------------- public surface
def public_functions() -> list[Any]:
    methods = [
        member
        for name, member in inspect.getmembers(Library, inspect.isfunction)
        if not name.startswith("_")
    ]
    return [open_library, *methods]


def test_public_surface_is_sorted_and_importable() -> None:
    assert oncocite.__all__ == sorted(oncocite.__all__)
    for name in oncocite.__all__:
        assert getattr(oncocite, name) is not None


def test_all_exports_every_type_of_a_public_signature() -> None:
    exported = {name: getattr(oncocite, name) for name in oncocite.__all__}
    assert unexported_types(public_functions(), exported, "oncocite") == []


def test_export_check_bites() -> None:
    def leaky(filters: SearchFilters) -> list[oncocite.Hit]:
        return []

    exported = {name: getattr(oncocite, name) for name in oncocite.__all__}
    problems = unexported_types([leaky], exported, "oncocite")
    assert problems == ["oncocite.store.base.SearchFilters (used by " + leaky.__qualname__ + ")"]
