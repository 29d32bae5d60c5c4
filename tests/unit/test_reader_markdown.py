"""Markdown reader on the NCI seed and on small hand-written files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncocite.errors import InvalidDocument
from oncocite.ingest.markdown import read_markdown
from oncocite.ingest.parsed import ParsedDocument

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
NCI = SEEDS / "003_5c17e5cb39d03151.txt"
TOP = "Immunotherapy for Breast Cancer"


@pytest.fixture(scope="module")
def nci() -> ParsedDocument:
    return read_markdown(NCI, NCI.read_text(encoding="utf-8"))


def _read(tmp_path: Path, text: str, name: str = "doc.md") -> ParsedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_markdown(path, text)


def test_seed_identity_and_frontmatter(nci: ParsedDocument) -> None:
    assert nci.doc_id == "003_5c17e5cb39d03151"
    assert nci.format == "markdown"
    assert nci.metadata["title"] == "Immunotherapy | Breast Cancer Treatment - NCI"
    assert nci.metadata["sourceType"] == "02_nci_core"
    assert nci.metadata["lastReviewed"] == "2025-12-30"
    assert nci.metadata["tags"] == ["treatment", "cancer-type"]


def test_seed_heading_paths_follow_levels(nci: ParsedDocument) -> None:
    assert [s.heading_path for s in nci.sections] == [
        [TOP],
        [TOP, "Who gets immunotherapy for breast cancer?"],
        [TOP, "When is immunotherapy for breast cancer given?"],
        [TOP, "Immunotherapy drugs used for breast cancer"],
        [TOP, "Side effects of immunotherapy"],
    ]


def test_seed_headings_are_lines_but_not_section_text(nci: ParsedDocument) -> None:
    lines = nci.text.split("\n")
    assert "Immunotherapy | Breast Cancer Treatment - NCI" in lines
    assert "Side effects of immunotherapy" in lines
    for section in nci.sections:
        body = nci.text[section.start : section.end]
        assert body == body.strip() and body
        assert section.heading_path[-1] not in body.split("\n")
    side = nci.text[nci.sections[-1].start : nci.sections[-1].end]
    assert side.startswith("The most common side effects of immunotherapy are rash")


def test_seed_markup_is_gone_and_alt_text_kept(nci: ParsedDocument) -> None:
    assert "A health professional checking" in nci.text
    # kept for search, and recorded as an image so that no answer quotes it
    (image,) = [link for link in nci.links if link.image]
    assert nci.text[image.start : image.end] == image.text
    assert image.text.startswith("A health professional checking")
    assert image.text.endswith("hospital bed.")
    assert image.url.startswith("https://www.cancer.gov/sites/g/files/")
    assert image.url.endswith(".jpg?h=dd7958db&itok=WC4WHL1f")
    for markup in ("![", "](", "**", "# ", "/sites/g/files"):
        assert markup not in nci.text
    assert "\u00a0" not in nci.text
    assert "\n\n\n" not in nci.text


def test_seed_links_resolved_and_point_at_their_text(nci: ParsedDocument) -> None:
    by_text = {link.text: link.url for link in nci.links}
    assert by_text["immune system"] == (
        "https://www.cancer.gov/publications/dictionaries/cancer-terms/def/46356"
    )
    assert by_text["Pembrolizumab"] == (
        "https://www.cancer.gov/about-cancer/treatment/drugs/pembrolizumab"
    )
    assert len([link for link in nci.links if not link.image]) == 12
    for link in nci.links:
        assert nci.text[link.start : link.end] == link.text
        assert link.url.startswith("https://www.cancer.gov/")


def test_first_heading_is_title_only_when_absent(tmp_path: Path) -> None:
    doc = _read(tmp_path, "Intro line.\n\n# Tamoxifen *and* you\n\nBody text.\n")
    assert doc.metadata == {"title": "Tamoxifen and you"}
    doc = _read(tmp_path, "---\ntitle: Given\n---\n# Other\n\nBody.\n")
    assert doc.metadata["title"] == "Given"


def test_no_frontmatter_leaves_links_relative(tmp_path: Path) -> None:
    doc = _read(tmp_path, "See [the leaflet](/leaflet.pdf) now.\n")
    assert doc.links[0].url == "/leaflet.pdf"
    assert doc.text == "See the leaflet now."


def test_lists_emphasis_and_nesting(tmp_path: Path) -> None:
    body = (
        "---\nurl: https://example.org/a/b\n---\n"
        "# Drugs\n\nYou may have:\n\n"
        "* **letrozole** or [anastrozole](c)\n* _exemestane_\n  - with `food`\n\n"
        "## Side effects\n\nHot flushes.\n\n### Rare\n\nClots.\n\n## Tests\n\nBlood tests.\n"
    )
    doc = _read(tmp_path, body)
    assert "You may have:\n\n- letrozole or anastrozole\n- exemestane\n  - with food" in doc.text
    assert "*" not in doc.text and "_" not in doc.text and "`" not in doc.text
    (link,) = doc.links
    assert link.url == "https://example.org/a/c"
    assert doc.text[link.start : link.end] == "anastrozole"
    assert [s.heading_path for s in doc.sections] == [
        ["Drugs"],
        ["Drugs", "Side effects"],
        ["Drugs", "Side effects", "Rare"],
        ["Drugs", "Tests"],
    ]


def test_paragraphs_separated_by_one_blank_line(tmp_path: Path) -> None:
    doc = _read(tmp_path, "First line\nsame paragraph.\n\n\n\nSecond.\n")
    assert doc.text == "First line same paragraph.\n\nSecond."


def test_malformed_yaml_names_file_field_and_line(tmp_path: Path) -> None:
    text = "---\ntitle: Fine\nsource: [unclosed\nlicense: x\n---\nBody.\n"
    with pytest.raises(InvalidDocument) as info:
        _read(tmp_path, text, "broken.md")
    err = info.value
    assert err.field == "frontmatter"
    assert err.path.endswith("broken.md")
    assert "broken.md: frontmatter:" in str(err)
    assert "line 4" in str(err)


def test_frontmatter_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InvalidDocument) as info:
        _read(tmp_path, "---\n- a\n- b\n---\nBody.\n", "list.md")
    assert info.value.field == "frontmatter"
    assert "mapping" in str(info.value)


def test_unclosed_frontmatter_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidDocument) as info:
        _read(tmp_path, "---\ntitle: x\n\nBody.\n", "open.md")
    assert info.value.field == "frontmatter"


_WORD = st.text(alphabet="abcxyz", min_size=1, max_size=6)
_LINKED = st.builds(lambda w, u: f"[{w}](/{u})", _WORD, _WORD)
_INLINE = st.one_of(
    _WORD,
    _LINKED,
    _WORD.map(lambda w: f"*{w}*"),
    _LINKED.map(lambda w: f"**{w}**"),
    _WORD.map(lambda w: f"![{w}](i.png)"),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=6).map(" ".join)
_MD_BLOCK = st.one_of(
    _LINE,
    _LINE.map(lambda t: "## " + t),
    st.lists(_LINE, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"- {item}  \n  {item}" for item in items)
    ),
    st.lists(_LINE, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
    ),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_MD_BLOCK, min_size=1, max_size=6))
def test_generated_markdown_links_point_at_their_text(blocks: list[str]) -> None:
    doc = read_markdown(Path("gen.md"), "---\nurl: https://x.org/a/\n---\n" + "\n\n".join(blocks))
    for link in doc.links:
        assert doc.text[link.start : link.end] == link.text
        assert link.url.startswith("https://x.org/")
    for section in doc.sections:
        assert doc.text[section.start : section.end].strip()
    assert "](" not in doc.text and "**" not in doc.text
