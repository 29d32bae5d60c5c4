"""Implicit sections: the drug and topic headings a scraped page lost, recovered.

A scraped page that lost its headings ("Pertuzumab", "Tucatinib", …) runs one drug's
description into the next, so a passage holds the end of one and the start of the
other, and "To have this drug …" cannot be tied to its drug by anything downstream.
Such pages still introduce each subject in a recognisable sentence shape at the
start of a paragraph, and that paragraph opens an *implicit section*:

- ``X is also called Y`` / ``X is also known by its brand name Y``
- ``X is a type of …`` / ``X belongs to a group of drugs called …``
- ``X is a combination of 2 drugs`` / ``X is made up of 2 drugs`` /
  ``X is a targeted drug …`` / ``X is the only immunotherapy drug …``
- ``X is a (cancer) treatment that …`` / ``X is a method of …`` / ``X is surgery to …``
  (a treatment introduced by its definition, as PDQ pages do under a lost heading)
- ``Your doctor might recommend you have a drug called X.`` (and ``You might have
  a drug called X.`` as a whole sentence)
- ``This treatment is made up of 2 drugs, X, and a chemotherapy drug called Y.`` and
  ``This treatment is a combination of three drugs:`` followed by a list: the subject
  is the drugs named.

X must look like a name: at most four words, the first capitalised and not a pronoun
or determiner ("It is a type of …", "This is …", "A mastectomy is …" open nothing),
then an optional bracketed alias. Only ``is``: "Antibodies are a type of protein"
describes a class, not a subject of the page. A combination counts only when every
item gives a name (a word or three with no "before", "with", …: "before surgery" is
no drug) and as many as the sentence announced ("three drugs:" and three items).

The heading names the subject as the page names it, because that is what a reader of
the page would have seen and what search matches: the words before the verb as
written, with a bracketed brand kept ("Trastuzumab emtansine (Kadcyla)"), but not the
alias an ``also called`` sentence adds ("Pertuzumab", not "Pertuzumab (Perjeta)");
names found later in a sentence or list get a capital first letter and are joined
"A and B" / "A, B and C" ("Trastuzumab, tucatinib and capecitabine").

An implicit section nests one level below the section it is found in (its path is
that section's path plus the subject), and runs to the next introduction of another
subject or to the end of that section, whichever comes first: a title-like heading
line always ends it. An introduction does not open a section when its subject is
the current one again: the same name, its bracketed alias, or a later word of its
name ("Emtansine is a chemotherapy drug" inside "Trastuzumab emtansine (Kadcyla)";
"Tucatinib is …" inside "Trastuzumab, tucatinib and capecitabine"), nor when the
heading of the section it is in already names it (every word of the subject is in
that heading: "Immunotherapy is a type of …" under "…and immunotherapy drugs…").

Only offsets change hands: the text is never touched, a recovered heading exists only
in the sections' (and so the passages') heading paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from oncocite.ingest.budget import check_time
from oncocite.ingest.parsed import MAX_PASSAGES, Section, TooManyPassages

__all__ = ["Subject", "introduced_subject", "paragraph_spans", "recover_sections"]

# An introduction is its paragraph's opening: no need to look further into it, and a
# bounded window keeps every pattern linear on a pathological paragraph.
_WINDOW = 400
# A list that names a combination's drugs is a few short lines; a longer one is not.
_LIST_WINDOW = 1_000
_LIST_ITEM = "- "

_WORD = r"[^\W_][\w'’-]*"
_ALIAS = r"\([^()\n]{1,60}\)"
# A subject: up to four words, the first capitalised, then an optional "(Brand)".
# The lookahead stops a verb of the sentence from being read as part of the name.
_VERB = r"(?:is|are|was|were|belongs|belong|has|have|works|can|may|might)\b"
_SUBJECT = rf"(?P<subject>[A-Z][\w'’-]*(?: (?!{_VERB}){_WORD}){{0,3}}(?: {_ALIAS})?)"
_NAME = rf"(?P<name>{_WORD}(?: {_WORD}){{0,2}}(?: {_ALIAS})?)(?=[.,;:]|$)"
_COUNT = r"(?P<count>\d+|two|three|four|five|several)"
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
_DRUG = r"(?:drug|medicine|treatment|therapy)"
_DRUGS = r"(?:drugs|medicines|treatments)"

# Sentence openings "X <verb phrase>" that introduce X.
_SUBJECT_FIRST: tuple[re.Pattern[str], ...] = tuple(
    re.compile(rf"^{_SUBJECT} {tail}")
    for tail in (
        r"is also (?:called|known as|known by)\b",
        r"is (?:a|an|one) (?:[\w-]+ )?(?:type|kind|form|class) of\b",
        r"belongs to (?:a|the) (?:[\w-]+ )?(?:group|class|family|type) of\b",
        rf"is (?:a combination|made up) of {_COUNT} {_DRUGS}\b",
        r"is (?:a|an|the) (?:[\w-]+ ){0,3}(?:drug|medicine|antibody|inhibitor)\b",
        r"is (?:a|an) (?:[\w-]+ ){0,2}(?:treatment|therapy|method|way|procedure|operation|test) "
        r"(?:that|which|used|to|of|for)\b",
        r"is (?:surgery|an operation) to\b",
    )
)
# Sentences that name the subject after a verb: "… a drug called X."
_NAMED_LATER: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^(?:Your|The|A) (?:[\w-]+ ){0,2}?(?:doctor|specialist|team|nurse|oncologist)s? "
        r"(?:might|may|could|can|will|would) (?:recommend|suggest|offer|prescribe)"
        r"(?: that)?(?: you)?(?: (?:have|take|try))?(?: an?)? (?:[\w-]+ ){0,3}?"
        rf"{_DRUG} called {_NAME}"
    ),
    re.compile(
        rf"^You (?:might|may|could|can) (?:have|take|be offered|be given) an? "
        rf"(?:[\w-]+ ){{0,3}}?{_DRUG} called {_NAME}\.?(?:\s|$)"
    ),
)
# "This treatment is made up of 2 drugs, X, and … Y." / "… three drugs:" + a list.
_COMBINATION = re.compile(
    r"^(?:This|The|Your) (?:treatment|combination|regimen|therapy|drug combination) "
    rf"(?:is (?:made up of|a combination of|a mix of)|combines|contains) {_COUNT} {_DRUGS}"
    r"(?P<rest>[^.!?]*)"
)
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:(?:and|or|plus)\s+)?|\s+(?:and|or|plus)\s+")
_CALLED = re.compile(r"\bcalled\s+")
# Where a list item's name ends: "tucatinib - a type of …", "capecitabine (Xeloda), …".
_ITEM_END = re.compile(r"\s+[-–—]\s|[,:;(]")
_NAME_ONLY = re.compile(rf"^{_WORD}(?: {_WORD}){{0,2}}$")
# Words that start a sentence without naming anything: never a subject.
_NOT_NAMES_LIST = (
    "it its this that these those they them there here he she we you your our their "
    "a an the some many most each every all any one other another such both either "
    "neither what which who whom whose how when where why if so"
)
_NOT_NAMES = frozenset(_NOT_NAMES_LIST.split())
_NOT_ITEMS = frozenset({"a", "an", "the", "other", "another", "some", "any", "more"})
# Words of a phrase, not of a drug's name: "before surgery" is no drug.
_NOT_IN_NAMES_LIST = (
    "before after with without for to of in on at by from if or and not no your you "
    "it this that is are be have has can may might will"
)
_NOT_IN_NAMES = frozenset(_NOT_IN_NAMES_LIST.split())


@dataclass(frozen=True)
class Subject:
    """What an introduction introduces: the heading to show and the names it covers.

    `names` are the drugs or topics (lower-case, without a bracketed alias) and
    `aliases` the bracketed ones, used to tell a new subject from the current one.
    """

    heading: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    def words(self) -> list[str]:
        """The heading's words in order, lower-case, brackets and joiners left out."""
        return _words(" ".join(self.names))

    def continued_by(self, other: Subject) -> bool:
        """Whether `other` is this subject again, its alias, or a later part of its name."""
        key = " ".join(other.names)
        if key == " ".join(self.names) or key in self.aliases:
            return True
        later = self.words()[1:]
        return len(other.names) == 1 and bool(later) and set(_words(key)) <= set(later)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'’-]+", text.lower()) if w not in ("and", "or")]


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def _joined(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', the first letter capitalised."""
    if len(names) == 1:
        return _capitalised(names[0])
    return _capitalised(", ".join(names[:-1]) + " and " + names[-1])


def _named(phrase: str) -> Subject | None:
    """A subject from a name as written ("Trastuzumab emtansine (Kadcyla)")."""
    phrase = phrase.strip()
    alias = re.search(_ALIAS, phrase)
    bare = phrase[: alias.start()].strip() if alias else phrase
    if not bare or bare.split()[0].lower() in _NOT_NAMES:
        return None
    aliases = (alias.group()[1:-1].strip().lower(),) if alias else ()
    return Subject(_capitalised(phrase), (bare.lower(),), aliases)


def _item_name(item: str) -> str | None:
    """The name an enumerated item gives: 'a chemotherapy drug called Y' gives Y."""
    end = _ITEM_END.search(item)
    item = (item[: end.start()] if end else item).strip().rstrip(".")
    called = list(_CALLED.finditer(item))
    name = item[called[-1].end() :] if called else item
    words = name.lower().split()
    if not _NAME_ONLY.match(name) or words[0] in _NOT_ITEMS | _NOT_NAMES:
        return None
    return None if _NOT_IN_NAMES.intersection(words) else name


def _sentence_names(rest: str) -> list[str] | None:
    """Names enumerated after "… 2 drugs, ": every item must give one, or none count."""
    items = [i for i in _ITEM_SPLIT.split(rest.strip(" ,:")) if i.strip()]
    names = [_item_name(item) for item in items]
    return [n for n in names if n] if items and all(names) else None


def _list_names(paragraph: str | None) -> list[str] | None:
    """Names a following '- item' list gives, one per item; all items must give one."""
    if paragraph is None:
        return None
    lines = paragraph.split("\n")
    if not all(line.startswith(_LIST_ITEM) for line in lines):
        return None
    names = [_item_name(line[len(_LIST_ITEM) :]) for line in lines]
    return [n for n in names if n] if all(names) else None


def _combination(opening: str, following: str | None) -> Subject | None:
    match = _COMBINATION.match(opening)
    if match is None:
        return None
    rest = match.group("rest")
    if rest.strip() in ("", ":"):
        names = _list_names(following) if rest.strip() == ":" else None
    else:
        names = _sentence_names(rest)
    if not names or not _count_fits(match.group("count"), len(names)):
        return None
    return Subject(_joined(names), tuple(n.lower() for n in names))


def _count_fits(count: str, found: int) -> bool:
    """Whether as many names were found as the sentence announced ("three drugs")."""
    expected = int(count) if count.isdigit() else _COUNTS.get(count)
    return found == expected if expected is not None else found >= 2


def introduced_subject(paragraph: str, following: str | None = None) -> Subject | None:
    """The subject a paragraph introduces in its opening sentence, if it has that shape.

    `following` is the next paragraph of the same section: a combination introduced
    with a colon names its drugs in the list that follows.
    """
    if paragraph.startswith(_LIST_ITEM):
        return None
    opening = paragraph[:_WINDOW].split("\n", 1)[0]
    for patterns, group in ((_SUBJECT_FIRST, "subject"), (_NAMED_LATER, "name")):
        for pattern in patterns:
            match = pattern.match(opening)
            subject = _named(match.group(group)) if match is not None else None
            if subject is not None:
                return subject
    return _combination(opening, following)


_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
# What every introduction shape has: a capital letter first, then one of these verbs
# within the window. Checked before anything else, so that the paragraphs of a large
# document that cannot introduce anything cost one failed match each.
_MAYBE = re.compile(r"[A-Z][^\n]*?\b(?:is|belongs|called|combines|contains)\b")


def paragraph_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each blank-line separated paragraph of text[start:end], in order."""
    for match in _PARAGRAPH.finditer(text, start, end):
        if match.group().strip():
            yield match.start(), match.end()


def _bounded(text: str, span: tuple[int, int] | None) -> str | None:
    """A paragraph short enough to be a list of drug names, else None (not read)."""
    if span is None or span[1] - span[0] > _LIST_WINDOW:
        return None
    return text[span[0] : span[1]]


def _names_heading(subject: Subject, heading: str) -> bool:
    """Whether an explicit heading already names the subject (every word of it)."""
    return set(subject.words()) <= set(_words(heading))


def _with_next(
    spans: Iterator[tuple[int, int]],
) -> Iterator[tuple[tuple[int, int], tuple[int, int] | None]]:
    """Each paragraph with the one after it (None after the last)."""
    current = next(spans, None)
    while current is not None:
        following = next(spans, None)
        yield current, following
        current = following


def _implicit_starts(text: str, section: Section) -> Iterator[tuple[int, int, Subject]]:
    """(paragraph start, end of the paragraph before, subject) of each new subject."""
    heading = section.heading_path[-1] if section.heading_path else ""
    current: Subject | None = None
    previous_end = section.start
    spans = paragraph_spans(text, section.start, section.end)
    for index, ((start, end), following) in enumerate(_with_next(spans)):
        if index % 1024 == 0:
            check_time()
        window = min(end, start + _WINDOW)
        found = (
            introduced_subject(text[start:window], _bounded(text, following))
            if _MAYBE.match(text, start, window)
            else None
        )
        if found is not None and not (
            (current is not None and current.continued_by(found))
            or (current is None and heading and _names_heading(found, heading))
        ):
            current = found
            yield start, previous_end, found
        previous_end = end


def _split(text: str, section: Section) -> list[Section]:
    """One section cut at each implicit start, each piece nested under the section."""
    pieces: list[Section] = []
    path, start = list(section.heading_path), section.start
    for begin, previous_end, subject in _implicit_starts(text, section):
        if begin > start:
            pieces.append(Section(heading_path=path, start=start, end=previous_end))
        path, start = [*section.heading_path, subject.heading], begin
    pieces.append(Section(heading_path=path, start=start, end=section.end))
    return pieces


def recover_sections(text: str, sections: Sequence[Section]) -> list[Section]:
    """The sections with every implicit section cut out as its own, in text order.

    A section with no introduction comes back as it was, so a page that has none
    keeps exactly the passages it had.
    """
    recovered: list[Section] = []
    for section in sections:
        recovered.extend(_split(text, section))
        if len(recovered) > MAX_PASSAGES:  # each section is at least one passage
            raise TooManyPassages()
    return recovered
