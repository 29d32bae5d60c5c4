"""Where sentences end: the one splitter for what is quoted, what is screened and
how a patient's message is read.

Why one: the safety screen reports the sentences an answer could quote, and an
answer quotes sentences; if the two cut a text differently, a sentence the screen
read as two harmless halves could be quoted whole. So both use `sentence_spans`;
the message reader (search/message.py) uses it too, in its `casual` reading.
Triage marks clause boundaries of its own (answers/triage.py: `;` and a full stop
not in a number too), because it must not match a phrase across "no fever; rash".

A regular expression rather than pysbd: answers split the top passages of every
question (pysbd costs ~28 ms a passage, this ~0.7 ms). Ingest's chunker still asks
pysbd where passages may end (ingest/chunking.py): a passage boundary is stored,
and moving it would re-cut every library; a boundary there is never quoted across.

A sentence ends at `.`, `!`, `?` or `…` (with any closing quote or bracket) before
white space, unless the full stop closes an abbreviation or an initial ("e.g. take",
"Dr. Smith", "J. Smith") or the next word starts in lower case ("approx. two").
Spans leave out the white space around a sentence.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans"]

_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s)")
_ABBREVIATION = re.compile(
    r"(?:^|[^A-Za-z])(?:e\.g|i\.e|etc|vs|dr|mr|mrs|ms|prof|st|no|approx|fig|u\.s|u\.k|jr|sr|"
    r"inc|ltd|[A-Za-z])$",
    re.IGNORECASE,
)
_LOOKBACK = 8  # characters before a full stop that can hold an abbreviation


def sentence_spans(
    text: str, start: int = 0, end: int | None = None, *, casual: bool = False
) -> list[tuple[int, int]]:
    """(start, end) offsets into `text` of the sentences of `text[start:end]`, white
    space around each left out; a piece of only white space is no sentence.

    `casual` reads a message as people type it: "my mum has cancer. she is 65" is
    two sentences though the second starts in lower case, and a line break ends a
    sentence ("Hi\nWhat is Herceptin"). Edited pages are read with neither rule."""
    stop = len(text) if end is None else end
    if casual:
        spans: list[tuple[int, int]] = []
        for line in _LINE.finditer(text, start, stop):
            spans += _spans(text, line.start(), line.end(), casual=True)
        return spans
    return _spans(text, start, stop, casual=False)


_LINE = re.compile(r"[^\n]+")
# a question or exclamation mark closing a bracket: a doubt inside the sentence
_DOUBT_IN_BRACKETS = re.compile(r"^[?!]+\)$")


def _opened_within(text: str, piece: int, match: re.Match[str]) -> bool:
    """Whether the bracket `match` closes was opened inside the sentence, after its
    first word ("…Trodelvy (sacituzumab?) for…"), not around a whole aside."""
    before = text[piece : match.start()]
    opening = before.rfind("(")
    return opening > 0 and bool(before[:opening].strip()) and ")" not in before[opening:]


def _spans(text: str, start: int, stop: int, *, casual: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    piece = start
    for match in _END.finditer(text, start, stop):
        if match.group()[0] == "." and _ABBREVIATION.search(
            text, max(start, match.start() - _LOOKBACK), match.start()
        ):
            continue
        if not casual and text[match.end() : match.end() + 3].lstrip()[:1].islower():
            continue
        if (
            casual
            and _DOUBT_IN_BRACKETS.match(match.group())
            and _opened_within(text, piece, match)
        ):
            continue  # "Has anyone been offered Trodelvy (sacituzumab?) for TNBC mets?"
        spans += _trimmed(text, piece, match.end())
        piece = match.end()
    spans += _trimmed(text, piece, stop)
    return spans


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []
