"""Personal details are taken out of questions before they are logged, and what is
logged by default is what a question asked about, never its words."""

from __future__ import annotations

import pytest

from oncocite.answers.asked import asked
from oncocite.api.privacy import redact
from oncocite.models import Abstention, Answer, Citation, NeedAnswer, Safety


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
        ("Hi I'm Jane Smithson, can I have Enhertu?", "Smithson", "[name]"),
        ("I am Priya Patel and I have TNBC", "Priya", "[name]"),
        ("Hi, Jane Smithson here. What is Kadcyla?", "Jane", "[name]"),
        ("What is Kadcyla? Thanks, Jane", "Jane", "[name]"),
        ("Is Herceptin given by injection? Kind regards, Mary O'Neill.", "O'Neill", "[name]"),
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
        "I'm HER2 positive, what can I have?",
        "I am on tamoxifen, is that hormone therapy?",
        "Can I get Enhertu here?",
        "Is tiredness common on immunotherapy? Thanks",
    ],
)
def test_ordinary_questions_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_what_was_asked_is_terms_and_outcomes_never_words() -> None:
    cited = Citation(
        n=1, doc_id="d", passage_id="d#1", version=1,
        section=["Drugs", "Trastuzumab emtansine (Kadcyla)"], title="Drugs", source="S",
        url=None, last_reviewed=None, review_overdue=False, license=None,
        quote="It is a treatment.", start=0, end=18,
    )  # fmt: skip
    answer = Answer(
        question="I'm Jane Smithson. What is Kadcyla and how is it given? Is chemo better?",
        answer="It is a treatment.",
        citations=[cited],
        abstained=False,
        needs=[
            NeedAnswer(question="What is Kadcyla", kind="definition",
                       searched="What is Kadcyla", answered=True, citations=[1]),
            NeedAnswer(question="how is it given?", kind="other",
                       searched="kadcyla: how is it given?", answered=True, citations=[1]),
            NeedAnswer(question="Is chemo better?", kind="comparison",
                       searched="Is chemo better?", answered=False, reason="partial_support",
                       detail="the library has information on “Chemotherapy”"),
        ],
    )  # fmt: skip
    records = asked(answer)
    assert records == [
        {"kind": "definition", "terms": ["trastuzumab emtansine"],
         "cited_terms": ["trastuzumab emtansine"], "outcome": "answered"},
        {"kind": "other", "terms": ["trastuzumab emtansine"],
         "cited_terms": ["trastuzumab emtansine"], "outcome": "answered"},
        {"kind": "comparison", "terms": ["chemotherapy"], "cited_terms": [],
         "outcome": "abstained", "reason": "partial_support"},
    ]  # fmt: skip
    assert "Jane" not in str(records) and "better" not in str(records)


def test_a_message_triage_stopped_is_one_record_with_its_category() -> None:
    answer = Answer(
        question="Jane Smithson here, fever of 39 on Enhertu",
        answer="Call now.",
        abstained=True,
        abstention=Abstention(reason="triage", detail="needs a person"),
        safety=Safety(category="urgent", message="Call now.", rule="fever"),
    )
    assert asked(answer) == [
        {"kind": None, "terms": ["trastuzumab deruxtecan"], "cited_terms": [],
         "outcome": "triage", "reason": "triage", "triage": "urgent"},
    ]  # fmt: skip
