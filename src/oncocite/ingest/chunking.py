"""Section-aware chunking on sentence boundaries.

A passage is what search returns and what an answer quotes, so it must never cut a
sentence (a half sentence can invert a medical statement) and never mix two sections
(the heading path is what tells "side effects" from "who can have it"). Offsets are
kept exact so `document_text[start:end] == passage.text` always holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from oncocite.ingest.parsed import ParsedDocument, PassageDraft, Section
from oncocite.models import Link

__all__ = ["DEFAULT_MAX_CHARS", "chunk", "sentence_spans"]

DEFAULT_MAX_CHARS = 800

# A list item is one sentence however it is punctuated: '- item', '* item', '1. item'.
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t]+\S")
_LINE = re.compile(r"[^\n]*\n?")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _prose_boundaries(text: str, start: int, end: int) -> list[int]:
    """Sentence ends in text[start:end], found by pysbd and located by search.

    pysbd's own char spans can drift when a sentence repeats, so each sentence is
    found again from the previous end; one it altered and cannot be found simply
    merges with the next, which keeps the sentences covering every character.
    """
    piece = text[start:end]
    bounds: list[int] = []
    cursor = 0
    for sentence in _segmenter().segment(piece):
        needle = sentence.strip()
        if not needle:
            continue
        found = piece.find(needle, cursor)
        if found == -1:
            continue
        cursor = found + len(needle)
        bounds.append(start + cursor)
    bounds.append(end)
    return bounds


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of text, trimmed of whitespace, in order.

    Each list item line counts as one sentence; runs of other lines are prose and
    are split by pysbd. Spans never overlap, and together they cover every
    non-space character, so a quote built from them is always a substring of text.
    """
    bounds: list[int] = []
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
            bounds.extend(_prose_boundaries(text, prose_start, line_start))
            prose_start = None
        if item:
            bounds.append(line_end)
        elif not blank and prose_start is None:
            prose_start = line_start
        pos = line_end
    if prose_start is not None:
        bounds.extend(_prose_boundaries(text, prose_start, pos))
    spans: list[tuple[int, int]] = []
    previous = 0
    for bound in bounds:
        start, end = _strip_span(text, previous, bound)
        if end > start:
            spans.append((start, end))
        previous = max(previous, bound)
    return spans


def _links_within(links: list[Link], start: int, end: int) -> list[Link]:
    return [
        Link(text=link.text, url=link.url, start=link.start - start, end=link.end - start)
        for link in links
        if link.start >= start and link.end <= end
    ]


def _sections(parsed: ParsedDocument) -> list[Section]:
    if parsed.sections:
        return parsed.sections
    return [Section(heading_path=[], start=0, end=len(parsed.text))]


def _paragraph_units(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Sentences grouped into paragraphs (split at blank lines).

    A paragraph that ends with a colon introduces what follows ("You might have
    trastuzumab:" and its list), so it is glued to the next paragraph.
    """
    units: list[list[tuple[int, int]]] = []
    glue = False
    for start, end in spans:
        new_paragraph = not units or "\n\n" in text[units[-1][-1][1] : start]
        if new_paragraph and not glue:
            units.append([(start, end)])
        else:
            units[-1].append((start, end))
        if new_paragraph or glue:
            glue = False
        glue = text[start:end].rstrip().endswith(":") and _is_last_of_paragraph(text, end)
    return units


def _is_last_of_paragraph(text: str, end: int) -> bool:
    rest = text[end : end + 2]
    return rest.startswith("\n\n") or rest == "" or rest == "\n"


def _pack(spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    groups: list[tuple[int, int]] = []
    for start, end in spans:
        if groups and end - groups[-1][0] <= max_chars:
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return groups


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
    drafts: list[PassageDraft] = []
    for section in _sections(parsed):
        spans = [
            (section.start + s, section.start + e)
            for s, e in sentence_spans(text[section.start : section.end])
        ]
        groups: list[tuple[int, int]] = []
        for unit in _paragraph_units(text, spans):
            unit_start, unit_end = unit[0][0], unit[-1][1]
            if groups and unit_end - groups[-1][0] <= max_chars:
                groups[-1] = (groups[-1][0], unit_end)
            elif unit_end - unit_start <= max_chars:
                groups.append((unit_start, unit_end))
            else:
                groups.extend(_pack(unit, max_chars))
        for start, end in groups:
            drafts.append(
                PassageDraft(
                    text=text[start:end],
                    start=start,
                    end=end,
                    heading_path=list(section.heading_path),
                    links=_links_within(parsed.links, start, end),
                )
            )
    return drafts
