"""Metadata: merged from file, sidecar and flags, validated, and gaps reported.

Precedence is file < sidecar (`<file>.meta.yaml`) < command-line flags, so a curator
can correct a scraped page without editing it. Nothing missing is ever filled in
with a guess: gaps become warnings that say how to supply the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from oncocite.errors import InvalidDocument
from oncocite.ingest.loading import SIDECAR_SUFFIX
from oncocite.models import DocumentMetadata

__all__ = [
    "RECOMMENDED_FIELDS",
    "load_metadata_yaml",
    "missing_fields",
    "read_sidecar",
    "validate_metadata",
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


class _MetadataLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so the schema validates them.

    PyYAML turns `lastReviewed: 2025-12-30` into a date itself and fails with a bare
    "month must be in 1..12" on `2025-13-01`, naming neither field nor value.
    """


def _timestamp_as_text(loader: _MetadataLoader, node: yaml.Node) -> str:
    assert isinstance(node, yaml.ScalarNode)
    return str(loader.construct_scalar(node))


_MetadataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_metadata_yaml(text: str) -> Any:
    """Parse frontmatter or sidecar YAML; yaml.YAMLError on malformed input."""
    return yaml.load(text, Loader=_MetadataLoader)  # a SafeLoader subclass: no arbitrary objects


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in `<file>.meta.yaml` beside a file, or {} when there is none."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = load_metadata_yaml(sidecar.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidDocument(sidecar, f"malformed YAML{where}", field="sidecar") from None
    except UnicodeDecodeError:
        raise InvalidDocument(sidecar, "is not UTF-8 text", field="sidecar") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidDocument(sidecar, "must be a mapping of metadata keys", field="sidecar")
    return data


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
                message = f"{err['input']!r} is not allowed ({message.lower()})"
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
