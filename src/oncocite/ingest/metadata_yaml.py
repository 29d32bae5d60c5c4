"""The one YAML loader for metadata (frontmatter and sidecars), with hard bounds.

Metadata is a handful of `key: value` lines, so anything YAML can do beyond plain
scalars, lists and mappings is either a mistake or an attack, and PyYAML's own
failures on them are bare exceptions naming no field:

- aliases: a 453-byte "billion laughs" frontmatter expands to billions of values
  downstream (PyYAML shares the nodes; validation and JSON do not), and a recursive
  alias (`a: &x [*x]`) builds a cyclic value nothing can store;
- nesting: 1,000 nested `[` overflow the recursive composer;
- explicit tags: `!!bool maybe`, `!!float x` fail inside constructors, and `!!binary`
  or `!!set` build bytes and sets that cannot be stored as JSON;
- integers of thousands of digits hit Python's int-to-str limit;
- lone surrogates (`"\\ud800"`) are not text and cannot be stored.

Each is refused while the YAML is composed, before any value is built, with an
error that names the key and the line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oncocite.ingest.budget import check_time

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_INT_CHARS",
    "MAX_VALUES",
    "MetadataYAMLError",
    "load_metadata_yaml",
]

MAX_ALIASES = 50
MAX_DEPTH = 20
MAX_VALUES = 10_000
MAX_INT_CHARS = 32

_YAML_TAG = "tag:yaml.org,2002:"
# Explicit tags allowed: `!!str` only changes nothing harmful; `!` is "no tag".
_ALLOWED_EXPLICIT_TAGS = frozenset({None, "!", f"{_YAML_TAG}str"})
_FIELD_PART_MAX = 40
_FIELD_PARTS_SHOWN = 3


class MetadataYAMLError(yaml.YAMLError):
    """A metadata YAML construct that is refused: which key, which line, and why."""

    def __init__(self, reason: str, field: str | None, line: int | None) -> None:
        self.reason = reason
        self.field = field
        self.line = line
        super().__init__(reason)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _field_part(text: str) -> str:
    return text if len(text) <= _FIELD_PART_MAX else text[: _FIELD_PART_MAX - 1] + "…"


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that bounds aliases, depth, size, tags and integers while composing.

    Dates are left as text, so the schema validates them: PyYAML would turn
    `lastReviewed: 2025-13-01` into a bare "month must be in 1..12" naming nothing.
    """

    def __init__(self, stream: str, line_offset: int = 0) -> None:
        super().__init__(stream)
        self.line_offset = line_offset
        self.aliases = 0
        self.depth = 0
        # Expanded size of every composed node (an alias counts its target in full).
        self.sizes: dict[int, int] = {}
        self.path: list[str] = []

    def refuse(self, reason: str, mark: Any) -> MetadataYAMLError:
        parts = self.path if len(self.path) <= _FIELD_PARTS_SHOWN else [*self.path[:3], "…"]
        field = "".join(parts).lstrip(".") or None
        line = None if mark is None else int(mark.line) + 1 + self.line_offset
        return MetadataYAMLError(reason, field, line)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        check_time()
        part = self._path_part(parent, index)
        if part is not None:
            self.path.append(part)
        try:
            self._check_event(self.peek_event())  # type: ignore[no-untyped-call]
            self.depth += 1
            node = super().compose_node(parent, index)
            self.depth -= 1
            if node is not None:
                self._measure(node)
            return node
        finally:
            if part is not None:
                self.path.pop()

    @staticmethod
    def _path_part(parent: Node | None, index: Any) -> str | None:
        if isinstance(index, ScalarNode):
            return "." + _field_part(str(index.value))
        if isinstance(parent, SequenceNode) and isinstance(index, int):
            return f"[{index}]"
        return None

    def _check_event(self, event: yaml.Event) -> None:
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.refuse(
                    f"more than {MAX_ALIASES} YAML aliases (*name): write the values out",
                    event.start_mark,
                )
            target = self.anchors.get(event.anchor) if event.anchor is not None else None
            if target is not None and id(target) not in self.sizes:
                raise self.refuse(
                    f"YAML alias *{_field_part(str(event.anchor))} refers to a value that "
                    "contains itself",
                    event.start_mark,
                )
            return
        if not isinstance(event, ScalarEvent | SequenceStartEvent | MappingStartEvent):
            return
        tag = event.tag
        if tag not in _ALLOWED_EXPLICIT_TAGS:
            raise self.refuse(
                f"YAML tag {_short_tag(str(tag))} is not allowed in metadata: "
                "write plain text, numbers, lists or key: value pairs",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH and not isinstance(event, ScalarEvent):
            raise self.refuse(
                f"is nested more than {MAX_DEPTH} levels deep: metadata is flat key: value pairs",
                event.start_mark,
            )

    def _measure(self, node: Node) -> None:
        if isinstance(node, ScalarNode):
            self._check_scalar(node)
            size = 1
        elif isinstance(node, SequenceNode):
            size = 1 + sum(self.sizes.get(id(item), 1) for item in node.value)
        elif isinstance(node, MappingNode):
            size = 1 + sum(
                self.sizes.get(id(key), 1) + self.sizes.get(id(value), 1)
                for key, value in node.value
            )
        else:  # pragma: no cover - PyYAML has only these three node kinds
            size = 1
        if size > MAX_VALUES:
            raise self.refuse(
                f"expands to more than {MAX_VALUES:,} values (through YAML aliases?); "
                "metadata is a handful of key: value pairs",
                node.start_mark,
            )
        self.sizes[id(node)] = size

    def _check_scalar(self, node: ScalarNode) -> None:
        value = str(node.value)
        if node.tag == f"{_YAML_TAG}int" and len(value) > MAX_INT_CHARS:
            raise self.refuse(
                f"an integer of {len(value):,} characters is too long: at most "
                f"{MAX_INT_CHARS} (quote it to keep it as text)",
                node.start_mark,
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise self.refuse(
                f"contains {value[exc.start]!r}, a lone surrogate that is not text: "
                "check the \\u escapes",
                node.start_mark,
            ) from None


def _timestamp_as_text(loader: _BoundedLoader, node: yaml.Node) -> str:
    if not isinstance(node, ScalarNode):  # pragma: no cover - the resolver only tags scalars
        raise yaml.constructor.ConstructorError(None, None, "a date must be a scalar")
    return str(loader.construct_scalar(node))


_BoundedLoader.add_constructor(f"{_YAML_TAG}timestamp", _timestamp_as_text)


def load_metadata_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse frontmatter or sidecar YAML into plain JSON-ready values.

    Raises `MetadataYAMLError` for a refused construct (with key and line, counted
    from `line_offset` + 1) and other `yaml.YAMLError`s for malformed YAML.
    """
    loader = _BoundedLoader(text, line_offset)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
