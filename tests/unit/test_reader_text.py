"""Scraped-text reader on the Cancer Research UK seed: furniture out, content all in."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from oncocite.ingest.parsed import ParsedDocument
from oncocite.ingest.text import (
    is_caption,
    looks_like_heading,
    normalise_bullet,
    read_text,
)
from tests.conftest import SEED_CRUK_DRUGS as DRUGS

TITLE = "Targeted and immunotherapy drugs for breast cancer"
HEADINGS = [
    "When you might have targeted and immunotherapy treatment",
    "Other targeted drugs for locally advanced breast cancer",
    "Secondary breast cancer",
    "Side effects",
]
FURNITURE = "Open a glossary item"
WORD = re.compile(r"[\w’']+")


def _squash(text: str) -> str:
    return " ".join(text.replace(FURNITURE, " ").split())


def test_identity_and_title(cruk: ParsedDocument) -> None:
    assert cruk.doc_id == "000_115646f3b8bff644"
    assert cruk.format == "text"
    assert cruk.metadata == {"title": TITLE}
    assert cruk.text.startswith(TITLE + "\n\n")


def test_furniture_is_gone(cruk: ParsedDocument) -> None:
    for junk in (FURNITURE, "Diagram showing", "Related links", "•", "\u00a0"):
        assert junk not in cruk.text
    assert "\n\n\n" not in cruk.text
    assert all(line == line.strip() for line in cruk.text.split("\n"))
    assert "  " not in cruk.text
    assert cruk.text.endswith("They want to find out if they improve how well they work.")


def test_headings_recovered_under_the_title(cruk: ParsedDocument) -> None:
    """Title-like lines are the headings the page kept; the drug sections nested under
    them (implicit sections, tests/unit/test_structure_recovery.py) add a level."""
    explicit = [s.heading_path[:2] for s in cruk.sections]
    assert list(dict.fromkeys(map(tuple, explicit))) == [(TITLE,)] + [
        (TITLE, heading) for heading in HEADINGS
    ]
    lines = cruk.text.split("\n")
    for heading in HEADINGS:
        assert heading in lines


def test_sections_tile_the_body(cruk: ParsedDocument) -> None:
    """Between two sections stands the heading line of the second, or nothing when the
    second is an implicit section (its heading is recovered, not on the page)."""
    lines = cruk.text.split("\n")
    for before, after in itertools.pairwise(cruk.sections):
        assert before.end < after.start
        between = cruk.text[before.end : after.start].strip()
        heading = after.heading_path[-1]
        assert between == (heading if heading in lines else "")
    assert cruk.sections[-1].end == len(cruk.text)


@pytest.mark.parametrize("drug", DRUGS)
def test_every_drug_name_survives(cruk: ParsedDocument, raw: str, drug: str) -> None:
    assert cruk.text.lower().count(drug.lower()) == raw.lower().count(drug.lower()) > 0


def test_every_bullet_item_survives_as_a_dash_line(cruk: ParsedDocument, raw: str) -> None:
    items = [_squash(line.replace("•", " ")) for line in raw.splitlines() if "•" in line]
    assert len(items) == 33
    lines = cruk.text.split("\n")
    for item in items:
        assert f"- {item}" in lines
    assert sum(line.startswith("- ") for line in lines) == len(items)


def test_no_word_of_content_is_lost(cruk: ParsedDocument, raw: str) -> None:
    kept = [
        line
        for line in raw.splitlines()
        if not line.startswith("Diagram showing") and line.strip() != "Related links"
    ]
    expected = Counter(WORD.findall(_squash("\n".join(kept))))
    got = Counter(WORD.findall(cruk.text))
    assert got == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  • before surgery", "- before surgery"),
        ("•    spaced out", "- spaced out"),
        ("•tight", "- tight"),
        ("- dash", "- dash"),
        ("* star", "- star"),
        ("•", ""),
        ("-5 degrees is cold", "-5 degrees is cold"),
        ("Plain sentence.", "Plain sentence."),
    ],
)
def test_normalise_bullet(line: str, expected: str) -> None:
    assert normalise_bullet(line) == expected


def test_caption_and_heading_rules() -> None:
    assert is_caption("Image showing where the breast cancer spreads")
    assert is_caption("Photograph of a nurse giving a drip")
    assert not is_caption("Imaging of the breast is done with a mammogram.")
    assert looks_like_heading(["Side effects"])
    assert not looks_like_heading(["You might have trastuzumab:"])
    assert not looks_like_heading(["- palbociclib"])
    assert not looks_like_heading(["lowercase start"])
    assert not looks_like_heading(["Side effects", "second line"])
    assert not looks_like_heading([" ".join(["Word"] * 13)])


def test_bullets_blank_lines_and_trailing_furniture(tmp_path: Path) -> None:
    raw = (
        "Hormone therapy\n\n\n\nIt helps.   Really  helps.  \n\n"
        "Who can have it\n\n  •  letrozole Open a glossary item\n* tamoxifen\n\n"
        "Picture of a tablet\n\nRelated links\n\n\n"
    )
    doc = read_text(tmp_path / "scrape.txt", raw)
    assert doc.text == (
        "Hormone therapy\n\nIt helps. Really helps.\n\nWho can have it\n\n- letrozole\n- tamoxifen"
    )
    assert [s.heading_path for s in doc.sections] == [
        ["Hormone therapy"],
        ["Hormone therapy", "Who can have it"],
    ]
