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
import math
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from oncocite.answers.answerability import AnswerabilityModel, Evidence, shipped_model
from oncocite.answers.evidence import (
    CLOSENESS_NEEDED,
    OUT_OF_SCOPE_CLOSENESS,
    QUALIFIERS,
    TITLED_CLOSENESS_NEEDED,
    TOPIC_NEEDED,
    Support,
    TopicGroup,
    closeness_of,
    question_cues,
    said,
    support,
    topic_groups,
)
from oncocite.answers.fit import (
    ASKING_KINDS,
    DEFINING_KINDS,
    SAID_OF_ALL,
    STRICT_KINDS,
    defines,
    fits_kind,
    subject_names,
    surgery_timing,
)
from oncocite.answers.grounding import GroundingCheck
from oncocite.answers.quota import Offer, licensed, shared
from oncocite.answers.select import (
    MAX_CHARS,
    MAX_PASSAGES,
    MAX_SENTENCES,
    SAID_OF_ITSELF,
    Candidate,
    Choice,
    QueryTerms,
    a_class,
    a_drug,
    asks_of_subject,
    defining_every,
    drugs_of,
    fitting_only,
    names_any,
    of_the_drugs_asked,
    says_the_only,
    select_units,
)
from oncocite.answers.self_harm_detector import (
    RULE as DETECTOR_RULE,
)
from oncocite.answers.self_harm_detector import (
    SelfHarmDetector,
    sentences_of,
    shipped_detector,
)
from oncocite.answers.triage import TriageDecision, self_harm_response
from oncocite.answers.triage import triage as shipped_triage
from oncocite.answers.units import split_units
from oncocite.governance.review import due_date
from oncocite.licences import licence_name
from oncocite.models import (
    Abstention,
    Answer,
    AnswerSentence,
    Citation,
    ConsultedPassage,
    Hit,
    Insertion,
    NeedAnswer,
    ReviewFrequency,
    Searched,
    SearchResults,
    Status,
)
from oncocite.models.answers import AbstentionReason
from oncocite.search.dense import dense_available, encode_queries
from oncocite.search.engine import SearchEngine
from oncocite.search.lexical import MemoryBM25
from oncocite.search.lru import LruCache
from oncocite.search.message import MessageReading, Need, read_message
from oncocite.search.query import query_words
from oncocite.search.question import apply_corrections
from oncocite.search.vocabulary import ExpandedQuery, Vocabulary, words
from oncocite.store.base import SearchFilters, Store

__all__ = ["AnswerEngine", "Triage"]

# The passages an answer is judged on: what they name is what the library was found
# to hold near the question (an abstention never says it has nothing on a word one of
# them names), they are listed as consulted, and their scores are the closeness the
# answerability model was trained on.
READ_DEPTH = 10
# The passages searched: those below READ_DEPTH are read only for a section that says
# the kind of thing asked, where none of the first does ("Who gets immunotherapy for
# breast cancer?" ranks eleventh for "…triple negative. What drugs are there for her
# type?"). Judging on all fifteen answered "Which wine goes with fish?" from a page on
# alcohol, whose eleventh to fifteenth passages name fish.
SEARCH_DEPTH = 15
# how deep a question asking who a treatment is for, or when it is given, looks for a
# section whose heading asks just that of it, when the first SEARCH_DEPTH hold none
ASKING_DEPTH = 40
# A document version longer than this (a book, not a leaflet) is read each time a
# passage of it is extended back, rather than kept.
VERSION_CACHE_CHARS = 200_000
# threads reading messages for self-harm at once, per engine: a server's concurrent
# asks beyond it wait for a reader, while their own answers go on
SELF_HARM_READERS = 4


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
        model: AnswerabilityModel | None = None,
    ) -> None:
        self.store = store
        self.search = search
        self.triage = triage or shipped_triage
        # the learned second reader for self-harm: with the shipped rules only (a
        # caller's own triage is theirs), and only where the search model is installed
        self.detector: SelfHarmDetector | None = shipped_detector() if triage is None else None
        self.closeness_needed = closeness_needed
        self.topic_needed = topic_needed
        self.titled_needed = titled_needed
        self._model = model
        self.use_model = True  # False: the hand-set thresholds decide (benchmarks compare)
        self._cue_stems: tuple[MemoryBM25, frozenset[str]] | None = None
        # A stored version never changes: its text, and where its passages lie, are
        # read once (bounded: 64 texts of at most VERSION_CACHE_CHARS, ~13 MB at worst).
        self._version_texts: LruCache[tuple[str, int], str] = LruCache(64)
        self._version_passages: LruCache[tuple[str, int], tuple[tuple[int, int, str], ...]] = (
            LruCache(1024)
        )
        # what the self-harm detector said of recent messages: a message asked again
        # is not embedded sentence by sentence again (the search keeps its query
        # vectors the same way)
        self._self_harm_flags: LruCache[str, bool] = LruCache(4096)
        # what each passage consulted for an answer says (its stems, and its runs of
        # words when a question names a status of several words): the same passages
        # are read for question after question (bounded: a passage's runs are ~1,500
        # strings, so 256 entries hold at most ~40 MB)
        self._passages_read: LruCache[tuple[str, bool], frozenset[str]] = LruCache(256)
        # the threads the detector reads messages on (`_read_for_self_harm`), by process
        self._reader: tuple[int, ThreadPoolExecutor] | None = None
        self._reader_lock = threading.Lock()

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
        if decision is not None and decision.abstains:
            return Answer(
                question=question,
                answer=decision.message,
                abstained=True,
                abstention=decision.to_abstention(),
                safety=decision.to_safety(),
            )
        # the learned reader (where no rule fired) reads the message on another core
        # while it is answered: its verdict adds the support message, and never changes
        # the answer, which follows it either way
        flagged = self._read_for_self_harm(question) if decision is None else None
        reading = read_message(question, self.search.vocabulary)
        day = today or dt.date.today()
        if len(reading.needs) > 1:  # their query vectors in one model call, not one each
            self.search.prepare_queries([need.query for need in reading.needs])
        decided = _decided_by_safety(decision, reading, self.triage)
        outcomes = [
            _left_to_safety(need, decision)
            if decision is not None and need in decided
            else self._answer_need(need, reading, filters, filter_text, day)
            for need in reading.needs
        ]
        # a licence's quota is kept per answer, and a message gets one: its questions
        # share each page's (`quota.shared`)
        offers = [o.weighed.offer if isinstance(o, Decided) else None for o in outcomes]
        parts = [
            outcome if isinstance(outcome, Answer) else self._shown(outcome, shown)
            for outcome, shown in zip(outcomes, shared(offers), strict=True)
        ]
        parts = _follow_ups_alike(reading, parts)
        answer = _combined(question, reading, parts)
        if flagged is not None and flagged.result():
            # "the sea is looking like a better treatment plan…": the support message
            # first, then the answer (the rules decide alone where they fire)
            decision = self_harm_response(DETECTOR_RULE)
        safety = None if decision is None else decision.to_safety()
        if safety is not None:
            answer.safety = safety
            answer.answer = (
                f"{safety.message} {answer.answer}" if not answer.abstained else safety.message
            )
            if answer.abstained and answer.abstention is not None:
                answer.abstention.reason = "triage"
        return answer

    def _read_for_self_harm(self, question: str) -> Future[bool] | None:
        """`_flags_self_harm` of the message, begun on a thread of this engine's own
        (at once, where its verdict is remembered; None where no detector can read it
        here): the detector embeds every sentence of a message once more, as much work
        as the search's own embedding of it (~11 ms of CPU for a long message), and on
        a second core it costs an answer no time. The pool is made again in a forked
        process (threads do not survive a fork)."""
        if not self._detector_reads():
            return None
        known = self._self_harm_flags.get(question)
        if known is not None:
            done: Future[bool] = Future()
            done.set_result(known)
            return done
        with self._reader_lock:
            if self._reader is None or self._reader[0] != os.getpid():
                pool = ThreadPoolExecutor(SELF_HARM_READERS, thread_name_prefix="self-harm")
                self._reader = (os.getpid(), pool)
            pool = self._reader[1]
        return pool.submit(self._flags_self_harm, question)

    def _detector_reads(self) -> bool:
        """Whether the detector can read messages here: it is shipped for this search
        model, and the model is installed."""
        detector = self.detector
        return (
            detector is not None
            and detector.model_id == self.search.model_id
            and dense_available(self.search.model)
        )

    def _flags_self_harm(self, question: str) -> bool:
        """Whether the self-harm detector flags a sentence of the message; False when
        it cannot read it here (no model installed, another search model)."""
        detector = self.detector
        if detector is None or not self._detector_reads():
            return False
        known = self._self_harm_flags.get(question)
        if known is not None:
            return known
        # the call a search makes for its queries (and the training script for these
        # sentences). A message of one sentence goes through the search's memory of
        # query vectors: a question the search embeds as written is embedded once for
        # both. Several sentences are embedded in one call of their own and never kept
        # there, since the int8 model's scales are per call: a sentence's vector beside
        # others is not quite the one a search of it alone would get
        sentences = sentences_of(question)
        if len(sentences) == 1:
            vectors = [self.search.query_vectors(sentences[0], None)[0]]
        else:
            items = [(s, None) for s in sentences]
            limit = self.search.config.query_max_tokens
            vectors = [v for v, _ in encode_queries(self.search.embedder(), items, limit)]
        flagged = bool(vectors) and detector.flags(np.vstack(vectors))
        self._self_harm_flags.put(question, flagged)
        return flagged

    def _answer_need(
        self,
        need: Need,
        reading: MessageReading,
        filters: SearchFilters | None,
        filter_text: Sequence[str],
        today: dt.date,
    ) -> Answer | Decided:
        """One question of a message, searched and decided on its own: abstained, or
        to be answered once the message's questions have shared each licence's quota."""
        wanted = self._wanted_below(need)
        # one search, deeper where an answer may stand below the passages read (the
        # first SEARCH_DEPTH of a deeper search are the same: each side's candidate
        # lists are as deep either way)
        depth = ASKING_DEPTH if wanted else SEARCH_DEPTH
        results = self.search.search(need.query, k=depth, filters=_active_only(filters))
        if wanted:
            results = _with_answers_below(results, wanted)
        searched = Searched(
            query=need.query,
            mode=results.mode_used,
            filters=list(filter_text),
            passages=len(results.hits[:READ_DEPTH]),
            documents=len({h.doc_id for h in results.hits[:READ_DEPTH]}),
        )
        # a later question of a message ("…Can you point me to what the guidance says?")
        # is never told it is off the subject the message is on
        later = need is not reading.needs[0]
        return self._decide(need.query, results, searched, today, reading.ignored, need, later)

    def _wanted_below(self, need: Need) -> list[Callable[[Hit], bool]]:
        """What may answer a need from below the passages read: a passage whose
        section heading asks the need's kind of its subject ("what kind of breast
        cancer do they use immunotherapy for?" is answered under "Who gets
        immunotherapy for breast cancer?", which search ranks nineteenth among
        passages that all say "immunotherapy" and "breast cancer"), or, for a question
        whether there are other drugs than one, a passage saying which is "the
        only…" one."""
        vocabulary = self.search.vocabulary
        names = {" ".join(words(n)) for n in subject_names(need.subject, vocabulary)}
        wanted: list[Callable[[Hit], bool]] = []
        if not names:
            return wanted
        if need.kind in ASKING_KINDS:
            wanted.append(lambda hit: _heading_asks_of(hit, need.kind, names))
        if _asks_for_others(need, vocabulary):
            wanted.append(lambda hit: says_the_only(hit.text) and names_any(hit.text, names))
        return wanted

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

    def _terms(
        self,
        results: SearchResults,
        ignored: frozenset[str] = frozenset(),
        need: Need | None = None,
        tumour: bool = True,
    ) -> tuple[QueryTerms, str, ExpandedQuery]:
        """The question's weighted stems (its words and their vocabulary terms, less
        the people and filler of a message: `ignored`), the question as read
        (spelling corrected) and its vocabulary expansion. A need searched as its
        whole message is judged on what it asks: its question and the message's
        subject line, not the story around them."""
        index = self._index()
        # search's spelling pass, not a second one: its corrections, made by its rule
        fixes = results.reading.corrections if results.reading is not None else []
        asked = _asked(results, need, tumour)
        text = apply_corrections(asked, [(f.written, f.read_as) for f in fixes])
        expanded = self.search.vocabulary.expand(text)
        added = [w for term in expanded.added_terms for w in words(term)]
        own = [w for w in query_words(text) if w not in ignored]
        phrase = " ".join([*own, *added])
        weights: dict[str, float] = {}
        for stem in index.stems(phrase):
            weights[stem] = max(weights.get(stem, 0.0), index.idf(stem))
        said = set(index.stems(" ".join(own)))
        _no_heavier_than_said(weights, expanded, said, index, self.search.vocabulary)
        terms = QueryTerms({s: w for s, w in weights.items() if w > 0}, index.stems)
        return terms, text, expanded

    def support(
        self,
        results: SearchResults,
        choices: Sequence[Choice],
        terms: tuple[QueryTerms, str, ExpandedQuery] | None = None,
        ignored: frozenset[str] = frozenset(),
        history: Sequence[str] = (),
        required: Sequence[str] = (),
    ) -> Support:
        """How strongly the chosen quotes (and the passages they are in) support an
        answer to the question searched (see answers/evidence.py). `terms` is what
        `_terms` gave for these results, when the caller has it already; `ignored`
        are words of a message that are never its topic (people, filler); `history`
        the treatments its story says were had, which no passage need name;
        `required` words a passage read must name, as a drug asked about must (a
        doubted claim's)."""
        index = self._index()
        _, text, expanded = terms or self._terms(results, ignored)  # a caller passes its need
        groups = topic_groups(
            text,
            expanded,
            self.search.vocabulary,
            index.stems,
            index.idf,
            index.unseen_idf(),
            cues=self._cues(index),
            ignored=ignored,
        )
        # a status of several words is named only by a run of its words: the runs of
        # the texts read are kept only when the question names one (rarely)
        runs = any(not g.named and len(form) > 1 for g in groups for form in g.forms)
        read: Callable[[list[str]], set[str]] = said if runs else set
        hits = {h.passage_id: h for h in results.hits}
        about: set[str] = set()
        quoted: set[str] = set()
        asked = set(index.stems(" ".join([text, *expanded.added_terms])))
        asked_words = set(words(" ".join([text, *expanded.added_terms])))
        titled = False
        narrowed: set[str] = set()
        body: set[str] = set()
        for choice in choices:
            hit = hits[choice.candidate.key]
            about |= read(index.stems(" ".join([hit.title, *hit.heading_path])))
            quoted |= read(index.stems(_as_shown(choice)))
            body |= read(index.stems(choice.candidate.text))
            # the question names the page it cites: its whole title, or the whole
            # heading of its section on a page about more than one thing ("What are
            # the side effects of immunotherapy?" and "Side effects of immunotherapy")
            for name in (hit.title, *hit.heading_path[-1:]):
                title = set(index.stems(" ".join(query_words(name))))
                titled = titled or (bool(title) and title <= asked and _names_all(title, groups))
            narrowed |= _narrowing(hit.title, asked_words)
        closeness = closeness_of([h.scores for h in results.hits[:READ_DEPTH]])
        consulted: set[str] = set()
        for h in results.hits[:READ_DEPTH]:
            consulted |= self._read_passage(
                index, " ".join([h.title, *h.heading_path, h.text]), runs
            )
        return support(
            groups,
            about,
            quoted,
            closeness,
            titled,
            tuple(sorted(narrowed)),
            body=body,
            consulted=consulted,
            had=frozenset(index.stems(" ".join(history))),
            required=frozenset(index.stems(" ".join(required))),
        )

    def _read_passage(self, index: MemoryBM25, text: str, runs: bool) -> frozenset[str]:
        """What a consulted passage names (`said` when `runs`, else its stems)."""
        kept = self._passages_read.get((text, runs))
        if kept is None:
            stems = index.stems(text)
            kept = frozenset(said(stems) if runs else stems)
            self._passages_read.put((text, runs), kept)
        return kept

    def choose(
        self,
        results: SearchResults,
        ignored: frozenset[str] = frozenset(),
        need: Need | None = None,
    ) -> tuple[list[Choice], dict[str, tuple[str, int]], Support]:
        """The quotes for an answer (with where each candidate stands in its passage)
        and the support they give (`weigh` without the evidence)."""
        weighed = self.weigh(results, ignored, need)
        return weighed.choices, weighed.spans, weighed.support

    def weigh(
        self,
        results: SearchResults,
        ignored: frozenset[str] = frozenset(),
        need: Need | None = None,
    ) -> Weighed:
        """The quotes for an answer, the support they give and the evidence the
        answerability model judges. Pages whose title narrows the subject by a
        qualifier the question lacks ("Male Breast Cancer" for "breast cancer") are
        not quoted while other pages remain; if none remain, support says so."""
        read = self._terms(results, ignored, need)
        terms, text, expanded = read
        asked = set(words(" ".join([text, *expanded.added_terms])))
        hits = [h for h in results.hits if not _narrowing(h.title, asked)] or list(results.hits)
        candidates, spans = self._candidates(hits)
        vocabulary = self.search.vocabulary
        kind = need.kind if need is not None else None
        for_the_tumour = kind not in DEFINING_KINDS and not (
            need is not None and a_drug(need.subject, vocabulary)
        )
        said = " ".join([text, *(need.tumour if need is not None else ())])
        if for_the_tumour:
            # "Which drugs are used for secondary breast cancer that's HER2 positive?"
            # is not answered from a page whose criteria are for HER2 negative cancer;
            # "can palbociclib be used if you are HER2 positive?" is, by its criteria
            candidates = _for_this_cancer(candidates, said, vocabulary)
        asked_names = subject_names(need.subject, vocabulary) if need is not None else ()
        subject = asked_names
        if not subject and need is not None:
            subject = subject_names([m.surface for m in expanded.matches], vocabulary)
        if not subject and need is not None and need.topic:
            subject = (need.topic,)  # "what is a monoclonal antibody": its own words
        if asked_names:
            # "can I have immunotherapy if I'm ER positive?": the section headed "Who
            # gets immunotherapy for breast cancer?" answers it, below the first five
            headed = self._asking_section(hits, len(candidates), kind, asked_names)
            if headed is not None:
                candidates = _in_place_of_the_last(candidates, headed[0], hits, kind, asked_names)
                spans = {**spans, **headed[1]}
        chosen_by = answering = terms
        if need is not None and need.depends_on_context and need.told:
            # the sentence naming the message's "inflammatory breast cancer" is the
            # one that says whether Perjeta is for her: context words count, less,
            # and only beside a word of the question
            index = self._index()
            own, _, _ = self._terms(results, ignored, need, tumour=False)
            chosen_by = own.with_extra(index.stems(" ".join(need.told)), index.idf)
            # a list's items are kept for the cancer the story describes, not for a
            # treatment it says was had ("I had surgery": not "- before surgery")
            answering = own.with_extra(index.stems(" ".join(need.tumour)), index.idf)
        compared = _compared(need, vocabulary)
        lower: list[Candidate] = []
        if kind == "comparison" and len(compared) > 1:
            # (what a side is may be said only lower down: "Immunotherapy helps a
            # person's immune system…" is eighth for "is immunotherapy a type of chemo?")
            lower, lower_spans = self._candidates(hits, len(candidates), len(hits))
            spans = {**spans, **lower_spans}
            choices = shown = self._each_side(candidates, chosen_by, compared, lower)
        else:
            # (the question's words first, then its story's: "they took the breast off")
            when = None if need is None else surgery_timing(need.text)
            if when is None and need is not None and kind == "purpose":
                when = surgery_timing(need.query)
            # (what says the kind asked may be ranked lower; and what a class itself
            # does, below the passages on one of its drugs a story names)
            only = need is not None and _asks_for_others(need, vocabulary)
            if (
                kind in STRICT_KINDS
                or only
                or (kind in SAID_OF_ITSELF and a_class(subject, vocabulary))
                or (kind == "purpose" and when in ("before", "after"))
                or (kind == "definition" and bool(subject))
            ):
                lower, lower_spans = self._candidates(hits, MAX_PASSAGES, len(hits))
                spans = {**spans, **lower_spans}
                if for_the_tumour:
                    lower = _for_this_cancer(lower, said, vocabulary)
            selection = select_units(
                candidates,
                chosen_by,
                vocabulary,
                kind=kind,
                subject=subject,
                when=when,
                research=speaks_of_research(text),
                only=only,
                lower=lower,
            )
            choices, shown = selection.choices, selection.shown
        # (a list of when a treatment is given is the answer to "when…?", however long)
        # and so is the list of what a drug is given with ("tucatinib - what else is it
        # given with?": its other items are the answer, never the one naming it)
        heads = kind in ("timing", "combination")
        offsets = {key: offset for key, (_, offset) in spans.items()}
        # "Are targeted drugs only for when it's spread?": the list's other items are
        # the answer, never only the one the question names
        covers = (
            None
            if kind == "combination"
            or (heads and need is not None and _ONLY_WHEN.search(need.text))
            else answering.coverage
        )
        kept = licensed(choices, hits, offsets, covers, heads)
        # (completed, the quotes shown once decided are held to the licence alike)
        offered = shown
        shown = kept if offered is choices else licensed(offered, hits, offsets, covers, heads)
        # (and within what the other questions of a message leave of each quota)
        offer = Offer(offered, shown or kept, hits, offsets, covers, heads)
        choices = kept
        # what the story says was had is never missed where the answer turns on the
        # tumour, unless it is what is asked about ("My mum started letrozole. What
        # side effects should she expect?"); elsewhere a story's drug may be what "it"
        # stands for ("…add denosumab. Is it a targeted drug like her herceptin?")
        history = (
            [t for t in need.history if t not in need.subject]
            if need is not None and need.depends_on_context
            else []
        )
        # the words saying the question's kind ("aim" in "what's the aim of giving
        # it?") count where a passage names them, and are never missed, as history
        framing = list(need.framing) if need is not None else []
        beside = list(need.alongside) if need is not None else []
        doubted = list(need.doubted) if need is not None else []
        # (and the states of the person an answer must speak of: "my dad has just been
        # diagnosed with lung cancer… do they use pembrolizumab for lung cancer too?")
        required = [*doubted, *(need.conditions if need is not None else ())]
        found = self.support(
            results, choices, read, ignored, [*history, *framing, *beside], required
        )
        quoted = " ".join(_as_shown(c) for c in choices)
        cited = " ".join(" ".join([c.candidate.text, *c.candidate.topics]) for c in choices).lower()
        fitting = any(fits_kind(kind, c.text, c.unit.kind == "list") for c in choices)
        if (
            fitting
            and kind in STRICT_KINDS
            and kind not in SAID_OF_ALL
            and asked_names
            and a_drug(asked_names, vocabulary)
        ):
            # "does neratinib cause diarrhoea?": "The most common side effects of
            # immunotherapy are rash, diarrhea…" says it of another class, unless a
            # quote puts the drug in that class ("Pembrolizumab is a type of…")
            fitting = any(
                fits_kind(kind, c.text, c.unit.kind == "list")
                and _of_the_subject(c, choices, asked_names, vocabulary)
                for c in choices
            )
        # "Can you have immunotherapy if your cancer is hormone positive?": who a
        # treatment is for is said by a quote about it, not by the criteria of other
        # drugs on its page ("These drugs are for breast cancer that is hormone
        # receptor positive…" under "Other targeted drugs…")
        unspoken = (
            kind == "eligibility"
            and bool(asked_names)
            and bool(choices)
            and not any(
                _of_the_subject(c, choices, asked_names, vocabulary)
                or _speaks_of(c, asked_names, self._index(), headings=1)
                for c in choices
            )
        )
        unsaid = None if not choices else self._unsaid_type(expanded, cited)
        defined = bool(subject) and any(defines(t, subject) for t in _quoted_runs(choices))
        # "what does triple negative mean?": a term of the vocabulary asked to be
        # defined is answered by a sentence that says what it is, not by sentences
        # that only use it ("You may receive immunotherapy if you have triple-negative…")
        undefined = (
            kind == "definition"
            and bool(asked_names)
            and not defined
            and not any(
                fits_kind(kind, _as_shown(c)) and _speaks_of(c, asked_names, self._index())
                for c in choices
            )
        )
        evidence = evidence_of(
            results.hits[:READ_DEPTH],
            found,
            coverage=terms.coverage(quoted) if choices else 0.0,
            kind_fit=fitting,
            unfit=(kind in STRICT_KINDS and not fitting)
            or (kind == "research" and not fitting and _asks_research(need))
            or unsaid is not None
            or undefined
            or unspoken,
            defines_subject=kind in DEFINING_KINDS and defined,
            # the subject as asked, not the terms search added (`subject`'s fallbacks)
            subject_cited=not asked_names or any(n in cited for n in asked_names),
            message=(results.reading is not None and results.reading.kind == "message")
            or (need is not None and need.storied),
        )
        return Weighed(choices, spans, found, evidence, unsaid, shown, asked_names, offer)

    def _unsaid_type(self, expanded: ExpandedQuery, cited: str) -> str | None:
        """The kind of thing a question asks that its cited passages never speak of:
        "Is HER2 positive breast cancer passed down in families?" is not answered by
        what HER2 positive means. Only the question types in STRICT_TYPES count; a
        cited passage (its text, title or headings) must hold one of the type's cue
        or term words."""
        index = self._index()
        present = set(index.stems(cited))
        for qtype in self.search.vocabulary.data.question_types:
            if qtype.name not in STRICT_TYPES or qtype.name not in expanded.question_types:
                continue
            cues = [set(index.stems(w)) for w in [*qtype.cues, *qtype.terms]]
            if not any(cue and cue <= present for cue in cues):  # "passed down" whole
                return qtype.name
        return None

    def _each_side(
        self,
        candidates: list[Candidate],
        terms: QueryTerms,
        compared: list[tuple[str, ...]],
        lower: Sequence[Candidate] = (),
    ) -> list[Choice]:
        """ "What's the difference between Enhertu and Kadcyla?": what each is, in
        turn, each chosen on its own names (the other's words left out) within its
        share of the answer, so one well-covered drug does not crowd out the other. A
        side none of whose quotes says what it is is led by a unit of a `lower`
        passage that does, if one does."""
        vocabulary = self.search.vocabulary
        # a side nothing says what it is of is left to the others: sentences that only
        # name it ("You might get it with chemotherapy…" for "is immunotherapy just a
        # posh word for chemo?") tell nothing of how the two differ
        # (a drug stays a side: what it is may be said in a list, "- tucatinib - a type
        # of targeted drug…", or not at all, which its answer must then show)
        defined = [
            names
            for names in compared
            if a_drug(names, vocabulary)
            or defining_every([*candidates, *lower], vocabulary, [names])
        ]
        share = max(2, MAX_SENTENCES // len(compared))
        sides = defined if defined and len(defined) < len(compared) else compared
        # a sentence that says what each side is leads, and is the last a licence's
        # quota drops
        both = defining_every(candidates, vocabulary, sides)
        chosen: list[Choice] = [replace(c, score=float(MAX_SENTENCES + 1)) for c in both]
        for names in sides:
            others = {s for o in compared if o != names for s in terms.stem(" ".join(o))}
            own = set(terms.stem(" ".join(names)))
            side = QueryTerms(
                {s: w for s, w in terms.weights.items() if s not in others - own},
                terms.stem,
                terms.context,
            )
            mine = [c for c in candidates if _is_about(c, names)]
            picked = select_units(
                mine,
                side,
                vocabulary,
                max_sentences=share,
                max_chars=MAX_CHARS // len(compared),
                kind="comparison",
                subject=names,
            ).choices
            if not any(defines(c.text, names) for c in picked):
                picked = [*defining_every(lower, vocabulary, [names]), *picked][:share]
            # each side's first quotes before any side's later ones, when a licence's
            # quota must choose (scores of separate selections do not compare)
            called = vocabulary.canonical(names[0]) or names[0]
            for n, choice in enumerate(picked):
                if any(choice.unit == k.unit and choice.candidate == k.candidate for k in chosen):
                    continue
                # "This treatment [trastuzumab deruxtecan] is made up of…": which side
                # a quote speaks of, when it does not say
                named = choice.subject or (None if names_any(choice.text, names) else called)
                chosen.append(replace(choice, score=float(len(picked) - n), subject=named))
        return chosen

    def _decide(
        self,
        question: str,
        results: SearchResults,
        searched: Searched,
        today: dt.date,
        ignored: frozenset[str] = frozenset(),
        need: Need | None = None,
        in_message: bool = False,
    ) -> Answer | Decided:
        """The abstention, or the decision to answer (`_shown` quotes it)."""
        hits = results.hits
        if not hits:
            kind = None if need is None else need.kind
            return _abstain(
                question, "no_support", "nothing in the library matches", searched, 0.0, kind
            )
        weighed = self.weigh(results, ignored, need)
        choices, found = weighed.choices, weighed.support
        verdict = self._verdict(weighed, need, in_message)
        if not choices or verdict is not None:
            reason: AbstentionReason = verdict or "no_support"
            kind = None if need is None else need.kind
            unsaid = weighed.unsaid or (kind if weighed.evidence.unfit else None)
            of = None
            if need is not None and need.subject:  # "PD-L1" for "pd l1"
                of = self.search.vocabulary.written(need.subject[0])
            detail = _why(reason, found, hits[:READ_DEPTH], unsaid, of)
            return _abstain(question, reason, detail, searched, found.strength, kind)
        return Decided(question, weighed, list(hits), need, today, searched)

    def _shown(self, decided: Decided, shown: list[Choice]) -> Answer:
        """The answer a decided question gives with the quotes its message's share of
        each quota lets it show (`shown`); none: its lead would not fit, and it is not
        answered by what is left."""
        weighed, need, hits = decided.weighed, decided.need, decided.hits
        question, today, found = decided.question, decided.today, weighed.support
        searched = decided.searched
        if not shown:
            lead = weighed.offer.lead()[:1] if weighed.offer is not None else []
            pages = [h for h in hits if any(h.passage_id == c.candidate.key for c in lead)]
            kind = None if need is None else need.kind
            detail = _quota_spent(pages[:1])
            return _abstain(question, "licence_quota", detail, searched, found.strength, kind)
        spans = weighed.spans
        choices = shown
        if need is not None:
            choices = fitting_only(choices, need.kind, weighed.asked)
            # (the drugs the story tells of are asked about too: "Kadcyla is for early
            # disease, Enhertu for later on. Is that the gist?")
            told = [*need.subject, *need.history, *need.alongside]
            choices = of_the_drugs_asked(choices, told, self.search.vocabulary)
        sentences: list[AnswerSentence] = []
        citations: list[Citation] = []
        notes: list[str] = []
        by_key = {h.passage_id: h for h in hits}
        quoted: set[tuple[str, int]] = set()
        said: set[str] = set()
        for choice in choices:
            hit = by_key[spans[choice.candidate.key][0]]
            offset = spans[choice.candidate.key][1]
            start, end = offset + choice.unit.start, offset + choice.unit.end
            if (hit.doc_id, start) in quoted:  # overlapping candidates found it twice
                continue
            # a page may say the same sentence twice (NCI's page says what
            # immunotherapy does in its summary and in its body, with another
            # apostrophe): the answer says it once
            if (words_said := " ".join(words(choice.text))) in said:
                continue
            said.add(words_said)
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
                    license_name=licence_name(hit.license),
                )
            )
            sentences.append(_bracketed(choice, len(citations)))
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
            for h in hits[:READ_DEPTH]
            if h.passage_id not in cited
        ]
        missing = list(found.missing)
        if need is not None and need.unbound:
            # "I'm pregnant. How does herceptin work?": answered, as it is the same for
            # everyone, and told that the quotes say nothing of the pregnancy
            said_here = " ".join(s.text for s in sentences)
            missing += [t for t in need.unbound if not names_any(said_here, [" ".join(words(t))])]
        if missing:
            notes.append("the quoted sources say nothing about: " + ", ".join(missing[:3]))
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

    @property
    def model(self) -> AnswerabilityModel | None:
        """The answerability model (the shipped one unless another was given)."""
        if not self.use_model:
            return None
        if self._model is None:
            self._model = shipped_model()
        return self._model

    def _verdict(
        self, weighed: Weighed, need: Need | None, in_message: bool = False
    ) -> AbstentionReason | None:
        """None to answer, else why not: the answerability model decides; the reason
        says which evidence fell short, in words `_why` turns into advice."""
        found = weighed.support
        evidence = weighed.evidence
        if (
            need is not None
            and need.kind in SAID_OF_ALL
            and evidence.kind_fit
            and not (evidence.unfit or evidence.unnamed or evidence.drug_unread)
        ):
            # "Will it be the same for Dad?" after a story of side effects, and a quote
            # that says they vary from person to person: the kind is read only where the
            # message speaks of side effects, its sentences say nothing else, and they
            # share few words with any question, so closeness cannot judge them
            return None
        if need is not None and _the_only_one_answers(weighed, need, self.search.vocabulary):
            return None
        model = self.model
        if model is None:
            return found.verdict(self.closeness_needed, self.topic_needed, self.titled_needed)
        if model.answers(weighed.evidence):
            return None
        far = found.closeness is not None and found.closeness < OUT_OF_SCOPE_CLOSENESS
        # a question naming a drug or term of the vocabulary is about treatment, and a
        # patient's message ("I'm wiped out and feel sick… am I doing something
        # wrong?") is not told it is off the subject: it gets the next step instead
        named = need is not None and bool(need.subject)
        off_subject = far and found.body == 0 and not named
        if off_subject and not (weighed.evidence.message or in_message):
            return "out_of_scope"
        if found.narrowed or found.drug_unread or found.unnamed or weighed.evidence.unfit:
            return "partial_support"
        return "no_support"

    def _candidates(
        self, hits: Sequence[Hit], start: int = 0, stop: int = MAX_PASSAGES
    ) -> tuple[list[Candidate], dict[str, tuple[str, int]]]:
        """Candidates from the passages ranked `start` to `stop` (the top ones unless
        lower ones are asked for), ranked as search ranked them; a passage whose first
        sentence leans on the one before it is extended back over its neighbour, so
        that the sentence naming its subject can be found (scraped pages lose their
        headings)."""
        from oncocite.answers.reference import refers_back

        candidates: list[Candidate] = []
        spans: dict[str, tuple[str, int]] = {}
        for rank, hit in enumerate(hits[start:stop], start):
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
            shift = hit.start - offset  # the text may begin before the hit's own
            images = tuple((start + shift, end + shift) for start, end in hit.image_spans)
            candidates.append(Candidate(hit.passage_id, rank, text, topics, hit.doc_id, images))
            spans[hit.passage_id] = (hit.passage_id, offset)
        return candidates, spans

    def _asking_section(
        self, hits: Sequence[Hit], after: int, kind: str | None, names: tuple[str, ...]
    ) -> tuple[Candidate, dict[str, tuple[str, int]]] | None:
        """The first passage below the candidates whose section heading asks the
        need's kind of its subject ("Who gets immunotherapy for breast cancer?" for an
        eligibility question on immunotherapy), as a candidate; None if none does."""
        wanted = {" ".join(words(n)) for n in names}
        for rank in range(max(after, MAX_PASSAGES), len(hits)):
            if _heading_asks_of(hits[rank], kind, wanted):
                found, spans = self._candidates(hits, rank, rank + 1)
                return (found[0], spans) if found else None
        return None

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


def _heading_asks_of(hit: Hit, kind: str | None, names: set[str]) -> bool:
    return asks_of_subject(kind, hit.heading_path[-1] if hit.heading_path else "", names)


def _in_place_of_the_last(
    candidates: list[Candidate],
    headed: Candidate,
    hits: Sequence[Hit],
    kind: str | None,
    names: tuple[str, ...],
) -> list[Candidate]:
    """`candidates` with `headed` (a passage from lower down under a heading that asks
    the need's kind) in place of the last that is under no such heading: never in
    place of one that is ("why do some get targeted drugs before the op and others
    after?": the fifth was the list under "When you might have targeted…", which the
    section's later passage from lower down had replaced)."""
    if len(candidates) < MAX_PASSAGES:
        return [*candidates, headed]
    wanted = {" ".join(words(n)) for n in names}
    keep = list(candidates[:MAX_PASSAGES])
    for index in range(len(keep) - 1, -1, -1):
        if not _heading_asks_of(hits[keep[index].rank], kind, wanted):
            return [*keep[:index], *keep[index + 1 :], headed]
    return keep


def _with_answers_below(
    results: SearchResults, wanted: Sequence[Callable[[Hit], bool]]
) -> SearchResults:
    """The first SEARCH_DEPTH results of a deeper search, and after them, for each of
    `wanted` none of them meets, the first passage below that does."""
    read, below = results.hits[:SEARCH_DEPTH], results.hits[SEARCH_DEPTH:]
    held = {h.passage_id for h in read}
    found: list[Hit] = []
    for want in wanted:
        if any(want(h) for h in read):
            continue
        hit = next((h for h in below if want(h)), None)
        if hit is not None and hit.passage_id not in held:
            found.append(hit)
            held.add(hit.passage_id)
    return results.model_copy(update={"hits": [*read, *found], "k": SEARCH_DEPTH})


def _narrowing(title: str, asked: set[str]) -> set[str]:
    """The qualifiers by which a title narrows its subject that the question lacks."""
    return (set(words(title)) & QUALIFIERS) - asked


def _names_all(title: set[str], groups: Sequence[TopicGroup]) -> bool:
    """Whether a title names every topic of the question: "Lung Cancer" is named by
    "small cell lung cancer?", but is not the page that question asks for."""
    return all(g.stems & title for g in groups)


def _quoted_runs(choices: Sequence[Choice]) -> list[str]:
    """Each quote's text, and each run of quotes of one passage read on from it: a
    list a licence's quota cut to its lead-in and the items that answer ("These
    include:", "- ribociclib") says what it says only read together."""
    runs: list[str] = []
    for i, choice in enumerate(choices):
        text = choice.text
        runs.append(text)
        for later in choices[i + 1 : i + 4]:
            if later.candidate != choice.candidate:
                break
            text = f"{text}\n{later.text}"
            runs.append(text)
    return runs


def _is_about(candidate: Candidate, names: tuple[str, ...]) -> bool:
    """Whether a passage is about one of `names`: its text names it, or its section
    heading holds every word of it ("Trastuzumab and deruxtecan" for "trastuzumab
    deruxtecan")."""
    heading = set(words(candidate.topics[-1])) if len(candidate.topics) > 1 else set()
    return names_any(candidate.text, names) or any(
        bool(heading) and set(name.split()) <= heading for name in names
    )


def _compared(need: Need | None, vocabulary: Vocabulary) -> list[tuple[str, ...]]:
    """The things a comparison compares, each with every name the library may write
    it by: one entry per distinct term the question names ("Enhertu", "Kadcyla")."""
    if need is None:
        return []
    sides: dict[str, tuple[str, ...]] = {}
    for surface in need.subject:
        key = vocabulary.canonical(surface) or surface
        sides.setdefault(key, subject_names([surface], vocabulary))
    return list(sides.values())


def _no_heavier_than_said(
    weights: dict[str, float],
    expanded: ExpandedQuery,
    said: set[str],
    index: MemoryBM25,
    vocabulary: Vocabulary,
) -> None:
    """The words a term's expansion adds weigh no more than the words the question
    used for it, when the library knows those: "targeted drugs" on a page that always
    says "targeted drugs" is a common topic there, and its expansion "targeted
    therapy" must not make "therapy" (rare there) the word a sentence is chosen by
    ("…with a hormone therapy drug"). A name the library never uses ("Keytruda")
    leaves its expansion ("pembrolizumab") whole."""
    for match in expanded.matches:
        written = [s for s in index.stems(match.surface) if s in said]
        if not written or any(index.idf(s) <= 0 for s in written):
            continue
        entries = vocabulary.entries_of(vocabulary.canonical(match.canonical) or match.canonical)
        terms = [t for e in entries for t in e.expansion if t in expanded.added_terms]
        added = {s for t in terms for s in index.stems(t) if s not in said and s in weights}
        cap = sum(index.idf(s) for s in written)
        total = sum(weights[s] for s in added)
        if total > cap:
            for s in added:
                weights[s] *= cap / total


def _of_the_subject(
    choice: Choice, choices: Sequence[Choice], names: Sequence[str], vocabulary: Vocabulary
) -> bool:
    """Whether a quote speaks of the drug asked about: it names it (in its words, its
    bracket or its section's heading), or another quote says the drug is of a class
    this one names ("Pembrolizumab is a type of immunotherapy." and "The most common
    side effects of immunotherapy are…")."""
    wanted = {" ".join(words(n)) for n in names}
    if names_any(" ".join([_as_shown(choice), *choice.candidate.topics[-1:]]), wanted):
        return True
    classes = {m.canonical for m in vocabulary.find(choice.text)}
    return any(
        defines(other.text, names) and classes & {m.canonical for m in vocabulary.find(other.text)}
        for other in choices
        if other is not choice
    )


def _speaks_of(choice: Choice, names: Sequence[str], index: MemoryBM25, headings: int = 0) -> bool:
    """Whether a quote, as shown and under its section's headings (its last
    `headings`; 0: all, the page's title too), holds every word of one of the
    subject's names ("…2 drugs, trastuzumab, and a chemotherapy drug called
    deruxtecan" speaks of trastuzumab deruxtecan)."""
    held = set(index.stems(" ".join([_as_shown(choice), *choice.candidate.topics[-headings:]])))
    return any(set(index.stems(n)) <= held for n in names if index.stems(n))


def _as_shown(choice: Choice) -> str:
    """A quote as the answer shows it: with the bracket that names what its "these
    drugs" or "it" stands for ("…spread to: [trastuzumab, tucatinib and
    capecitabine]"), which names the subject as surely as the quote would."""
    return choice.text if choice.subject is None else f"{choice.text} {choice.subject}"


def _asked(results: SearchResults, need: Need | None, tumour: bool = True) -> str:
    """What a need asks, in words: the searched text, unless that was the whole
    message, then the need's own question with the message's subject line (and,
    with `tumour`, the tumour it describes where the answer depends on it)."""
    if need is None or results.query != need.query or need.query == need.text:
        # (a state of the person the message told in words its reading set aside, "my
        # dad has prostate cancer, can he have…", is asked of all the same)
        searched = results.query.lower()
        unsaid = [] if need is None else [c for c in need.conditions if c.lower() not in searched]
        return " ".join([results.query, *unsaid])
    parts = [need.text]
    if need.about:  # "is that a known thing?": what "that" is, from the story
        parts.append(need.about)
    if tumour and need.depends_on_context:  # "what might they offer her?": her HER2
        # positive, early stage cancer is what the answer must be about
        parts += [t for t in need.told if t.lower() not in need.text.lower()]
    # "My daughter is pregnant. Can she have trastuzumab?": whatever is asked, the
    # answer must speak of her pregnancy
    parts += [t for t in need.conditions if t.lower() not in " ".join(parts).lower()]
    named = " ".join(t for t in need.subject if t.lower() not in need.text.lower())
    if named:  # "what are these?" after "…mentioned palbociclib or ribociclib"
        parts.insert(0, named)
    subject = results.reading.subject if results.reading is not None else None
    if subject and subject not in need.text and _is_subject_line(subject):
        parts.insert(0, subject)
    return " ".join(parts)


# the writer and the people a story is about ("Dad's on Keytruda, third cycle.")
_PERSONAL = re.compile(
    r"\b(?:i|im|i'm|my|me|we|our|she|he|her|his|they|(?:mum|mom|mam|dad|nan|gran|grandma|"
    r"husband|hubby|wife|partner|sister|brother|daughter|son|aunt|uncle|friend|mother|"
    r"father)(?:'?s)?)\b",
    re.IGNORECASE,
)


# "Are there any trials for HER2 positive?", "what new drugs are there?": asked about
# research itself, not a message that mentions its writer's study in passing ("our
# group is running a study… we would like to know more about HIV treatment")
_RESEARCH_ASKED = re.compile(
    r"\b(?:any|are\s+there|is\s+there|what|which|whats|latest|new)\b[^.?!]*"
    r"\b(?:trials?|research|studies|new\s+(?:\w+\s+)?(?:drugs|treatments|combos|combinations)"
    r"|being\s+(?:tested|studied|trialled|looked\s+at|looked\s+into))\b"
    r"|\b(?:trials?|research|studies)\b[^.?!]*\?",
    re.IGNORECASE,
)


# Any word of research in a question ("what are they researching?", "why are they still
# testing new combinations?"), whatever kind it was read as: broader than
# `_RESEARCH_ASKED`, for it only lets research sentences be quoted, where that decides
# whether a research question must be answered by one
_RESEARCH_SPOKEN_OF = re.compile(
    r"\bresearch\w*|\btrials?\b|\bstud(?:y|ies|ying)\b|\btest(?:ing|ed)\b"
    r"|\bnew (?:\w+ )?(?:drugs?|treatments?|combinations?|combos?)\b|\bbeing looked (?:at|into)\b",
    re.IGNORECASE,
)


def speaks_of_research(question: str) -> bool:
    """Whether a question speaks of research at all (`_RESEARCH_SPOKEN_OF`): only then
    may a sentence on research under way answer what something is or how it works."""
    return _RESEARCH_SPOKEN_OF.search(question) is not None


def _asks_research(need: Need | None) -> bool:
    """Whether a research question asks about research itself, in its words or, when
    it has none of its own ("There are new trials. What are they?"), by its story's;
    only then must a quote speak of it (the kind is read from any mention of a study)."""
    if need is None:
        return False
    return bool(_RESEARCH_ASKED.search(need.text)) or not need.topic


def _statuses(text: str, vocabulary: Vocabulary) -> tuple[set[str], dict[str, set[str]]]:
    """The receptor statuses a text states (those with statuses they exclude; with
    those that answer for them: ER positive is hormone receptor positive), and each
    status they exclude with the stated ones that exclude it. Stages ("secondary")
    exclude nothing: a page may speak of several."""
    stated: set[str] = set()
    for match in vocabulary.find(text):
        canonical = vocabulary.canonical(match.canonical) or match.canonical
        for entry in vocabulary.entries_of(canonical):
            if entry.excludes:
                stated |= {canonical, *entry.answered_by}
    ruled_out_by: dict[str, set[str]] = {}
    for status in stated:
        for entry in vocabulary.entries_of(status):
            for other in entry.excludes:
                if other not in stated:
                    ruled_out_by.setdefault(other, set()).add(status)
    return stated, ruled_out_by


def _for_this_cancer(
    candidates: list[Candidate], said: str, vocabulary: Vocabulary
) -> list[Candidate]:
    """The candidates not about another cancer than the one `said` describes: a
    passage that names a status it excludes ("…hormone receptor positive and HER2
    negative" for a HER2 positive cancer) speaks of this cancer too only if it also
    names the status that excludes it (a page setting the two side by side), not
    merely another stated one ("hormone receptor positive")."""
    _, ruled_out_by = _statuses(said, vocabulary)
    if not ruled_out_by:
        return candidates
    kept = []
    for candidate in candidates:
        named, _ = _statuses(candidate.text, vocabulary)
        if any(not named & by for other, by in ruled_out_by.items() if other in named):
            continue
        kept.append(candidate)
    return kept


def _is_subject_line(text: str) -> bool:
    """A message's opening words that name its subject ("Body lice.", "Abetalipo-
    proteinemia"), not a sentence of its story ("My mum had a lumpectomy in March")."""
    return (
        len(text.split()) <= 6
        and not _PERSONAL.search(text)
        and not _WRITER_ACTION.match(text.strip(" \"'"))
        # cut where the story turns to its people ("Setting up a GoFundMe for | my
        # mom's treatment"): a sentence broken off, not a title
        and not _BROKEN_OFF.search(text)
    )


_BROKEN_OFF = re.compile(
    r"\b(?:for|of|to|with|about|on|in|at|and|or|but|the|a|an|from|by|that|since|because)\W*$",
    re.IGNORECASE,
)


# "Hiya, trying to decode my dad's clinic letter…": what the writer is doing, the
# start of a sentence of the story, never a subject line
_WRITER_ACTION = re.compile(
    r"(?:trying|wanting|hoping|writing|looking|asking|wondering|reaching|posting|checking|"
    r"just|so|ok|okay|sorry|quick)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Weighed:
    """What an answer would quote, and the evidence for answering with it."""

    choices: list[Choice]
    spans: dict[str, tuple[str, int]]
    support: Support
    evidence: Evidence
    unsaid: str | None = None  # a strict question type no cited passage speaks of
    # what is shown once answering is decided (select.Selection.shown): `choices`
    # unless a lower passage completes them
    shown: list[Choice] | None = None
    # every name of the need's subject (`subject_names`), which what is shown is chosen by
    asked: tuple[str, ...] = ()
    # what it would quote, to be shown within quotas a message's questions share
    offer: Offer | None = None


@dataclass(frozen=True)
class Decided:
    """A question decided to be answered, before what it quotes is shown: the
    questions of a message share each licence's quota (`quota.shared`) first."""

    question: str
    weighed: Weighed
    hits: list[Hit]
    need: Need | None
    today: dt.date
    searched: Searched


def evidence_of(
    hits: Sequence[Hit],
    found: Support,
    coverage: float,
    kind_fit: bool,
    unfit: bool,
    defines_subject: bool,
    subject_cited: bool,
    message: bool,
) -> Evidence:
    """The features the answerability model reads, from the search scores of the top
    passages and the support of the chosen quotes."""
    top = hits[0].scores if hits else {}
    second = hits[1].score if len(hits) > 1 else 0.0
    first = hits[0].score if hits else 0.0
    return Evidence(
        dense=found.closeness or 0.0,
        has_dense=float(found.closeness is not None),
        context=max(top.get("about", 0.0), top.get("question", 0.0)),
        fused=first,
        margin=first - second,
        lexical=math.log1p(max(0.0, top.get("lexical", 0.0))),
        topic_about=found.topic,
        topic_quoted=found.quoted,
        topic_body=found.body,
        unnamed=found.unnamed_share,
        drug_unread=float(found.drug_unread),
        named=float(found.named),
        term_quoted=float(found.term_quoted),
        titled=float(found.titled),
        narrowed=float(bool(found.narrowed)),
        kind_fit=float(kind_fit),
        unfit=float(unfit),
        defines=float(defines_subject),
        subject=float(subject_cited),
        coverage=coverage,
        message=float(message),
        topics=math.log1p(found.weight),
    )


_POINTER = re.compile(
    r"\b(?i:this|that|these|the same) (?:drug|drugs|treatment|treatments|medicine|combination)\b"
    r"|^(?:It|They)\b(?![’'])",
)
# "You might have this if you have…", "It's for people who have already had…": a
# drug's criteria quoted without the sentence naming it (select.py's
# CRITERIA_CONTEXT_CHARS), which then names it in brackets
_CRITERIA_POINTER = re.compile(r"\b(?i:have|having|get|getting) this(?= if\b)|^It[’']s(?= for\b)")

_PLURAL = re.compile(r"(?i:these|they)\b|(?i:this|that|the same) drugs\b")
_SEVERAL = re.compile(r",| and ")


def _bracketed(choice: Choice, citation: int) -> AnswerSentence:
    """The quote as shown: "To have this drug [pertuzumab] your cancer…" when the
    sentence points at a subject its section names, and "[…]" after the last item
    kept of a list shown in part; each insertion is recorded so the verbatim quote can
    be had back (`AnswerSentence.quoted`)."""
    text = choice.text
    notes = [Insertion(at=len(text), text=" […]")] if choice.cut else []  # a list cut
    pointer = _POINTER.search(text) if choice.subject else None
    if pointer is None and choice.subject and not choice.needs:
        pointer = _CRITERIA_POINTER.search(text)
    if pointer is None or choice.subject is None or choice.subject.lower() in text.lower():
        pointer = None
    elif _PLURAL.match(pointer.group()) and not _SEVERAL.search(choice.subject):
        # a drug put in a group ("…is one of the cancer growth blockers. They work
        # by…"): "They" is the group, not the section's one drug
        pointer = None
    if pointer is not None and choice.subject is not None:
        notes.insert(0, Insertion(at=pointer.end(), text=f" [{choice.subject}]"))
    shown = text
    for note in reversed(notes):  # from the end, so each offset stays the quote's
        shown = shown[: note.at] + note.text + shown[note.at :]
    return AnswerSentence(text=shown, citation=citation, insertions=notes)


_THE_SAME = re.compile(r"\bthe\s+same\b", re.I)


# what would help with what was just asked about, in no words of its own ("Anything
# that helps?", "is there something I can do?")
_WHAT_HELPS = re.compile(
    r"\b(?:anything|something|what)\s+(?:that\s+|which\s+|to\s+)?(?:helps?|would\s+help|"
    r"can\s+help|could\s+help|might\s+help|(?:i|we|she|he)\s+can\s+do|to\s+do\s+about\s+it)\b",
    re.IGNORECASE,
)


# a consequence asked of what the question before named ("…because of it?")
_BECAUSE_OF_IT = re.compile(
    r"\b(?:because\s+of|due\s+to|as\s+a\s+result\s+of)\s+(?:it|that|this)\b", re.IGNORECASE
)


def _goes_on_about_unsupported(need: Need, before: Need) -> bool:
    """Whether a later question asks about what the one before it asked and the
    library could not support: put the other way after "or" (`Need.alternative`:
    "Can I drive home after my Perjeta infusion or do I need someone to take me?"),
    pointing past its subject at its topic ("What does 0.9 mean, is it very low?":
    "it" is the 0.9, not the story's palbociclib), or asking "the same" of it
    ("Does pembrolizumab work for ovarian cancer, and is it given for the same
    reasons?"). What the library holds on the later question's words alone (what
    Perjeta or palbociclib is) answers none of these."""
    # (a comparison's "the same" is of its own subject: "Is it even the same medicine?")
    if need.alternative or (need.kind != "comparison" and _THE_SAME.search(need.text)):
        return True
    if _WHAT_HELPS.search(need.text) and not need.topic:
        return True  # "Is insomnia a side effect of herceptin? Anything that helps?"
    if _BECAUSE_OF_IT.search(need.text):
        # "…LVEF 51%… What does that number mean? Will they stop my herceptin because
        # of it?": what follows from the number, which the library says nothing of
        return True
    named = {w for term in before.subject for w in words(term)}
    return bool(named and need.about) and not named & set(words(need.about))


def _decided_by_safety(
    decision: TriageDecision | None,
    reading: MessageReading,
    triage: Callable[[str], TriageDecision | None],
) -> list[Need]:
    """The questions of a message of several that are the decision its dosing
    refusal answers ("…oncotype score 31, what does that mean? do i need chemo or
    not"): the refusal says the care team decides, and what the library says of
    chemotherapy in general is not an answer to them. A message of one question keeps
    the general information beside the refusal (what the drug asked about is, who has
    it), which is the talk the care team will have."""
    if decision is None or decision.abstains or len(reading.needs) < 2:
        return []
    return [
        need
        for need in reading.needs
        if (own := triage(need.text)) is not None and own.category == decision.category
    ]


def _left_to_safety(need: Need, decision: TriageDecision) -> Answer:
    """A question the safety message answers, not answered again from the library."""
    return Answer(
        question=need.text,
        answer="",
        abstained=True,
        abstention=Abstention(
            reason="triage",
            detail="the safety message answers this: it is for your care team to decide",
        ),
        safety=decision.to_safety(),
    )


def _follow_ups_alike(reading: MessageReading, parts: list[Answer]) -> list[Answer]:
    """A later question that goes on about an earlier one the library could not
    support (`_goes_on_about_unsupported`) is not answered either: it takes the
    earlier question's reason."""
    alike = list(parts)
    for index, need in enumerate(reading.needs):
        before = alike[index - 1] if index else None
        if (
            before is not None
            and _goes_on_about_unsupported(need, reading.needs[index - 1])
            and before.abstained
            and before.abstention is not None
            and before.abstention.reason in ("no_support", "partial_support", "triage")
            and not alike[index].abstained
        ):
            alike[index] = before.model_copy(update={"question": alike[index].question})
    return alike


def _outermost(
    span: tuple[str, int, int], deferred: Mapping[tuple[str, int, int], tuple[str, int, int]]
) -> tuple[str, int, int]:
    """The quote a deferred one is shown with: the widest that holds it (an item of a
    list within a list is shown with the outer list)."""
    while span in deferred:
        span = deferred[span]
    return span


def _combined(question: str, reading: MessageReading, parts: Sequence[Answer]) -> Answer:
    """One answer to a message from the answers to each of its questions: quotes in
    the order of the questions, citations numbered once (a quote two questions share
    is cited once, and one inside a quote shown already is not shown again), and for
    each question whether it was answered and why not."""
    needs: list[NeedAnswer] = []
    sentences: list[AnswerSentence] = []
    citations: list[Citation] = []
    consulted: list[ConsultedPassage] = []
    notes: list[str] = []
    seen: dict[tuple[str, int, int], int] = {}
    # every span the message's questions quote: a list's items one question quotes
    # are not shown where another quotes the whole list ("What is tucatinib and what
    # else is it given with?"), whichever comes first; they are cited by it
    quoted = [
        (c.doc_id, c.start, c.end)
        for part in parts
        for c in (part.citations[s.citation - 1] for s in part.sentences)
    ]
    deferred: dict[tuple[str, int, int], tuple[str, int, int]] = {}
    uses: list[list[int | tuple[str, int, int]]] = []
    for part in parts:
        used: list[int | tuple[str, int, int]] = []
        for sentence in part.sentences:
            cited = part.citations[sentence.citation - 1]
            key = (cited.doc_id, cited.start, cited.end)
            whole = next(
                (
                    span
                    for span in quoted
                    if span[0] == key[0]
                    and span[1] <= key[1]
                    and key[2] <= span[2]
                    and span[1:] != key[1:]
                ),
                None,
            )
            if key not in seen and whole is not None and whole not in seen:
                deferred[key] = whole  # shown with the whole, later in the message
                used.append(key)
                continue
            if key not in seen:
                # (a quote inside one shown already, a list's items after the whole
                # list, is cited by it and not shown twice)
                within = next(
                    (
                        n
                        for (doc, start, end), n in seen.items()
                        if doc == cited.doc_id and start <= cited.start and cited.end <= end
                    ),
                    None,
                )
                if within is not None:
                    seen[key] = within
                else:
                    seen[key] = len(citations) + 1
                    citations.append(cited.model_copy(update={"n": seen[key]}))
                    sentences.append(sentence.model_copy(update={"citation": seen[key]}))
            used.append(seen[key])
        uses.append(used)
        consulted += [c for c in part.consulted if c not in consulted]
        notes += [n for n in part.notes if n not in notes]
    for need, part, used in zip(reading.needs, parts, uses, strict=True):
        abstention = part.abstention
        numbers = {u if isinstance(u, int) else seen[_outermost(u, deferred)] for u in used}
        needs.append(
            NeedAnswer(
                question=need.text,
                kind=need.kind,
                searched=need.query,
                answered=not part.abstained,
                reason=None if abstention is None else abstention.reason,
                detail=None if abstention is None else abstention.detail,
                citations=sorted(numbers),
            )
        )
    answered = [p for p in parts if not p.abstained]
    if not answered:
        # nothing to quote: the first question's reason speaks for it, and the library's
        # own reason before one left to the safety message (which is shown anyway)
        speaks = next(
            (p for p in parts if p.abstention is None or p.abstention.reason != "triage"),
            parts[0],
        )
        return speaks.model_copy(update={"question": question, "needs": needs})
    if reading.several:
        notes += [
            f"not answered: \u201c{n.question}\u201d ({n.detail})" for n in needs if not n.answered
        ]
    shown = {c.passage_id for c in citations}
    return Answer(
        question=question,
        answer=" ".join(s.text.replace("\n", " ") for s in sentences),
        sentences=sentences,
        citations=citations,
        consulted=[c for c in consulted if c.passage_id not in shown],
        abstained=False,
        notes=notes,
        evidence=max(p.evidence for p in answered),
        needs=needs,
    )


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


_UNSAID = {
    "side_effects": "side effects",
    # "what happens if Herceptin stops working?" is an outlook question too: its
    # abstention says what is missing without naming survival to someone who did not
    "outlook": "what to expect (the outlook)",
    "frequency": "how common it is",
    "testing": "how it is tested for or found",
    "response": "whether it will work for someone",
    "duration": "how long or how often it is given",
    "route": "how it is given (a drip, an injection, tablets)",
    "preference": "which is better, or worth it, for someone",
    "variation": "how side effects differ from person to person",
    "course": "how side effects change as treatment goes on",
    "suitability": "why a treatment suits some people and not others",
    "definition": "what it is",
    "inheritance": "whether it runs in families",
    "genetic changes": "the genes involved",
    "prevention": "how to prevent it",
}


def _quota_spent(pages: Sequence[Hit]) -> str:
    """The abstention's detail when what answers is on pages whose licence's quota
    the message's earlier questions used up: where to read it, and how to get it
    quoted (ask on its own)."""
    named = [f"\u201c{h.title}\u201d ({h.source or 'unknown source'})" for h in pages[:2]]
    where = " and ".join(named)
    links = [h.url for h in pages[:2] if h.url]
    read = f"; read it at {' and '.join(links)}" if links else ""
    return (
        f"what answers this is on {where}, whose licence lets one answer quote only a "
        f"little of it, and the earlier questions of this message used that up: ask it "
        f"on its own{read}"
    )


def _why(
    reason: AbstentionReason,
    found: Support,
    hits: Sequence[Hit],
    unsaid: str | None = None,
    of: str | None = None,
) -> str:
    """The abstention's detail, in words a patient can act on: what the library does
    cover nearest to the question, and what it lacks. It never says the library has
    nothing about a word that a passage it read names (`Support.unnamed` counts
    every passage consulted)."""
    if reason == "out_of_scope":
        return "this does not look like a question about breast cancer or its treatment"
    nearest = _nearest(hits)
    if unsaid == "side_effects" and of:  # "…says nothing on the side effects of letrozole"
        lacks = f"the side effects of {of}"
        asked = [m for m in found.unnamed if m.lower() != of.lower()]
        if asked:  # "will herceptin make my hair fall out?": and what is asked of it
            lacks += " (nothing on " + ", ".join(f"\u201c{m}\u201d" for m in asked[:3]) + ")"
        return f"the library has information on {nearest}, but says nothing on {lacks}"
    if reason == "partial_support" and found.drug_unread and found.unnamed:
        # "What is olaparib?", "something called phesgo, what is that?": the drug itself
        # is what no passage names, and "says nothing on what it is" would not say which
        missing = ", ".join(f"\u201c{m}\u201d" for m in found.unnamed[:3])
        return f"the library has information on {nearest}, but not on {missing}"
    if unsaid == "definition" and of:  # "…says nothing on what “triple negative” is"
        lacks = f"what \u201c{of}\u201d is"
        return f"the library has information on {nearest}, but says nothing on {lacks}"
    if unsaid in _UNSAID:
        return f"the library has information on {nearest}, but says nothing on {_UNSAID[unsaid]}"
    if reason == "partial_support" and found.narrowed:
        about = ", ".join(f"\u201c{q}\u201d" for q in found.narrowed)
        return (
            f"the nearest pages ({nearest}) are about a narrower group ({about}) than the "
            "question asks about"
        )
    if reason == "partial_support" and found.unnamed:
        missing = ", ".join(f"\u201c{m}\u201d" for m in found.unnamed[:3])
        return f"the library has information on {nearest}, but not on {missing}"
    return f"the library has information on {nearest}, but nothing that answers this closely"


def _nearest(hits: Sequence[Hit]) -> str:
    """The sections the nearest passages are about, as a patient would read them."""
    names: list[str] = []
    for hit in hits[:5]:
        name = hit.heading_path[-1] if hit.heading_path else hit.title
        if name and name not in names:
            names.append(name)
        if len(names) == 2:
            break
    return " and ".join(f"\u201c{n}\u201d" for n in names) or "other topics"


_ASK_WHICH = frozenset({"eligibility", "options", "timing"})
# "Is Keytruda the only immunotherapy for breast cancer?": whether there are others
# (and "is pembro the one and only immunotherapy for breast?")
# ("are there several immunotherapy drugs or just the one?")
_ONLY = re.compile(
    r"\b(?:the\s+(?:one\s+and\s+)?only|only\s+one|just\s+(?:the\s+)?one)\b", re.IGNORECASE
)
# "only for when it's spread?", "only used once it has spread?": whether at other times
_ONLY_WHEN = re.compile(
    r"\bonly\s+(?:(?:for|used|given|offered)\s+)?(?:when|once|if|after|for)\b", re.IGNORECASE
)
# "…Keytruda and Tecentriq. Which one is used for breast cancer?", "can u get libtayo
# or only keytruda", "other immunotherapy drugs besides pembrolizumab, like
# atezolizumab?": whether a drug is given, asked beside another
_BESIDE = re.compile(r"\b(?:besides|other\s+than|apart\s+from)\b", re.IGNORECASE)
# "…or only keytruda?", "is it the only one?" (not "…or only once it has spread?")
_ONLY_NAMED = re.compile(r"\bonly\s+(?:the\s+|a\s+)?([\w-]+)", re.IGNORECASE)
_WHICH_IS_GIVEN = frozenset({"eligibility", "options", "other"})


def _asks_for_others(need: Need, vocabulary: Vocabulary) -> bool:
    """Whether a need asks whether there are other drugs than one, or which of two
    is given: a sentence saying which is "the only…" answers it."""
    if need.kind == "options" and _ONLY.search(need.text):
        return True
    if need.kind not in _WHICH_IS_GIVEN:
        return False
    drugs = _drugs_told(need, vocabulary)
    return len(drugs) > 1 or (bool(drugs) and _beside(need.text, vocabulary))


def _beside(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a question asks of a drug beside another: "besides", "other than", or
    "only" before a drug or "one"."""
    if _BESIDE.search(text):
        return True
    return any(
        m.group(1).lower() in ("one", "ones") or bool(drugs_of([m.group(1)], vocabulary))
        for m in _ONLY_NAMED.finditer(text)
    )


def _drugs_told(need: Need, vocabulary: Vocabulary) -> frozenset[str]:
    """The drugs a need and the story around it name (generic names)."""
    return drugs_of([need.text, *need.context], vocabulary)


def _the_only_one_answers(weighed: Weighed, need: Need, vocabulary: Vocabulary) -> bool:
    """Whether a quote saying a drug the message names is "the only…" answers for the
    other drugs it asks about, which no passage read names: NCI's sentence that
    pembrolizumab is the one immunotherapy approved for breast cancer answers
    whether Libtayo or Tecentriq is used for it (the note then says the quotes name
    neither). Only when nothing else asked is unread, and only for whether a drug is
    given, not for how one works or what it does."""
    found = weighed.support
    if not (found.drug_unread and found.only_drugs_unread) or not _asks_for_others(
        need, vocabulary
    ):
        return False
    named = _drugs_told(need, vocabulary)
    return any(
        says_the_only(c.text) and named & drugs_of([c.text], vocabulary) for c in weighed.choices
    )


# Question types of the vocabulary whose answer must speak of that kind of thing
# ("causes" is not: its cue "why" also asks why a treatment is given; nor is "who is at
# risk", answered in words such as "smoking increases the chance of…")
STRICT_TYPES = frozenset({"inheritance", "genetic changes", "prevention"})


def next_step(kind: str | None) -> str:
    """What a patient can do when the library does not answer."""
    if kind in _ASK_WHICH:
        return (
            "Your cancer care team can tell you what applies to you. To see which "
            "targeted and immunotherapy drugs the sources describe for a cancer like "
            "yours, and why others do not apply, try the treatment options explorer."
        )
    return (
        "Your cancer care team or specialist nurse can answer this. You could also ask "
        "again naming the drug or treatment, one question at a time."
    )


def _abstain(
    question: str,
    reason: AbstentionReason,
    detail: str,
    searched: Searched,
    strength: float = 0.0,
    kind: str | None = None,
) -> Answer:
    return Answer(
        question=question,
        answer="",
        abstained=True,
        abstention=Abstention(
            reason=reason, detail=detail, searched=searched, next_step=next_step(kind)
        ),
        evidence=round(strength, 4),
    )
