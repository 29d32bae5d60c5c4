"""Cutting a large Markdown body into pieces markdown-it can parse one at a time.

markdown-it builds a token object (about 400 bytes) for every block and inline
element of its whole input before returning: a 1 MB table took 400 MB, and 10 MB of
tiny list items or brackets would take gigabytes. A body longer than SEGMENT_CHARS
is therefore parsed in segments of at most that size, each cut at the last blank
line of its second half that lies outside fenced code and is followed by a new
block; without one, at a line end, then at whitespace, then anywhere. A cut can
split one list or one long paragraph into two, which changes no text; shorter
bodies are parsed whole, as before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

__all__ = ["SEGMENT_CHARS", "markdown_segments"]

SEGMENT_CHARS = 32 * 1024

_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)
# A blank line followed by a line that starts a block (not an indented continuation).
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n(?=[^ \t\n])")
_WHITESPACE = re.compile(r"\s")


def _in_fence(fences: list[int], position: int) -> bool:
    """Whether position lies inside fenced code: an odd number of fence lines before it."""
    return bisect.bisect_left(fences, position) % 2 == 1


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    found = None
    for match in pattern.finditer(text, start, end):
        found = match.end()
    return found


def _cut(body: str, start: int, fences: list[int], limit: int) -> int:
    """End of the segment that begins at start: the last good break in its second half."""
    end = start + limit
    if end >= len(body):
        return len(body)
    half = start + limit // 2
    breaks = [
        match.end()
        for match in _BLOCK_BREAK.finditer(body, half, end)
        if not _in_fence(fences, match.start())
    ]
    if breaks:
        return breaks[-1]
    line_end = body.rfind("\n", half, end)
    if line_end != -1:
        return line_end + 1
    space = _last(_WHITESPACE, body, half, end)
    return space if space is not None else end


def markdown_segments(body: str, limit: int = SEGMENT_CHARS) -> Iterator[str]:
    """The body in order as segments of at most `limit` characters."""
    if len(body) <= limit:
        yield body
        return
    fences = [match.start() for match in _FENCE.finditer(body)]
    start = 0
    while start < len(body):
        end = _cut(body, start, fences, limit)
        yield body[start:end]
        start = end
