"""Spelling correction for the words a library does not know.

Patients misspell exactly the words that matter most: the name of their condition
("abetalipoproteinimia", "chronik lymphocitic leukemia"). A query word is corrected
only when the library has never seen it (nor any word of its stem), and only to a
word of a title, heading or focus, or one the library uses in at least three
passages, that starts with the same letter and is at least 85 % similar
(Levenshtein, via rapidfuzz; for drug names, also with two letters swapped counted as
one slip: "enhetru"). Real words
the library happens to lack ("wondering") are left alone because some word of their
stem is known, unless one of their consonants is doubled where a word of the library
has it once ("targetted" is read as "targeted", whose vocabulary term it then names).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

__all__ = [
    "DOUBLED_MIN_LENGTH",
    "HEADLESS_MIN_LENGTH",
    "MIN_LENGTH",
    "MIN_SIMILARITY",
    "SOUND_SIMILARITY",
    "Speller",
    "doubled",
    "undoubled",
]

MIN_LENGTH = 6
MIN_SIMILARITY = 0.85
# a word that sounds like a known one (the same metaphone key) may be further from
# it in letters: "keytrooda" for "keytruda", "zeloda" for "xeloda", "kadsila" for
# "kadcyla" (0.71). Of the 29,506 words of six letters or more in the search model's
# vocabulary and in MedQuAD, only two share a sound key with a drug name, and neither
# comes near: "margins" (margenza) and "texture" (taxotere), 0.62
SOUND_SIMILARITY = 0.70
_WORD = re.compile(r"[^\W\d_]+")
_SYLLABLES = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
# a name half remembered, its first letters and "something" ("the one you go on after
# herceptin, nera-something"): at least four letters, joined to the word that stands
# for the rest, so that no word of its own ("ever something") is read as a name's start
_HALF_NAME = re.compile(
    r"\b([^\W\d_]{4,})(?:-|\.\.\.\s*|…\s*)?(?:something|summat|thingy|whatsit)\b",
    re.IGNORECASE,
)
SPOKEN_RUN = 3  # the most words a name heard in parts is written in
# a name is read with its first letter lost only when the rest is this long: a short
# word less its first letter is too often another word
HEADLESS_MIN_LENGTH = 8


_HEARD = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"y"), "i"),
)


def _as_heard(word: str) -> str:
    """A word written as it sounds, for the letters English spells one sound with:
    "kadcyla" and "cadsila" both as "kadsila"."""
    for pattern, sound in _HEARD:
        word = pattern.sub(sound, word)
    return word


def _spoken_runs(text: str) -> list[str]:
    """Runs of two or three words on one line, each of letters only: where a name
    dictated into a phone may have been cut into words."""
    runs: list[str] = []
    for line in text.splitlines():
        tokens = re.findall(r"[^\W\d_]+|[^\s\w]", line)
        for start in range(len(tokens)):
            for size in range(2, SPOKEN_RUN + 1):
                run = tokens[start : start + size]
                if len(run) == size and all(t.isalpha() for t in run):
                    runs.append(" ".join(run))
    return runs


def undoubled(word: str, library: frozenset[str]) -> str | None:
    """The library's word that `word` is with one doubled consonant written once, when
    `word` itself is not one of the library's words."""
    if word in library:
        return None
    for i in range(1, len(word) - 1):
        if word[i] == word[i + 1] and word[i] not in _VOWELS:
            single = word[:i] + word[i + 1 :]
            if single in library:
                return single
    return None


# a short word is more often another word than a slip ("coma" is not "comma")
DOUBLED_MIN_LENGTH = 5


def doubled(word: str, library: frozenset[str]) -> str | None:
    """The library's word that `word` is with one consonant the library doubles
    written once, the first such from the left."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i] != word[i - 1]:
            twice = word[: i + 1] + word[i:]
            if twice in library:
                return twice
    return None


_VOWELS = frozenset("aeiouy")


def _closest(word: str, candidates: list[str], scorer: Callable[..., float]) -> str | None:
    """The candidate most alike `word` by `scorer`, if MIN_SIMILARITY alike."""
    from rapidfuzz import process

    best = process.extractOne(word, candidates, scorer=scorer, score_cutoff=MIN_SIMILARITY)
    return None if best is None else str(best[0])


class Speller:
    """Corrections of unknown query words to words the library uses."""

    def __init__(
        self, words: Sequence[str], known: Callable[[str], bool], by_sound: bool = False
    ) -> None:
        self._known = known
        self._words = frozenset(words)
        # by first letter and length: a misspelling rarely changes the first letter,
        # and a long message may hold twenty unknown words to look up
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in words:
            self._buckets[word[0], len(word)].append(word)
        # `by_sound`: a short list of names, written as heard ("keytrooda", "tukisa"):
        # also corrected to a name of the same sound key that is SOUND_SIMILARITY alike
        self._sounds: dict[str, list[str]] = defaultdict(list)
        if by_sound:
            from jellyfish import metaphone

            for word in words:
                self._sounds[metaphone(word)].append(word)

    def correct(self, word: str, heard: bool = False) -> str | None:
        """The library word an unknown word stands for, or None. `heard`: a run of
        words a phone's dictation cut a name into, compared by how it sounds."""
        word = word.lower()
        if len(word) < DOUBLED_MIN_LENGTH:
            return None
        if self._known(word):
            # a known stem, but a letter doubled that the library's word has once
            # ("targetted drug" for "targeted drug"): the library's word
            return undoubled(word, self._words) if len(word) >= MIN_LENGTH else None
        # and the other way round: a consonant the library's word doubles written once
        # ("most comon side efects" for "common", "effects"); only this for a short word
        twice = doubled(word, self._words)
        if twice is not None or len(word) < MIN_LENGTH:
            return twice
        from rapidfuzz import distance, process  # only a query with an unknown word pays

        candidates = [
            c
            for size in range(len(word) - 2, len(word) + 3)
            for c in self._buckets.get((word[0], size), [])
        ]
        found = _closest(word, candidates, distance.Levenshtein.normalized_similarity)
        if found is None and self._sounds:
            from jellyfish import metaphone

            alike = self._sounds.get(metaphone(word), [])
            # a run dictated is compared as it sounds: "cad sila" and "kadcyla" are
            # 0.57 alike in letters, 1.0 once both are written "kadsila" (never a
            # single word: "CADASIL", a disease of the blood vessels, would be read
            # as Kadcyla)
            match = process.extractOne(
                _as_heard(word) if heard else word,
                {name: _as_heard(name) if heard else name for name in alike},
                scorer=distance.Levenshtein.normalized_similarity,
                score_cutoff=SOUND_SIMILARITY,
            )
            found = None if match is None else str(match[2])
        if found is None and self._sounds:
            # two letters swapped in a name ("enhetru" for "enhertu"): a swap counts
            # as one slip, not the two a plain edit distance makes of it
            found = _closest(word, candidates, distance.OSA.normalized_similarity)
        if found is None and self._sounds and len(word) >= HEADLESS_MIN_LENGTH:
            # a name with its first letter lost ("embrolizumab", a key not pressed
            # hard enough): the one name that is the word with a letter before it
            headless = [n for n in self._words if len(n) == len(word) + 1 and n[1:] == word]
            found = headless[0] if len(headless) == 1 else None
        if found is None or found == word:
            return None
        return found

    def _heard_name(self, heard: str) -> str | None:
        """The name `heard` is, or sounds like; None when it shares no name's sound key."""
        from jellyfish import metaphone

        alike = self._sounds.get(metaphone(heard), [])
        if heard in alike:
            return heard
        return self.correct(heard) if alike else None

    def _may_sound_like_a_name(self, joined: str) -> bool:
        """Whether `joined` (or it with a final "-er" heard for "-a") shares a sound key
        with a name, or is one: the only runs `correct` could read as a name."""
        from jellyfish import metaphone

        if self._known(joined):
            return True
        heard = [joined, joined[:-2] + "a"] if joined.endswith("er") else [joined]
        return any(metaphone(w) in self._sounds for w in heard)

    def _half_names(self, text: str, read: set[str]) -> list[tuple[str, str]]:
        """(written, name) for each name `text` begins and leaves unfinished, when one
        name alone begins so and the beginning is no name itself."""
        found: list[tuple[str, str]] = []
        for match in _HALF_NAME.finditer(text):
            begun = match.group(1).lower()
            if begun in read or self._known(begun):
                continue
            names = [w for w in self._words if w.startswith(begun)]
            if len(names) == 1:
                found.append((match.group(0), names[0]))
        return found

    def corrections(self, text: str) -> list[tuple[str, str]]:
        """(written, read as) for each unknown word of `text` that has a correction."""
        found: list[tuple[str, str]] = []
        for word in dict.fromkeys(_WORD.findall(text)):
            fixed = self.correct(word)
            if fixed is None and self._sounds and word.lower().endswith("er"):
                # a final "-a" heard as "-er" in one word too ("keytruder"), read as
                # a name only where it then sounds like one
                fixed = self._heard_name(word.lower()[:-2] + "a")
            if fixed is not None:
                found.append((word, fixed))
        if self._sounds:
            found += self._half_names(text, {w.lower() for w, _ in found})
            # a name written as heard may be written in its syllables ("en-hurtu",
            # "keytru-da"), or as a dictating phone hears them ("key truder", "cad
            # sila", "her sept in"): their run is read as one word
            named = {w.lower() for w, _ in found} | {
                w for w in map(str.lower, _WORD.findall(text)) if self._known(w)
            }
            spoken = [
                run
                for run in _spoken_runs(text)
                # not a name with a word beside it ("nerlynx a"): all its parts unnamed;
                # and only a run that sounds like a name is looked up (a long message
                # holds dozens of runs, "she have", "is it the", and each ask reads
                # its text several times)
                if not any(part.lower() in named for part in run.split())
                and self._may_sound_like_a_name(run.replace(" ", "").lower())
            ]
            runs = [*_SYLLABLES.findall(text), *spoken]
            for run in dict.fromkeys(runs):
                joined = re.sub(r"[-\s]+", "", run).lower()
                dictated = " " in run
                fixed = joined if self._known(joined) else self.correct(joined, dictated)
                if fixed is None and joined.endswith("er"):
                    # a final "-a" heard as "-er" ("key truder")
                    heard = joined[:-2] + "a"
                    fixed = heard if self._known(heard) else self.correct(heard, dictated)
                if fixed is not None:
                    found.append((run, fixed))
        return found
