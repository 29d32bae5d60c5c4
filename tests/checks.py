"""Structure checks, as functions that return what is wrong, so tests can run them on
the real code and on small made-up cases that must fail (checks that bite)."""

from __future__ import annotations

import ast
import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

# typer's command type: click's, which typer vendors in recent releases
Command = Any

# ----------------------------------------------------------------- layers
SHARED = frozenset({"models", "errors", "licences", "config", "sentences"})
# Each top-level module or package of src/oncocite and what it may import besides
# the shared modules. A new package must be added here, or the layer test fails.
LAYERS: dict[str, frozenset[str]] = {
    "models": SHARED,
    "errors": SHARED,
    "licences": SHARED,
    "config": SHARED,
    "sentences": SHARED,
    "store": frozenset({"store"}),
    "ingest": frozenset({"ingest", "store"}),
    "governance": frozenset({"governance"}),
    "search": frozenset({"search", "store"}),
    "answers": frozenset({"answers", "search", "store", "governance"}),
    "evaluation": frozenset({"evaluation"}),
    "knowledge": frozenset({"knowledge", "search", "store"}),
    "library": frozenset(
        {"library", "store", "ingest", "governance", "search", "evaluation", "answers", "knowledge"}
    ),
    "cli": frozenset({"cli", "library", "api"}),
    "api": frozenset({"api", "library"}),
    "__init__": frozenset({"library", "search", "answers", "knowledge"}),
    "__main__": frozenset({"cli"}),
}


def _module_parts(root: Path, path: Path) -> list[str]:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_layers(root: Path, path: Path, package: str = "oncocite") -> set[str]:
    """Top-level names of `package` that a file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_parts(root, path)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[list[str]] = []
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here if is_package else here[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = [package, *base, *(node.module.split(".") if node.module else [])]
            else:
                module = (node.module or "").split(".")
            if module == [package]:
                targets = [[package, alias.name] for alias in node.names]
            else:
                targets = [module]
        for parts in targets:
            if parts[0] == package and len(parts) > 1:
                found.add(parts[1])
    return found


def layer_violations(root: Path) -> list[str]:
    """Every upward import, and every top-level module with no declared layer."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        top = path.relative_to(root).parts[0].removesuffix(".py")
        if top not in LAYERS:
            problems.append(f"{top}: a new module or package must declare its layer in LAYERS")
            continue
        bad = imported_layers(root, path) - LAYERS[top] - SHARED - {top}
        if top in SHARED:
            bad = imported_layers(root, path) - SHARED
        if bad:
            problems.append(f"{path.relative_to(root)} imports {sorted(bad)} (layer {top})")
    return problems


# ----------------------------------------------------------------- CLI vs Library
EMPTY: tuple[object, ...] = (None, (), [], frozenset())


def _same_default(a: Any, b: Any) -> bool:
    if a in EMPTY and b in EMPTY:
        return True
    return bool(a == b)


def cli_drift(
    command: Command,
    methods: Iterable[Callable[..., Any]],
    presentation: Iterable[str] = (),
    models: Mapping[str, type[BaseModel]] | None = None,
) -> list[str]:
    """Differences between a command's options and the Library methods it calls.

    Every option must be a parameter of one of the methods (or a field of a model
    parameter, e.g. the ingest metadata flags), with the same default; every method
    parameter (but progress callbacks) must be an option. `presentation` names the
    options that only change how the result is printed.
    """
    models = models or {}
    params: dict[str, inspect.Parameter] = {}
    for method in methods:
        for name, param in inspect.signature(method).parameters.items():
            if name != "self" and not name.endswith("progress"):
                params.setdefault(name, param)
    expected: dict[str, Any] = {}
    for name, param in params.items():
        if name in models:
            expected.update({f: i.default for f, i in models[name].model_fields.items()})
        else:
            expected[name] = param.default
    skip = {"db", *presentation}
    problems = []
    options = {p.name: p for p in command.params if p.name and p.name not in skip}
    for name, option in options.items():
        if name not in expected:
            problems.append(f"--{name.replace('_', '-')} has no Library parameter {name!r}")
        elif expected[name] is not inspect.Parameter.empty and not _same_default(
            option.default, expected[name]
        ):
            problems.append(
                f"{name}: the CLI default {option.default!r} differs from the Library's "
                f"{expected[name]!r}"
            )
    for name in expected:
        if name not in options and name != "db":  # every command has --db (checked apart)
            problems.append(f"Library parameter {name!r} has no option")
    return problems


# ----------------------------------------------------------------- README
def readme_sections(readme: str) -> dict[str, str]:
    """`### \\`oncocite NAME …\\`` sections of the CLI reference, by command name."""
    sections: dict[str, str] = {}
    current: str | None = None
    for line in readme.splitlines():
        heading = re.match(r"^#{2,3} ", line)
        if heading:
            found = re.match(r"^### `oncocite ([\w-]+(?: [a-z][\w-]*)?)", line)
            current = found.group(1) if found else None
            if current is not None:
                sections.setdefault(current, "")
        if current is not None:
            sections[current] += line + "\n"
    return sections


def readme_gaps(readme: str, commands: Mapping[str, Command]) -> list[str]:
    """Commands with no README section, and options their section does not mention."""
    sections = readme_sections(readme)
    problems = []
    for name, command in commands.items():
        section = sections.get(name)
        if section is None:
            problems.append(f"docs/cli.md has no section ### `oncocite {name} …`")
            continue
        for param in command.params:
            for opt in [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]:
                if opt.startswith("--") and not re.search(rf"{re.escape(opt)}(?![\w-])", section):
                    problems.append(f"docs/cli.md section of `oncocite {name}` lacks {opt}")
    for name in sections:
        if name not in commands:
            problems.append(f"docs/cli.md documents `oncocite {name}`, which does not exist")
    return problems


def settings_gaps(readme: str, variables: Iterable[str]) -> list[str]:
    """Settings missing from the docs, and ONCOCITE_* names they mention that are none."""
    known = set(variables)
    mentioned = set(re.findall(r"\bONCOCITE_[A-Z_]+\b", readme))
    problems = [f"the docs lack the setting {v}" for v in sorted(known - mentioned)]
    problems += [f"the docs mention {v}, which is not a setting" for v in sorted(mentioned - known)]
    return problems


def route_gaps(docs: str, routes: Iterable[str]) -> list[str]:
    """REST routes the docs do not mention (as `METHOD /path` or the path alone)."""
    return [f"docs/rest-api.md lacks the route {r}" for r in sorted(set(routes)) if r not in docs]


# ----------------------------------------------------------------- public types
def _types_in(annotation: Any, seen: set[int]) -> Iterable[type]:
    if id(annotation) in seen:
        return
    seen.add(id(annotation))
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _types_in(typing.get_args(annotation)[0], seen)
        return
    if origin is typing.Literal:
        return
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _types_in(arg, seen)
        if isinstance(origin, type):
            yield origin
        return
    if isinstance(annotation, type):
        yield annotation
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                yield from _types_in(field.annotation, seen)


def unexported_types(
    functions: Iterable[Callable[..., Any]], exported: Mapping[str, Any], package: str
) -> list[str]:
    """Types of `package` used in the signatures (and, for models, their fields) of
    `functions` that the package's `__all__` does not export."""
    problems: set[str] = set()
    seen: set[int] = set()
    values = {id(v) for v in exported.values()}
    for function in functions:
        hints = typing.get_type_hints(function, include_extras=True)
        for annotation in hints.values():
            for kind in _types_in(annotation, seen):
                module = getattr(kind, "__module__", "")
                if module.split(".")[0] == package and id(kind) not in values:
                    problems.add(f"{module}.{kind.__qualname__} (used by {function.__qualname__})")
    return sorted(problems)
