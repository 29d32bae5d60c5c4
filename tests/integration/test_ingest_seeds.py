"""The two seeds ingest: NCI metadata comes back exactly, the CRUK page comes back clean."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from oncocite import Library
from tests.conftest import CRUK_FLAGS, SEED_CRUK, SEED_CRUK_DRUGS


def raw_bullets(path: Path) -> list[str]:
    """Bullet item texts as written in the raw scrape, furniture removed."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*[•\-]\s*(.+?)\s*$", line.replace("\xa0", " "))
        if match:
            text = match.group(1).replace("Open a glossary item", "")
            items.append(" ".join(text.split()))
    return items


def test_nci_seed_metadata_comes_back_exactly(seeded: Library) -> None:
    record = seeded.show("003_5c17e5cb39d03151")
    meta = record.metadata
    assert meta.title == "Immunotherapy | Breast Cancer Treatment - NCI"
    assert meta.source == "NCI"
    assert meta.license == "public_domain"
    assert meta.last_reviewed == dt.date(2025, 12, 30)
    assert meta.review_frequency is not None and meta.review_frequency.value == "quarterly"
    assert meta.source_type == "02_nci_core"
    assert meta.url == "https://www.cancer.gov/types/breast/treatment/immunotherapy"
    assert meta.citation == "NCI, 2025"
    assert record.format == "markdown"
    assert "Pembrolizumab is the only immunotherapy drug approved" in record.text
    assert "![" not in record.text and "](" not in record.text


def test_nci_passages_keep_headings_offsets_and_links(seeded: Library) -> None:
    record = seeded.show("003_5c17e5cb39d03151")
    assert record.passages, "the NCI page must produce passages"
    for passage in record.passages:
        assert record.text[passage.start : passage.end] == passage.text
        assert passage.passage_id == f"003_5c17e5cb39d03151#{passage.seq}"
        for link in passage.links:
            assert passage.text[link.start : link.end] == link.text
            assert link.url.startswith("https://www.cancer.gov/")
    side = [p for p in record.passages if "Side effects of immunotherapy" in p.heading_path]
    assert side and "rash" in side[0].text


def test_cruk_seed_is_clean_and_keeps_all_content(seeded: Library) -> None:
    record = seeded.show("000_115646f3b8bff644")
    text = record.text
    assert record.metadata.title == "Targeted and immunotherapy drugs for breast cancer"
    assert record.metadata.source == CRUK_FLAGS.source
    assert record.metadata.license == "all_rights_reserved"
    assert record.metadata.last_reviewed is None, "a review date must never be invented"
    for furniture in ("Open a glossary item", "Diagram showing", "Related links", "•"):
        assert furniture not in text
    for drug in SEED_CRUK_DRUGS:
        assert drug.lower() in text.lower(), drug
    flat = " ".join(text.split())
    for item in raw_bullets(SEED_CRUK):
        assert item in flat, item
    headings = {h for p in record.passages for h in p.heading_path}
    assert {"Side effects", "Secondary breast cancer"} <= headings


def test_cruk_passages_carry_the_drug_headings_the_scrape_lost(seeded: Library) -> None:
    """Each drug's description is its own passage, under the drug it describes; the
    recovered headings are in heading paths only, never in the stored text."""
    record = seeded.show("000_115646f3b8bff644")
    by_sentence = {
        "To have this drug your cancer needs to be HER2 positive.": "Pertuzumab",
        "You must have already had two or more treatments": (
            "Trastuzumab, tucatinib and capecitabine"
        ),
    }
    for sentence, drug in by_sentence.items():
        (passage,) = [p for p in record.passages if sentence in p.text]
        assert passage.heading_path[-1] == drug
    for passage in record.passages:
        assert record.text[passage.start : passage.end] == passage.text
    recovered = {p.heading_path[-1] for p in record.passages if len(p.heading_path) == 3}
    assert len(recovered) == 8
    assert not recovered & set(record.text.split("\n"))


def test_missing_metadata_is_reported_not_invented(lib: Library) -> None:
    report = lib.ingest([SEED_CRUK])
    (result,) = report.results
    assert result.outcome == "added"
    warning = " ".join(result.warnings)
    for field in ("source", "url", "license", "lastReviewed"):
        assert field in warning
    meta = lib.show("000_115646f3b8bff644").metadata
    assert (meta.source, meta.url, meta.license) == (None, None, None)


def test_sidecar_metadata_is_read(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / SEED_CRUK.name).write_bytes(SEED_CRUK.read_bytes())
    (folder / f"{SEED_CRUK.name}.meta.yaml").write_text(
        "source: Cancer Research UK\nlicense: all_rights_reserved\nlastReviewed: '2026-01-15'\n"
        "reviewFrequency: annual\ncancerTypes: [breast]\n",
        encoding="utf-8",
    )
    report = lib.ingest([folder])
    assert [r.outcome for r in report.results] == ["added"], "the sidecar is not a document"
    meta = lib.show("000_115646f3b8bff644").metadata
    assert meta.source == "Cancer Research UK"
    assert meta.last_reviewed == dt.date(2026, 1, 15)
    review = lib.review(today=dt.date(2027, 2, 1)).items
    assert [(i.doc_id, i.state) for i in review] == [("000_115646f3b8bff644", "overdue")]


def test_seed_passages_are_within_size_and_whole_sentences(seeded: Library) -> None:
    for doc_id in ("000_115646f3b8bff644", "003_5c17e5cb39d03151"):
        for passage in seeded.show(doc_id).passages:
            assert passage.text == passage.text.strip()
            assert passage.text[-1] in ".:)?!" or passage.text.split("\n")[-1].startswith("- ")


def test_html_page_ingests_through_the_pipeline(lib: Library, tmp_path: Path) -> None:
    page = tmp_path / "pages" / "tucatinib.html"
    page.parent.mkdir()
    page.write_text(
        """<!doctype html><html><head><title>Tucatinib | Drug information</title>
        <link rel="canonical" href="https://www.example.org/drugs/tucatinib"></head>
        <body><nav><a href="/">Home</a> <a href="/drugs">Drugs</a></nav>
        <div id="cookie-banner">We use cookies. Accept all cookies?</div>
        <main><article><h1>Tucatinib</h1>
        <p>Tucatinib is a targeted drug called a tyrosine kinase inhibitor. It is a
        treatment for HER2 positive breast cancer that has spread.</p>
        <h2>How you have it</h2>
        <p>You take tucatinib as tablets, with
        <a href="/drugs/capecitabine">capecitabine</a> and trastuzumab.</p>
        </article></main>
        <footer>Copyright Example Charity. Registered charity 123.</footer>
        </body></html>""",
        encoding="utf-8",
    )
    sidecar = page.with_name(page.name + ".meta.yaml")
    sidecar.write_text("source: Example Charity\nlicense: CC-BY-4.0\n", encoding="utf-8")
    report = lib.ingest([page.parent])
    assert [r.outcome for r in report.results] == ["added"]
    record = lib.show("tucatinib")
    assert record.format == "html"
    assert record.metadata.title.startswith("Tucatinib")
    assert record.metadata.source == "Example Charity"
    for furniture in ("cookies", "Registered charity", "Home"):
        assert furniture not in record.text
    how = [p for p in record.passages if p.heading_path[-1:] == ["How you have it"]]
    assert how and "capecitabine" in how[0].text
    (link,) = how[0].links
    assert how[0].text[link.start : link.end] == "capecitabine"
    assert link.url == "https://www.example.org/drugs/capecitabine"
