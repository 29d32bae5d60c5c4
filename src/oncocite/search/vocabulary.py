"""Patient vocabulary: brand names, abbreviations and lay words mapped to document words.

The mapping lives in `vocabulary.yaml` (data, reviewed by people who know the drugs),
validated here with pydantic. Matching works on normalised word sequences so that
"HER2+", "HER2 positive" and "HER2-positive" are one thing, and whole words only, so
"ER+" never fires inside "HER2+" and "advanced" never fires inside "locally advanced".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from oncocite.models.rule_files import parse_rule_file
from oncocite.search.lru import MAX_KEY_CHARS, LruCache
from oncocite.search.spelling import DOUBLED_MIN_LENGTH, MIN_LENGTH, Speller, doubled, undoubled

__all__ = [
    "ExpandedQuery",
    "QuestionType",
    "TermEntry",
    "VocabMatch",
    "Vocabulary",
    "normalise",
    "words",
]

_PLUS = re.compile(r"(?<=[0-9a-z])\s*\+")
_TRAILING_MINUS = re.compile(r"(?<=[0-9a-z])[-−](?=[\s,.;:!?)]|$)")
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Lower-case text with receptor signs spelt out: "HER2+" -> "her2 positive"."""
    lowered = text.lower()
    lowered = _PLUS.sub(" positive", lowered)
    return _TRAILING_MINUS.sub(" negative", lowered)


def words(text: str) -> list[str]:
    """The word sequence matching works on (normalised, punctuation dropped). An ask
    reads the same headings and sentences of its passages many times over (which drug
    a section is about, which statuses a sentence states), so short texts' words are
    remembered."""
    if len(text) > MAX_KEY_CHARS:
        return _WORD.findall(normalise(text))
    return list(_words_of(text))


@lru_cache(maxsize=16384)
def _words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalise(text)))


class TermEntry(BaseModel):
    """One concept: the term documents use and the ways patients say it."""

    canonical: str = Field(min_length=1)
    kind: Literal["generic", "abbreviation", "lay", "concept", "spelling"]
    aliases: list[str] = Field(default_factory=list)
    expand: list[str] = Field(default_factory=list)
    # broader terms a page may use that still speak to this one: criteria for
    # "hormone receptor positive" breast cancer apply to an ER positive one (HR
    # positive is ER and/or PR positive); unlike `expand`, these answer for it
    answered_by: list[str] = Field(default_factory=list)
    # a state of the person that changes what applies (pregnancy): an answer about a
    # treatment for someone in it must speak of it, or is not given
    condition: bool = False
    # a stage of the cancer held as a concept ("locally advanced", "stage 3"): what a
    # story says of the tumour, as a receptor status is, never a treatment it had
    stage: bool = False
    # statuses a tumour with this one cannot have (HER2 positive: HER2 negative,
    # triple negative): a page whose criteria name only those is about another cancer
    excludes: list[str] = Field(default_factory=list)
    # a state of the person or their life ("wiped out", "keep working"), never a
    # treatment: triage's `drug:any` does not read it as a medicine taken
    not_a_treatment: bool = False
    # phrases holding an alias that do not mean the term ("in good spirits" is a mood,
    # not alcohol): read as one run of words that names nothing
    not_in: list[str] = Field(default_factory=list)
    # shown back by its name, not as written: an alias that is a phrase of the
    # message ("her2 came back low", "start after you ve stopped") reads badly in
    # "…but not on 'her2 came back low'"; the patient's own words for most terms
    # ("having kids") are kept
    shown_by_name: bool = False

    @field_validator("aliases", "expand", "answered_by", "excludes", "not_in")
    @classmethod
    def _no_blank(cls, value: list[str]) -> list[str]:
        for item in value:
            if not words(item):
                raise ValueError(f"{item!r} has no words")
        return value

    @property
    def expansion(self) -> list[str]:
        return self.expand or [self.canonical]


class QuestionType(BaseModel):
    """A question intent (treatment, outlook, ...) and the cue words that signal it."""

    name: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    terms: list[str] = Field(min_length=1)
    fallback: bool = False
    # phrases in which a cue says nothing of the intent ("hoping to avoid chemo" asks
    # no way to prevent a disease)
    not_in: list[str] = Field(default_factory=list)


class VocabularyFile(BaseModel):
    """The whole YAML file; duplicate aliases are errors because matching must be unique."""

    version: int
    terms: list[TermEntry]
    question_types: list[QuestionType] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_aliases(self) -> VocabularyFile:
        seen: dict[tuple[str, ...], str] = {}
        for entry in self.terms:
            for surface in [entry.canonical, *entry.aliases]:
                key = tuple(words(surface))
                if key in seen and seen[key] != entry.canonical:
                    raise ValueError(
                        f"{surface!r} is listed for both {seen[key]!r} and {entry.canonical!r}"
                    )
                seen[key] = entry.canonical
        canonicals = {entry.canonical for entry in self.terms}
        for entry in self.terms:
            for other in entry.excludes:
                if other not in canonicals:
                    raise ValueError(f"{entry.canonical!r} excludes {other!r}, not a term")
        return self


class VocabMatch(BaseModel):
    """A vocabulary term found in a query: what was written and what it means."""

    surface: str
    canonical: str
    kind: str
    start: int = Field(description="index of the first matched word")
    end: int


class ExpandedQuery(BaseModel):
    """A query with the document words its patient words stand for."""

    text: str
    matches: list[VocabMatch] = Field(default_factory=list)
    added_terms: list[str] = Field(
        default_factory=list, description="canonical terms not already in the query"
    )
    question_types: list[str] = Field(default_factory=list)
    type_terms: list[str] = Field(default_factory=list)

    @property
    def dense_text(self) -> str:
        """What the embedder sees: the question plus the canonical terms it implies."""
        if not self.added_terms:
            return self.text
        return f"{self.text} ({', '.join(self.added_terms)})"


class Vocabulary:
    """Loaded vocabulary with whole-word, longest-first matching."""

    def __init__(self, data: VocabularyFile) -> None:
        self.data = data
        self._aliases: dict[tuple[str, ...], TermEntry] = {}
        self._by_canonical: dict[str, list[TermEntry]] = {}
        self._idioms: set[tuple[str, ...]] = set()
        self._names: Speller | None = None  # built on first use (`name_corrections`)
        # what `name_corrections` read of a text: an ask reads its message several
        # times (search, the reader, each question)
        self._corrected: LruCache[str, tuple[tuple[str, str], ...]] = LruCache(4096)
        # what `find` found in a text: the answer reads each passage's headings and
        # sentences for drugs and statuses again for every question it is cited for
        self._found: LruCache[str, tuple[VocabMatch, ...]] = LruCache(8192)
        for entry in data.terms:
            self._by_canonical.setdefault(entry.canonical, []).append(entry)
            for surface in [entry.canonical, *entry.aliases]:
                self._aliases[tuple(words(surface))] = entry
            self._idioms.update(tuple(words(phrase)) for phrase in entry.not_in)
        self._longest = max((len(k) for k in [*self._aliases, *self._idioms]), default=0)
        # terms naming a state of the person (fatigue, employment), never a treatment
        self.not_treatments = frozenset(e.canonical for e in data.terms if e.not_a_treatment)
        # each question type's exception phrases, as words (read for every question)
        self._not_in = {
            qt.name: tuple(tuple(words(p)) for p in qt.not_in) for qt in data.question_types
        }
        self._cues: list[tuple[tuple[str, ...], QuestionType]] = sorted(
            ((tuple(words(cue)), qt) for qt in data.question_types for cue in qt.cues),
            key=lambda item: -len(item[0]),
        )
        # every word of every term's names, for a consonant written once or twice
        # where the name has it the other way ("targetted", "inflamatory")
        # (and of the question types' cues: "the most comon side efects")
        self._term_words = frozenset(
            w for key in [*self._aliases, *(c for c, _ in self._cues)] for w in key if w.isalpha()
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        """The shipped vocabulary (cached), or one read from `path`."""
        if path is None:
            return _shipped()
        return cls(_parse(path.read_text(encoding="utf-8"), str(path)))

    @property
    def entries(self) -> list[TermEntry]:
        return list(self.data.terms)

    def entries_of(self, canonical: str) -> list[TermEntry]:
        """The entries whose document term is `canonical` (one, as a rule): a lookup
        where callers used to scan every entry."""
        return list(self._by_canonical.get(canonical, ()))

    def names_of(self, canonical: str) -> list[str]:
        """Every name of a document term: itself and its aliases ("trastuzumab",
        "Herceptin", "Herzuma"…), in the file's order."""
        return [n for e in self.entries_of(canonical) for n in [e.canonical, *e.aliases]]

    def name_corrections(self, text: str) -> list[tuple[str, str]]:
        """(written, read as) for each misspelt drug name of `text`, generic or brand:
        the search speller's rule (same first letter, at least 85 % similar) or, a
        name written as heard, the same sound and at least 75 % similar ("keytrooda",
        "zeloda"). Search reads a question with them, and so does the message reader."""
        if self._names is None:
            names = {
                name.lower()
                for entry in self.data.terms
                if entry.kind == "generic"
                for name in [entry.canonical, *entry.aliases]
                if name.isalpha() and len(name) >= MIN_LENGTH
            }
            self._names = Speller(sorted(names), known=names.__contains__, by_sound=True)
        if len(text) > MAX_KEY_CHARS:
            return self._names.corrections(text)
        kept = self._corrected.get(text)
        if kept is None:
            kept = tuple(self._names.corrections(text))
            self._corrected.put(text, kept)
        return list(kept)

    def doubling_corrections(
        self, text: str, known: frozenset[str] = frozenset()
    ) -> list[tuple[str, str]]:
        """(written, read as) for each word of `text` that is a term's word with one
        consonant doubled or written once ("'targetted' drugs", "inflamatory breast
        cancer"): the search speller mends them for search against the library, but
        the reader must know the term too. Words in `known` (everyday words) are left."""
        found: list[tuple[str, str]] = []
        for word in dict.fromkeys(words(text)):
            if (
                len(word) < DOUBLED_MIN_LENGTH
                or not word.isalpha()
                or word in self._term_words
                or word in known
            ):
                continue
            fixed = undoubled(word, self._term_words) or doubled(word, self._term_words)
            if fixed is not None:
                found.append((word, fixed))
        return found

    def canonical(self, term: str) -> str | None:
        """The document term for a patient term ("Herceptin" -> "trastuzumab"), or None."""
        entry = self._aliases.get(tuple(words(term)))
        return None if entry is None else entry.canonical

    def written(self, term: str) -> str:
        """`term` as the vocabulary writes it where the two differ only in form ("PD-L1",
        "HER2 low" for "pd l1", "her2 low"), else as given ("phesgo" stays, not its
        document term): how a term is shown back to the person who wrote it, or by
        its name where its entry says so (`shown_by_name`: "HER2 low" for "her2 came
        back low")."""
        canonical = self.canonical(term)
        if not canonical:
            return term
        if words(canonical) == words(term):
            return canonical
        named = any(e.shown_by_name for e in self.entries_of(canonical))
        return canonical if named else term

    def find(self, text: str) -> list[VocabMatch]:
        """Every vocabulary term in `text`, left to right, longest alias at each word."""
        if len(text) > MAX_KEY_CHARS:
            return self._find(text)
        kept = self._found.get(text)
        if kept is None:
            kept = tuple(self._find(text))
            self._found.put(text, kept)
        return list(kept)

    def _find(self, text: str) -> list[VocabMatch]:
        tokens = words(text)
        found: list[VocabMatch] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                run = tuple(tokens[i : i + size])
                if run in self._idioms:
                    i += size
                    break
                entry = self._aliases.get(run)
                if entry is not None:
                    found.append(
                        VocabMatch(
                            surface=" ".join(tokens[i : i + size]),
                            canonical=entry.canonical,
                            kind=entry.kind,
                            start=i,
                            end=i + size,
                        )
                    )
                    i += size
                    break
            else:
                i += 1
        return found

    def question_types(self, text: str) -> list[QuestionType]:
        """The intents a question's cue words signal; fallbacks only when nothing else does."""
        tokens = words(text)
        present = _ngrams(tokens, max((len(cue) for cue, _ in self._cues), default=0))
        hits: list[QuestionType] = []
        fallbacks: list[QuestionType] = []
        for cue, qtype in self._cues:
            if cue in present and not _only_within(tokens, cue, self._not_in[qtype.name]):
                target = fallbacks if qtype.fallback else hits
                if qtype not in target:
                    target.append(qtype)
        return hits or fallbacks[:1]

    def expand(self, query: str) -> ExpandedQuery:
        """The query with canonical terms for every patient term it contains."""
        tokens = words(query)
        matches = self.find(query)
        added: list[str] = []
        present: set[tuple[str, ...]] | None = None
        for match in matches:
            entry = self._aliases[tuple(words(match.canonical))]
            for term in entry.expansion:
                needle = tuple(words(term))
                if present is None or len(needle) > self._longest:
                    present = _ngrams(tokens, max(self._longest, len(needle)))
                if needle not in present and term not in added:
                    added.append(term)
        qtypes = self.question_types(query)
        return ExpandedQuery(
            text=query,
            matches=matches,
            added_terms=added,
            question_types=[q.name for q in qtypes],
            type_terms=[t for q in qtypes for t in q.terms],
        )


def _only_within(
    tokens: Sequence[str], cue: tuple[str, ...], runs: Sequence[tuple[str, ...]]
) -> bool:
    """Whether every occurrence of `cue` in `tokens` starts one of the phrases `runs`."""
    if not runs:
        return False
    size = len(cue)
    for i in range(len(tokens) - size + 1):
        if tuple(tokens[i : i + size]) == cue and not any(
            tuple(tokens[i : i + len(run)]) == run for run in runs
        ):
            return False
    return True


def _ngrams(tokens: Sequence[str], longest: int) -> set[tuple[str, ...]]:
    """Every run of up to `longest` consecutive tokens: one set lookup per cue or term
    instead of a scan of a long message for each (a 200-word message, ~100 cues)."""
    return {
        tuple(tokens[i : i + size])
        for size in range(1, longest + 1)
        for i in range(len(tokens) - size + 1)
    }


def _parse(text: str, where: str) -> VocabularyFile:
    # read by libyaml's loader when present (parse_rule_file): the pure-Python one takes
    # 0.2 s for this file, paid by every one-shot search
    return parse_rule_file(text, where, VocabularyFile)


@lru_cache(maxsize=1)
def _shipped() -> Vocabulary:
    text = resources.files("oncocite.search").joinpath("vocabulary.yaml").read_text("utf-8")
    return Vocabulary(_parse(text, "vocabulary.yaml"))
