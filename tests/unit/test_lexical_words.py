"""The lexical tokeniser's ASCII path finds the very words of the Unicode pattern it
stands in for (issue 28: it exists to be faster, never to read differently)."""

from __future__ import annotations

import random
import re

from oncocite.search.lexical import _Stems, words_of

UNICODE_WORDS = re.compile(r"[^\W_]+")


def test_words_of_matches_the_unicode_pattern() -> None:
    rng = random.Random(28)
    ascii_chars = [chr(c) for c in range(128)]
    other = list("éÉßİıKµ²½—–’“”•·›ﬁ中文١٢")  # letters, digits and signs beyond ASCII
    for trial in range(3000):
        pool = ascii_chars if trial % 2 else ascii_chars + other
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        assert words_of(text) == UNICODE_WORDS.findall(text.lower()), text


def test_stems_are_the_same_whether_cached_or_not() -> None:
    stems = _Stems()
    text = "Treatments for Kaposi's sarcoma_lesions: 2 RADIATION therapies, café"
    first = stems.words_and_stems(text)
    assert first == stems.words_and_stems(text)
    assert first[0] == UNICODE_WORDS.findall(text.lower())
    assert first[1][:3] == ["treatment", "for", "kaposi"]


def test_long_texts_are_remembered_up_to_their_bound() -> None:
    from oncocite.search.lexical import LONG_TEXT_CHARS, STEMMED_TEXTS
    from oncocite.search.lru import MAX_KEY_CHARS

    stems = _Stems(texts=STEMMED_TEXTS)
    passage = "Radiation therapies treat cancers. " * (MAX_KEY_CHARS // 20)
    assert MAX_KEY_CHARS < len(passage) <= LONG_TEXT_CHARS
    first = stems(passage)
    assert first == _Stems()(passage) and first[:3] == ["radiat", "therapi", "treat"]
    assert stems._long is not None and len(stems._long) == 1
    assert stems(passage) == first and stems._long.hits == 1
    stems("word " * LONG_TEXT_CHARS)  # too long to keep
    assert len(stems._long) == 1
    assert _Stems()._long is None, "building an index remembers no text"
