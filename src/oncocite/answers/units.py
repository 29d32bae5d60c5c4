"""Quotable units of a passage: sentences, and lists with the line that leads into them.

A unit is what an answer may quote: an exact span of stored text, with offsets.
Most units are sentences; a list ("You might have this treatment:" and its
bullets) is one unit, because "- before surgery - to shrink a cancer" means
nothing without the line that introduces it.

The splitter is a regular expression with an abbreviation guard rather than the
sentence model used at ingest: answers split the top passages of every question,
within a 50 ms budget, and patient-information prose ends its sentences plainly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Unit", "is_heading", "split_units"]

_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|Prof|St|No|approx|Fig|U\.S|U\.K|Jr|Sr|Inc|Ltd)\.$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")


@dataclass(frozen=True)
class Unit:
    """A quotable span of a passage's text: `text[start:end]`."""

    start: int
    end: int
    kind: str  # "sentence" or "list"

    def text(self, passage: str) -> str:
        return passage[self.start : self.end]


def _sentences(text: str, offset: int) -> list[Unit]:
    """Sentences of a block of prose; offsets shifted by `offset`."""
    units: list[Unit] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        head = text[start : match.start() + 1]
        if _ABBREVIATIONS.search(head.rstrip("\"')] ")) or _INITIAL.search(head):
            continue
        units.append(_span(text, start, match.start() + 1, offset))
        start = match.end()
    if text[start:].strip():
        units.append(_span(text, start, len(text), offset))
    return units


def _span(text: str, start: int, end: int, offset: int) -> Unit:
    """A sentence unit without the white space around it."""
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return Unit(offset + start + lead, offset + start + len(piece.rstrip()), "sentence")


_HEADING_WORDS = 12


def is_heading(text: str) -> bool:
    """A short line with no sentence end: a heading, never quoted as a sentence."""
    line = text.strip()
    return "\n" not in line and line[-1:] not in ".!?:" and len(line.split()) <= _HEADING_WORDS


def split_units(text: str) -> list[Unit]:
    """The units of a passage in reading order, offsets into `text` (headings left out)."""
    if len(text) > _CACHED_CHARS:
        return list(_units(text))
    return list(_cached_units(text))


# Passages are chunked to under a thousand characters or so (plus the neighbour an
# answer may extend one over): longer texts are split afresh, so that the bound on
# entries bounds memory too.
_CACHED_CHARS = 4_000


def _units(text: str) -> tuple[Unit, ...]:
    return tuple(u for u in _all_units(text) if u.kind == "list" or not is_heading(u.text(text)))


# A server splits the same top passages for every asking of a question (and many
# questions share passages); the split is a function of the text alone.
_cached_units = lru_cache(maxsize=4096)(_units)


def _all_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    position = 0
    for block in re.split(r"(\n\s*\n)", text):
        if not block.strip() or not block.strip("\n").strip():
            position += len(block)
            continue
        lines = block.split("\n")
        bullet_lines = [i for i, line in enumerate(lines) if _BULLET.match(line)]
        if not bullet_lines:
            units += _sentences(block, position)
        else:
            first = bullet_lines[0]
            lead = "\n".join(lines[:first])
            if lead.strip():
                lead_units = _sentences(lead, position)
                # the sentence that introduces the list belongs with it
                before, intro = lead_units[:-1], lead_units[-1]
                units += before
                list_start = intro.start
            else:
                list_start = position + len(block) - len(block.lstrip())
                # a list in a block of its own, led into by the paragraph before
                if units and text[units[-1].start : units[-1].end].endswith(":"):
                    list_start = units.pop().start
            last = bullet_lines[-1]
            list_text = "\n".join(lines[: last + 1])
            units.append(Unit(list_start, position + len(list_text.rstrip()), "list"))
            after = "\n".join(lines[last + 1 :])
            if after.strip():
                units += _sentences(after, position + len(list_text) + 1)
        position += len(block)
    return units
