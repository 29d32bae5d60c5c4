"""A licence's quota is kept per answer: one message, however many questions, is one
answer, so what its earlier questions quoted of a page counts against its later ones."""

from __future__ import annotations

from dataclasses import replace

from oncocite.answers.quota import Offer, Quoted, licensed, shared
from oncocite.answers.select import Candidate, Choice
from oncocite.answers.units import Unit
from oncocite.licences import quote_limit
from oncocite.models import Hit

# two made-up sentences of 120 and 150 characters (of our own words, not a source's)
FIRST = "Drug A is a made-up targeted drug. " + "It is described here only to test. " * 2
FIRST = FIRST.ljust(119, "x") + "."
SECOND = ("Drug B works on a made-up protein. " * 4).ljust(149, "y") + "."
TEXT = f"{FIRST} {SECOND}"
LIMIT = quote_limit("all_rights_reserved")


def _hit(
    passage_id: str,
    text: str,
    doc: str = "d1",
    licence: str = "all_rights_reserved",
    start: int = 0,
) -> Hit:
    """A made-up page's passage, `start` characters into its document."""
    return Hit(
        passage_id=passage_id,
        doc_id=doc,
        title="A made-up page",
        source="Nobody",
        url=None,
        score=1.0,
        text=text,
        license=licence,
        start=start,
        end=start + len(text),
    )


def _choices(doc: str = "d1", licence: str = "all_rights_reserved") -> tuple[list[Choice], Hit]:
    hit = _hit(f"{doc}_p1", TEXT, doc, licence, start=100)  # 100 characters into its document
    candidate = Candidate(hit.passage_id, 0, TEXT, page=doc)
    first = Unit(0, len(FIRST), "sentence")
    second = Unit(len(FIRST) + 1, len(TEXT), "sentence")
    return [Choice(candidate, first, 2.0), Choice(candidate, second, 1.0)], hit


def _spent(doc: str, start: int, chars: int) -> Quoted:
    """A tally of one quote of `chars` characters at `start` of document `doc`."""
    return Quoted({(doc, start, start + chars): chars})


def test_both_sentences_fit_an_answer_of_their_own() -> None:
    assert LIMIT is not None and len(FIRST) + len(SECOND) <= LIMIT
    choices, hit = _choices()
    assert licensed(choices, [hit], {hit.passage_id: 100}) == choices


def test_what_an_earlier_question_quoted_counts_against_a_later_one() -> None:
    """120 characters of another span of the page already shown leave room for the
    first sentence (120), not the second (150) as well."""
    choices, hit = _choices()
    before = _spent("d1", 5000, 120)
    kept = licensed(choices, [hit], {hit.passage_id: 100}, before=before)
    assert [c.text for c in kept] == [FIRST]
    spent = _spent("d1", 5000, 290)
    assert licensed(choices, [hit], {hit.passage_id: 100}, before=spent) == []


def test_a_quote_an_earlier_question_showed_costs_nothing_again() -> None:
    """The message shows a shared quote once (it is cited once), so it is not counted
    twice: the span of the first sentence, at the passage's offset in its document."""
    choices, hit = _choices()
    before = _spent("d1", 100, len(FIRST))
    assert before.used("d1") == len(FIRST)
    assert licensed(choices, [hit], {hit.passage_id: 100}, before=before) == choices
    # where the passage lies matters: at another offset it is another span
    assert licensed(choices, [hit], {hit.passage_id: 0}, before=before) != choices


def test_other_documents_and_open_licences_are_not_charged() -> None:
    choices, hit = _choices()
    other = _spent("d2", 0, 299)
    assert licensed(choices, [hit], {hit.passage_id: 100}, before=other) == choices
    free, open_hit = _choices("d3", "public_domain")
    spent = _spent("d3", 0, 5000)
    assert licensed(free, [open_hit], {open_hit.passage_id: 100}, before=spent) == free


def test_the_tally_counts_each_span_once() -> None:
    tally = _spent("d1", 0, 100).plus(_spent("d1", 0, 100)).plus(_spent("d1", 200, 50))
    assert tally.used("d1") == 150
    assert tally.used("d2") == 0


def _offer(doc: str) -> Offer:
    choices, hit = _choices(doc)
    offsets = {hit.passage_id: 100}
    return Offer(choices, licensed(choices, [hit], offsets), [hit], offsets)


def _moved(offer: Offer, offset: int) -> Offer:
    """The same quotes at another place in the document (other spans)."""
    return replace(offer, offsets={key: offset for key in offer.offsets})


def test_questions_of_one_message_each_get_their_lead_before_any_gets_more() -> None:
    """Two questions quoting two sentences of one page each (270 characters when
    asked alone) share its 300: each shows its lead (240 in all), and the second
    sentence of the first (150) no longer fits. Quoting the same spans, both show
    both: a quote two questions share is shown once."""
    first, second = _offer("d1"), _moved(_offer("d1"), 1000)
    assert [[c.text for c in s] for s in shared([first, second])] == [[FIRST], [FIRST]]
    same = shared([first, _offer("d1")])
    assert [[c.text for c in s] for s in same] == [[FIRST, SECOND], [FIRST, SECOND]]


def test_a_question_whose_lead_does_not_fit_shows_nothing() -> None:
    """Three questions on three spans of one page, each led by a 120-character quote:
    the third's lead no longer fits beside the first two (240 + 120 > 300)."""
    shown = shared([_moved(_offer("d1"), 1000 * n) for n in range(3)])
    assert [[c.text for c in s] for s in shown] == [[FIRST], [FIRST], []]


def test_one_question_or_none_decided_is_shown_as_asked_alone() -> None:
    offer = _offer("d1")
    assert shared([offer]) == [offer.alone]
    assert shared([None, offer, None]) == [[], offer.alone, []]


LISTED = (
    "Drug C is a made-up drug for tests only.\n\nYou might have drug C:\n\n"
    "- before an operation on a made-up organ\n- after an operation on a made-up organ\n"
    "- if a made-up illness has spread\n"
)


def _listed_offer(offset: int) -> Offer:
    """A question answered by a list, cut under the quota to its lead-in and the item
    that answers, and the sentence before it, kept as its context (40 + 22 + 33
    characters), at `offset` in its document."""
    hit = _hit(f"p{offset}", LISTED)
    candidate = Candidate(hit.passage_id, 0, LISTED, page="d1")
    listed = Unit(42, 180, "list")
    context = Choice(candidate, Unit(0, 40, "sentence"), 2.0, context_for=listed)
    choices = [context, Choice(candidate, listed, 2.0)]
    offsets = {hit.passage_id: offset}

    def covers(text: str) -> float:  # only the last item holds a word of the question
        return 1.0 if "spread" in text else 0.0

    alone = licensed(choices, [hit], offsets, covers)
    return Offer(choices, alone, [hit], offsets, covers)


def test_cut_lists_lead_with_their_context_until_a_lead_no_longer_fits() -> None:
    """Each question's lead is a list cut to its lead-in and one item, with the
    sentence kept as its context (95 characters): three fit (285), a fourth, at
    another place in the document, no longer does."""
    offers = [_listed_offer(1000 * n) for n in range(4)]
    assert [c.text for c in offers[0].alone] == [
        "Drug C is a made-up drug for tests only.",
        "You might have drug C:",
        "- if a made-up illness has spread",
    ]
    shown = shared(offers)
    assert shown[:3] == [o.alone for o in offers[:3]]
    assert shown[3] == []


def test_a_sentence_kept_keeps_the_one_naming_what_it_speaks_of() -> None:
    """ "There are other made-up blockers…" stands as the context of a long sentence
    the quota drops, and names what a kept "These drugs are for…" speaks of: it stays,
    or the kept sentence would be quoted with nothing to say what "these drugs" are."""
    naming = "There are other made-up blockers that a doctor might use for this."
    long = "You have one of these drugs with another made-up drug. " * 5 + "That is all."
    leaning = "These drugs are for a made-up kind of cancer."
    text = f"{naming} {long} {leaning}"
    hit = _hit("d1_p1", text)
    candidate = Candidate(hit.passage_id, 0, text, page="d1")
    first = Unit(0, len(naming), "sentence")
    middle = Unit(len(naming) + 1, len(naming) + 1 + len(long), "sentence")
    last = Unit(middle.end + 1, len(text), "sentence")
    assert LIMIT is not None and len(leaning) + len(long) > LIMIT
    assert len(naming) + len(leaning) <= LIMIT
    choices = [
        Choice(candidate, first, 1.0, context_for=middle),
        Choice(candidate, middle, 2.0, needs=(first,)),
        Choice(candidate, last, 3.0, needs=(first,)),
    ]
    kept = licensed(choices, [hit], {hit.passage_id: 0})
    assert [c.text for c in kept] == [naming, leaning]


def test_an_item_of_a_list_within_a_list_is_shown_with_the_outer_list() -> None:
    """A quote deferred to a wider one that is itself deferred (an item, its list, a
    longer quote holding the list) is cited by the widest, which is the one shown."""
    from oncocite.answers.compose import _outermost

    item, listed, outer = ("d", 10, 20), ("d", 0, 40), ("d", 0, 90)
    assert _outermost(item, {item: listed, listed: outer}) == outer
    assert _outermost(outer, {item: listed}) == outer
