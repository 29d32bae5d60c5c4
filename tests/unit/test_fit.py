"""Which side of surgery a sentence or question speaks of, and which sentences say
what a term is (answers/fit.py)."""

from __future__ import annotations

import pytest

from oncocite.answers.fit import defines, fits_kind, surgery_timing


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("You continue to have it on its own after your surgery (adjuvant treatment).", "after"),
        ("This is to reduce the size of the cancer before surgery.", "before"),
        ("they took the whole breast off in july, so why is she still on herceptin?", "after"),
        ("You might have it before or after surgery.", "either"),
        ("When would someone have it? Before surgery or after?", "either"),
        ("after the op or before it?", "either"),
        ("Pembrolizumab is a type of immunotherapy.", None),
        # the operation told as done: what comes after it is asked
        ("why is she still on keytruda now the operation is done?", "after"),
        ("Her surgery's over, so why more herceptin?", "after"),
        ("Is the operation done under general anaesthetic?", None),
        # a clinician's "post": after it, though the word names the time before
        ("Kadcyla in the post-neoadjuvant setting: who qualifies?", "after"),
        ("How long is she on it post-op?", "after"),
        ("Is it given neoadjuvant?", "before"),
    ],
)
def test_which_side_of_surgery_a_text_speaks_of(text: str, when: str | None) -> None:
    assert surgery_timing(text) == when


@pytest.mark.parametrize(
    ("text", "names", "said"),
    [
        # a gloss in brackets, after the words it glosses
        ("You might have it before surgery (neoadjuvant treatment).", ("neoadjuvant",), True),
        (
            "It is for cancer that has grown into the skin nearby (locally advanced breast "
            "cancer).",
            ("locally advanced",),
            True,
        ),
        # what a term is for, where it stands
        ("The nurse may arrange biomarker tests to help choose.", ("biomarker test",), True),
        ("Scans are used to check the size of the cancer.", ("scan",), True),
        # only used, not said
        ("Locally advanced cancer may be treated with surgery.", ("neoadjuvant",), False),
        ("She had biomarker tests last May.", ("biomarker test",), False),
    ],
)
def test_which_sentences_say_what_a_term_is(text: str, names: tuple[str, ...], said: bool) -> None:
    assert defines(text, names) is said


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("You take this one with a hormone therapy tablet.", True),
        ("It is given with chemotherapy first.", True),
        ("Afterwards it is given on its own.", True),
        # who a drug is for, not what it is given with
        ("- an early cancer with a high risk of returning", False),
    ],
)
def test_what_a_drug_is_given_with(text: str, fits: bool) -> None:
    """A sentence saying what a drug is given with answers "is it on its own or with
    chemo?"; a list of criteria naming a cancer "with a high risk" does not (it was
    counted so, and led such answers once fitting quotes were kept first)."""
    assert fits_kind("combination", text) is fits


def test_some_before_the_operation_and_others_after_is_either() -> None:
    """From the forty-ninth blind batch: "why do some people get targeted drugs BEFORE
    the op and others get them after?" speaks of both sides of surgery (it was read as
    "before", and the list of when a drug is given cut to its first item)."""
    assert surgery_timing("why do some get it before surgery and others only after?") == "either"
    assert surgery_timing("Why do I get it before the operation?") == "before"


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        (
            "Monoclonal antibodies attach to proteins on cancer cells.",
            ["monoclonal antibody"],
            True,
        ),
        ("Targeted therapies are drugs that find cancer cells.", ["targeted therapy"], True),
        ("Therapies like these are also called biological drugs.", ["therapy"], True),
        ("Trastuzumab is also known as Herceptin.", ["Herceptin", "pertuzumab"], True),
        ("You might have it with chemotherapy.", ["Herceptin", "pertuzumab"], False),
    ],
)
def test_a_name_is_looked_for_in_each_of_its_forms(
    sentence: str, names: list[str], expected: bool
) -> None:
    """Each name is searched on its own, and only in a sentence holding its first word
    (less the letters a plural changes): the forms still count ("antibodies" for
    "monoclonal antibody", "therapies" for "therapy"), as in one pattern of them all."""
    assert defines(sentence, names) is expected
