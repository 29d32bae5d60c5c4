"""Choosing the few sentences that answer a question, from the passages search found.

Each quotable unit of the top passages is scored by how much of the question it
covers (its rare words count most: IDF from the lexical index), plus a prior for
the passage's rank and for opening its passage (answers and definitions come
first in patient information). The rank prior is strong (2.0 for the first
passage, 1.0 for the second…): search is the judge of which passage answers, and
sentences come from lower passages when the first has no more to say. Measured on
the CancerGov tuning half: the answer cites the question's own passage 95.5 % of
the time with 2.0, 87.5 % with 1.0, 61 % with 0.25. The best units are taken greedily, skipping any
that repeats one already taken, up to five sentences and a reading budget; a unit
that leans on an earlier sentence ("To have this drug…") comes with the sentence
that names its subject, or is not taken. Where a word the question asks is said by
no unit taken but by one of a lower passage (on the question's subject), that unit
comes in place of the weakest, which say little of the question themselves
(`_completion`). The chosen units are read in document order, passage by passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from oncocite.answers.fit import (
    DEFINING_BONUS,
    DEFINING_KINDS,
    KIND_BONUS,
    LINKED_KINDS,
    SAID_OF_ALL,
    STRICT_KINDS,
    defines,
    fits_kind,
    heading_asks,
    says_what_it_is,
    surgery_timing,
)
from oncocite.answers.grounding import is_instruction
from oncocite.answers.reference import antecedent, opening_term, refers_back
from oncocite.answers.units import CACHED_CHARS, LONG_CHARS, LONG_ENTRIES, Unit, split_units
from oncocite.governance.screen import screen_sentence
from oncocite.search.vocabulary import Vocabulary, words

__all__ = [
    "Candidate",
    "Choice",
    "QueryTerms",
    "Selection",
    "a_drug",
    "asks_of_subject",
    "defining_every",
    "drugs_of",
    "fitting_only",
    "names_any",
    "of_the_drugs_asked",
    "says_the_only",
    "section_subject",
    "select_units",
]

MAX_SENTENCES = 5
MAX_CHARS = 900
MAX_PASSAGES = 5
RANK_PRIOR = 2.0
OPENING_PRIOR = 0.1
REDUNDANT = 0.6
MAX_FITTING = 3  # the fitting sentences quoted for a kind said of all (fit.SAID_OF_ALL)
# what a leaning unit that covers nothing itself keeps of its antecedent's coverage,
# when the question does not ask what something is
BORROWED = 0.5
# what a word of the message's context (its tumour, its history) counts for, against
# a word of the question itself
CONTEXT_SHARE = 0.5
# a word that says something of what is asked: "drug" on pages of drugs (IDF at its floor) does not
TELLING = 1e-3
# what each unit covers of a question none of whose words weigh anything
UNWEIGHED = 0.5
# what a unit of a section on one drug loses when the question asks of a class or a
# concept ("When would someone have targeted therapy?"): the pembrolizumab section's
# sentence on shrinking the cancer before surgery is said of that drug only
ANOTHER_DRUGS_SECTION = 1.0
# what a unit that names no drug, in no drug's section, loses when the question asks
# which drugs there are for a status ("what drugs are there for HER2 positive breast
# cancer?"): "These are called HER2 positive breast cancers." says what it is, not
# what is given for it
NO_DRUG_FOR_OPTIONS = 1.0
# what a unit of a section on one stage of the cancer loses when the question asks of
# a class and never names that stage ("When do they use these targeted drugs…?"):
# "Other targeted drugs for locally advanced…" says where some are used
STAGE_SECTION = 1.0
# the kinds asked of a class across its uses: which there are, when given, what is new
# (what a class is, how it works or whom it suits is said where the page is general)
_STAGED_KINDS = frozenset({"options", "timing", "research"})
# what each unit of a passage after its first loses then: which drugs there are is
# answered by a unit of each drug's section, not by all one drug's criteria
SAME_PASSAGE_AGAIN = 1.0
# what a sentence that opens with the subject asked about and says the kind of thing
# asked earns beyond the kind's own bonus: it is said of that subject, not of a drug
# in a passage search ranked higher
OWN_BONUS = 1.0


@dataclass(frozen=True)
class QueryTerms:
    """The question's stemmed words and how much each counts (its IDF); `context`
    are stems the message gives as context (its tumour) rather than asks about."""

    weights: dict[str, float]
    stem: Callable[[str], list[str]]
    context: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        return sum(self.weights.values()) or 1.0

    def with_extra(
        self, stems: Sequence[str], idf: Callable[[str], float], share: float = CONTEXT_SHARE
    ) -> QueryTerms:
        """These terms and `stems` besides, each counting `share` of its IDF: words
        the message gives as context rather than asks about."""
        weights = dict(self.weights)
        context = set(self.context)
        for stem in stems:
            if stem not in weights and idf(stem) > 0:
                weights[stem] = idf(stem) * share
                context.add(stem)
        return QueryTerms(weights, self.stem, frozenset(context))

    @cached_property  # read for every unit of a message with context: computed once
    def _asks_words(self) -> bool:
        return any(w >= TELLING for s, w in self.weights.items() if s not in self.context)

    def coverage(self, text: str) -> float:
        """Share of the question's weight that `text` contains."""
        return self.covered(set(self.stem(text)))

    def covered(self, present: set[str]) -> float:
        """Share of the question's weight among these stems. Context counts only
        beside a word of the question itself: "spread" from "spread to her lungs"
        does not make a sentence on another drug's criteria an answer to "is there
        any immunotherapy for me?"."""
        own = [w for s, w in self.weights.items() if s in present and s not in self.context]
        if self.context and not any(w >= TELLING for w in own) and self._asks_words:
            return 0.0  # (a question of no words of its own, "what might they offer
            # her?", is asked about its context: that counts alone)
        extra = sum(w for s, w in self.weights.items() if s in present and s in self.context)
        return (sum(own) + extra) / self.total


@dataclass(frozen=True)
class Candidate:
    """A passage search returned, with its rank and the words of its section."""

    key: str
    rank: int
    text: str
    topics: tuple[str, ...] = ()
    page: str = ""  # the document it is from
    images: tuple[tuple[int, int], ...] = ()  # spans of `text` that are alt text


@dataclass(frozen=True)
class Choice:
    """A unit chosen for the answer: which candidate, which span of its text."""

    candidate: Candidate
    unit: Unit
    score: float
    context_for: Unit | None = field(default=None, compare=False)
    needs: tuple[Unit, ...] = field(default=(), compare=False)
    # what "this drug" or "it" stands for, when the section names it (shown in brackets)
    subject: str | None = field(default=None, compare=False)
    # the last item kept of a list shown in part (a licence's quota): followed by
    # "[…]", so that one situation of six is not read as the only one
    cut: bool = field(default=False, compare=False)
    # the list a quote of a list shown in part is of (its lead-in line or an item)
    part_of: Unit | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        return self.unit.text(self.candidate.text)


@dataclass(frozen=True)
class Selection:
    """The quotes chosen, which answering is decided on; `shown`, what an answer
    shows once decided: those, completed by a lower passage's unit that says a word
    asked that none of them says (`_completion`). Apart, so that completing what is
    shown never turns an abstention into an answer ("How do I remove a red wine
    stain?" is not answered because a page on port-wine stains says "stain")."""

    choices: list[Choice]
    coverage: float = 0.0
    considered: int = 0
    shown: list[Choice] = field(default_factory=list)


@dataclass(frozen=True)
class _Reading:
    """What a candidate's text says regardless of the question: its units, their
    text, which are instructions, which lean on an earlier sentence and on which."""

    units: tuple[Unit, ...]
    texts: tuple[str, ...]
    instruction: tuple[bool, ...]  # an order to a model or reader, or what the safety
    leans: tuple[bool, ...]  #       screen never quotes (change a dose, stop a medicine…)
    antecedents: tuple[int | None, ...]
    pointers: tuple[bool, ...] = ()  # sends the reader to other pages for more (`_POINTER`)


def _never_quoted(text: str) -> bool:
    """A unit that is an instruction to a model, or that the safety screen flags: the
    last line of defence against a bad or tampered document turning into advice."""
    return is_instruction(text) or screen_sentence(text) is not None


# "Learn more about Metastatic Breast Cancer.", "We describe some of the drugs
# below.": a pointer to another page of the source's site, which the library does not
# hold, or to a part of the page a passage may not be beside; it answers nothing, so
# it is not quoted. ("For more information about side effects, go to the drug pages"
# is quoted: it says each drug has its own)
_NAVIGATION = re.compile(
    r"^\W*(?:learn|find out|read|see|click|visit|go to)\b.{0,40}?\b(?:about|more|at|here|"
    r"our|the page)\b"
    r"|^\W*we (?:describe|explain|list|cover|look at|talk about)\b[^.]*"
    r"\b(?:below|above|on this page|in this section)\W*$",
    re.IGNORECASE,
)


# A sentence sending the reader to each drug's own page for more on its side effects:
# where more is written. It tells that each drug's side effects differ
# (asked "does each drug have its own list?"), but never what a thing is, how it
# works, who has it or what it is for; and it answers "where should we be looking?".
_POINTER = re.compile(
    r"^\W*for (?:more|further) information\b.{0,80}?\b(?:go to|see|visit|read)\b", re.I
)
_POINTER_ANSWERS = frozenset({"side_effects", "variation", "course", "other"})


def _promises_a_list(unit: Unit, text: str) -> bool:
    """A sentence that ends by leading into a list the scrape lost ("You have it as
    adjuvant treatment with:" and then the next paragraph): quoted, it would promise
    what the answer cannot show. (A list with its lead-in is one unit of its own.)"""
    return unit.kind != "list" and text.rstrip().endswith(":")


def _pictured(unit: Unit, images: tuple[tuple[int, int], ...]) -> bool:
    """Whether a unit overlaps an image's alt text (the NCI page's description of its
    photograph): a picture the reader cannot see, not a fact."""
    return any(start < unit.end and unit.start < end for start, end in images)


def _read_text(
    text: str,
    topics: tuple[str, ...],
    vocabulary: Vocabulary,
    images: tuple[tuple[int, int], ...] = (),
) -> _Reading:
    units = tuple(split_units(text))
    texts = tuple(u.text(text) for u in units)
    leans = tuple(refers_back(t) for t in texts)
    return _Reading(
        units,
        texts,
        tuple(
            _never_quoted(t)
            or bool(_NAVIGATION.match(t))
            or _promises_a_list(u, t)
            or _pictured(u, images)
            for u, t in zip(units, texts, strict=True)
        ),
        leans,
        tuple(
            antecedent(texts, i, vocabulary, topics) if leaning else None
            for i, leaning in enumerate(leans)
        ),
        tuple(bool(_POINTER.match(t)) for t in texts),
    )


# The same top passages are read for every asking of a question (and shared by many
# questions); their reading depends on the text, its section and the vocabulary only.
# Chunked passages are short. A corpus may also hold a whole answer as one passage
# (MedQuAD's cancer.gov answers run to 27,000 characters): such a text costs ~10 ms
# to read, mostly the safety screen, and the questions about one page come together,
# so these are kept too, in fewer entries, so that the bounds on entries bound memory.
_read_cached = lru_cache(maxsize=4096)(_read_text)
_read_long_cached = lru_cache(maxsize=LONG_ENTRIES)(_read_text)


def _read(candidate: Candidate, vocabulary: Vocabulary) -> _Reading:
    reading = (candidate.text, candidate.topics, vocabulary, candidate.images)
    size = len(candidate.text)
    if size <= CACHED_CHARS:
        return _read_cached(*reading)
    if size <= LONG_CHARS:
        return _read_long_cached(*reading)
    return _read_text(*reading)


def section_subject(topics: tuple[str, ...], vocabulary: Vocabulary) -> str | None:
    """The drug a passage's section is about, when its heading names one: the name a
    sentence's "this drug" stands for. The scraped Cancer Research UK page lost its
    drug headings; ingest recovers them ("Pertuzumab", "Trastuzumab emtansine
    (Kadcyla)"), so "To have this drug…" can say which drug it means."""
    if len(topics) < 2:
        return None
    heading = topics[-1].strip()
    if not any(m.kind == "generic" for m in vocabulary.find(heading)):
        return None
    first = heading.split()[0]
    return heading[0].lower() + heading[1:] if first[1:].islower() else heading


COSTLY_CONTEXT_CHARS = 120
# for who a drug is for, a context longer than this is named in brackets instead
CRITERIA_CONTEXT_CHARS = 80


# kinds asked of the subject itself (how it works, what it does to you, how long…),
# unlike options or eligibility, whose answers name other drugs, members of a class
OWN_KINDS = frozenset(
    {"mechanism", "side_effects", "duration", "route", "timing", "purpose", "outlook"}
)
# kinds a sentence opening with the subject answers, wherever its passage ranks:
# "Targeted cancer drugs work by…" says how targeted drugs work; a sentence opening
# with a drug says many things besides what it is for or does to you (a sentence on
# a drug's approval fits purpose by its "to treat")
SAID_OF_ITSELF = frozenset({"mechanism"})


# kinds whose answer is one drug's own criteria (who it is for, when and why it is
# given): another drug's section says them of that drug
_CRITERIA_KINDS = frozenset({"eligibility", "timing", "purpose"})
# kinds a drug's own section answers: its criteria, and what it is ("what's in
# Enhertu? my onc called it the antibody with chemo stuck on", whose story words
# rank the trastuzumab section first)
_OWN_SECTION_KINDS = _CRITERIA_KINDS | {"definition"}


def _said_of(
    text: str, kind: str | None, subject: tuple[str, ...], vocabulary: Vocabulary
) -> bool | None:
    """Whether a sentence says what it says of the subject asked about (True) or of
    another treatment (False), for the kinds asked of the subject itself; None when
    its opening names no treatment. "Targeted cancer drugs work by…" says how
    targeted drugs work, not how immunotherapy does: for the one it is the answer,
    for the other it earns no bonus for the kind asked."""
    if not subject or kind not in OWN_KINDS:
        return None
    term = opening_term(text, vocabulary)
    if term is None:
        return None
    asked = {vocabulary.canonical(name) or name for name in subject}
    return term.canonical in asked or " ".join(words(term.surface)) in subject


def drugs_of(names: Sequence[str], vocabulary: Vocabulary) -> frozenset[str]:
    """The drugs (generic names) `names` name, as the vocabulary writes them."""
    return frozenset(
        m.canonical for name in names for m in vocabulary.find(name) if m.kind == "generic"
    )


def _another_drug(named: str, asked: frozenset[str], vocabulary: Vocabulary) -> bool:
    """Whether a section's drug is another than the drugs a question asks about: the
    "Trastuzumab emtansine (Kadcyla)" section for a question on Enhertu, not the
    "Trastuzumab and deruxtecan" section (every word of its name there)."""
    if not asked:
        return False
    own = {m.canonical for m in vocabulary.find(named) if m.kind == "generic"}
    said = set(words(named))
    return bool(own) and not own & asked and not any(set(words(drug)) <= said for drug in asked)


def _leans_on(
    read: _Reading,
    index: int,
    topics: tuple[str, ...],
    vocabulary: Vocabulary,
    criteria: bool = False,
) -> tuple[bool, int | None, str | None]:
    """(whether unit `index` can be quoted, the unit it is quoted with, the drug its
    section is about, which the answer names in brackets) for a unit that leans on an
    earlier sentence; (True, None, None) for one that does not. Asked whom a drug is
    for (`criteria`), a shorter context already costs too much."""
    if not read.leans[index]:
        return True, None, None
    named = section_subject(topics, vocabulary)
    back = read.antecedents[index]
    limit = CRITERIA_CONTEXT_CHARS if criteria else COSTLY_CONTEXT_CHARS
    if (
        back is not None
        and named is not None
        and _costly(read.units[back], read.texts[back], limit)
    ):
        # "You might have it before or after surgery." after a long list that names
        # trastuzumab: the bracket names it in one word, and the list would crowd the
        # answer (and a short licence's quota) out; and whom a drug is for: "You might
        # have this [trastuzumab and deruxtecan] if…" and "It's [trastuzumab and
        # deruxtecan] for people who…" fit the quota where the naming sentence ("This
        # treatment is made up of…") crowded the last criterion out (a short one,
        # "Pertuzumab is also called Perjeta.", is still quoted)
        back = None
    if back is not None and read.instruction[back]:
        back = None  # never quoted, so never what a quote comes with
    return back is not None or named is not None, back, named


# What is known is asked by most kinds of question: what something is, how it works,
# who has it, its side effects, what it is for, how it compares, whether it will work.
# Research may answer a question of treatments or options (MedQuAD's "What are the
# treatments for…?" passages say which treatments are in trials; leaving such
# sentences out for every kind cost 50 of the 729 CancerGov questions their own
# passage), of timing, duration or outlook, or one of no kind read ("How to prevent
# breast cancer?": prevention pages tell of prevention trials; leaving them out cost
# one CancerGov question its passage, and answered another with its topic absent).
_SETTLED_KINDS = frozenset(
    {
        "definition",
        "mechanism",
        "purpose",
        "comparison",
        "testing",
        "eligibility",
        "side_effects",
        "frequency",
        "variation",
        "course",
        "suitability",
        "response",
    }
)
_ONGOING_RESEARCH = re.compile(
    r"\bresearchers?\b[^.]*\b(?:are|is)\b[^.]*\b(?:looking|studying|testing|trying|working)\b"
    r"|\b(?:are|is) (?:now |also )?being (?:studied|tested|researched)\b"
    r"|\b(?:are|is) (?:now |also )?(?:looking|trying to find out)\b"
    r"|\bclinical trials? (?:are|is) (?:testing|looking|studying|under way)\b",
    re.IGNORECASE,
)


def _on_research(read: _Reading, index: int) -> bool:
    """Whether a unit tells of research under way, in its own words or in those of the
    sentences it leans back on (a sentence on "combining them with chemotherapy"
    after one on what researchers are looking into)."""
    seen = 0
    current: int | None = index
    while current is not None and seen < 4:
        if _ONGOING_RESEARCH.search(read.texts[current]):
            return True
        current = read.antecedents[current] if read.leans[current] else None
        seen += 1
    return False


def _costly(unit: Unit, text: str, limit: int = COSTLY_CONTEXT_CHARS) -> bool:
    """A context too long to quote only for the name it holds: a list, or a sentence
    longer than `limit`."""
    return unit.kind == "list" or len(text) > limit


def a_drug(subject: Sequence[str], vocabulary: Vocabulary) -> bool:
    """Whether a question's subject is a drug (a generic name of the vocabulary, or one
    of its brands): only a drug is asked about through its class."""
    return any(m.kind == "generic" for name in subject for m in vocabulary.find(name))


def _stage_not_asked(topics: tuple[str, ...], terms: QueryTerms, vocabulary: Vocabulary) -> bool:
    """Whether a passage's heading scopes it to a stage of the cancer the message never
    names (a heading's stage words are in the question's or story's stems when it does)."""
    for heading in topics[1:]:
        for match in vocabulary.find(heading):
            if not any(e.stage for e in vocabulary.entries_of(match.canonical)):
                continue
            stems = {s for w in words(match.canonical) for s in terms.stem(w)}
            if not stems <= set(terms.weights):
                return True
    return False


def a_class(subject: Sequence[str], vocabulary: Vocabulary) -> bool:
    """Whether a question asks of a kind of treatment ("targeted therapy",
    "immunotherapy", "growth blockers"), not of one drug, surgery or a status: a
    concept of the vocabulary, or a class its drugs are expanded to."""
    classes = _classes(vocabulary)
    return not a_drug(subject, vocabulary) and any(
        m.canonical in classes for name in subject for m in vocabulary.find(name)
    )


@lru_cache(maxsize=8)
def _classes(vocabulary: Vocabulary) -> frozenset[str]:
    entries = vocabulary.entries
    expanded = {t for e in entries if e.kind == "generic" for t in e.expand}
    return frozenset(e.canonical for e in entries if e.kind == "concept" or e.canonical in expanded)


def names_any(text: str, names: Iterable[str]) -> bool:
    """Whether a text names the subject, in any of its names (whole words)."""
    padded = f" {' '.join(words(text))} "
    return any(f" {name} " in padded for name in names if name)


def _class_link(
    candidates: Sequence[Candidate],
    vocabulary: Vocabulary,
    kind: str,
    names: set[str],
    when: str | None = None,
) -> list[Choice] | None:
    """ "Pembrolizumab side effects?" where the library says "Pembrolizumab is a type
    of immunotherapy." and, elsewhere, "The most common side effects of immunotherapy
    are…": both quoted, the one that puts the subject in its class first, so the
    answer says in the sources' words why the second applies. None when no sentence
    defines the subject as a member of a class the library answers this kind for.
    `when` ("before"/"after" surgery): the second must speak of that side of it."""
    links: list[tuple[Candidate, Unit, set[str]]] = []
    readings = [(c, _read(c, vocabulary)) for c in candidates]
    for candidate, read in readings:
        for index, unit in enumerate(read.units):
            text = read.texts[index]
            if read.instruction[index] or read.leans[index] or not defines(text, names):
                continue
            classes = {
                m.canonical
                for m in vocabulary.find(text)
                if " ".join(words(m.surface)) not in names
            }
            classes -= {vocabulary.canonical(n) or n for n in names}
            if classes:
                links.append((candidate, unit, classes))
    for candidate, read in sorted(readings, key=lambda item: item[0].rank):
        for index, unit in enumerate(read.units):
            text = read.texts[index]
            if read.instruction[index] or read.leans[index] or not fits_kind(kind, text):
                continue
            if when is not None and surgery_timing(text) not in (when, "either"):
                continue
            named = {m.canonical for m in vocabulary.find(text)}
            for link_candidate, link_unit, classes in links:
                if classes & named and link_unit != unit:
                    score = RANK_PRIOR / (1 + candidate.rank)
                    return [
                        Choice(link_candidate, link_unit, score),
                        Choice(candidate, unit, score),
                    ]
    return None


def defining_every(
    candidates: Sequence[Candidate], vocabulary: Vocabulary, sides: Sequence[tuple[str, ...]]
) -> list[Choice]:
    """The first unit of `candidates` that says what every side of a comparison is
    (or the one side given), with the sentence it leans on: a list whose items gloss
    both, "…(locally advanced)" and "…(secondary breast cancer)", answers "what's the
    difference between locally advanced and secondary?" as no sentence on one of them
    does. Empty when none does."""
    if not sides:
        return []
    for candidate in candidates:
        read = _read(candidate, vocabulary)
        for index, unit in enumerate(read.units):
            text = read.texts[index]
            if read.instruction[index] or not all(defines(text, names) for names in sides):
                continue
            quotable, back, named = _leans_on(read, index, candidate.topics, vocabulary)
            if not quotable:
                continue  # it would not make sense on its own
            context = [] if back is None else [read.units[back]]
            return [
                *(Choice(candidate, u, 0.0, context_for=unit) for u in context),
                Choice(candidate, unit, 0.0, needs=tuple(context), subject=named),
            ]
    return []


def of_the_drugs_asked(
    chosen: Sequence[Choice], subject: Sequence[str], vocabulary: Vocabulary
) -> list[Choice]:
    """The chosen quotes but those the answer would bracket as about another drug
    than the one asked about (and what they lean on): "what is Enhertu used for?" is
    not shown "It [trastuzumab emtansine (Kadcyla)] is a treatment for… early stage
    breast cancer after surgery", which a reader may take for Enhertu. Applied to an
    answer already decided, as `fitting_only` is; all of them where none would be left."""
    asked = drugs_of(subject, vocabulary)
    other = {
        (c.candidate.key, c.unit)
        for c in chosen
        if c.subject is not None and _another_drug(c.subject, asked, vocabulary)
    }
    kept = [
        c
        for c in chosen
        if (c.candidate.key, c.unit) not in other
        and not (c.context_for is not None and (c.candidate.key, c.context_for) in other)
    ]
    return kept or list(chosen)


def fitting_only(
    chosen: Sequence[Choice], kind: str | None, subject: Sequence[str] = ()
) -> list[Choice]:
    """For a kind that only a quote of that kind answers (side effects, how common,
    how it is tested…), the chosen quotes that say it and those they lean on, when
    any does: "Does immunotherapy cause diarrhoea?" is answered by the sentence on its
    side effects, not also by "Researchers are looking at new… drugs", which only
    names immunotherapy. Applied to an answer already decided: what it shows, not
    whether it answers."""
    if kind not in STRICT_KINDS or kind in SAID_OF_ALL:
        return list(chosen)
    keep = {(c.candidate.key, c.unit) for c in chosen if _fits(kind, c)}
    if not keep:
        return list(chosen)
    # the class link: "Pembrolizumab is a type of immunotherapy." says why "The most
    # common side effects of immunotherapy…" answers for pembrolizumab
    keep |= {
        (c.candidate.key, c.unit) for c in chosen if subject and defines(c.text, tuple(subject))
    }
    for choice in chosen:  # a kept sentence keeps what it leans on
        if (choice.candidate.key, choice.unit) in keep:
            keep |= {(choice.candidate.key, unit) for unit in choice.needs}
    kept = [
        c
        for c in chosen
        if (c.candidate.key, c.unit) in keep
        or (c.context_for is not None and (c.candidate.key, c.context_for) in keep)
    ]
    return kept or list(chosen)


def asks_of_subject(kind: str | None, heading: str, names: Iterable[str]) -> bool:
    """Whether a section heading asks the kind of question asked, of the subject
    asked about ("Who gets immunotherapy for breast cancer?"); `names` as
    `names_any` takes them."""
    wanted = set(names)
    return (
        bool(wanted)
        and heading_asks(kind, heading)
        and names_any(_each_coordinated(heading), wanted)
    )


# two kinds of one noun ("targeted and immunotherapy treatment")
_COORDINATED = re.compile(
    r"\b(\w+)\s+and\s+(\w+)\s+(treatments?|drugs?|therapy|therapies|medicines?)\b", re.I
)


def _each_coordinated(heading: str) -> str:
    """A heading with each of two kinds it joins under one noun written out: a heading
    on "targeted and immunotherapy treatment" names targeted treatment too."""
    spelt = [f"{m.group(i)} {m.group(3)}" for m in _COORDINATED.finditer(heading) for i in (1, 2)]
    return " . ".join([heading, *spelt])


def _asks_of(candidate: Candidate, kind: str | None, names: set[str]) -> bool:
    """`asks_of_subject` of a passage's section heading (none for a page's title)."""
    return asks_of_subject(kind, candidate.topics[-1] if len(candidate.topics) > 1 else "", names)


def _among(choice: Choice, chosen: Sequence[Choice]) -> bool:
    """Whether the same unit of the same passage is chosen already."""
    return any(c.candidate.key == choice.candidate.key and c.unit == choice.unit for c in chosen)


def _fits(kind: str | None, choice: Choice) -> bool:
    """Whether a chosen unit says the kind of thing asked."""
    return fits_kind(kind, choice.text, choice.unit.kind == "list")


def _fitting(
    candidates: Sequence[Candidate],
    vocabulary: Vocabulary,
    kind: str,
    names: set[str] | None = None,
    opening: tuple[str, ...] = (),
) -> list[Choice]:
    """The sentences of the best-ranked passage that say the kind of thing asked (and,
    given `names`, name the subject; given `opening`, open with it: "Targeted cancer
    drugs work by…"), up to MAX_FITTING: "Am I doing something wrong?" after a story
    of side effects is answered by the page's sentence that side effects differ from
    one person to the next, which shares no word with it."""
    for candidate in sorted(candidates, key=lambda c: c.rank):
        read = _read(candidate, vocabulary)
        found = [
            Choice(candidate, unit, RANK_PRIOR / (1 + candidate.rank))
            for index, unit in enumerate(read.units)
            if not read.instruction[index]
            and not read.leans[index]
            and fits_kind(kind, read.texts[index], unit.kind == "list")
            and (names is None or names_any(read.texts[index], names))
            and (not opening or bool(_said_of(read.texts[index], kind, opening, vocabulary)))
        ]
        if found:
            return found[:MAX_FITTING]
    return []


def _fitting_first(chosen: list[Choice], kind: str, names: set[str]) -> list[Choice]:
    """ "My cancer is HER2 positive. Is it rare?": the quote saying how many have it
    is what is asked, and the last a licence's quota drops, however many more of the
    question's words the others hold ("…a rare type of breast cancer"); one saying
    it of the subject asked, when there is one, and then for how common something
    is, no quote saying it of something else (how rare inflammatory breast cancer
    is)."""

    def key(c: Choice) -> tuple[str, Unit]:
        return c.candidate.key, c.context_for if c.context_for is not None else c.unit

    fitting = {key(c) for c in chosen if c.context_for is None and _fits(kind, c)}
    # (its "it" named in brackets when its section is about the subject)
    of_it = {
        key(c)
        for c in chosen
        if key(c) in fitting and names_any(f"{c.text} {c.subject or ''}", names)
    }
    if of_it and kind == "frequency":
        chosen = [c for c in chosen if key(c) not in fitting - of_it]
    fitting = of_it or fitting
    if not fitting or all(key(c) in fitting for c in chosen):
        return chosen
    top = max(c.score for c in chosen) + OWN_BONUS
    return [replace(c, score=top) if key(c) in fitting else c for c in chosen]


def _saying_the_only(
    candidates: Sequence[Candidate], vocabulary: Vocabulary, names: set[str]
) -> Choice | None:
    """The first sentence, in search's order, that says what is "the only…" one of
    its kind and names the subject: "Are there others I should ask about besides
    pembrolizumab?" is answered by the sentence saying which is the only one approved,
    however low its passage ranks."""
    for candidate in sorted(candidates, key=lambda c: c.rank):
        read = _read(candidate, vocabulary)
        for index, unit in enumerate(read.units):
            text = read.texts[index]
            if read.instruction[index] or read.leans[index] or not says_the_only(text):
                continue
            if names and not names_any(text, names):
                continue
            return Choice(candidate, unit, RANK_PRIOR / (1 + candidate.rank))
    return None


def _listed_members(read: _Reading, stems_of: Sequence[set[str]]) -> dict[int, set[str]]:
    """For each sentence that introduces a group ("There are other cancer growth
    blockers…"), the words of the lists that lean on it ("These include: palbociclib,
    ribociclib…"): the members every sentence about "these drugs" speaks of."""
    members: dict[int, set[str]] = {}
    for index, back in enumerate(read.antecedents):
        if back is not None and read.units[index].kind == "list":
            members.setdefault(back, set()).update(stems_of[index])
    return members


def _redundant(stems: set[str], taken: list[set[str]]) -> bool:
    for other in taken:
        union = stems | other
        if union and len(stems & other) / len(union) >= REDUNDANT:
            return True
    return False


_Scored = tuple[float, int, int, Candidate, Unit, list[Unit], set[str], str | None]


def _completion(
    chosen: Sequence[Choice],
    scored: Sequence[_Scored],
    terms: QueryTerms,
    kind: str | None,
    subject: tuple[str, ...],
) -> _Scored | None:
    """The unit that says what the question asks and no chosen quote says, when a
    lower passage has one: "Is Keytruda approved for breast cancer?" is answered from
    the passage on what pembrolizumab is (search ranks it first, and the rank prior
    keeps every quote there), while the next passage says "…the only immunotherapy
    drug approved…". Asked words only (not the message's context), and a unit on the
    question's subject names it: a sentence on pregnancy under another drug does not
    complete "is herceptin safe in pregnancy?". None when the answer says all it can."""
    if not chosen:
        return None
    covered = {s for c in chosen if c.context_for is None for s in terms.stem(c.text)}
    unsaid = {
        s
        for s, w in terms.weights.items()
        if w >= TELLING and s not in terms.context and s not in covered
    }
    if not unsaid:
        return None
    names = {" ".join(words(n)) for n in subject}
    taken = {(c.candidate.key, c.unit) for c in chosen}
    best: tuple[float, float] | None = None
    found: _Scored | None = None
    for item in scored:
        _, _, _, candidate, unit, _, stems, named = item
        said = stems & unsaid
        if not said or (candidate.key, unit) in taken:
            continue
        text = unit.text(candidate.text)
        if names and not names_any(text, names) and (named is None or named not in names):
            continue
        if kind in STRICT_KINDS and not fits_kind(kind, text, unit.kind == "list"):
            continue  # (what only a quote of the kind answers is completed by one)
        gain = sum(terms.weights[s] for s in said)
        key = (gain, item[0])
        if best is None or key > best:
            best, found = key, item
    return found


def _make_room(
    chosen: list[Choice],
    item: _Scored,
    terms: QueryTerms,
    max_sentences: int,
    max_chars: int,
) -> list[Choice]:
    """`chosen` with `item` (and the sentence it leans on) added in its passage's
    place, the lowest-scored quotes (with theirs) dropped until it fits, unless one
    of those says half as much of the question as it does: then `chosen`. The first
    quote (what leads the answer) is never dropped."""
    score, _, _, candidate, unit, needed, _, named = item
    extra = [n for n in needed if all(c.unit != n or c.candidate != candidate for c in chosen)]
    added = [
        *(Choice(candidate, n, score, context_for=unit) for n in extra),
        Choice(candidate, unit, score, needs=tuple(needed), subject=named),
    ]
    size = sum(len(c.text) for c in added)
    kept = list(chosen)
    lead = kept[0]

    def fits() -> bool:
        used = sum(len(c.text) for c in kept)
        return used + size <= max_chars and len(kept) + len(added) <= max_sentences

    dropped: list[Choice] = []
    for weakest in sorted(
        (c for c in chosen if c.context_for is None and c is not lead), key=lambda c: c.score
    ):
        if fits():
            break
        dropped.append(weakest)
        # what the dropped quote leaned on goes with it, unless another kept quote does
        kept = [
            c
            for c in kept
            if c is not weakest
            and not (
                c.context_for == weakest.unit
                and c.candidate == weakest.candidate
                and not any(k.needs and c.unit in k.needs for k in kept if k is not weakest)
            )
        ]
    says = terms.coverage(added[-1].text)
    if not fits() or any(terms.coverage(c.text) >= says / 2 for c in dropped):
        return list(chosen)  # (a quote that says much of the question stays)
    at = max((i + 1 for i, c in enumerate(kept) if c.candidate.rank <= candidate.rank), default=0)
    return [*kept[:at], *added, *kept[at:]]


def _greedy(
    scored: Sequence[_Scored], max_sentences: int, max_chars: int
) -> tuple[list[Choice], set[str]]:
    """The best units in `scored`'s order, skipping one that repeats another taken,
    each with the sentence it leans on, within the budget; and the stems they say."""
    chosen: list[Choice] = []
    taken: list[set[str]] = []
    used = 0
    covered: set[str] = set()
    for score, _, _, candidate, unit, needed, stems, named in scored:
        text = unit.text(candidate.text)
        if _redundant(stems, taken):
            continue
        extra = [n for n in needed if all(c.unit != n or c.candidate != candidate for c in chosen)]
        size = len(text) + sum(n.end - n.start for n in extra)
        count = 1 + len(extra)
        if chosen and (used + size > max_chars or len(chosen) + count > max_sentences):
            continue
        for context in extra:
            chosen.append(Choice(candidate, context, score, context_for=unit))
        chosen.append(Choice(candidate, unit, score, needs=tuple(needed), subject=named))
        taken.append(stems)
        covered |= stems
        used += size
        if len(chosen) >= max_sentences:
            break
    return chosen, covered


def _lead_promoted(
    scored: Sequence[_Scored],
    leads: set[tuple[str, Unit]],
    chosen: Sequence[Choice],
    candidates: Sequence[Candidate],
    terms: QueryTerms,
    subject: tuple[str, ...],
) -> list[_Scored] | None:
    """`scored` with the best unit that defines the subject first, when the question
    asks what the subject is and nothing else ("what does targeted therapy mean?",
    not "what are the stages of X?"), none chosen defines it, and the page search put
    first does, in a passage the rank prior left out: "Targeted cancer drugs work
    by…" had no place beside the sentences of that page's passages ranked above it.
    None otherwise."""
    if not leads or any((c.candidate.key, c.unit) in leads for c in chosen) or not candidates:
        return None
    if not _asks_only_of(terms, subject):
        return None
    page = candidates[0].page
    for i, item in enumerate(scored):
        candidate, unit = item[3], item[4]
        if (
            (candidate.key, unit) in leads
            and candidate.page == page
            and says_what_it_is(unit.text(candidate.text), subject)
        ):
            return [item, *scored[:i], *scored[i + 1 :]]
    return None


def _asks_only_of(terms: QueryTerms, subject: tuple[str, ...]) -> bool:
    """Whether every telling word of the question is a word of its subject: "what
    does targeted therapy mean?", not "what are the stages of X?"."""
    said = set(terms.stem(" ".join(subject)))
    asked = [s for s, w in terms.weights.items() if w >= TELLING and s not in terms.context]
    return all(s in said for s in asked)


def _one_by_one(scored: list[_Scored]) -> list[_Scored]:
    """`scored` with each passage's units after the first counting for less: which
    drugs there are for a cancer is answered by a unit of each drug's section, not by
    all one drug's criteria (the quota of a page all rights reserved is soon spent)."""
    seen: dict[str, int] = {}
    ranked: list[_Scored] = []
    for item in scored:
        key = item[3].key
        ranked.append((item[0] - SAME_PASSAGE_AGAIN * seen.get(key, 0), *item[1:]))
        seen[key] = seen.get(key, 0) + 1
    ranked.sort(key=lambda item: (-item[0], -item[1], -item[2]))
    return ranked


# what a treatment is given to do (to kill the cells that remain, to make the tumour
# smaller), which "why after the op?" asks; not who it is for
_GIVEN_TO = re.compile(
    r"\bto\s+(?:help\s+)?(?:reduce|shrink|lower|stop|kill|destroy|get\s+rid\s+of|mop\s+up)\b"
    r"|\bthis\s+is\s+to\b|\bso\s+that\b",
    re.IGNORECASE,
)
# NCI's sentence naming the one immunotherapy drug approved for breast cancer
_THE_ONLY = re.compile(r"\bthe\s+only\b", re.IGNORECASE)


def says_the_only(text: str) -> bool:
    """Whether a sentence says what is "the only…" one of its kind ("…the only
    immunotherapy drug approved…"), which answers whether there are others."""
    return _THE_ONLY.search(text) is not None


def _statuses_asked(subject: Sequence[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    """Every name of the receptor statuses a question names (those that rule others
    out: "triple negative", "HER2 positive"), for which drugs are there for it."""
    found: list[str] = []
    for term in subject:
        canonical = vocabulary.canonical(term) or term
        if any(e.excludes for e in vocabulary.entries_of(canonical)):
            found += [" ".join(words(n)) for n in [term, *vocabulary.names_of(canonical)]]
    return tuple(dict.fromkeys(found))


def select_units(
    candidates: Sequence[Candidate],
    terms: QueryTerms,
    vocabulary: Vocabulary,
    max_sentences: int = MAX_SENTENCES,
    max_chars: int = MAX_CHARS,
    kind: str | None = None,
    subject: tuple[str, ...] = (),
    when: str | None = None,
    research: bool = False,
    lower: Sequence[Candidate] = (),
    only: bool = False,
) -> Selection:
    """The units to quote, best evidence first, then put in reading order; a unit
    that fits the question's `kind` scores more, and for a definition or comparison
    the sentence that defines the `subject` (names from `subject_names`) leads;
    `when` ("before"/"after" surgery, as the question asks) counts against a unit
    speaking only of the other side of it. Unless `research` (the question asks of
    it), a unit telling of research under way is not quoted for what something is or
    how it works. `only`: the question asks whether something is the only one of its
    kind, which a unit saying what is "the only…" answers, however low its passage
    ranks. `lower` are passages ranked below the candidates: where none of the
    candidates says the kind of thing a strict question asks (the NCI sentence saying
    it is not always clear whether immunotherapy helps may be ranked seventh for "why
    can't they tell us whether it will work?"), the first of them that does is quoted."""
    scored: list[_Scored] = []
    units_of: dict[str, tuple[Unit, ...]] = {}
    leads: set[tuple[str, Unit]] = set()  # units that define the subject asked about
    said_of_subject: set[tuple[str, Unit]] = set()  # units saying the kind asked of the subject
    of_a_class = a_class(subject, vocabulary)
    asked_drugs = drugs_of(subject, vocabulary)
    names = {" ".join(words(n)) for n in subject}
    statuses = _statuses_asked(subject, vocabulary) if kind == "options" else ()
    # when a section asks this kind of question of the subject, a passage that never
    # names the subject answers it no more ("These drugs are for… hormone receptor
    # positive" is said of the CDK4/6 drugs, not of immunotherapy)
    asked_of = any(_asks_of(c, kind, names) for c in candidates[:MAX_PASSAGES])
    for candidate in candidates[:MAX_PASSAGES]:
        if asked_of and not names_any(" ".join([candidate.text, *candidate.topics[1:]]), names):
            continue
        read = _read(candidate, vocabulary)
        # whether the passage's section is about one drug the question does not ask
        # of: for a class, any drug it does not name; for a drug's criteria, another
        # drug ("…finished kadcyla… now start her on enhertu. Is that meant for people
        # who've already been treated?": the Kadcyla section, which search ranks first
        # for the story, says who Kadcyla is for)
        heading = section_subject(candidate.topics, vocabulary)
        drugs_section = heading is not None and (
            (of_a_class and not names_any(heading, names))
            or (kind in _OWN_SECTION_KINDS and _another_drug(heading, asked_drugs, vocabulary))
        )
        staged = (
            of_a_class
            and kind in _STAGED_KINDS
            and _stage_not_asked(candidate.topics, terms, vocabulary)
        )
        units, texts = read.units, read.texts
        units_of[candidate.key] = units
        # a section whose heading asks this kind of question of the subject ("Who gets
        # immunotherapy for breast cancer?" for "can I have immunotherapy if I'm ER
        # positive?"): what it says is said of the subject and of the kind asked
        asking = _asks_of(candidate, kind, names)
        stems_of = [set(terms.stem(t)) for t in texts]
        members = _listed_members(read, stems_of)
        for index, unit in enumerate(units):
            if read.instruction[index]:
                continue  # written to a model or reader as an order: never quoted
            needed: list[Unit] = []
            if not terms.weights and candidate.rank > 0:
                continue  # (see UNWEIGHED: the first passage only)
            # a question of no weighted words of its own ("Can it be given later on?",
            # "it" being in the story): search is the only judge, every unit counts alike
            own = terms.covered(stems_of[index]) if terms.weights else UNWEIGHED
            leans = read.leans[index]
            # "Targeted cancer drugs work by…" says what targeted therapy is in another
            # of its names, which the question's words ("targeted" is on every page,
            # "therapy" not in it) do not cover
            defining = kind in DEFINING_KINDS and bool(subject) and defines(texts[index], subject)
            # "…dreadful side effects on her targeted drug. Will I get the same as she
            # did?": a question none of whose own words a page holds, whose first
            # passage says the kind of thing asked (that side effects differ from one
            # person to the next)
            says_kind = (
                kind in STRICT_KINDS
                and candidate.rank == 0
                and fits_kind(kind, texts[index], unit.kind == "list")
            )
            if own == 0 and not leans and not defining and not says_kind:
                continue
            quotable, back, named = _leans_on(
                read, index, candidate.topics, vocabulary, kind == "eligibility"
            )
            if not quotable:
                continue  # it would not make sense on its own
            if kind is not None and kind not in _POINTER_ANSWERS and read.pointers[index]:
                continue
            if kind in _SETTLED_KINDS and not research and _on_research(read, index):
                # "Researchers are looking at new… drugs" says what is not yet known:
                # no answer to what immunotherapy is or how it works, however many of
                # the question's words it holds
                continue
            if back is not None:
                needed = [units[back]]
                # it is about what its antecedent names: "To have this drug…" after
                # "Pertuzumab is also called Perjeta." answers a question on Perjeta
                # and so are its siblings: "You have one of these drugs with a hormone
                # therapy drug" is about each drug the group's list names
                own = terms.covered(stems_of[back] | stems_of[index] | members.get(back, set()))
            elif named is not None:  # its section is about a drug: named in brackets
                own = terms.covered(stems_of[index] | set(terms.stem(named)))
            coverage = own
            if (
                coverage == 0
                and kind == "options"
                and terms.context
                and unit.kind == "list"
                and len(drugs_of([texts[index]], vocabulary)) > 1
            ):
                # "I'm ER positive HER2 negative… what targeted drugs could I have?",
                # and "These drugs are for… HER2 negative" chosen: the list naming them
                # ("These include: - palbociclib…") is what is asked, though it holds
                # no word asked
                coverage = BORROWED * max(terms.covered(stems) for stems in stems_of)
            if coverage == 0 and not defining and not says_kind:
                continue
            if (
                leans
                and kind not in DEFINING_KINDS
                and terms.covered(stems_of[index]) == 0
                and not fits_kind(kind, texts[index], unit.kind == "list")
            ):
                # "It's a monoclonal antibody." says nothing asked by "is it given
                # before surgery?" itself: what its antecedent covers counts for less;
                # "They work by blocking…" is what "how does it work?" asks
                coverage *= BORROWED
            # the first sentence of a section asking this of the subject, read from
            # below the first passages (compose's `_asking_section` and
            # `_with_answers_below`), counts as from search's first: the sentence under
            # a heading's question answers it, and search ranks it low among passages
            # that all name the subject
            deep = asking and candidate.rank >= MAX_PASSAGES and index == 0
            score = coverage + RANK_PRIOR / (1 + (0 if deep else candidate.rank))
            if asking:  # and its passage leads
                score += KIND_BONUS
                said_of_subject.add((candidate.key, unit))
            if drugs_section:
                score -= ANOTHER_DRUGS_SECTION
            if staged:
                score -= STAGE_SECTION
            if (
                statuses
                and heading is None
                and named is None
                and not drugs_of([texts[index]], vocabulary)
            ):
                score -= NO_DRUG_FOR_OPTIONS
            score += OPENING_PRIOR if index == 0 else 0.0
            if when is None:
                if fits_kind(kind, texts[index], unit.kind == "list") or (
                    # "what drugs are there for triple negative breast cancer?": who a
                    # drug is for, said of the status asked (the pembrolizumab
                    # section's sentence on the triple negative cancers it treats)
                    statuses
                    and (heading is not None or named is not None)
                    and fits_kind("eligibility", texts[index], unit.kind == "list")
                    and names_any(texts[index], statuses)
                ):
                    said_of = _said_of(texts[index], kind, subject, vocabulary)
                    # "what do targeted drugs aim at?": "Targeted cancer drugs work
                    # by…" answers it, however low its passage ranks
                    score += KIND_BONUS if said_of is not False else 0.0
                    if said_of and kind in SAID_OF_ITSELF:
                        score += OWN_BONUS
                        said_of_subject.add((candidate.key, unit))
            elif (timing := surgery_timing(texts[index])) is not None:
                # asked why a drug goes on after surgery: what is said of it then;
                # a sentence only on the time before surgery answers another question
                # ("before or after?" is answered by either side)
                fits = when == "either" or timing in (when, "either")
                score += KIND_BONUS if fits else -KIND_BONUS
            if defining:
                score += DEFINING_BONUS
                leads.add((candidate.key, unit))
            if only and says_the_only(texts[index]):
                score += OWN_BONUS
                said_of_subject.add((candidate.key, unit))  # and its passage leads
            scored.append(
                (score, -candidate.rank, -index, candidate, unit, needed, stems_of[index], named)
            )
    scored.sort(key=lambda item: (-item[0], -item[1], -item[2]))
    if statuses:
        scored = _one_by_one(scored)
    chosen, covered = _greedy(scored, max_sentences, max_chars)
    promoted = _lead_promoted(scored, leads, chosen, candidates, terms, subject)
    if promoted is not None:
        chosen, covered = _greedy(promoted, max_sentences, max_chars)
    # in reading order, the passage saying the kind asked of the subject first
    # ("What do targeted drugs aim at?": the page's "Targeted cancer drugs work by…",
    # not the abemaciclib section search ranked higher)
    telling = {c.candidate.key for c in chosen if (c.candidate.key, c.unit) in said_of_subject}
    chosen.sort(key=lambda c: (c.candidate.key not in telling, c.candidate.rank, c.unit.start))
    if (
        kind in LINKED_KINDS
        and subject
        and not asked_drugs
        and not any(_fits(kind, c) for c in chosen)
    ):
        # "What is most likely to hit her?" of immunotherapy, answered by sentences on
        # when it is given: what the library says of its side effects, if it does
        chosen = (
            _fitting(candidates[:MAX_PASSAGES], vocabulary, kind, names)
            or _fitting(lower, vocabulary, kind, names)
            or chosen
        )
    if (kind in STRICT_KINDS and kind not in SAID_OF_ALL) or kind == "combination":
        chosen = _fitting_first(chosen, kind, names)
    if (
        kind in SAID_OF_ITSELF
        and of_a_class
        and not any(_fits(kind, c) and _said_of(c.text, kind, subject, vocabulary) for c in chosen)
    ):
        # "What do targeted drugs aim at?" asked in a story of herceptin, whose
        # passages search ranks first: what the library says of the class itself
        chosen = (
            _fitting(candidates[:MAX_PASSAGES], vocabulary, kind, opening=subject)
            or _fitting(lower, vocabulary, kind, opening=subject)
            or chosen
        )
    if only and lower and not any(says_the_only(c.text) for c in chosen):
        the_only = _saying_the_only(lower, vocabulary, names)
        if the_only is not None:
            chosen = [the_only, *chosen[: max_sentences - 1]]
    if kind is not None and kind not in DEFINING_KINDS and asked_drugs:
        # the class link also when quotes on the drug say nothing of the kind asked
        # ("Does pembrolizumab cause diarrhoea?": its page names no side effect)
        unfit = kind in LINKED_KINDS and not any(_fits(kind, c) for c in chosen)
        if unfit or not any(names_any(c.text, names) for c in chosen):
            first_five = candidates[:MAX_PASSAGES]
            linked = _class_link(first_five, vocabulary, kind, names)
            if linked is None and lower:
                linked = _class_link([*first_five, *lower], vocabulary, kind, names)
            if linked is not None:
                chosen = linked
    if (
        kind == "purpose"
        and when in ("before", "after")
        and asked_drugs
        and not any(
            _GIVEN_TO.search(c.text) and surgery_timing(c.text) in (when, "either") for c in chosen
        )
    ):
        # "why do I have to keep going with pembro after the op?", and quotes on when
        # it is given, not why: what the library says its class is given for then
        # (NCI's sentence on immunotherapy on its own after the operation, for what is
        # left), after what was chosen, and the last a licence's quota drops
        linked = _class_link([*candidates[:MAX_PASSAGES], *lower], vocabulary, kind, names, when)
        if linked is not None:
            top = max((c.score for c in chosen), default=0.0)
            said = [replace(c, score=top) for c in linked if not _among(c, chosen)]
            chosen = [replace(c, score=top) if _among(c, linked) else c for c in chosen]
            room = max(0, max_sentences - len(said))
            best = sorted(chosen, key=lambda c: -c.score)[:room]
            kept = [c for c in chosen if any(c is b for b in best)]
            # what puts the drug in its class first, when it was not chosen already
            opens = _among(linked[0], said)
            chosen = [said[0], *kept, *said[1:]] if opens else [*kept, *said]
    if kind in SAID_OF_ALL:
        # only what says the kind of thing asked (and what it leans on): "The most
        # common side effects of immunotherapy are…" does not say whether they differ
        fitting = {(c.candidate.key, c.unit) for c in chosen if _fits(kind, c)}
        kept = [
            c
            for c in chosen
            if (c.candidate.key, c.unit) in fitting
            or (c.context_for is not None and (c.candidate.key, c.context_for) in fitting)
        ]
        chosen = (
            kept
            or _fitting(candidates[:MAX_PASSAGES], vocabulary, kind)
            or _fitting(lower, vocabulary, kind)
            or chosen
        )
    if (
        kind == "definition"
        and subject
        and chosen
        and _asks_only_of(terms, subject)
        and not any(defines(c.text, subject) for c in chosen)
    ):
        # "What does 'locally advanced' mean? It's on my letter…": the gloss that says
        # what it is ("…grown into nearby tissue (locally advanced breast cancer)")
        # stands in a passage the whole message's search ranked below those chosen
        # (of a page quoted already: another page's may say it of something else)
        pages = {c.candidate.page for c in chosen}
        glossing = defining_every(
            [c for c in [*candidates[:MAX_PASSAGES], *lower] if c.page in pages],
            vocabulary,
            [subject],
        )
        if glossing:
            top = max(c.score for c in chosen)
            rest = [c for c in chosen if not _among(c, glossing)]
            room = max(0, max_sentences - len(glossing))
            chosen = [*(replace(c, score=top) for c in glossing), *rest[:room]]
    lead = next((c for c in chosen if (c.candidate.key, c.unit) in leads), None)
    if lead is not None:  # "What is Kadcyla?" opens with what Kadcyla is, after the
        # sentence it leans on, if any ("…(HER2). These are called HER2 positive…")
        first = [c for c in chosen if c.candidate == lead.candidate and c.unit in lead.needs]
        # with what leans on it ("Immunotherapy uses our immune system…" then "It works
        # by helping…"), kept in reading order
        then = [c for c in chosen if c.candidate == lead.candidate and lead.unit in c.needs]
        rest = [c for c in chosen if c is not lead and c not in first and c not in then]
        # and is the last a licence's quota drops: it is what the question asks
        top = max(c.score for c in chosen)
        chosen = [*(replace(c, score=top) for c in [*first, lead]), *then, *rest]
    coverage = sum(w for s, w in terms.weights.items() if s in covered) / terms.total
    considered = sum(len(u) for u in units_of.values())
    completing = _completion(chosen, scored, terms, kind, subject)
    shown = chosen
    if completing is not None:
        shown = _make_room(chosen, completing, terms, max_sentences, max_chars)
    shown = _gone_on_with(shown, units_of, max_sentences, max_chars)
    return Selection(chosen, coverage, considered, shown)


# a sentence that opens by going on with the one before it ("And when they had
# the operation…")
_GOES_ON = re.compile(r"(?:And|Or|Nor)\s")


def _gone_on_with(
    shown: list[Choice],
    units_of: dict[str, tuple[Unit, ...]],
    max_sentences: int,
    max_chars: int,
) -> list[Choice]:
    """`shown`, each quote followed by the sentence after it where that one opens with
    "And" or "Or", while there is room; for a rule of who a treatment is for, room is
    made: "It is only for people who had … before surgery." and "And when they had the
    operation …" are one rule in two sentences (CRUK's on Kadcyla), and the first half
    alone tells a patient only part of whom the drug is for."""
    out = list(shown)
    used = sum(len(c.text) for c in out)
    for choice in shown:
        if not any(c is choice for c in out):
            continue  # dropped to make room for another's going on
        units = units_of.get(choice.candidate.key, ())
        at = units.index(choice.unit) + 1 if choice.unit in units else len(units)
        if at >= len(units) or units[at].kind != "sentence":
            continue
        after = units[at]
        text = after.text(choice.candidate.text)
        taken = any(c.candidate.key == choice.candidate.key and c.unit == after for c in out)
        if taken or not _GOES_ON.match(text):
            continue
        rule = fits_kind("eligibility", choice.text, False)
        while rule and (len(out) >= max_sentences or used + len(text) > max_chars):
            # room made as `_make_room` makes it: the lowest-scored quote goes (never
            # the one going on, nor one a kept quote leans on)
            spare = [
                c
                for c in out
                if c is not choice
                and not any(c.unit in k.needs and k.candidate == c.candidate for k in out)
            ]
            if not spare:
                break
            dropped = min(reversed(spare), key=lambda c: c.score)
            out.remove(dropped)
            used -= len(dropped.text)
        if len(out) >= max_sentences or used + len(text) > max_chars:
            continue
        place = next(i for i, c in enumerate(out) if c is choice) + 1
        out.insert(place, Choice(choice.candidate, after, choice.score, needs=(choice.unit,)))
        used += len(text)
    return out
