"""From a question to an `Answer`: triage, search, quote, cite, or abstain.

Order matters. Triage runs first and may end the matter (urgent symptoms, thoughts
of self-harm); a personal dosing question gets a refusal and, when the library
has it, general cited information. Then search, sentence selection and citations;
the answer is given only when the evidence is strong enough (a threshold
calibrated by benchmarks/abstention.py), otherwise the abstention says why and
what was searched. Every sentence is an exact span of a stored document version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from oncocite.answers.evidence import (
    CLOSENESS_NEEDED,
    QUALIFIERS,
    TITLED_CLOSENESS_NEEDED,
    TOPIC_NEEDED,
    Support,
    TopicGroup,
    closeness_of,
    question_cues,
    support,
    topic_groups,
)
from oncocite.answers.grounding import GroundingCheck
from oncocite.answers.select import MAX_PASSAGES, Candidate, Choice, QueryTerms, select_units
from oncocite.answers.triage import TriageDecision
from oncocite.answers.triage import triage as shipped_triage
from oncocite.answers.units import split_units
from oncocite.governance.review import due_date
from oncocite.licences import LICENCES
from oncocite.models import (
    Abstention,
    AbstentionReason,
    Answer,
    AnswerSentence,
    Citation,
    ConsultedPassage,
    Hit,
    ReviewFrequency,
    Searched,
    SearchResults,
    Status,
)
from oncocite.search.engine import SearchEngine
from oncocite.search.lexical import MemoryBM25
from oncocite.search.lru import LruCache
from oncocite.search.query import query_words
from oncocite.search.vocabulary import ExpandedQuery, words
from oncocite.store.base import SearchFilters, Store

__all__ = ["AnswerEngine", "Triage"]

SEARCH_DEPTH = 10
# A document version longer than this (a book, not a leaflet) is read each time a
# passage of it is extended back, rather than kept.
VERSION_CACHE_CHARS = 200_000


Triage = Callable[[str], TriageDecision | None]


class AnswerEngine:
    """Answers over one store and its search engine."""

    def __init__(
        self,
        store: Store,
        search: SearchEngine,
        triage: Triage | None = None,
        closeness_needed: float = CLOSENESS_NEEDED,
        topic_needed: float = TOPIC_NEEDED,
        titled_needed: float = TITLED_CLOSENESS_NEEDED,
    ) -> None:
        self.store = store
        self.search = search
        self.triage = triage or shipped_triage
        self.closeness_needed = closeness_needed
        self.topic_needed = topic_needed
        self.titled_needed = titled_needed
        self._cue_stems: tuple[MemoryBM25, frozenset[str]] | None = None
        # A stored version never changes: its text, and where its passages lie, are
        # read once (bounded: 64 texts of at most VERSION_CACHE_CHARS, ~13 MB at worst).
        self._version_texts: LruCache[tuple[str, int], str] = LruCache(64)
        self._version_passages: LruCache[tuple[str, int], tuple[tuple[int, int, str], ...]] = (
            LruCache(1024)
        )

    # ------------------------------------------------------------------ answer
    def ask(
        self,
        question: str,
        filters: SearchFilters | None = None,
        filter_text: Sequence[str] = (),
        today: dt.date | None = None,
    ) -> Answer:
        """The answer to `question`: quoted and cited, redirected, or abstained."""
        decision = self.triage(question)
        safety = None if decision is None else decision.to_safety()
        if decision is not None and decision.abstains:
            return Answer(
                question=question,
                answer=decision.message,
                abstained=True,
                abstention=decision.to_abstention(),
                safety=safety,
            )
        results = self.search.search(question, k=SEARCH_DEPTH, filters=_active_only(filters))
        searched = Searched(
            query=question,
            mode=results.mode_used,
            filters=list(filter_text),
            passages=len(results.hits),
            documents=len({h.doc_id for h in results.hits}),
        )
        answer = self._compose(question, results, searched, today or dt.date.today())
        if safety is not None:
            answer.safety = safety
            answer.answer = (
                f"{safety.message} {answer.answer}" if not answer.abstained else safety.message
            )
            if answer.abstained and answer.abstention is not None:
                answer.abstention.reason = "triage"
        return answer

    def grounding(self) -> GroundingCheck:
        """The check a reworded sentence must pass, on this library's stems."""
        index = self._index()
        return GroundingCheck(index.stems, index.share, self.search.vocabulary)

    def _cues(self, index: MemoryBM25) -> frozenset[str]:
        """The stems of the vocabulary's question-type words (`question_cues`), once
        per lexical index rather than once per question."""
        cached = self._cue_stems
        if cached is None or cached[0] is not index:
            cached = (index, question_cues(self.search.vocabulary, index.stems))
            self._cue_stems = cached
        return cached[1]

    def _index(self) -> MemoryBM25:
        index = self.search.lexical_index()
        if not isinstance(index, MemoryBM25):  # the FTS5 engine keeps no stems or IDF
            index = MemoryBM25.from_store(self.search.store)
        return index

    def _terms(self, results: SearchResults) -> tuple[QueryTerms, str, ExpandedQuery]:
        """The question's weighted stems (its words and their vocabulary terms), the
        question as read (spelling corrected) and its vocabulary expansion."""
        index = self._index()
        text = results.query
        for fix in results.reading.corrections if results.reading is not None else []:
            text = text.replace(fix.written, fix.read_as)
        expanded = self.search.vocabulary.expand(text)
        added = [w for term in expanded.added_terms for w in words(term)]
        phrase = " ".join([*query_words(text), *added])
        weights: dict[str, float] = {}
        for stem in index.stems(phrase):
            weights[stem] = max(weights.get(stem, 0.0), index.idf(stem))
        terms = QueryTerms({s: w for s, w in weights.items() if w > 0}, index.stems)
        return terms, text, expanded

    def support(
        self,
        results: SearchResults,
        choices: Sequence[Choice],
        terms: tuple[QueryTerms, str, ExpandedQuery] | None = None,
    ) -> Support:
        """How strongly the chosen quotes (and the passages they are in) support an
        answer to the question searched (see answers/evidence.py). `terms` is what
        `_terms` gave for these results, when the caller has it already."""
        index = self._index()
        _, text, expanded = terms or self._terms(results)
        groups = topic_groups(
            text,
            expanded,
            self.search.vocabulary,
            index.stems,
            index.idf,
            index.unseen_idf(),
            cues=self._cues(index),
        )
        hits = {h.passage_id: h for h in results.hits}
        about: set[str] = set()
        quoted: set[str] = set()
        asked = set(index.stems(" ".join([text, *expanded.added_terms])))
        asked_words = set(words(" ".join([text, *expanded.added_terms])))
        titled = False
        narrowed: set[str] = set()
        for choice in choices:
            hit = hits[choice.candidate.key]
            about |= set(index.stems(" ".join([hit.title, *hit.heading_path])))
            quoted |= set(index.stems(choice.text))
            title = set(index.stems(" ".join(query_words(hit.title))))
            titled = titled or (bool(title) and title <= asked and _names_all(title, groups))
            narrowed |= _narrowing(hit.title, asked_words)
        closeness = closeness_of([h.scores for h in results.hits])
        return support(groups, about, quoted, closeness, titled, tuple(sorted(narrowed)))

    def choose(
        self, results: SearchResults
    ) -> tuple[list[Choice], dict[str, tuple[str, int]], Support]:
        """The quotes for an answer (with where each candidate stands in its passage)
        and the support they give. Pages whose title narrows the subject by a
        qualifier the question lacks ("Male Breast Cancer" for "breast cancer") are
        not quoted while other pages remain; if none remain, support says so."""
        read = self._terms(results)
        terms, text, expanded = read
        asked = set(words(" ".join([text, *expanded.added_terms])))
        hits = [h for h in results.hits if not _narrowing(h.title, asked)] or list(results.hits)
        candidates, spans = self._candidates(hits)
        selection = select_units(candidates, terms, self.search.vocabulary)
        choices = _licensed(selection.choices, hits)
        return choices, spans, self.support(results, choices, read)

    def _compose(
        self, question: str, results: SearchResults, searched: Searched, today: dt.date
    ) -> Answer:
        hits = results.hits
        if not hits:
            return _abstain(question, "no_support", "nothing in the library matches", searched)
        choices, spans, found = self.choose(results)
        verdict = found.verdict(self.closeness_needed, self.topic_needed, self.titled_needed)
        if not choices or verdict is not None:
            reason: AbstentionReason = verdict or "no_support"
            return _abstain(question, reason, _why(reason, found), searched, found.strength)
        sentences: list[AnswerSentence] = []
        citations: list[Citation] = []
        notes: list[str] = []
        by_key = {h.passage_id: h for h in hits}
        quoted: set[tuple[str, int]] = set()
        for choice in choices:
            hit = by_key[spans[choice.candidate.key][0]]
            offset = spans[choice.candidate.key][1]
            start, end = offset + choice.unit.start, offset + choice.unit.end
            if (hit.doc_id, start) in quoted:  # overlapping candidates found it twice
                continue
            quoted.add((hit.doc_id, start))
            passage_id = self._passage_at(hit, start)
            overdue = _overdue(hit, today)
            citations.append(
                Citation(
                    n=len(citations) + 1,
                    doc_id=hit.doc_id,
                    passage_id=passage_id,
                    version=hit.version,
                    section=hit.heading_path,
                    title=hit.title,
                    source=hit.source,
                    url=hit.url,
                    last_reviewed=hit.last_reviewed,
                    review_overdue=overdue,
                    license=hit.license,
                    quote=choice.text,
                    start=start,
                    end=end,
                )
            )
            sentences.append(AnswerSentence(text=choice.text, citation=len(citations)))
            if overdue and not any(hit.title in note for note in notes):
                notes.append(
                    f"{hit.title} ({hit.source or 'unknown source'}) is overdue for review "
                    f"(last reviewed {hit.last_reviewed}): check it is still current"
                )
        cited = {c.passage_id for c in citations}
        consulted = [
            ConsultedPassage(
                passage_id=h.passage_id, doc_id=h.doc_id, title=h.title, source=h.source, url=h.url
            )
            for h in hits
            if h.passage_id not in cited
        ]
        if found.missing:
            notes.append("the quoted sources say nothing about: " + ", ".join(found.missing[:3]))
        return Answer(
            question=question,
            answer=" ".join(s.text.replace("\n", " ") for s in sentences),
            sentences=sentences,
            citations=citations,
            consulted=consulted,
            abstained=False,
            notes=notes,
            evidence=found.strength,
        )

    def _candidates(
        self, hits: Sequence[Hit]
    ) -> tuple[list[Candidate], dict[str, tuple[str, int]]]:
        """Candidates from the top passages; a passage whose first sentence leans on
        the one before it is extended back over its neighbour, so that the sentence
        naming its subject can be found (scraped pages lose their headings)."""
        from oncocite.answers.reference import refers_back

        candidates: list[Candidate] = []
        spans: dict[str, tuple[str, int]] = {}
        for rank, hit in enumerate(hits[:MAX_PASSAGES]):
            text, offset = hit.text, hit.start
            first = split_units(text[:400])[:1]
            if first and refers_back(first[0].text(text)) and hit.start > 0:
                document = self._version_text(hit.doc_id, hit.version)
                if document is not None and document[hit.start : hit.end] == hit.text:
                    # back to the start of a paragraph at most PREVIOUS_CHARS earlier
                    floor = max(0, hit.start - PREVIOUS_CHARS)
                    paragraph = document.find("\n\n", floor, hit.start)
                    before = floor if floor == 0 or paragraph < 0 else paragraph + 2
                    text, offset = document[before : hit.end], before
            topics = tuple(t for t in (hit.title, *hit.heading_path[-1:]) if t)
            candidates.append(Candidate(hit.passage_id, rank, text, topics))
            spans[hit.passage_id] = (hit.passage_id, offset)
        return candidates, spans

    def _version_text(self, doc_id: str, version: int) -> str | None:
        key = (doc_id, version)
        text = self._version_texts.get(key)
        if text is None:
            text = self.store.version_text(doc_id, version)
            if text is not None and len(text) <= VERSION_CACHE_CHARS:
                self._version_texts.put(key, text)
        return text

    def _passage_at(self, hit: Hit, start: int) -> str:
        """The stored passage that holds document offset `start` (the hit's own, or
        the neighbour a candidate was extended over)."""
        if hit.start <= start < max(hit.end, hit.start + 1):
            return hit.passage_id
        key = (hit.doc_id, hit.version)
        spans = self._version_passages.get(key)
        if spans is None:
            record = self.store.get_document(hit.doc_id)
            spans = tuple((p.start, p.end, p.passage_id) for p in record.passages)
            if record.version == hit.version:  # the passages of the version the hit is of
                self._version_passages.put(key, spans)
        for begin, end, passage_id in spans:
            if begin <= start < end:
                return passage_id
        return hit.passage_id


PREVIOUS_CHARS = 600


def _narrowing(title: str, asked: set[str]) -> set[str]:
    """The qualifiers by which a title narrows its subject that the question lacks."""
    return (set(words(title)) & QUALIFIERS) - asked


def _names_all(title: set[str], groups: Sequence[TopicGroup]) -> bool:
    """Whether a title names every topic of the question: "Lung Cancer" is named by
    "small cell lung cancer?", but is not the page that question asks for."""
    return all(g.stems & title for g in groups)


def _licensed(choices: list[Choice], hits: Sequence[Hit]) -> list[Choice]:
    """Drop quotes beyond what each source's licence lets us show, the weakest first
    (a sentence comes with the one naming its subject, or goes with it)."""
    licence_of = {h.passage_id: h.license for h in hits}
    doc_of = {h.passage_id: h.doc_id for h in hits}
    shown: dict[str, int] = {}
    kept: list[Choice] = []
    for choice in sorted(choices, key=lambda c: -c.score):
        key = choice.candidate.key
        known = LICENCES.get(licence_of.get(key) or "")
        limit = LICENCES["all_rights_reserved"].max_quote_chars if known is None else None
        if known is not None:
            limit = known.max_quote_chars
        size = len(choice.text)
        used = shown.get(doc_of[key], 0)
        if limit is not None and used + size > limit:
            continue
        shown[doc_of[key]] = used + size
        kept.append(choice)
    units = {(c.candidate.key, c.unit) for c in kept}
    # a sentence goes if the one naming its subject went; then that one, if it was
    # there only for the sentence that went
    held = [c for c in choices if (c.candidate.key, c.unit) in units]
    held = [c for c in held if all((c.candidate.key, n) in units for n in c.needs)]
    left = {(c.candidate.key, c.unit) for c in held}
    return [c for c in held if c.context_for is None or (c.candidate.key, c.context_for) in left]


def _active_only(filters: SearchFilters | None) -> SearchFilters:
    """The filters, narrowed to active documents: a draft (from the REST API, or with
    no source or licence) is never quoted until a reviewer has activated it."""
    filters = filters or SearchFilters()
    return replace(filters, statuses=frozenset({Status.ACTIVE.value}))


def _overdue(hit: Hit, today: dt.date) -> bool:
    """Whether a cited page is past its review date; a date that cannot be right
    (stored before dates were checked at the door) counts as overdue."""
    if hit.last_reviewed is None or hit.review_frequency is None:
        return False
    due = due_date(hit.last_reviewed, ReviewFrequency(hit.review_frequency))
    return due is None or due < today


def _why(reason: AbstentionReason, found: Support) -> str:
    """The abstention's detail, in words a patient can act on."""
    if reason == "out_of_scope":
        return "this does not look like a question about what the library covers"
    if reason == "partial_support" and found.narrowed:
        about = ", ".join(repr(q) for q in found.narrowed)
        return f"the passages found are about a narrower subject ({about}) than the question"
    if reason == "partial_support":
        missing = ", ".join(repr(m) for m in found.missing[:3]) or "part of the question"
        return f"the library has passages near this question, but none about {missing}"
    return "the library has no passage that answers this closely enough"


def _abstain(
    question: str,
    reason: AbstentionReason,
    detail: str,
    searched: Searched,
    strength: float = 0.0,
) -> Answer:
    return Answer(
        question=question,
        answer="",
        abstained=True,
        abstention=Abstention(reason=reason, detail=detail, searched=searched),
        evidence=round(strength, 4),
    )
