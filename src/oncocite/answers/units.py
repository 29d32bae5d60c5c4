"""Quotable units of a passage: sentences, and lists with the line that leads into them.

A unit is what an answer may quote: an exact span of stored text, with offsets.
Most units are sentences; a list ("You might have this treatment:" and its
bullets) is one unit, because "- before surgery - to shrink a cancer" means
nothing without the line that introduces it.

Sentences are cut by the one splitter the safety screen uses too
(`oncocite.sentences`): what is screened is what can be quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from oncocite.sentences import sentence_spans

__all__ = ["Unit", "is_heading", "list_parts", "split_units"]

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Unit:
    """A quotable span of a passage's text: `text[start:end]`."""

    start: int
    end: int
    kind: str  # "sentence" or "list"

    def text(self, passage: str) -> str:
        return passage[self.start : self.end]


def _sentences(text: str, offset: int) -> list[Unit]:
    """Sentences of a block of prose (the one splitter, oncocite.sentences); offsets
    shifted by `offset`."""
    return [Unit(offset + start, offset + end, "sentence") for start, end in sentence_spans(text)]


_HEADING_WORDS = 12


def is_heading(text: str) -> bool:
    """A short line with no sentence end: a heading, never quoted as a sentence."""
    line = text.strip()
    return "\n" not in line and line[-1:] not in ".!?:" and len(line.split()) <= _HEADING_WORDS


def split_units(text: str) -> list[Unit]:
    """The units of a passage in reading order, offsets into `text` (headings left out)."""
    size = len(text)
    if size <= CACHED_CHARS:
        return list(_cached_units(text))
    if size <= LONG_CHARS:
        return list(_long_cached_units(text))
    return list(_units(text))


# Passages are chunked to under a thousand characters or so (plus the neighbour an
# answer may extend one over); a corpus may hold a whole answer as one passage (up to
# 27,000 characters in MedQuAD). Longer texts are kept in fewer entries, and the
# longest split afresh, so that the bounds on entries bound memory too (a few MB for
# the long splits, about 10 MB for answers' long readings, at most).
CACHED_CHARS = 4_000
LONG_CHARS = 32_000
LONG_ENTRIES = 128


def _units(text: str) -> tuple[Unit, ...]:
    return tuple(u for u in _all_units(text) if u.kind == "list" or not is_heading(u.text(text)))


# A server splits the same top passages for every asking of a question (and many
# questions share passages); the split is a function of the text alone.
_cached_units = lru_cache(maxsize=4096)(_units)
_long_cached_units = lru_cache(maxsize=LONG_ENTRIES)(_units)


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


def list_parts(text: str, unit: Unit) -> tuple[Unit | None, list[Unit]]:
    """A list unit's line that leads into it (None when it has none) and its items,
    each an exact span of `text` with its bullet ("- inflammatory breast cancer…"):
    what an answer quotes of a list too long to quote whole under a licence."""
    items: list[Unit] = []
    intro: Unit | None = None
    position = unit.start
    for line in text[unit.start : unit.end].split("\n"):
        end = position + len(line.rstrip())
        start = position + len(line) - len(line.lstrip())
        if _BULLET.match(line):
            items.append(Unit(start, end, "item"))
        elif line.strip() and not items:
            intro = Unit(intro.start if intro else start, end, "sentence")
        position += len(line) + 1
    return intro, items
