"""Spelling corrections are made by one rule, search's, wherever a text is read."""

from __future__ import annotations

from oncocite.search.question import analyse, apply_corrections
from oncocite.search.spelling import Speller
from oncocite.search.vocabulary import Vocabulary


def test_whole_words_only_in_any_case() -> None:
    fixes = [("bon", "bone"), ("herceptn", "herceptin")]
    text = "Carbon, bon pain. Herceptn or HERCEPTN or herceptn?"
    assert apply_corrections(text, fixes) == (
        "Carbon, bone pain. herceptin or herceptin or herceptin?"
    )


def test_search_reads_a_question_by_the_same_rule() -> None:
    def speller(text: str) -> list[tuple[str, str]]:
        return [("bon", "bone")] if "bon" in text else []

    reading = analyse("Carbon dating of a bon scan", speller)
    assert reading.corrected == apply_corrections(reading.text, reading.corrections)
    assert reading.corrected == "Carbon dating of a bone scan"


def test_a_name_half_remembered_is_the_one_name_it_begins() -> None:
    """ "nera-something" is neratinib (the only name beginning so); a beginning two
    names share, a known name, or a word of its own before "something" are not read."""
    vocabulary = Vocabulary.load()
    assert vocabulary.name_corrections("nera-something, what is it for?") == [
        ("nera-something", "neratinib")
    ]
    assert vocabulary.name_corrections("tuca-something with capecitabine") == [
        ("tuca-something", "tucatinib")
    ]
    assert vocabulary.name_corrections("have you ever something like it") == []
    assert vocabulary.name_corrections("pembro-something") == []


def test_a_consonant_the_library_doubles_written_once_is_its_word() -> None:
    """From the fortieth blind batch: "whats the most comon side efects" (a consonant
    written once that the library's word doubles) was not read as "common",
    "effects"; a word of four letters is left ("coma" is not "comma"), and a known
    word is never changed."""
    library = ["common", "effects", "comma", "immunotherapy"]
    speller = Speller(library, known=set(library).__contains__)
    assert speller.correct("comon") == "common"
    assert speller.correct("efects") == "effects"
    assert speller.correct("imunotherapy") == "immunotherapy"
    assert speller.correct("coma") is None
    assert speller.correct("common") is None
