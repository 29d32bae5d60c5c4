"""Reviewed rule files (triage.yaml, screen.yaml): one way to say what is wrong in one.

A nurse or pharmacist edits these files; a mistake must be one line that names the
rule by its id and the field, not a pydantic report of nested locations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from oncocite.errors import InvalidQuery, one_line

__all__ = [
    "Item",
    "Items",
    "StrictModel",
    "describe_rule_error",
    "first_problem",
    "parse_rule_file",
    "repeated_id",
]

T = TypeVar("T", bound=BaseModel)

# An item of a rule's list (a phrase, or a marker each file defines); never blank.
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Items = list[Item]


class StrictModel(BaseModel):
    """A part of a rule file: unknown keys are mistakes, and nothing changes once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def first_problem(exc: ValidationError) -> str:
    """The first problem of a validated file as "field: message" ("file" when it is
    the whole file): what a one-line error names."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "file"
    return f"{field}: {first['msg']}"


def describe_rule_error(exc: ValidationError, raw: Any) -> str:
    """One line naming the rule (by id) and the field of the first problem."""
    first = exc.errors()[0]
    loc = list(first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules") if isinstance(raw, dict) else None
        entry = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        name = repr(rule_id) if isinstance(rule_id, str) else f"#{loc[1] + 1}"
        field = ".".join(str(p) for p in loc[2:]) or "rule"
        return f"rule {name}: {field}: {message}"
    return f"{'.'.join(str(p) for p in loc) or 'file'}: {message}"


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that refuses a key given twice in one mapping. YAML keeps the
    last silently, so a rule whose "- id:" line was lost merged into the rule above
    it (its own "any:" replacing the other's) and both went on loading, one of them
    gone: a mistake that must be an error, not a rule missing."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice in one entry", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def parse_rule_file(text: str, where: str, schema: type[T]) -> T:
    """A rule file's YAML validated by `schema`; anything wrong is one InvalidQuery
    line naming the file and the YAML line, or the rule and field."""
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise InvalidQuery(one_line(f"{where}: not valid YAML ({line}{problem})")) from None
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        raise InvalidQuery(one_line(f"{where}: {describe_rule_error(exc, raw)}")) from None


def repeated_id(ids: Iterable[str]) -> str | None:
    """The first rule id used by an earlier rule too, if any: ids name rules in
    reviews and flags, so two rules must never share one."""
    seen: set[str] = set()
    for rule_id in ids:
        if rule_id in seen:
            return rule_id
        seen.add(rule_id)
    return None
