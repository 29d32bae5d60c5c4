"""The abstention verdict: thresholds, pages named by the question, narrowed pages."""

from __future__ import annotations

import pytest

from oncocite.answers.compose import _names_all, _narrowing
from oncocite.answers.evidence import (
    CLOSENESS_NEEDED,
    PHRASED,
    TITLED_CLOSENESS_NEEDED,
    Support,
    TopicGroup,
    said,
    support,
)


def test_a_question_naming_its_page_needs_less_closeness() -> None:
    between = (CLOSENESS_NEEDED + TITLED_CLOSENESS_NEEDED) / 2
    assert Support(between, 1.0, titled=True).verdict() is None
    assert Support(between, 1.0, titled=False).verdict() == "no_support"
    assert Support(TITLED_CLOSENESS_NEEDED - 0.01, 1.0, titled=True).verdict() == "no_support"


def test_a_narrowed_page_is_only_partial_support_however_close() -> None:
    assert Support(0.95, 1.0, narrowed=("male",)).verdict() == "partial_support"
    assert Support(0.95, 1.0, named=True, narrowed=("male",)).verdict() == "partial_support"
    assert Support(0.95, 1.0).verdict() is None


def test_topic_below_threshold_is_partial_unless_far_and_empty() -> None:
    assert Support(0.8, 0.5).verdict() == "partial_support"
    assert Support(0.2, 0.0).verdict() == "out_of_scope"


@pytest.mark.parametrize(
    ("title", "asked", "narrowed"),
    [
        ("Male Breast Cancer", {"breast", "cancer"}, {"male"}),
        ("Male Breast Cancer", {"male", "breast", "cancer"}, set()),
        ("Adult Non-Hodgkin Lymphoma", {"adult", "hodgkin", "lymphoma"}, {"non"}),
        ("Childhood Liver Cancer", {"liver", "cancer"}, {"childhood"}),
        ("Targeted and immunotherapy drugs for breast cancer", {"immunotherapy"}, set()),
    ],
)
def test_narrowing_qualifiers(title: str, asked: set[str], narrowed: set[str]) -> None:
    assert _narrowing(title, asked) == narrowed


def test_a_title_must_name_every_topic_of_the_question() -> None:
    small, cell = (
        TopicGroup("small", frozenset({"small"}), 3.0, False),
        TopicGroup("cell", frozenset({"cell"}), 2.0, False),
    )
    lung = TopicGroup("lung", frozenset({"lung"}), 2.0, False)
    assert not _names_all({"lung", "cancer"}, [small, cell, lung])
    assert _names_all({"small", "cell", "lung", "cancer"}, [small, cell, lung])


def _phrased(stems: str, named: bool = False, status: bool = False) -> TopicGroup:
    """A vocabulary term of several words (its stems, space-separated), named by
    them as a run where a text's runs are known."""
    form = frozenset(stems.split())
    return TopicGroup(stems, form, 2.0, named, (form,), term=True, phrases=(stems,), status=status)


def test_a_status_of_several_words_is_named_only_as_a_run() -> None:
    """ "HER2 positive… low white cells" does not name HER2 low; a drug's name may be
    scattered ("…trastuzumab, and a chemotherapy drug called deruxtecan")."""
    low = _phrased("her2 low", status=True)
    scattered = said(["her2", "posit", "cancer", "low", "white", "cell"])
    assert not low.named_in(scattered)
    assert low.named_in(said(["is", "her2", "low", "cancer"]))
    assert low.named_in({"her2", "low"})  # a set of stems alone: as before, any order
    drug = _phrased("trastuzumab deruxtecan", named=True)
    assert drug.named_in(said(["trastuzumab", "and", "a", "drug", "call", "deruxtecan"]))
    unread = support([low], set(), set(), None, consulted=scattered)
    assert unread.drug_unread and unread.unnamed == ("her2 low",)


def test_two_words_sharing_a_third_name_each_pair() -> None:
    """ "targeted and immunotherapy drugs" names targeted drugs; "HER2 positive and
    low white cells" still does not name HER2 low."""
    targeted = _phrased("target drug")
    assert targeted.named_in(said(["new", "target", "and", "immunotherapi", "drug"]))
    assert targeted.named_in(said(["immunotherapi", "or", "target", "drug"]))
    assert not targeted.named_in(said(["target", "the", "immunotherapi", "drug"]))
    low = _phrased("her2 low", status=True)
    assert not low.named_in(said(["her2", "posit", "and", "low", "white", "cell"]))


def test_a_research_question_is_held_to_research_only_when_it_asks_about_it() -> None:
    from oncocite.answers.compose import _asks_research
    from oncocite.search.message import Need, read_message

    def first(message: str) -> Need:
        return read_message(message).needs[0]

    assert _asks_research(first("Are there any clinical trials for immunotherapy?"))
    assert _asks_research(
        first("The doctor said there are new trials for HER2 positive. What are they?")
    )
    passing = first(
        "Our group is running a study right now that supports women. We would like to "
        "know more about HER2 positive breast cancer treatment"
    )
    assert passing.kind == "research" and not _asks_research(passing)


def test_said_holds_every_run_of_two_to_four_words_and_no_longer_one() -> None:
    stems = ["a", "b", "c", "d", "e"]
    found = said(stems)
    for size in (2, 3, 4):
        for start in range(len(stems) - size + 1):
            assert " ".join(stems[start : start + size]) in found
    assert "a b c d e" not in found
    assert "a c" not in found  # not adjacent, and "b" joins nothing
    assert said([]) == {PHRASED}
    assert said(["only"]) == {"only", PHRASED}
