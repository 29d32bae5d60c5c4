"""HTML reader: trafilatura finds the main content, the Markdown reader gives it shape.

trafilatura is good at throwing away navigation, footers and cookie banners, but on
a page with no real content it falls back to whatever text is left, furniture
included. So obvious furniture is cut from the tree first, and an empty result is an
error rather than a document made of menu items. Asking trafilatura for Markdown and
parsing that with the Markdown machinery means headings, links and sections of an
HTML page come out exactly as they would from a Markdown file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import trafilatura
from trafilatura.utils import load_html

from oncocite.errors import InvalidDocument
from oncocite.ingest.budget import check_time
from oncocite.ingest.markdown import assemble, markdown_blocks, parsed_document
from oncocite.ingest.parsed import ParsedDocument

__all__ = ["MAX_HTML_ELEMENTS", "read_html"]

_LOWER = "translate({attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_FURNITURE_WORDS = ("cookie", "consent", "gdpr")
# Sites tag <body> or page wrappers with "cookie-accepted" and the like: never drop those.
_HOLDS_CONTENT = "self::html or self::body or .//main or .//article or .//h1"

# Page furniture removed before extraction; a <header> inside the article is content.
FURNITURE_XPATHS: tuple[str, ...] = (
    "//nav",
    "//aside",
    "//footer",
    "//header[not(ancestor::article or ancestor::main)]",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo']",
    *(
        f"//*[contains({_LOWER.format(attr=attr)}, '{word}')][not({_HOLDS_CONTENT})]"
        for attr in ("@id", "@class")
        for word in _FURNITURE_WORDS
    ),
)

_NO_CONTENT = "no main content found in the HTML"
MAX_HTML_ELEMENTS = 50_000


def _page_metadata(tree: Any) -> dict[str, Any]:
    """Title and canonical URL only: trafilatura guesses other fields (dates) too freely."""
    try:
        found = trafilatura.extract_metadata(tree)
    except AssertionError:  # htmldate's date search asserts on some broken trees
        found = None
    metadata: dict[str, Any] = {}
    title = found.title if found is not None else None
    if not title:
        raw = tree.findtext(".//title")
        title = " ".join(raw.split()) if isinstance(raw, str) else None
    if title:
        metadata["title"] = title
    url = found.url if found is not None else None
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        metadata["url"] = url
    return metadata


def _check_size(path: Path, tree: Any) -> None:
    """Refuse a page trafilatura could not extract within the time and memory bounds.

    Its extraction is one call that copies the tree several times and cannot be
    interrupted: 160,000 paragraphs took 33 s and 540 MB. A real page has a few
    thousand elements.
    """
    for count, _ in enumerate(tree.iter(), start=1):
        if count > MAX_HTML_ELEMENTS:
            raise InvalidDocument(
                path,
                f"has more than {MAX_HTML_ELEMENTS:,} HTML elements, the most a page may "
                "have: split it into smaller files",
                field="body",
            )


def _drop_furniture(tree: Any) -> None:
    for xpath in FURNITURE_XPATHS:
        for element in tree.xpath(xpath):
            if element.getparent() is not None:
                element.drop_tree()


def read_html(path: Path, text: str) -> ParsedDocument:
    """Read an HTML page's main content; a page with none is an error, not an empty doc."""
    tree = load_html(text)
    if tree is None:
        raise InvalidDocument(path, _NO_CONTENT, field="body")
    _check_size(path, tree)
    check_time()
    metadata = _page_metadata(tree)
    check_time()
    tree = load_html(text)  # fresh tree: metadata extraction may have pruned it
    _drop_furniture(tree)
    try:
        body = trafilatura.extract(
            tree,
            url=metadata.get("url"),
            output_format="markdown",
            include_links=True,
            include_formatting=True,
            include_images=True,
            include_comments=False,
            with_metadata=False,
        )
    except AssertionError:  # lxml asserts when asked to drop the root of a broken tree
        raise InvalidDocument(
            path,
            "the markup is too broken for the content extractor (an element it had to "
            "remove has no parent); repair the HTML",
            field="body",
        ) from None
    check_time()
    blocks = markdown_blocks(body or "", metadata.get("url"))
    assembled = assemble(blocks)
    if not assembled.text.strip():
        raise InvalidDocument(path, _NO_CONTENT, field="body")
    return parsed_document(path, "html", assembled, metadata)
