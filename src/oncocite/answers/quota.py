"""What a source's licence lets one answer quote of it.

A page all rights reserved may be quoted only briefly (`licences.quote_limit`
characters) in one answer, and a message of several questions gets one answer: its
questions share each page's quota (`shared`: each question's best quote first, in
the message's order, then the rest), and a quote two of them share costs once
(`Quoted`). Within the quota the strongest quotes stay, each with the sentence
naming its subject; a list some of whose items answer is quoted by those items.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from oncocite.answers.select import Choice
from oncocite.answers.units import Unit, list_parts
from oncocite.licences import quote_limit
from oncocite.models import Hit

__all__ = ["ITEM_COVERAGE", "NOTHING_QUOTED", "Offer", "Quoted", "licensed", "shared"]

# a span of a stored document: its id and where the quote starts and ends
Span = tuple[str, int, int]


@dataclass(frozen=True)
class Quoted:
    """What the questions of one message quote, by span of a stored document, with
    its length: a quote two questions share is shown once, and costs once."""

    lengths: Mapping[Span, int] = field(default_factory=dict)

    @property
    def spans(self) -> frozenset[Span]:
        return frozenset(self.lengths)

    def used(self, doc_id: str) -> int:
        """The characters quoted of a document."""
        return sum(n for (doc, _, _), n in self.lengths.items() if doc == doc_id)

    def plus(self, other: Quoted) -> Quoted:
        return Quoted({**other.lengths, **self.lengths})


NOTHING_QUOTED = Quoted()


def _span(doc_of: Mapping[str, str], offsets: Mapping[str, int], key: str, unit: Unit) -> Span:
    """Where a unit of candidate `key`'s text stands in its document (as its citation
    will say)."""
    offset = offsets.get(key, 0)
    return (doc_of[key], offset + unit.start, offset + unit.end)


def licensed(
    choices: list[Choice],
    hits: Sequence[Hit],
    offsets: Mapping[str, int],
    covers: Callable[[str], float] | None = None,
    heads: bool = False,
    before: Quoted = NOTHING_QUOTED,
) -> list[Choice]:
    """Drop quotes beyond what each source's licence lets us show, the weakest first
    (a sentence comes with the one naming its subject, or goes with it), counting
    what the message's earlier questions showed (`before`; `offsets` place each
    candidate's text in its document). Under a quota, a list only some of whose items
    hold words of the question (`covers`) is quoted by its lead-in line and those
    items: the quota goes to what answers. With `heads`, a list that fits no better
    is quoted by its first items."""
    licence_of = {h.passage_id: h.license for h in hits}
    doc_of = {h.passage_id: h.doc_id for h in hits}
    shown: dict[str, int] = {}
    kept: dict[tuple[str, Unit], list[Choice]] = {}  # what stands for each unit kept

    def cost(parts: Sequence[Choice]) -> int:
        # (a quote an earlier question of the message showed is shown once)
        return sum(
            len(p.text)
            for p in parts
            if _span(doc_of, offsets, p.candidate.key, p.unit) not in before.lengths
        )

    def shown_before(listed: Choice) -> int:
        # the characters of a list's lead-in and items the message showed already
        parts = _cuttable(listed)
        if parts is None or not before.lengths:
            return 0
        intro, items = parts
        key = listed.candidate.key
        spans = [_span(doc_of, offsets, key, u) for u in [*items, intro] if u]
        return sum(before.lengths.get(span, 0) for span in spans)

    for choice in sorted(choices, key=lambda c: -c.score):
        key = choice.candidate.key
        if (key, choice.unit) in kept:
            continue  # the context of one sentence and a sentence in its own right
        limit = quote_limit(licence_of.get(key))
        doc_id = doc_of[key]
        parts = [choice]
        used = shown.get(doc_id, before.used(doc_id))
        if limit is not None and choice.unit.kind == "list":
            # under a quota a list is quoted by the items that answer, if only some do
            parts = _list_in_part(choice, covers) or parts
        if limit is not None and used + cost(parts) > limit:
            # a list that answers "when…?" but cannot be shown whole ("You might have
            # this treatment: - before surgery… - after surgery… - if the cancer has
            # come back…", longer than an all-rights-reserved page's quota) is quoted
            # by its lead-in and the first items that fit, marked as cut (for other
            # kinds, tried on the tuning messages, the items cut in displaced the
            # sentence that answered as often as they answered)
            # (its items an earlier question of the message showed cost nothing again)
            listed = heads and choice.unit.kind == "list"
            parts = _list_head(choice, limit - used + shown_before(choice)) if listed else []
            if not parts:
                continue
        shown[doc_id] = used + cost(parts)
        kept[(key, choice.unit)] = parts
    # a sentence goes if the one naming its subject went; then that one, if it was
    # there only for the sentence that went
    held = [c for c in choices if (c.candidate.key, c.unit) in kept]
    held = [c for c in held if all((c.candidate.key, n) in kept for n in c.needs)]
    left = {(c.candidate.key, c.unit) for c in held}
    # (but a context sentence stays while a kept sentence leans on it: "There are
    # other cancer growth blockers…", fetched for "You have one of these drugs…",
    # which went, says what the kept "These drugs are for…" speaks of)
    needed = {(c.candidate.key, n) for c in held for n in c.needs}
    held = [
        c
        for c in held
        if c.context_for is None
        or (c.candidate.key, c.context_for) in left
        or (c.candidate.key, c.unit) in needed
    ]
    out: list[Choice] = []
    for choice in held:  # in the selection's order, a cut list by its parts
        out += [p for p in kept[(choice.candidate.key, choice.unit)] if p not in out]
    return out


@dataclass(frozen=True)
class Offer:
    """What one question of a message would quote: `offered`, before any licence;
    `alone`, those a question asked alone shows within each quota; and what places
    them (`licensed`'s other arguments)."""

    offered: list[Choice]
    alone: list[Choice]
    hits: Sequence[Hit]
    offsets: Mapping[str, int]
    covers: Callable[[str], float] | None = None
    heads: bool = False

    def within(self, before: Quoted) -> list[Choice]:
        return licensed(self.offered, self.hits, self.offsets, self.covers, self.heads, before)

    def lead(self) -> list[Choice]:
        """The quote the question leads with (its best), with what it is not shown
        without: the sentences naming its subject, and for a list shown in part, the
        rest of its parts."""
        leads = [c for c in self.alone if c.context_for is None] or self.alone
        best = max(leads, key=lambda c: c.score)  # (of equals, the first)
        whole = {best.unit} if best.part_of is None else {best.unit, best.part_of}
        return [
            c
            for c in self.alone
            if c.candidate == best.candidate
            and (
                c.unit in whole
                or c.unit in best.needs
                or c.context_for in whole
                or (best.part_of is not None and c.part_of == best.part_of)
            )
        ]

    def fits(self, choices: Iterable[Choice], before: Quoted) -> bool:
        """Whether `choices` may all be shown beside what a message quoted already."""
        licence_of = {h.doc_id: h.license for h in self.hits}
        tally = before.plus(self.quoted(choices))
        for doc_id in {doc for doc, _, _ in tally.spans - before.spans}:
            limit = quote_limit(licence_of.get(doc_id))
            if limit is not None and tally.used(doc_id) > limit:
                return False
        return True

    def quoted(self, choices: Iterable[Choice]) -> Quoted:
        """`choices` as quoted, to add to a message's tally."""
        doc_of = {h.passage_id: h.doc_id for h in self.hits}
        return Quoted(
            {_span(doc_of, self.offsets, c.candidate.key, c.unit): len(c.text) for c in choices}
        )


def shared(offers: Sequence[Offer | None]) -> list[list[Choice]]:
    """What each question of a message shows (none for a question decided not to be
    answered: None), within quotas its questions share. First each question's lead,
    in the message's order, as room is left; then the rest of each, in order. A
    question whose lead does not fit shows nothing (it is not answered by what is
    left, which may not answer it): three questions on one page all rights reserved
    each get their best quote before any gets a second."""
    shown = [[] if o is None else list(o.alone) for o in offers]
    live = [(i, o) for i, o in enumerate(offers) if o is not None and o.alone]
    if len(live) < 2:
        return shown
    tally = NOTHING_QUOTED
    leads: dict[int, list[Choice]] = {}
    for i, offer in live:
        lead = offer.lead()
        if offer.fits(lead, tally):
            leads[i] = lead
            tally = tally.plus(offer.quoted(lead))
        else:
            shown[i] = []
    for i, offer in live:
        if i not in leads:
            continue
        more = offer.within(tally)  # (its own lead is in the tally: it costs nothing)
        shown[i] = more if _holds(more, leads[i]) else leads[i]
        tally = tally.plus(offer.quoted(shown[i]))
    return shown


def _holds(choices: Sequence[Choice], wanted: Sequence[Choice]) -> bool:
    kept = {(c.candidate.key, c.unit) for c in choices}
    return all((w.candidate.key, w.unit) in kept for w in wanted)


# an item worth quoting on its own holds a word of the question that counts, not
# only "breast" or "cancer" (words nearly every passage has weigh almost nothing)
ITEM_COVERAGE = 0.05


# a criteria list whose last item opens with "and" ("…if it is: - one status - another
# status - and you had a certain drug first"): every item is then a condition
_JOINS_ALL = re.compile(r"^\W*(?:and|as\s+well\s+as|plus)\s", re.IGNORECASE)


def _cuttable(choice: Choice) -> tuple[Unit | None, list[Unit]] | None:
    """A list's lead-in line and items, when it may be quoted in part; None when its
    items are criteria that must all hold (one left out would change what it says)."""
    text = choice.candidate.text
    intro, items = list_parts(text, choice.unit)
    if any(_JOINS_ALL.match(i.text(text)) for i in items):
        return None
    return intro, list(items)


def _in_part(choice: Choice, intro: Unit | None, items: Sequence[Unit]) -> list[Choice]:
    """The quotes of a list cut to its lead-in line and `items`, the last marked as cut."""
    lead = [] if intro is None else [replace(choice, unit=intro, part_of=choice.unit)]
    kept = [replace(choice, unit=item, part_of=choice.unit) for item in items]
    return [*lead, *kept[:-1], replace(kept[-1], cut=True)]


def _list_in_part(choice: Choice, covers: Callable[[str], float] | None) -> list[Choice]:
    """A list's lead-in line and the items that hold words of the question; none when
    no item does, or every item does (the list then stands or falls whole)."""
    parts = None if covers is None else _cuttable(choice)
    if covers is None or parts is None:
        return []
    intro, items = parts
    text = choice.candidate.text
    # an item is read with the line that leads into it ("…pertuzumab… if you have:"
    # and "- inflammatory breast cancer"), as the quote will be
    opening = "" if intro is None else intro.text(text)
    base = covers(opening)
    wanted = [i for i in items if covers(f"{opening} {i.text(text)}") - base >= ITEM_COVERAGE]
    if not wanted or len(wanted) == len(items):
        return []
    return _in_part(choice, intro, wanted)


def _list_head(choice: Choice, room: int) -> list[Choice]:
    """A list's lead-in line and as many of its first items as `room` characters hold
    (at least one), the last marked as cut; none when not even that fits, or when its
    items are criteria that must all hold."""
    parts = _cuttable(choice)
    if parts is None:
        return []
    intro, items = parts
    if intro is None or not items:
        return []
    text = choice.candidate.text
    size = len(intro.text(text))
    taken: list[Unit] = []
    for item in items[:-1]:  # (all of them would be the list whole, which did not fit)
        if size + len(item.text(text)) > room:
            break
        taken.append(item)
        size += len(item.text(text))
    return _in_part(choice, intro, taken) if taken else []
