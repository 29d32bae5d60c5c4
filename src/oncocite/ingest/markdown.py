"""Markdown reader: YAML frontmatter to metadata, body to cleaned text with structure.

The body is parsed with markdown-it rather than regexes so that nested emphasis,
reference links and images inside links come out right. Every other reader that can
produce Markdown-shaped blocks (scraped text, HTML) reuses `Block` and `assemble`, so
headings, sections and link offsets mean the same thing whatever the input format.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from markdown_it import MarkdownIt
from markdown_it.token import Token

from oncocite.errors import InvalidDocument
from oncocite.ingest.budget import check_time
from oncocite.ingest.identifiers import safe_id
from oncocite.ingest.metadata import parse_metadata
from oncocite.ingest.parsed import (
    MAX_LINKS,
    MAX_PASSAGES,
    ParsedDocument,
    Section,
    TooManyLinks,
    TooManyPassages,
)
from oncocite.ingest.segments import markdown_segments
from oncocite.models import Link, is_http_url

__all__ = [
    "MAX_HEADING_CHARS",
    "Assembled",
    "Block",
    "assemble",
    "markdown_blocks",
    "parsed_document",
    "read_markdown",
    "split_frontmatter",
]

_FENCE = "---"
# Non-breaking spaces from copy-pasted web text would split "HER2\u00a0positive" from
# "HER2 positive" in search, so prose gets plain spaces.
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_FENCE_ENDS = ("---", "...")
# A heading is repeated in the heading path of every passage under it, so a longer
# "heading" (a whole scraped page on one line after '#') is kept as a paragraph.
MAX_HEADING_CHARS = 300


@dataclass
class Block:
    """A paragraph, list or heading of cleaned text; links are offsets into `text`."""

    text: str
    links: list[Link] = field(default_factory=list)
    heading_level: int | None = None


@dataclass
class Assembled:
    """Blocks joined into one text, with the sections and links readers hand on."""

    text: str
    sections: list[Section]
    links: list[Link]
    headings: list[str]


def assemble(blocks: Sequence[Block]) -> Assembled:
    """Join blocks with blank lines and cut sections at headings, honouring levels.

    A section is the body under one heading path, without the heading line itself, so
    a chunk never repeats its heading but always knows it. A heading longer than
    MAX_HEADING_CHARS is kept as body text.
    """
    parts: list[str] = []
    links: list[Link] = []
    sections: list[Section] = []
    headings: list[str] = []
    stack: list[tuple[int, str]] = []
    pos = 0
    body_start: int | None = None
    body_end = 0

    def close_section() -> None:
        if body_start is not None:
            if len(sections) >= MAX_PASSAGES:  # each section is at least one passage
                raise TooManyPassages()
            path = [text for _, text in stack]
            sections.append(Section(heading_path=path, start=body_start, end=body_end))

    for block in blocks:
        if not block.text:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        start = pos
        parts.append(block.text)
        pos += len(block.text)
        links.extend(_shift(link, start) for link in block.links)
        if block.heading_level is not None and len(block.text) <= MAX_HEADING_CHARS:
            close_section()
            body_start = None
            level = block.heading_level
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, block.text))
            headings.append(block.text)
        else:
            if body_start is None:
                body_start = start
            body_end = pos
    close_section()
    return Assembled(text="".join(parts), sections=sections, links=links, headings=headings)


def _shift(link: Link, by: int) -> Link:
    return link.model_copy(update={"start": link.start + by, "end": link.end + by})


def split_frontmatter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """Separate leading `---` YAML frontmatter from the body; no frontmatter is fine.

    Line numbers in errors count from the top of the file, because that is where the
    user will look.
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        return {}, text
    for index in range(1, len(lines)):
        if lines[index].strip() in _FENCE_ENDS:
            raw = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            break
    else:
        raise InvalidDocument(
            path,
            "frontmatter opened with '---' on line 1 is never closed "
            "(add a '---' line after the metadata)",
            field="frontmatter",
        )
    return parse_metadata(path, raw, what="frontmatter", line_offset=1), body


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


# A line that may define a link reference (`[id]: url`), used anywhere in the body.
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:", re.MULTILINE)


def markdown_blocks(body: str, base_url: str | None = None) -> list[Block]:
    """Render a Markdown body to plain-text blocks, resolving links against base_url.

    A large body is parsed segment by segment (see `segments`), so memory stays
    bounded; link reference definitions are collected from every segment first, so a
    reference resolves wherever in the body it is defined.
    """
    parser = _parser()
    builder = _BlockBuilder(base_url)
    segments = list(markdown_segments(body))
    env: dict[str, Any] = {}
    if len(segments) > 1:
        for segment in segments:
            if _REFERENCE.search(segment):
                check_time()
                parser.block.parse(segment, parser, env, [])
    for segment in segments:
        check_time()
        builder.build(parser.parse(segment, env))
    return builder.blocks


@dataclass
class _ListLevel:
    ordered: bool
    number: int
    item_has_line: bool = False


class _BlockBuilder:
    """Walks markdown-it's flat token stream, keeping just enough state for lists.

    A whole list (or table) becomes one block of lines, so it stays together as one
    paragraph of the cleaned text instead of one paragraph per item.
    """

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.lists: list[_ListLevel] = []
        self.group_lines: list[tuple[str, list[Link]]] = []
        self.heading_level: int | None = None
        self.row: list[tuple[str, list[Link]]] | None = None
        self.in_table = False
        self.link_count = 0

    def build(self, tokens: Sequence[Token]) -> list[Block]:
        for index, token in enumerate(tokens):
            if index % 1024 == 0:
                check_time()
            self._token(token)
        return self.blocks

    def _token(self, token: Token) -> None:
        kind = token.type
        if kind == "heading_open":
            self.heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            self.heading_level = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            self.lists.append(_ListLevel(kind == "ordered_list_open", start))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            if not self.lists:
                self._flush_group()
        elif kind == "list_item_open":
            self.lists[-1].item_has_line = False
        elif kind == "list_item_close":
            level = self.lists[-1]
            if level.ordered:
                level.number += 1
        elif kind == "table_open":
            self.in_table = True
        elif kind == "table_close":
            self.in_table = False
            self._flush_group()
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._line(_join_cells(self.row))
            self.row = None
        elif kind == "inline":
            self._inline(token)
        elif kind in ("fence", "code_block"):
            content = token.content.rstrip("\n")
            if content.strip():
                self._line((content, []))

    def _inline(self, token: Token) -> None:
        text, links = _render_inline(token.children or [], self.base_url)
        self.link_count += len(links)
        if self.link_count > MAX_LINKS:
            raise TooManyLinks()
        if self.row is not None:
            self.row.append((text, links))
        elif not text:
            return
        elif self.heading_level is not None and not self.lists:
            self.blocks.append(Block(text, links, heading_level=self.heading_level))
        else:
            self._line((text, links))

    def _line(self, line: tuple[str, list[Link]]) -> None:
        text, links = line
        if self.in_table and not self.lists:
            self.group_lines.append(line)
            return
        if not self.lists:
            self.blocks.append(Block(text, links))
            return
        level = self.lists[-1]
        indent = "  " * (len(self.lists) - 1)
        if level.item_has_line:
            prefix = indent + " " * (len(str(level.number)) + 2 if level.ordered else 2)
        else:
            prefix = indent + (f"{level.number}. " if level.ordered else "- ")
            level.item_has_line = True
        text, links = _indent_continuations(text, links, " " * len(prefix))
        self.group_lines.append((prefix + text, [_shift(lk, len(prefix)) for lk in links]))

    def _flush_group(self) -> None:
        if not self.group_lines:
            return
        parts: list[str] = []
        links: list[Link] = []
        pos = 0
        for text, line_links in self.group_lines:
            if parts:
                parts.append("\n")
                pos += 1
            links.extend(_shift(link, pos) for link in line_links)
            parts.append(text)
            pos += len(text)
        self.blocks.append(Block("".join(parts), links))
        self.group_lines = []


def _indent_continuations(text: str, links: list[Link], indent: str) -> tuple[str, list[Link]]:
    """Indent the lines after the first of a list item, moving link offsets along."""
    if "\n" not in text or not indent:
        return text, links
    newlines = [index for index, ch in enumerate(text) if ch == "\n"]
    moved = [_shift(link, bisect.bisect_left(newlines, link.start) * len(indent)) for link in links]
    return text.replace("\n", "\n" + indent), moved


def _join_cells(cells: list[tuple[str, list[Link]]]) -> tuple[str, list[Link]]:
    parts: list[str] = []
    links: list[Link] = []
    pos = 0
    for cell, cell_links in cells:
        if parts:
            parts.append(" | ")
            pos += 3
        links.extend(_shift(link, pos) for link in cell_links)
        parts.append(cell)
        pos += len(cell)
    return "".join(parts), links


def _plain(tokens: Sequence[Token]) -> str:
    """Text of inline tokens without markup: what an image's alt text reads as."""
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image":
            out.append(_plain(token.children or []))
    return "".join(out)


def _render_inline(tokens: Sequence[Token], base_url: str | None) -> tuple[str, list[Link]]:
    """Inline tokens to plain text, keeping each link as offsets of its text."""
    parts: list[str] = []
    pos = 0
    links: list[Link] = []
    open_links: list[tuple[int, str]] = []
    for token in tokens:
        kind = token.type
        if kind == "link_open":
            open_links.append((pos, str(token.attrGet("href") or "")))
            continue
        if kind == "link_close":
            if open_links:
                start, href = open_links.pop()
                links.append(Link(text="", url=_resolve(href, base_url), start=start, end=pos))
            continue
        if kind == "text":
            piece = token.content.translate(_ODD_SPACES)
        elif kind == "code_inline":
            piece = token.content
        elif kind == "softbreak":
            piece = " "
        elif kind == "hardbreak":
            piece = "\n"
        elif kind == "image":
            piece = _plain(token.children or [])
            src = _resolve(str(token.attrGet("src") or ""), base_url)
            links.append(Link(text="", url=src, start=pos, end=pos + len(piece), image=True))
        else:  # emphasis markers, inline HTML: markup, not content
            continue
        parts.append(piece)
        pos += len(piece)
    raw = "".join(parts)
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    kept: list[Link] = []
    for link in links:
        start = max(link.start - lead, 0)
        end = min(link.end - lead, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            kept.append(
                link.model_copy(update={"text": text[start:end], "start": start, "end": end})
            )
    return text, kept


def _resolve(href: str, base_url: str | None) -> str:
    """href made absolute against the document URL; a malformed one is kept as written."""
    if not base_url:
        return href
    try:
        return urljoin(base_url, href)
    except ValueError:  # "http://[::1" as base or href: urllib refuses, the link stays
        return href


def read_markdown(path: Path, text: str) -> ParsedDocument:
    """Read a Markdown file; the frontmatter is kept unvalidated for the pipeline."""
    metadata, body = split_frontmatter(path, text)
    base = metadata.get("url")
    blocks = markdown_blocks(body, base if isinstance(base, str) and is_http_url(base) else None)
    return parsed_document(path, "markdown", assemble(blocks), metadata)


def parsed_document(
    path: Path, fmt: str, assembled: Assembled, metadata: dict[str, Any]
) -> ParsedDocument:
    """The reader result for a file; the first heading is the title if none was given."""
    if "title" not in metadata and assembled.headings:
        metadata["title"] = assembled.headings[0]
    return ParsedDocument(
        doc_id=safe_id(path.stem),
        format=fmt,
        text=assembled.text,
        metadata=metadata,
        sections=assembled.sections,
        links=assembled.links,
    )
