"""Cutting a large Markdown body into pieces markdown-it can parse one at a time.

markdown-it builds a token object for every block and inline element of its whole
input before returning: a 1 MB table took 400 MB, and 10 MB of tiny list items or
brackets would take gigabytes (400 bytes a token). A body over SEGMENT_CHARS (32 KB)
is therefore parsed in
segments of about that size, cut at a blank line outside fenced code where the next
line starts a new block; a segment with no such line is cut at a line end, and a
line longer than the limit at whitespace (or, with none, anywhere). A cut can split
one list into two or a long paragraph into two, which changes no text; bodies under
the limit, that is every real patient leaflet, are parsed whole as before.
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
    """End of the segment that begins at start: see the module docstring for the rules."""
    hard = start + 2 * limit
    if hard >= len(body):
        return len(body)
    position = start + limit
    while True:
        match = _BLOCK_BREAK.search(body, position, hard)
        if match is None:
            break
        if not _in_fence(fences, match.start()):
            return match.end()
        position = match.end()
    line_end = body.rfind("\n", start + limit // 2, hard)
    if line_end != -1:
        return line_end + 1
    space = _last(_WHITESPACE, body, start + limit // 2, hard)
    return space if space is not None else hard


def markdown_segments(body: str, limit: int = SEGMENT_CHARS) -> Iterator[str]:
    """The body in order as segments of at most 2 × limit characters."""
    if len(body) <= limit:
        yield body
        return
    fences = [match.start() for match in _FENCE.finditer(body)]
    start = 0
    while start < len(body):
        end = _cut(body, start, fences, limit)
        yield body[start:end]
        start = end
