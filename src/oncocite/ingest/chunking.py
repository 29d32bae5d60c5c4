"""Section-aware chunking on sentence boundaries.

A passage is what search returns and what an answer quotes, so it must never cut a
sentence (a half sentence can invert a medical statement) and never mix two sections
(the heading path is what tells "side effects" from "who can have it"). Offsets are
kept exact so `document_text[start:end] == passage.text` always holds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pysbd

from oncocite.ingest.budget import check_time
from oncocite.ingest.parsed import (
    MAX_PASSAGES,
    ParsedDocument,
    PassageDraft,
    Section,
    TooManyPassages,
)
from oncocite.models import Link

__all__ = [
    "DEFAULT_MAX_CHARS",
    "MAX_PIECE_CHARS",
    "MAX_SENTENCE_CHARS",
    "chunk",
    "iter_sentence_spans",
    "sentence_spans",
]

DEFAULT_MAX_CHARS = 800
# No sentence (and so no passage built from one) is longer: a longer "sentence" is a
# run-on table or scraped junk, and is cut at the last whitespace before the limit.
MAX_SENTENCE_CHARS = 1_200
# The most text the sentence splitter sees in one call: pysbd's cost grows faster
# than the length of its input (a 40 KB paragraph of "a. a. …" took 16 s), so a
# longer paragraph is cut into pieces first, at a sentence end where there is one.
MAX_PIECE_CHARS = 2_000
# A piece with a possible sentence end at least every this many characters on
# average ("a. a. a. …", dot leaders, tables of initials) is not prose; pysbd's
# cost there is per candidate, so such a piece is one sentence (then length-capped).
_DENSE_CHARS_PER_END = 8
_DENSE_MIN_ENDS = 16

# A list item is one sentence however it is punctuated: '- item', '* item', '1. item'.
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t]+\S")
_LINE = re.compile(r"[^\n]*\n?")
# Every character at which pysbd may end a sentence; a piece without one is a
# single sentence and pysbd is not called (checked against pysbd by fuzzing).
_MAY_END = re.compile(r"[.!?。．！？\n\r)•\"'“”‘’»«\u2028\u2029\x0b\x0c\x85]")
# What may end the last sentence of a piece; a piece with no other such character
# is one sentence ("One sentence here."), which saves pysbd's ~0.3 ms per call.
_TRAILING = ".!?。．！？)•\"'“”‘’»« \t\n\r\u2028\u2029\x0b\x0c\x85"
_TERMINATOR = re.compile(r"[.!?]")
# Where to cut an over-long paragraph: after sentence punctuation and before a space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s*")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    left = piece.lstrip()
    start += len(piece) - len(left)
    return start, start + len(left.rstrip())


def _last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """End of the last match of pattern in text[start:end], or None."""
    found = None
    for match in pattern.finditer(text, start, end):
        found = match.end()
    return found


def _cut(text: str, start: int, limit: int, sentence_first: bool) -> int:
    """Where to end a span that starts at `start` and must end by `limit`.

    The last sentence end (when asked for) or whitespace in the second half of the
    window, else `limit` itself: a run of text with no space anywhere is cut hard.
    """
    half = start + (limit - start) // 2
    if sentence_first:
        found = _last_match(_SENTENCE_END, text, half, limit)
        if found is not None:
            return found
    found = _last_match(_SPACE, text, half, limit)
    return found - 1 if found is not None else limit


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut into pieces of at most MAX_PIECE_CHARS for the splitter."""
    pieces = []
    while end - start > MAX_PIECE_CHARS:
        cut = _cut(text, start, start + MAX_PIECE_CHARS, sentence_first=True)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A trimmed span as spans of at most MAX_SENTENCE_CHARS, cut at whitespace."""
    spans = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start, start + MAX_SENTENCE_CHARS, sentence_first=False)
        head = _strip_span(text, start, cut)
        if head[1] > head[0]:
            spans.append(head)
        spaces = _SPACES.match(text, cut, end)
        start = spaces.end() if spaces is not None else cut
    if end > start:
        spans.append((start, end))
    return spans


def _is_dense(piece: str) -> bool:
    ends = len(_TERMINATOR.findall(piece))
    return ends >= _DENSE_MIN_ENDS and ends * _DENSE_CHARS_PER_END >= len(piece)


def _piece_boundaries(text: str, start: int, end: int) -> Iterator[int]:
    """Sentence ends inside one piece, found by pysbd.

    pysbd's own char spans can drift when a sentence repeats, so each sentence is
    found again from the previous end; one it altered and cannot be found simply
    merges with the next, which keeps the sentences covering every character.
    """
    piece = text[start:end]
    if not _MAY_END.search(piece.rstrip(_TRAILING)) or _is_dense(piece):
        return
    cursor = 0
    for sentence in _segmenter().segment(piece):
        needle = sentence.strip()
        if not needle:
            continue
        found = piece.find(needle, cursor)
        if found == -1:
            continue
        cursor = found + len(needle)
        yield start + cursor


def _prose_boundaries(text: str, start: int, end: int) -> Iterator[int]:
    """Sentence ends in text[start:end]: pysbd's, piece by piece, and each piece's end."""
    for piece_start, piece_end in _pieces(text, start, end):
        check_time()
        yield from _piece_boundaries(text, piece_start, piece_end)
        yield piece_end


def _boundaries(text: str) -> Iterator[int]:
    """Sentence ends of text in order: list item line ends and prose sentence ends."""
    prose_start: int | None = None
    pos = 0
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        line_start, line_end = match.start(), match.end()
        blank = not line.strip()
        item = _LIST_ITEM.match(line) is not None
        if (blank or item) and prose_start is not None:
            yield from _prose_boundaries(text, prose_start, line_start)
            prose_start = None
        if item:
            yield line_end
        elif not blank and prose_start is None:
            prose_start = line_start
        pos = line_end
    if prose_start is not None:
        yield from _prose_boundaries(text, prose_start, pos)


def iter_sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """`sentence_spans`, one at a time: a 10 MB list is 2.5 million of them."""
    previous = 0
    for bound in _boundaries(text):
        start, end = _strip_span(text, previous, bound)
        if end > start:
            yield from _capped(text, start, end)
        previous = max(previous, bound)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of text, trimmed of whitespace, in order.

    Each list item line counts as one sentence; runs of other lines are prose and
    are split by pysbd, at most MAX_PIECE_CHARS at a time. No span is longer than
    MAX_SENTENCE_CHARS. Spans never overlap, and together they cover every
    non-space character, so a quote built from them is always a substring of text.
    """
    return list(iter_sentence_spans(text))


class _LinkIndex:
    """Links sorted by start, so each passage finds its own in log time, not by a scan."""

    def __init__(self, links: list[Link]) -> None:
        self.links = sorted(links, key=lambda link: link.start)
        self.starts = [link.start for link in self.links]

    def within(self, start: int, end: int) -> list[Link]:
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end, lo=first)
        return [
            link.model_copy(update={"start": link.start - start, "end": link.end - start})
            for link in self.links[first:last]
            if link.end <= end
        ]


def _sections(parsed: ParsedDocument) -> list[Section]:
    if parsed.sections:
        return parsed.sections
    return [Section(heading_path=[], start=0, end=len(parsed.text))]


def _unit_starts(
    text: str, spans: Iterable[tuple[int, int]]
) -> Iterator[tuple[tuple[int, int], bool]]:
    """Each sentence, and whether it starts a new unit: paragraphs split at blank lines.

    A paragraph that ends with a colon introduces what follows ("You might have
    trastuzumab:" and its list), so it is glued to the next paragraph.
    """
    glue = False
    previous_end: int | None = None
    for start, end in spans:
        new_paragraph = previous_end is None or "\n\n" in text[previous_end:start]
        yield (start, end), new_paragraph and not glue
        glue = text[start:end].rstrip().endswith(":") and _is_last_of_paragraph(text, end)
        previous_end = end


def _is_last_of_paragraph(text: str, end: int) -> bool:
    rest = text[end : end + 2]
    return rest.startswith("\n\n") or rest == "" or rest == "\n"


class _Packer:
    """Packs units (paragraphs) into groups of at most max_chars, sentence by sentence.

    A unit that fits joins the previous group when both fit together, else starts
    one; a unit longer than max_chars is packed by its sentences from a fresh group.
    Sentences arrive one at a time and only the current unit is buffered (until it
    is known to be too long), so memory follows the passages, not the sentences.
    """

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.groups: list[tuple[int, int]] = []
        self.unit: list[tuple[int, int]] = []
        self.packing = False

    def add(self, span: tuple[int, int], new_unit: bool) -> None:
        if new_unit:
            self.close_unit()
        if self.packing:
            self._pack(span, fresh=False)
            return
        self.unit.append(span)
        if span[1] - self.unit[0][0] > self.max_chars:
            self.packing = True
            for index, buffered in enumerate(self.unit):
                self._pack(buffered, fresh=index == 0)
            self.unit = []

    def _pack(self, span: tuple[int, int], fresh: bool) -> None:
        if not fresh and self.groups and span[1] - self.groups[-1][0] <= self.max_chars:
            self.groups[-1] = (self.groups[-1][0], span[1])
        else:
            self.groups.append(span)

    def close_unit(self) -> None:
        if self.unit:
            unit_start, unit_end = self.unit[0][0], self.unit[-1][1]
            if self.groups and unit_end - self.groups[-1][0] <= self.max_chars:
                self.groups[-1] = (self.groups[-1][0], unit_end)
            else:
                self.groups.append((unit_start, unit_end))
        self.unit = []
        self.packing = False


def chunk(parsed: ParsedDocument, max_chars: int = DEFAULT_MAX_CHARS) -> list[PassageDraft]:
    """Pack whole paragraphs into passages of at most max_chars, per section.

    Breaking at paragraph ends keeps a drug's description with its own details
    rather than with the next drug's; a paragraph longer than max_chars is packed
    by sentences, and a sentence longer than max_chars becomes a passage on its own
    rather than being cut.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    text = parsed.text
    links = _LinkIndex(parsed.links)
    drafts: list[PassageDraft] = []
    for section in _sections(parsed):
        check_time()
        body = text[section.start : section.end]
        spans = ((section.start + s, section.start + e) for s, e in iter_sentence_spans(body))
        packer = _Packer(max_chars)
        for span, new_unit in _unit_starts(text, spans):
            packer.add(span, new_unit)
            if len(packer.groups) + len(drafts) > MAX_PASSAGES:
                raise TooManyPassages()
        packer.close_unit()
        groups = packer.groups
        if len(drafts) + len(groups) > MAX_PASSAGES:
            raise TooManyPassages()
        for start, end in groups:
            drafts.append(
                PassageDraft(
                    text=text[start:end],
                    start=start,
                    end=end,
                    heading_path=list(section.heading_path),
                    links=links.within(start, end),
                )
            )
    return drafts
