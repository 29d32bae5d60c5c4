"""Loading the knowledge base: every `data/*.yaml` of this package, merged and
validated, with errors that name the file and the field."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from oncocite.errors import OncociteError
from oncocite.knowledge.schema import KnowledgeBase

__all__ = ["DATA", "InvalidKnowledge", "load_knowledge", "shipped_knowledge"]

DATA = Path(__file__).with_name("data")


class InvalidKnowledge(OncociteError):
    """A knowledge base file that does not follow the schema."""


def _read(path: Path) -> KnowledgeBase:
    try:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidKnowledge(f"{path.name}: cannot be read as YAML ({exc})") from None
    try:
        return KnowledgeBase.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise InvalidKnowledge(f"{path.name}: {where}: {first['msg']}") from None


def load_knowledge(paths: list[Path] | None = None) -> KnowledgeBase:
    """The knowledge base of these files (default: the shipped ones), merged."""
    files = sorted(DATA.glob("*.yaml")) if paths is None else paths
    sources: dict[str, Any] = {}
    options: list[Any] = []
    for path in files:
        part = _read(path)
        for key, source in part.sources.items():
            if key in sources and sources[key] != source:
                raise InvalidKnowledge(f"{path.name}: source {key!r} differs from another file")
            sources[key] = source
        options.extend(part.options)
    try:
        return KnowledgeBase(sources=sources, options=options)
    except ValidationError as exc:
        raise InvalidKnowledge(f"knowledge base: {exc.errors()[0]['msg']}") from None


@lru_cache(maxsize=1)
def shipped_knowledge() -> KnowledgeBase:
    """The knowledge base that ships with oncocite, loaded once."""
    return load_knowledge()
