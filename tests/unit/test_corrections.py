"""Spelling corrections are made by one rule, search's, wherever a text is read."""

from __future__ import annotations

from oncocite.search.question import analyse, apply_corrections


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
