"""One sentence splitter: answers quote what the safety screen read, cut the same way."""

from __future__ import annotations

import pytest

from oncocite.answers.units import split_units
from oncocite.governance.screen import sentence_spans as screened_spans
from oncocite.sentences import sentence_spans
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It works. It helps.", ["It works.", "It helps."]),
        ("Take it e.g. with food. Then rest.", ["Take it e.g. with food.", "Then rest."]),
        ("Ask Dr. Smith first. She knows.", ["Ask Dr. Smith first.", "She knows."]),
        ("It costs approx. two pounds.", ["It costs approx. two pounds."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("Is it HER2? Yes!  ", ["Is it HER2?", "Yes!"]),
        ("   ", []),
    ],
)
def test_where_sentences_end(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_a_slice_is_split_with_offsets_into_the_whole_text() -> None:
    text = "Intro line.\nFirst one. Second one."
    start = text.index("First")
    assert [text[a:b] for a, b in sentence_spans(text, start)] == ["First one.", "Second one."]


def test_answers_and_the_screen_cut_the_seeds_alike() -> None:
    """Every sentence an answer can quote from the seeds' prose is a sentence the
    screen read whole (lists aside: the screen reads their lines one by one)."""
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        screened = {text[a:b] for a, b in screened_spans(text)}
        quotable = [u.text(text) for u in split_units(text) if u.kind == "sentence"]
        assert quotable, path
        # (raw seed text: a Markdown heading is no passage sentence once ingested)
        single_line = [q for q in quotable if "\n" not in q and not q.startswith("#")]
        missing = [q for q in single_line if q not in screened]
        assert not missing, (path.name, missing[:3])


def test_a_message_is_read_casually_lower_case_starts_and_line_breaks_end_sentences() -> None:
    message = "hi, my mum has cancer. she is 65. can she have herceptin? thanks\nSue"
    casual = [message[a:b] for a, b in sentence_spans(message, casual=True)]
    assert casual == [
        "hi, my mum has cancer.",
        "she is 65.",
        "can she have herceptin?",
        "thanks",
        "Sue",
    ]
    # an edited page is not read that way: "approx. two" goes on, and so does a line
    assert len(sentence_spans(message)) == 1
    assert len(sentence_spans("Take approx. two a day.\nWith food.")) == 2
    # an abbreviation still does not end a casual sentence
    note = "my onc, dr. smith, said it's fine"
    assert sentence_spans(note, casual=True) == [(0, len(note))]


def test_a_doubt_in_brackets_does_not_end_a_message_sentence() -> None:
    """From the forty-first blind batch: "Has anyone been offered Trodelvy
    (sacituzumab?) for TNBC mets?" was cut after the bracket, and "for TNBC mets?"
    was answered alone with what the library says of immunotherapy for triple
    negative cancer. A bracket opened inside the sentence and closed by a question
    mark is a doubt, not an end; an aside in brackets of its own still is one."""
    text = "Has anyone been offered Trodelvy (sacituzumab?) for TNBC mets? onc mentioned it"
    assert [text[a:b] for a, b in sentence_spans(text, casual=True)] == [
        "Has anyone been offered Trodelvy (sacituzumab?) for TNBC mets?",
        "onc mentioned it",
    ]
    aside = "(is it the same?) What is Kadcyla?"
    assert [aside[a:b] for a, b in sentence_spans(aside, casual=True)] == [
        "(is it the same?)",
        "What is Kadcyla?",
    ]
