"""Reading a question: short question or message, its subject line, its misspellings."""

from __future__ import annotations

import pytest

from oncocite.search.question import analyse, is_message, subject_line
from oncocite.search.spelling import Speller

MESSAGES = [
    "Body Lice. How do I get rid of these little devils? Me and My mom have tried so "
    "many things to get rid of these bugs",
    "abetalipoproteimemia hi, I would like to know if there is any support for those "
    "suffering with abetalipoproteinemia? I am not diagnosed but have had many test that "
    "indicate I am suffering with this, keen to learn how to get it diagnosed",
    "I have been researching Lewy Body Disease and have a few questions.1) Is this "
    "disease hereditary",
]
QUESTIONS = [
    "What are the treatments for Breast Cancer ?",
    "how is a heart attack treated",
    "Can I have Perjeta before surgery?",
    "Who is at risk for Childhood Acute Lymphoblastic Leukemia? ?",
]


@pytest.mark.parametrize("text", MESSAGES)
def test_messages_are_told_from_questions(text: str) -> None:
    assert is_message(text)


@pytest.mark.parametrize("text", QUESTIONS)
def test_short_questions_are_questions(text: str) -> None:
    assert not is_message(text)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (MESSAGES[0], "Body Lice"),
        (MESSAGES[1], "abetalipoproteimemia"),
        ("achalasia. after surgery for achalasia, will spasms continue", "achalasia"),
        ("Chronic lymphocytic leukemia. How can I get Information", "Chronic lymphocytic leukemia"),
    ],
)
def test_the_subject_line_is_cut_where_the_message_starts(text: str, subject: str) -> None:
    assert subject_line(text) == subject


def _speller() -> Speller:
    words = ["abetalipoproteinemia", "chronic", "lymphocytic", "leukemia", "wandering"]
    return Speller(words, known=lambda word: word in {"wonder", "wondering", "support"})


def test_unknown_words_are_corrected_to_library_words() -> None:
    speller = _speller()
    assert speller.correct("abetalipoproteimemia") == "abetalipoproteinemia"
    assert speller.corrections("Cronic Lymphocytice Leukemia of the lung") == [
        ("Cronic", "chronic"),
        ("Lymphocytice", "lymphocytic"),
    ], "a word already right (Leukemia) and a short one (lung) are left alone"
    assert speller.correct("wondering") is None, "a known word is never corrected"
    assert speller.correct("zzzzzzzzzz") is None


def test_analysis_reads_the_corrected_message() -> None:
    reading = analyse(MESSAGES[1], _speller().corrections)
    assert reading.message and reading.kind == "message"
    assert reading.corrections == (("abetalipoproteimemia", "abetalipoproteinemia"),)
    assert reading.corrected.startswith("abetalipoproteinemia hi,")
    assert reading.subject == "abetalipoproteinemia"
    plain = analyse(QUESTIONS[0])
    assert not plain.message and plain.subject is None and plain.corrections == ()
