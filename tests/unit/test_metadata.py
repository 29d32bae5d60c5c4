"""Metadata schema: the seed's frontmatter round-trips; bad values name file and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from oncocite.errors import InvalidDocument
from oncocite.ingest.metadata import missing_fields, validate_metadata
from oncocite.models import DocumentMetadata, ReviewFrequency, Status
from tests.conftest import SEED_NCI


def seed_frontmatter() -> dict[str, object]:
    text = SEED_NCI.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def test_seed_frontmatter_validates_with_camel_case_keys() -> None:
    meta = validate_metadata(SEED_NCI, seed_frontmatter())
    assert meta.title == "Immunotherapy | Breast Cancer Treatment - NCI"
    assert meta.source == "NCI"
    assert meta.source_type == "02_nci_core"
    assert meta.source_tier == 2
    assert meta.license == "public_domain"
    assert meta.last_reviewed == dt.date(2025, 12, 30)
    assert meta.review_frequency is ReviewFrequency.QUARTERLY
    assert meta.status is Status.ACTIVE
    assert meta.cancer_types == ["breast"]
    assert meta.tags == ["treatment", "cancer-type"]
    assert meta.version == "v1"
    assert missing_fields(meta) == []


def test_snake_case_keys_are_accepted_too() -> None:
    meta = validate_metadata(
        Path("x.md"), {"title": "T", "source_type": "01_x", "last_reviewed": "2024-01-31"}
    )
    assert meta.source_tier == 1
    assert meta.last_reviewed == dt.date(2024, 1, 31)


def test_unknown_keys_are_kept_not_dropped() -> None:
    meta = validate_metadata(Path("x.md"), {"title": "T", "reviewer": "Dr A", "wordCount": 12})
    assert meta.extra == {"reviewer": "Dr A", "wordCount": 12}
    record = meta.to_record()
    assert record["extra"] == {"reviewer": "Dr A", "wordCount": 12}
    again = DocumentMetadata.from_record(record)
    assert again.extra == meta.extra


def test_later_layers_override_earlier_ones() -> None:
    meta = validate_metadata(
        Path("x.txt"), {"title": "From file", "source": "A"}, {"source": "B"}, {"title": "Flag"}
    )
    assert (meta.title, meta.source) == ("Flag", "B")


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("lastReviewed", "2025-13-01", "lastReviewed '2025-13-01' is not a date (YYYY-MM-DD)"),
        ("lastReviewed", "2025-02-30", "lastReviewed '2025-02-30' is not a date"),
        ("status", "gone", "status 'gone' is not allowed"),
        ("reviewFrequency", "fortnightly", "reviewFrequency 'fortnightly' is not allowed"),
        ("sourceType", "nci_core", "sourceType 'nci_core' is not a tiered source type"),
        ("audienceLevel", "robots", "audienceLevel 'robots' is not allowed"),
        ("license", "WTFPL-ish", "license 'WTFPL-ish' is not a known licence"),
        ("url", "cancer.gov/x", "url 'cancer.gov/x' is not an http(s) URL"),
        ("url", "http://[::1", "url 'http://[::1' is not an http(s) URL"),
        ("url", "https://x.org:99999/", "is not an http(s) URL"),
        ("url", "http:///no-host", "is not an http(s) URL"),
        ("url", "http://a b.org/", "is not an http(s) URL"),
        ("url", "ftp://x.org/", "is not an http(s) URL"),
        ("title", "x" * 501, "title is 501 characters long, over the 500"),
        ("language", "English", "language 'English' is not a language code"),
        ("cancerTypes", ["Breast!"], "cancerTypes 'breast!' is not a lowercase name"),
    ],
)
def test_invalid_values_are_rejected_with_file_field_and_reason(
    field: str, value: object, expected: str
) -> None:
    data = seed_frontmatter()
    data[field] = value
    with pytest.raises(InvalidDocument) as info:
        validate_metadata(SEED_NCI, data)
    message = str(info.value)
    assert message.startswith(f"{SEED_NCI.name}: ")
    assert expected in message
    assert info.value.field == field
    assert "\n" not in message


def test_missing_title_is_named() -> None:
    data = seed_frontmatter()
    del data["title"]
    with pytest.raises(InvalidDocument, match=r"003_5c17e5cb39d03151.txt: title is missing"):
        validate_metadata(SEED_NCI, data)


def test_licence_spellings_normalise() -> None:
    for spelling in ("CC BY 4.0", "cc-by-4.0", "CC-BY-4.0"):
        assert validate_metadata(Path("x"), {"title": "T", "licence": spelling}).license == (
            "CC-BY-4.0"
        )
    assert validate_metadata(Path("x"), {"title": "T", "license": "Public Domain"}).license == (
        "public_domain"
    )


def test_review_frequency_synonyms() -> None:
    meta = validate_metadata(Path("x"), {"title": "T", "reviewFrequency": "Yearly"})
    assert meta.review_frequency is ReviewFrequency.ANNUAL
    assert meta.review_frequency.months == 12


def test_long_values_are_shortened_in_messages() -> None:
    data = seed_frontmatter()
    data["language"] = "x" * 100_000
    with pytest.raises(InvalidDocument) as info:
        validate_metadata(SEED_NCI, data)
    assert len(str(info.value)) < 200


def test_urls_that_urllib_can_take_apart_are_accepted() -> None:
    for url in ("https://www.cancer.gov/x?y=1#z", "http://[::1]:8080/p", "HTTPS://EXAMPLE.ORG"):
        assert validate_metadata(Path("x.md"), {"title": "T", "url": url}).url == url
