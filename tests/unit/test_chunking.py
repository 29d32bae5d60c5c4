"""Chunking: exact offsets, whole sentences, one section per chunk, size respected."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncocite.ingest.chunking import MAX_SENTENCE_CHARS, chunk, sentence_spans
from oncocite.ingest.markdown import Block, assemble, read_markdown
from oncocite.ingest.parsed import ParsedDocument, PassageDraft, Section
from oncocite.ingest.text import read_text
from oncocite.models import Link

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
CRUK = SEEDS / "000_115646f3b8bff644.txt"
NCI = SEEDS / "003_5c17e5cb39d03151.txt"


def _seeds() -> list[ParsedDocument]:
    return [
        read_text(CRUK, CRUK.read_text(encoding="utf-8")),
        read_markdown(NCI, NCI.read_text(encoding="utf-8")),
    ]


SEED_DOCS = _seeds()
SIZES = [80, 200, 400, 1200, 5000]


def _section_of(doc: ParsedDocument, draft: PassageDraft) -> Section:
    owners = [s for s in doc.sections if s.start <= draft.start and draft.end <= s.end]
    assert len(owners) == 1, f"chunk {draft.start}-{draft.end} crosses a section boundary"
    return owners[0]


def check_invariants(doc: ParsedDocument, drafts: list[PassageDraft], max_chars: int) -> None:
    """What every chunking must satisfy, for seeds and generated documents alike."""
    sections = doc.sections or [Section(start=0, end=len(doc.text))]
    for draft in drafts:
        assert draft.text == doc.text[draft.start : draft.end]
        assert draft.text and draft.text == draft.text.strip()
        section = _section_of(doc, draft) if doc.sections else sections[0]
        assert draft.heading_path == section.heading_path
        body = doc.text[section.start : section.end]
        spans = [(section.start + s, section.start + e) for s, e in sentence_spans(body)]
        assert draft.start in {s for s, _ in spans}, "chunk starts mid-sentence"
        assert draft.end in {e for _, e in spans}, "chunk ends mid-sentence"
        if len(draft.text) > max_chars:
            assert (draft.start, draft.end) in spans, "oversized chunk is not one sentence"
        for link in draft.links:
            assert draft.text[link.start : link.end] == link.text
    for before, after in itertools.pairwise(drafts):
        assert before.end <= after.start
    covered = "".join(d.text for d in drafts)
    everything = "".join(doc.text[s.start : s.end] for s in sections)
    assert "".join(covered.split()) == "".join(everything.split()), "text was lost"


@pytest.mark.parametrize("max_chars", SIZES)
@pytest.mark.parametrize("doc", SEED_DOCS, ids=["cruk-text", "nci-markdown"])
def test_seed_chunks_keep_invariants(doc: ParsedDocument, max_chars: int) -> None:
    drafts = chunk(doc, max_chars=max_chars)
    assert drafts
    check_invariants(doc, drafts, max_chars)


@pytest.mark.parametrize("doc", SEED_DOCS, ids=["cruk-text", "nci-markdown"])
def test_headings_are_not_chunk_text(doc: ParsedDocument) -> None:
    headings = {h for s in doc.sections for h in s.heading_path}
    for draft in chunk(doc, max_chars=200):
        assert not headings & set(draft.text.split("\n"))


def test_default_size_gives_one_chunk_per_small_section() -> None:
    nci = SEED_DOCS[1]
    drafts = chunk(nci)
    assert [d.heading_path[-1] for d in drafts] == [
        "Immunotherapy for Breast Cancer",
        "Who gets immunotherapy for breast cancer?",
        "When is immunotherapy for breast cancer given?",
        "Immunotherapy drugs used for breast cancer",
        "Side effects of immunotherapy",
    ]


def test_links_are_relative_to_the_chunk() -> None:
    nci = SEED_DOCS[1]
    drafts = chunk(nci, max_chars=150)
    immune = [link for d in drafts for link in d.links if link.text == "immune system"]
    assert immune == [
        Link(
            text="immune system",
            url="https://www.cancer.gov/publications/dictionaries/cancer-terms/def/46356",
            start=immune[0].start,
            end=immune[0].start + len("immune system"),
        )
    ]
    assert sum(len(d.links) for d in drafts) == len(nci.links)


def test_bullets_are_sentences_and_sentences_are_whole() -> None:
    text = "Dr. Smith said you may have:\n- tamoxifen\n- letrozole, e.g. daily\n\nIt works. Really."
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == [
        "Dr. Smith said you may have:",
        "- tamoxifen",
        "- letrozole, e.g. daily",
        "It works.",
        "Really.",
    ]


def test_long_sentence_is_its_own_chunk() -> None:
    long = "This sentence goes on " + "and on " * 40 + "until it stops."
    text = f"Short one. {long} Short two."
    doc = ParsedDocument(
        doc_id="d", format="text", text=text, sections=[Section(start=0, end=len(text))]
    )
    drafts = chunk(doc, max_chars=60)
    assert [d.text for d in drafts] == ["Short one.", long, "Short two."]


def test_empty_sections_and_bad_size() -> None:
    text = "Title\n\n   \n\nBody."
    doc = ParsedDocument(
        doc_id="d",
        format="text",
        text=text,
        sections=[Section(heading_path=["A"], start=5, end=12), Section(start=12, end=17)],
    )
    assert [(d.text, d.heading_path) for d in chunk(doc)] == [("Body.", [])]
    with pytest.raises(ValueError, match="max_chars"):
        chunk(doc, max_chars=0)


# --- property tests -----------------------------------------------------------------

_words = st.text(alphabet="abcdefghij", min_size=1, max_size=9)
_sentence = st.builds(
    lambda words, end, caps: (" ".join(words).capitalize() if caps else " ".join(words)) + end,
    st.lists(_words, min_size=1, max_size=14),
    st.sampled_from([".", "?", "!", "", ".\u00a0", " e.g.", "..."]),
    st.booleans(),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=5).map(" ".join)
_bullets = st.lists(_sentence, min_size=1, max_size=4).map(
    lambda items: "\n".join(f"- {item}" for item in items)
)
_block = st.one_of(
    _paragraph.map(lambda t: Block(t)),
    _bullets.map(lambda t: Block(t)),
    st.tuples(st.integers(1, 3), st.text(alphabet="ABCdef ", min_size=1, max_size=20)).map(
        lambda lv: Block(lv[1].strip() or "H", heading_level=lv[0])
    ),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, min_size=1, max_size=12), st.integers(1, 400))
def test_structured_documents_keep_offsets(blocks: list[Block], max_chars: int) -> None:
    assembled = assemble(blocks)
    doc = ParsedDocument(
        doc_id="gen", format="text", text=assembled.text, sections=assembled.sections
    )
    check_invariants(doc, chunk(doc, max_chars=max_chars), max_chars)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet="ab .?!\n-*1\u00a0\t", max_size=300),
    st.lists(st.integers(0, 300), max_size=4),
    st.integers(1, 120),
)
def test_arbitrary_text_keeps_offsets(text: str, cuts: list[int], max_chars: int) -> None:
    points = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    sections = [
        Section(heading_path=[f"s{i}"], start=a, end=b)
        for i, (a, b) in enumerate(itertools.pairwise(points))
    ]
    doc = ParsedDocument(doc_id="gen", format="text", text=text, sections=sections)
    check_invariants(doc, chunk(doc, max_chars=max_chars), max_chars)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_sentence_spans_cover_every_character(text: str) -> None:
    spans = sentence_spans(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous = end
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())


def test_chunks_break_at_paragraphs_and_keep_lead_ins_with_their_lists() -> None:
    first = "Drug A is a targeted drug. It blocks a protein. " * 3
    lead = "You might have drug B:"
    items = "- before surgery\n- after surgery"
    second = "Drug B is an antibody. It attaches to cancer cells. " * 3
    text = f"{first.strip()}\n\n{second.strip()}\n\n{lead}\n\n{items}"
    doc = ParsedDocument(doc_id="d", format="text", text=text)
    drafts = chunk(doc, max_chars=len(first) + 40)
    assert drafts[0].text == first.strip(), "the first paragraph stays whole and alone"
    assert any(d.text.startswith(lead) and d.text.endswith("after surgery") for d in drafts)
    for draft in drafts:
        assert text[draft.start : draft.end] == draft.text


_long_units = st.lists(
    st.sampled_from(["a", "b ", " ", ". ", "a. ", "\n", "\n\n", "x" * 700, "Dr. ", "- item\n"]),
    max_size=60,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_long_units, st.integers(1, 2000))
def test_no_sentence_or_passage_exceeds_the_documented_maximum(text: str, max_chars: int) -> None:
    """A sentence is cut at whitespace past MAX_SENTENCE_CHARS; one was 900,000 long."""
    spans = sentence_spans(text)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    doc = ParsedDocument(doc_id="gen", format="text", text=text)
    drafts = chunk(doc, max_chars=max_chars)
    check_invariants(doc, drafts, max_chars)
    assert all(len(d.text) <= max(max_chars, MAX_SENTENCE_CHARS) for d in drafts)


def test_a_huge_paragraph_is_split_in_pieces_and_stays_exact() -> None:
    text = ("Tamoxifen blocks oestrogen. It is taken daily. " * 2000).strip()
    spans = sentence_spans(text)
    assert len(spans) == 4000
    assert all(text[s:e] in ("Tamoxifen blocks oestrogen.", "It is taken daily.") for s, e in spans)


_NO_SENTENCE_END = st.text(
    alphabet=st.characters(
        blacklist_characters=".!?。．！？\n\r)•\"'“”‘’»«\u2028\u2029\x0b\x0c\x85",
        blacklist_categories=("Cs",),
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(_NO_SENTENCE_END)
def test_pysbd_never_splits_where_the_chunker_skips_it(text: str) -> None:
    """The chunker calls pysbd only on pieces holding one of the characters it splits at."""
    from oncocite.ingest.chunking import _segmenter

    assert len([s for s in _segmenter().segment(text) if s.strip()]) <= 1
