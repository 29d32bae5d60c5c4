"""MedQuAD answer clean-up: the linear patterns do exactly what the old ones did."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from oncocite.ingest.medquad import clean_answer

# The original, backtracking patterns: quadratic on long runs of spaces.
_OLD_BULLET = re.compile(r"[ \t]{2,}-[ \t]+")
_OLD_BLANKS = re.compile(r"[ \t]*\n[ \t\n]*")
_OLD_SPACES = re.compile(r"[ \t\u00a0]{2,}")


def _old_clean(text: str) -> str:
    text = _OLD_BULLET.sub("\n- ", text)
    text = _OLD_BLANKS.sub("\n", text)
    text = _OLD_SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.strip().split("\n") if line.strip())


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n-a\u00a0.", max_size=60))
def test_same_result_as_the_original_patterns(text: str) -> None:
    assert clean_answer(text) == _old_clean(text)


def test_a_long_run_of_spaces_is_cleaned_in_linear_time() -> None:
    for text in (" " * 300_000, "a" + " " * 300_000 + "b", " \t" * 150_000 + "-"):
        started = time.perf_counter()
        clean_answer(text)
        assert time.perf_counter() - started < 1.0
