"""Long passages are read once: a corpus may keep a whole answer as one passage
(MedQuAD's cancer.gov answers run to 27,000 characters), and reading one costs
~10 ms, mostly the safety screen; the questions about one page come together."""

from __future__ import annotations

from oncocite.answers.select import Candidate, _read
from oncocite.answers.units import CACHED_CHARS, LONG_CHARS, split_units
from oncocite.search.vocabulary import Vocabulary

SENTENCE = "Trastuzumab is a targeted cancer drug that many people have with chemotherapy. "


def _text(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars].rstrip() + "."


def test_a_long_passage_is_read_once_and_the_same_reading_given_again() -> None:
    vocabulary = Vocabulary.load()
    candidate = Candidate("p1", 0, _text(CACHED_CHARS * 3), ("Trastuzumab",))
    first = _read(candidate, vocabulary)
    assert _read(candidate, vocabulary) is first  # kept, not read afresh
    assert first.texts[0] == SENTENCE.strip()


def test_a_text_longer_than_any_passage_is_read_afresh_to_bound_memory() -> None:
    vocabulary = Vocabulary.load()
    candidate = Candidate("p2", 0, _text(LONG_CHARS + 1_000), ())
    first = _read(candidate, vocabulary)
    again = _read(candidate, vocabulary)
    assert again is not first and again == first


def test_long_splits_are_kept_and_equal_to_a_fresh_split() -> None:
    text = _text(CACHED_CHARS * 2)
    units = split_units(text)
    assert split_units(text) == units and len(units) > 40
    assert [u.text(text) for u in units][:1] == [SENTENCE.strip()]
