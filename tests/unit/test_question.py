"""Reading a question: short question or message, its subject line, its misspellings."""

from __future__ import annotations

import pytest

from oncocite.search.question import analyse, is_message, subject_line
from oncocite.search.spelling import Speller

MESSAGES = [
    "Scabies. How do I get rid of this itch? Me and My son have tried so many creams "
    "and it keeps coming back",
    "abetalipoproteinimia hello, is there a support group for people living with "
    "abetalipoproteinemia? Nobody has confirmed it but my blood tests point that way, "
    "and I want to know how it is diagnosed",
    "I've been reading about Huntington disease and have some questions.1) Can it be "
    "passed on to my children",
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
        (MESSAGES[0], "Scabies"),
        (MESSAGES[1], "abetalipoproteinimia"),
        ("gastroparesis. after the stomach pacemaker, will the sickness stop", "gastroparesis"),
        ("Multiple myeloma. Where can I find Information", "Multiple myeloma"),
    ],
)
def test_the_subject_line_is_cut_where_the_message_starts(text: str, subject: str) -> None:
    assert subject_line(text) == subject


def _speller() -> Speller:
    words = ["abetalipoproteinemia", "chronic", "lymphocytic", "leukemia", "wandering"]
    return Speller(words, known=lambda word: word in {"wonder", "wondering", "support"})


def test_unknown_words_are_corrected_to_library_words() -> None:
    speller = _speller()
    assert speller.correct("abetalipoproteinimia") == "abetalipoproteinemia"
    assert speller.corrections("Chronik Lymphocitic Leukemia of the lung") == [
        ("Chronik", "chronic"),
        ("Lymphocitic", "lymphocytic"),
    ], "a word already right (Leukemia) and a short one (lung) are left alone"
    assert speller.correct("wondering") is None, "a known word is never corrected"
    assert speller.correct("zzzzzzzzzz") is None


def test_a_letter_written_twice_is_read_as_the_library_writes_the_word() -> None:
    """From the thirty-sixth blind batch: "what is a targetted drug" abstained; the
    library knows the stem ("target"), so the speller left it, and the vocabulary's
    "targeted drug" was never read. A known stem with a consonant doubled that the
    library's word has once is that word; the library's own words stay."""
    words = ["targeted", "travelling", "drug"]
    speller = Speller(words, known=lambda word: word.startswith(("target", "travel", "drug")))
    assert speller.correct("targetted") == "targeted"
    assert speller.correct("travelling") is None, "the library's own word"
    assert speller.correct("targeting") is None, "a known stem, no letter doubled"


def test_analysis_reads_the_corrected_message() -> None:
    reading = analyse(MESSAGES[1], _speller().corrections)
    assert reading.message and reading.kind == "message"
    assert reading.corrections == (("abetalipoproteinimia", "abetalipoproteinemia"),)
    assert reading.corrected.startswith("abetalipoproteinemia hello,")
    assert reading.subject == "abetalipoproteinemia"
    plain = analyse(QUESTIONS[0])
    assert not plain.message and plain.subject is None and plain.corrections == ()


def test_a_name_written_as_heard_is_corrected_by_its_sound() -> None:
    names = ["keytruda", "xeloda", "tukysa", "kadcyla", "nerlynx", "femara", "margenza", "taxotere"]
    plain = Speller(names, known=set(names).__contains__)
    heard = Speller(names, known=set(names).__contains__, by_sound=True)
    # too far in letters for the plain rule, or another first letter
    assert plain.correct("keytrooda") is None and plain.correct("zeloda") is None
    assert heard.correct("keytrooda") == "keytruda"
    assert heard.correct("zeloda") == "xeloda"
    assert heard.correct("tukisa") == "tukysa"
    assert heard.correct("kadsila") == "kadcyla"
    assert heard.correct("nurlinx") == "nerlynx"
    # words that share a sound key with a name but are other words stay as written
    for word in ("femur", "margins", "texture", "takes"):
        assert heard.correct(word) is None, word


def test_the_vocabulary_mends_misheard_drug_names_for_search_and_reader() -> None:
    from oncocite.search.message import read_message
    from oncocite.search.vocabulary import Vocabulary

    vocabulary = Vocabulary.load()
    assert vocabulary.name_corrections("I read keytrooda is a wonder drug") == [
        ("keytrooda", "keytruda")
    ]
    assert vocabulary.name_corrections("my femur and the margins") == []
    # a name written in its syllables, as heard or as spelt, is read as one word;
    # hyphenated words that make no name stay as written
    assert vocabulary.name_corrections("the doctor said en-hurtu next") == [("en-hurtu", "enhertu")]
    assert vocabulary.name_corrections("per-jeta with it") == [("per-jeta", "perjeta")]
    assert vocabulary.name_corrections("a well-known follow-up x-ray, triple-negative") == []
    # and as a phone's dictation writes it, in words: never a name with a word beside
    # it ("nerlynx a"), nor words that only make a name's letters in passing
    assert vocabulary.name_corrections("is cad sila just her sept in with chemo") == [
        ("cad sila", "kadcyla"),
        ("her sept in", "herceptin"),
    ]
    assert vocabulary.name_corrections("so is she getting key truder before") == [
        ("key truder", "keytruda")
    ]
    # and in one word ("keytruder"), never an everyday word ending in "-er"
    assert vocabulary.name_corrections("keytruder - how does it work?") == [
        ("keytruder", "keytruda")
    ]
    assert vocabulary.name_corrections("my daughter and her partner, after dinner") == []
    for plain in (
        "is nerlynx a tablet",
        "Herceptin now and then",
        "I want her to know",
        "take her to the clinic, her septum is fine",
        # a disease whose name sounds like Kadcyla, written as one word
        "What is CADASIL?",
    ):
        assert vocabulary.name_corrections(plain) == [], plain
    dictated = read_message("my wife is her to positive what does that mean")
    assert dictated.needs[0].subject == ("her to positive",)
    assert vocabulary.canonical("her to positive") == "HER2 positive"
    hyphened = read_message("The oncologist mentioned en-hurtu. What actually is it?")
    assert hyphened.needs[0].subject == ("enhertu",)
    reading = read_message("My wife is HER2 positive. Is keytrooda for her?")
    assert reading.needs[0].subject == ("keytruda",)


def test_a_name_with_its_first_letter_lost_is_the_name() -> None:
    """From the sixty-third blind batch: "embrolizumab - what type of drug is it?"
    (a first key not pressed) is pembrolizumab; a shorter word less its first letter
    is too often another word to be read so."""
    names = ["pembrolizumab", "trastuzumab", "pertuzumab", "nerlynx"]
    heard = Speller(names, known=set(names).__contains__, by_sound=True)
    assert heard.correct("embrolizumab") == "pembrolizumab"
    assert heard.correct("rastuzumab") == "trastuzumab"
    assert heard.correct("erlynx") is None  # six letters: not read as a name


def test_a_name_with_two_letters_swapped_is_the_name() -> None:
    """From the sixty-fifth blind batch: "whats actually in enhetru?" is Enhertu (two
    letters swapped are one slip; a plain edit distance counted two and left it)."""
    names = ["enhertu", "kadcyla", "keytruda", "perjeta"]
    heard = Speller(names, known=set(names).__contains__, by_sound=True)
    assert heard.correct("enhetru") == "enhertu"
    assert heard.correct("perjeat") == "perjeta"
    plain = Speller(names, known=set(names).__contains__)
    assert plain.correct("enhetru") is None  # only names are read so
