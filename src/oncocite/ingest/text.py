"""Reader for raw scraped text: strip page furniture, recover bullets and headings.

Scraped pages lose their markup, so structure has to be guessed from layout. Each
cleaning rule is a small named step or a pattern table, because the rules are
heuristics that will grow with new sources and must stay easy to review: a rule that
eats medical content is worse than furniture that slips through.
"""

from __future__ import annotations

import re
from pathlib import Path

from oncocite.ingest.markdown import MAX_HEADING_CHARS, Block, assemble, parsed_document
from oncocite.ingest.parsed import ParsedDocument
from oncocite.ingest.structure import recover_sections

__all__ = ["read_text"]

# Furniture a site injects inside sentences (glossary pop-up buttons and the like).
INLINE_FURNITURE: tuple[re.Pattern[str], ...] = (re.compile(r"[ \t]*\bOpen a glossary item\b"),)

# Whole lines that describe an image rather than say anything (alt text / captions).
CAPTION_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:Diagram|Image|Illustration|Graphic|Chart|Graph|Photo)s? showing\b"),
    re.compile(r"^(?:Photograph|Photo|Picture|Image|Illustration|Diagram)s? of\b"),
)
_CAPTION_MAX_WORDS = 25

# Lines that end a scraped page without being part of it.
TRAILING_FURNITURE: tuple[re.Pattern[str], ...] = (
    re.compile(r"^Related (?:links|pages|information)$", re.IGNORECASE),
)

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u200a]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\u00ad]")
_BULLET = re.compile(r"^\s*(?:[•●▪◦‣·∙]\s*|[-*–]\s+)(?P<item>.*)$")
_SENTENCE_END = ".:;,?!"
_HEADING_MAX_WORDS = 12
_HEADING_MAX_CHARS = 90


def normalise_spaces(line: str) -> str:
    """Non-breaking and odd-width spaces become plain spaces so words stay separable."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def remove_inline_furniture(line: str) -> str:
    for pattern in INLINE_FURNITURE:
        line = pattern.sub("", line)
    return line


def is_caption(line: str) -> bool:
    """An image caption line: a known opening and short enough not to be a paragraph."""
    if len(line.split()) > _CAPTION_MAX_WORDS:
        return False
    return any(pattern.match(line) for pattern in CAPTION_LINES)


def normalise_bullet(line: str) -> str:
    """Any bullet glyph, with any indentation, becomes '- item'; an empty bullet goes."""
    match = _BULLET.match(line)
    if match is None:
        return line
    item = match.group("item").strip()
    return f"- {item}" if item else ""


def drop_trailing_furniture(lines: list[str]) -> list[str]:
    lines = list(lines)
    while lines and (
        not lines[-1] or any(pattern.match(lines[-1]) for pattern in TRAILING_FURNITURE)
    ):
        lines.pop()
    return lines


def clean_lines(text: str) -> list[str]:
    """Apply the line rules; blank lines are kept (as '') to find block boundaries."""
    out: list[str] = []
    for raw in text.splitlines():
        line = normalise_spaces(remove_inline_furniture(normalise_spaces(raw)))
        if line and is_caption(line):
            continue
        out.append(normalise_bullet(line) if line else "")
    return drop_trailing_furniture(out)


def to_paragraphs(lines: list[str]) -> list[list[str]]:
    """Group lines into blocks at blank lines, so runs of blanks count as one."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def looks_like_heading(block: list[str]) -> bool:
    """A short, capitalised, unpunctuated line standing alone between blank lines."""
    if len(block) != 1:
        return False
    line = block[0]
    return (
        not line.startswith("- ")
        and len(line) <= _HEADING_MAX_CHARS
        and len(line.split()) <= _HEADING_MAX_WORDS
        and line[0].isupper()
        and line[-1] not in _SENTENCE_END
    )


def read_text(path: Path, text: str, recover: bool = True) -> ParsedDocument:
    """Read a scraped page: its first line is the title and the top of every heading path.

    Title-like lines become headings; a paragraph that introduces a drug or topic
    opens an implicit section under them (see `structure`), in the heading paths only.
    `recover=False` reads title-like lines only, as before implicit sections: what
    the structure benchmark and tests measure recovery against.
    """
    paragraphs = to_paragraphs(clean_lines(text))
    blocks: list[Block] = []
    metadata: dict[str, object] = {}
    if paragraphs:
        title, *rest = paragraphs[0]
        if len(title) <= MAX_HEADING_CHARS:  # else it is a paragraph, and no title
            metadata["title"] = title
        blocks.append(Block(title, heading_level=1))
        if rest:
            blocks.append(Block("\n".join(rest)))
    for paragraph in paragraphs[1:]:
        level = 2 if looks_like_heading(paragraph) else None
        blocks.append(Block("\n".join(paragraph), heading_level=level))
    assembled = assemble(blocks)
    # Scraped pages lose headings that no layout rule can see; the paragraphs that
    # introduce a drug or topic still mark where its section began.
    if recover:
        assembled.sections = recover_sections(assembled.text, assembled.sections)
    return parsed_document(path, "text", assembled, metadata)
