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
