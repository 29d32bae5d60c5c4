"""Filter strings to SearchFilters, and filters applied to real searches."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite import open_library
from oncocite.errors import InvalidQuery
from oncocite.search.filters import parse_filters
from oncocite.store.base import SearchFilters


def test_empty() -> None:
    assert parse_filters([]) == SearchFilters()


def test_keys_repeat_and_comma_lists_or_together() -> None:
    f = parse_filters(["source=NCI,CRUK", "source=MedlinePlus", "cancer_type=Breast"])
    assert f.sources == {"NCI", "CRUK", "MedlinePlus"}
    assert f.cancer_types == {"breast"}


def test_every_key() -> None:
    f = parse_filters(
        [
            "audience=patient",
            "source_type=02_nci_core",
            "tier=2",
            "language=en",
            "licence=CC-BY-4.0",
            "status=active",
            "doc_id=a,b",
        ]
    )
    assert f.audience_levels == {"patient"}
    assert f.source_types == {"02_nci_core"}
    assert f.max_source_tier == 2
    assert f.languages == {"en"}
    assert f.licenses == {"CC-BY-4.0"}
    assert f.statuses == {"active"}
    assert f.doc_ids == {"a", "b"}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("colour=red", r"unknown filter key 'colour'.*keys: cancer_type, audience"),
        ("source", r"is not key=value"),
        ("tier=two", r"tier 'two' is not a tier from 0 to 99"),
        ("tier=99999999999999999999999", r"is not a tier from 0 to 99"),
        ("tier=-1", r"is not a tier from 0 to 99"),
        ("audience=aliens", r"audience 'aliens' is not one of patient"),
        ("status=gone", r"status 'gone' is not one of"),
    ],
)
def test_bad_filters_name_the_fix(item: str, message: str) -> None:
    with pytest.raises(InvalidQuery, match=message):
        parse_filters([item])


def _doc(folder: Path, name: str, status: str, source: str, words: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: {name}\nsource: {source}\nsourceType: 02_nci_core\n"
        f"audienceLevel: patient\ncancerTypes: [breast]\nlanguage: en\n"
        f"license: public_domain\nlastReviewed: '2025-01-01'\nreviewFrequency: annual\n"
        f"status: {status}\n---\n\n# {name}\n\n{words}\n",
        encoding="utf-8",
    )
    return path


def test_retired_never_returned_and_filters_apply(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _doc(docs, "live_doc", "active", "NCI", "Zanubrutinib is a treatment option.")
    _doc(docs, "old_doc", "retired", "NCI", "Zanubrutinib was once a treatment option.")
    _doc(docs, "other_doc", "active", "CRUK", "Zanubrutinib treatment at home.")
    with open_library(tmp_path / "t.db", embed="0") as lib:
        report = lib.ingest([docs], embed=False)
        assert report.failed == 0
        ids = {h.doc_id for h in lib.search("zanubrutinib", mode="lexical").hits}
        assert ids == {"live_doc", "other_doc"}
        assert {
            h.doc_id
            for h in lib.search("zanubrutinib", filters=["source=CRUK"], mode="lexical").hits
        } == {"other_doc"}
        # asking for retired documents explicitly still returns none
        assert lib.search("zanubrutinib", filters=["status=retired"], mode="lexical").hits == []
        # retiring a live document hides it from an engine that is already warm
        lib.retire("live_doc")
        assert {h.doc_id for h in lib.search("zanubrutinib", mode="lexical").hits} == {"other_doc"}
