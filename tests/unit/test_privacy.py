"""Personal details are taken out of questions before they are logged."""

from __future__ import annotations

import pytest

from oncocite.api.privacy import redact


@pytest.mark.parametrize(
    ("text", "gone", "tag"),
    [
        ("Hi, my name is Jane Smith and I have HER2+ cancer", "Jane Smith", "[name]"),
        ("my name's Priya, what is Kadcyla?", "Priya", "[name]"),
        ("I was born on 12/03/1961, can I have Enhertu?", "12/03/1961", "[date of birth]"),
        ("DOB: 3 March 1961. Is Herceptin safe?", "1961", "[date of birth]"),
        ("my appointment is on 14/01/2027", "14/01/2027", "[date]"),
        ("email me at jane.smith@example.co.uk please", "jane.smith@example.co.uk", "[email]"),
        ("call me on 07700 900123", "07700 900123", "[phone]"),
        ("ring +44 20 7946 0958 about my results", "7946 0958", "[phone]"),
        ("my NHS number is 943 476 5919", "943 476 5919", "[NHS number]"),
        ("NHS no 9434765919, what is TNBC?", "9434765919", "[NHS number]"),
        ("My hospital number is RX123456; what is HER2?", "RX123456", "[hospital number]"),
        ("I live at SW1A 1AA, where is my clinic?", "SW1A 1AA", "[postcode]"),
        ("postcode m1 1ae", "m1 1ae", "[postcode]"),
    ],
)
def test_personal_details_are_removed(text: str, gone: str, tag: str) -> None:
    cleaned = redact(text)
    assert gone not in cleaned
    assert tag in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Is tiredness common on immunotherapy?",
        "What is HER2 positive breast cancer?",
        "Between 15 and 20 out of every 100 people have it",
        "Can I have pembrolizumab for triple negative breast cancer?",
        "What does CDK4/6 mean?",
    ],
)
def test_ordinary_questions_are_left_alone(text: str) -> None:
    assert redact(text) == text
