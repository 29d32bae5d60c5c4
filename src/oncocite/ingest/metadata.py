"""Metadata: merged from file, sidecar and flags, validated, and gaps reported.

Precedence is file < sidecar (`<file>.meta.yaml`) < command-line flags, so a curator
can correct a scraped page without editing it. Nothing missing is ever filled in
with a guess: gaps become warnings that say how to supply the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from oncocite.errors import InvalidDocument
from oncocite.ingest.loading import DEFAULT_MAX_BYTES, SIDECAR_SUFFIX, inside, read_raw, resolved
from oncocite.ingest.metadata_yaml import MetadataYAMLError, load_metadata_yaml
from oncocite.models import DocumentMetadata, shown

__all__ = [
    "RECOMMENDED_FIELDS",
    "load_metadata_yaml",
    "missing_fields",
    "parse_metadata",
    "read_sidecar",
    "sidecar_path",
    "validate_metadata",
    "yaml_problem",
]

RECOMMENDED_FIELDS = (
    "source",
    "source_type",
    "url",
    "license",
    "audience_level",
    "cancer_types",
    "last_reviewed",
    "review_frequency",
)

_CAMEL_TO_SNAKE = {
    DocumentMetadata.model_fields[name].alias or name: name
    for name in DocumentMetadata.model_fields
}


def _snake(key: str) -> str:
    return _CAMEL_TO_SNAKE.get(key, key)


def yaml_problem(exc: yaml.YAMLError, line_offset: int) -> str:
    """Where and what a YAML syntax error is, one line, lines counted from the file top."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["malformed"])[0]
    if mark is not None:
        return f"at line {int(mark.line) + 1 + line_offset}: {problem}"
    return str(problem)


def parse_metadata(path: Path, text: str, *, what: str, line_offset: int) -> dict[str, Any]:
    """Metadata YAML (`what` is "frontmatter" or "sidecar") as a dict with text keys.

    Every failure is an InvalidDocument naming the key (or `what`) and the line,
    counted from the top of the file, because that is where the user will look.
    """
    try:
        data = load_metadata_yaml(text, line_offset)
    except MetadataYAMLError as exc:
        where = f" ({what} line {exc.line})" if exc.line is not None else f" ({what})"
        raise InvalidDocument(path, exc.reason + where, field=exc.field or what) from None
    except yaml.YAMLError as exc:
        problem = yaml_problem(exc, line_offset)
        if what == "sidecar":
            raise InvalidDocument(path, f"malformed YAML {problem}", field=what) from None
        raise InvalidDocument(
            path, f"is not valid YAML {problem} (fix the YAML syntax)", field=what
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidDocument(
            path,
            f"is a YAML {_yaml_kind(data)}, not a mapping (write 'key: value' lines)",
            field=what,
        )
    return {str(key): value for key, value in data.items()}


def _yaml_kind(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of a file is: `<file>.meta.yaml` beside it."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, roots: Sequence[Path] | None = None
) -> dict[str, Any]:
    """The metadata in `<file>.meta.yaml` beside a file, or {} when there is none.

    A sidecar is read with the same size, binary and UTF-8 checks as its file (a
    50 MB sidecar must not slip past --max-bytes), and when the file came from a
    folder (`roots` given) a sidecar that is a link must stay inside the folders, as
    a linked file must.
    """
    sidecar = sidecar_path(path)
    if not sidecar.is_symlink() and not sidecar.exists():
        return {}
    if roots is not None and sidecar.is_symlink():
        target = resolved(sidecar)
        if target is None:
            raise InvalidDocument(sidecar, "is a loop of symbolic links", field="sidecar")
        if not inside(target, roots):
            raise InvalidDocument(
                sidecar,
                "is a symbolic link that points outside the folders given "
                "(links are followed only within them)",
                field="sidecar",
            )
    raw = read_raw(sidecar, max_bytes, field="sidecar", allow_empty=True)
    return parse_metadata(sidecar, raw.text, what="sidecar", line_offset=0)


def validate_metadata(path: Path, *layers: dict[str, Any]) -> DocumentMetadata:
    """Merge metadata layers (later wins) and validate; errors name file and fields."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            merged[_snake(str(key))] = value
    try:
        return DocumentMetadata.model_validate(merged)
    except ValidationError as exc:
        problems = []
        fields = []
        for err in exc.errors():
            field = ".".join(str(part) for part in err["loc"]) or "metadata"
            field = next(
                (alias for alias, name in _CAMEL_TO_SNAKE.items() if name == field and alias),
                field,
            )
            message = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "missing":
                message = "is missing"
            elif err["type"] == "enum":
                message = f"{shown(err['input'])} is not allowed ({message.lower()})"
            fields.append(field)
            problems.append(f"{field} {message}")
        error = InvalidDocument(path, "; ".join(problems))
        error.field = fields[0] if fields else None
        raise error from None


def missing_fields(metadata: DocumentMetadata) -> list[str]:
    """Recommended fields that are empty, for the ingest report."""
    gaps = []
    for name in RECOMMENDED_FIELDS:
        if getattr(metadata, name) in (None, [], ""):
            gaps.append(DocumentMetadata.model_fields[name].alias or name)
    return gaps
