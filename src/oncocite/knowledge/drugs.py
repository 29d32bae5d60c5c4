"""The one drug vocabulary, as the knowledge base reads it.

Drug names, brand names and abbreviations live in one file: the patient vocabulary
`oncocite/search/vocabulary.yaml`, loaded by `oncocite.search.vocabulary` for search,
answers and the knowledge base alike (one reader, one validation, one word split).
The knowledge base refers to drugs only by their canonical (generic) names in that
file, and adds what the vocabulary does not hold: which class each drug belongs to
(`drug_classes` in `knowledge/data/drug_classes.yaml`, cited).

A name in a patient's treatment history resolves here: a generic, brand or
abbreviation to its generic name; a combination brand (Phesgo) to each of its
drugs; a class word ("chemotherapy", "hormone therapy") to an unnamed drug of that
class. Anything else is an error that suggests the nearest known names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from oncocite.errors import InvalidQuery
from oncocite.knowledge.wording import joined
from oncocite.search.vocabulary import TermEntry, Vocabulary, words

__all__ = [
    "VOCABULARY_FILE",
    "DrugVocabulary",
    "Resolved",
    "UnknownDrug",
    "drug_key",
    "shipped_drugs",
]

# The file the shipped vocabulary is read from (search's package data).
VOCABULARY_FILE = Path(__file__).resolve().parents[1] / "search" / "vocabulary.yaml"

# Kinds of vocabulary entries that can name a drug in a treatment history.
DRUG_KINDS = frozenset({"generic"})


def drug_key(name: str) -> tuple[str, ...]:
    """A name as matching sees it: the vocabulary's words (lower case, no punctuation)."""
    return tuple(words(name))


class UnknownDrug(InvalidQuery):
    """A treatment-history name that is not in the drug vocabulary."""


@dataclass(frozen=True)
class Resolved:
    """What one name in a treatment history stands for."""

    given: str
    drugs: tuple[str, ...] = ()  # generic names
    unnamed: str | None = None  # a class word: an unnamed drug of this vocabulary term

    @property
    def words(self) -> str:
        if self.unnamed is not None:
            return self.unnamed
        return " and ".join(self.drugs)


class DrugVocabulary:
    """The drug names of the vocabulary: every surface to its entry."""

    def __init__(self, vocabulary: Vocabulary, where: str = "vocabulary.yaml") -> None:
        self.where = where  # the file, as errors name it
        self._entries: dict[str, TermEntry] = {e.canonical: e for e in vocabulary.entries}
        self._surfaces: dict[tuple[str, ...], TermEntry] = {
            drug_key(surface): entry
            for entry in vocabulary.entries
            for surface in [entry.canonical, *entry.aliases]
        }

    @classmethod
    def read(cls, path: Path = VOCABULARY_FILE) -> DrugVocabulary:
        """The vocabulary at `path`; an unreadable file is one line naming it."""
        try:
            return cls(Vocabulary.load(path), path.name)
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidQuery(f"{path.name}: the drug vocabulary cannot be read ({exc})") from None

    # ----------------------------------------------------------------- names
    def is_generic(self, name: str) -> bool:
        entry = self._entries.get(name)
        return entry is not None and self._is_single(entry)

    def is_term(self, name: str) -> bool:
        """A canonical name of any kind (class words such as "chemotherapy")."""
        return name in self._entries

    def aliases(self, canonical: str) -> list[str]:
        """The other names of an entry as the file writes them (brands, abbreviations)."""
        entry = self._entries.get(canonical)
        return [] if entry is None else list(entry.aliases)

    def brands(self, generic: str) -> list[str]:
        """Names a reader may know the drug by: the entry's aliases written with a capital
        (Herceptin, T-DM1), and combination brands that contain it (Phesgo)."""
        names = [a for a in self.aliases(generic) if a[:1].isupper()]
        for entry in self._entries.values():
            if generic in entry.expand and entry.canonical != generic and entry.kind in DRUG_KINDS:
                names += [a for a in self.aliases(entry.canonical) if a[:1].isupper()]
        return names

    def generic_of(self, name: str) -> tuple[str, ...]:
        """The generic drug(s) a name stands for; () when it names no drug."""
        entry = self._surfaces.get(drug_key(name))
        if entry is None or entry.kind not in DRUG_KINDS:
            return ()
        return self._drugs_of(entry)

    def _is_single(self, entry: TermEntry) -> bool:
        # a combination brand expands to its drugs, not to itself (Phesgo); a drug may
        # expand to itself and a concept (pembrolizumab: immunotherapy)
        return entry.kind in DRUG_KINDS and (not entry.expand or entry.canonical in entry.expand)

    def _drugs_of(self, entry: TermEntry) -> tuple[str, ...]:
        if self._is_single(entry):
            return (entry.canonical,)
        # a combination brand: the generic drugs it expands to
        return tuple(e for e in entry.expand if self.is_generic(e))

    # ----------------------------------------------------------------- history
    def resolve(self, name: str, where: str, class_words: Iterable[str] = ()) -> Resolved:
        """One name of a treatment history; `class_words` are the vocabulary terms that
        stand for an unnamed drug of a class. Unknown names raise UnknownDrug with the
        nearest known names."""
        words = set(class_words)
        entry = self._surfaces.get(drug_key(name))
        if entry is not None and entry.kind in DRUG_KINDS:
            drugs = self._drugs_of(entry)
            if drugs:
                return Resolved(name, drugs=drugs)
        if entry is not None and entry.canonical in words:
            return Resolved(name, unnamed=entry.canonical)
        if entry is not None:
            raise UnknownDrug(
                f"{where}: {name!r} is not a drug treatment ({entry.canonical}); list the drugs "
                "you had, e.g. letrozole + palbociclib"
            )
        raise UnknownDrug(
            f"{where}: {name!r} is not a drug the vocabulary knows{self._hint(name, words)}"
        )

    def _hint(self, name: str, class_words: set[str]) -> str:
        choices: dict[str, str] = {}
        for key, entry in self._surfaces.items():
            if (entry.kind in DRUG_KINDS and self._drugs_of(entry)) or (
                entry.canonical in class_words
            ):
                choices[" ".join(key)] = entry.canonical
        found = process.extract(
            " ".join(drug_key(name)), list(choices), scorer=fuzz.WRatio, limit=6, score_cutoff=70
        )
        names: list[str] = []
        seen: set[str] = set()
        for surface, _, _ in found:
            canonical = choices[surface]
            if canonical not in seen:
                seen.add(canonical)
                same = surface == " ".join(drug_key(canonical))
                names.append(canonical if same else f"{surface} ({canonical})")
        if not names:
            return "; give its generic or brand name (e.g. trastuzumab, Herceptin)"
        return f"; did you mean {joined(names[:3], 'or')}?"


@lru_cache(maxsize=1)
def shipped_drugs() -> DrugVocabulary:
    """The drug names of the shipped vocabulary file, read once."""
    return DrugVocabulary(Vocabulary.load())
