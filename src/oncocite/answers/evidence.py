"""How strongly the library supports an answer: what abstention is decided on.

Two signals, both comparable across questions (unlike fused ranks):

- closeness: the cosine between the question and the best of the top passages in
  the embedding space (dense side; absent without the dense extra);
- topic: the share of the question's topic (its words less the question-type words
  such as "treatments" or "symptoms", rare words counting most) that the cited
  passages are *about*: a drug or brand the vocabulary knows counts when a quoted
  sentence names it, any other topic word only when the passage's title or
  headings hold it. "Adult acute lymphoblastic leukaemia" is not answered from a
  page about the childhood disease, however close its sentences are.

A question that names the whole title of a cited document, and whose every topic
the title names ("What are the treatments for anal cancer?" and a page titled
"Anal Cancer"), is asked of a document about just that, and needs less
closeness: long pages sit far from short questions in the embedding space even
when they answer them. A near miss does not name its title, or its title misses a
topic: "small cell lung cancer" does not name "Non-Small Cell Lung Cancer", nor
"chronic myelogenous leukemia" "Atypical Chronic Myelogenous Leukemia", and "Lung
Cancer" does not name "small cell".

A page whose title narrows its subject with a qualifier the question does not use
("Male Breast Cancer", "Non-Hodgkin Lymphoma", "Atypical Chronic Myelogenous
Leukemia", "Childhood Liver Cancer") is about someone or something else than the
question asks: an answer quoting it is only partial support, and says so.

An answer is given when both reach their thresholds. The titled threshold was
chosen on the CancerGov tuning half, the same questions asked with their topic
left out of the library, and off-topic questions (benchmarks/abstention.py prints
the trade-off). Every CancerGov question names its page's title, so that set
says nothing about the other threshold; it stays where real questions need it
(the seed questions, and MEDIQA's consumer and Alexa tuning halves).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from oncocite.models import AbstentionReason
from oncocite.search.query import query_words
from oncocite.search.vocabulary import ExpandedQuery, Vocabulary

__all__ = [
    "CLOSENESS_NEEDED",
    "OUT_OF_SCOPE_CLOSENESS",
    "QUALIFIERS",
    "TITLED_CLOSENESS_NEEDED",
    "TOPIC_NEEDED",
    "Support",
    "TopicGroup",
    "closeness_of",
    "question_cues",
    "said",
    "support",
    "topic_groups",
]

CLOSENESS_NEEDED = 0.68
TITLED_CLOSENESS_NEEDED = 0.6
TOPIC_NEEDED = 0.9
OUT_OF_SCOPE_CLOSENESS = 0.4
TOP = 3

# Words by which a title narrows its subject to a population, a subtype or a stage.
QUALIFIERS = frozenset(
    """non male men female women childhood child children paediatric pediatric infant
    infantile juvenile adolescent adult adults atypical familial hereditary chronic
    acute recurrent metastatic secondary inflammatory pregnancy""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Support:
    """The evidence for one answer, and the topic words nothing cited is about."""

    closeness: float | None
    topic: float
    missing: tuple[str, ...] = ()
    named: bool = False  # a drug or term of the vocabulary is named by a quote
    titled: bool = False  # the question names the whole title of a cited document
    narrowed: tuple[str, ...] = ()  # qualifiers of cited titles the question lacks
    # the share of the topic the quotes themselves name (with titles and headings),
    # and the share the quoted passages name anywhere in their text
    quoted: float = 0.0
    body: float = 0.0
    unnamed: tuple[str, ...] = ()  # topics no quoted passage names at all
    weight: float = 0.0  # the summed weight of the question's topics
    unnamed_share: float = 0.0  # the share of that weight no passage read names
    drug_unread: bool = False  # a drug the question names is named by no passage read
    term_quoted: bool = False  # a term of the vocabulary the question names is quoted
    # every topic no passage read names is a drug ("…Keytruda and Tecentriq. Which one
    # is used for breast cancer?"), none of them a status or another word
    only_drugs_unread: bool = False

    @property
    def strength(self) -> float:
        """One number for people and the API: the mean of the two signals."""
        if self.closeness is None:
            return round(self.topic, 4)
        return round(0.5 * self.topic + 0.5 * max(0.0, self.closeness), 4)

    def verdict(
        self,
        closeness_needed: float = CLOSENESS_NEEDED,
        topic_needed: float = TOPIC_NEEDED,
        titled_needed: float = TITLED_CLOSENESS_NEEDED,
    ) -> AbstentionReason | None:
        """None to answer, else why not.

        A question about a drug or term the vocabulary knows, whose quotes name it,
        is answered on its topic alone: "What is Kadcyla?" is close to no long
        passage in the embedding space, yet plainly answered by "Trastuzumab
        emtansine (Kadcyla) is a combination of 2 drugs".
        """
        far = self.closeness is not None and self.closeness < OUT_OF_SCOPE_CLOSENESS
        if self.topic < topic_needed or self.narrowed:
            return "out_of_scope" if far and self.topic == 0 else "partial_support"
        if self.named:
            return None
        if far:
            return "out_of_scope"
        needed = min(closeness_needed, titled_needed) if self.titled else closeness_needed
        if self.closeness is not None and self.closeness < needed:
            return "no_support"
        return None


@dataclass(frozen=True)
class TopicGroup:
    """A topic of the question: stems that count as naming it, and its weight.

    `forms` are the ways a text may name it, each a set of stems that must all be
    there: "HER2 low" is named by "her2" with "low", not by "her2" alone; "Perjeta"
    by "perjeta" or by "pertuzumab". Without forms, any of `stems` names it.
    """

    label: str
    stems: frozenset[str]
    weight: float
    named: bool  # a drug of the vocabulary: a quoted sentence naming it suffices
    forms: tuple[frozenset[str], ...] = ()
    term: bool = False  # any term of the vocabulary (a drug, concept, lay word)
    # each form's stems in order ("her2 low"): where the text's runs of words are
    # known (`said`), a term of several words must stand as a run, not scattered
    # ("HER2 positive… low white cells" does not name HER2 low); a drug's may be
    # ("…2 drugs, trastuzumab, and a chemotherapy drug called deruxtecan")
    phrases: tuple[str, ...] = ()
    # a receptor status or stage of the vocabulary ("HER2 low", "triple negative"):
    # like a drug, one no passage names is never answered around
    status: bool = False

    def named_in(self, present: set[str] | frozenset[str]) -> bool:
        if not self.forms:
            return bool(self.stems & present)
        runs = PHRASED in present
        for index, form in enumerate(self.forms):
            if runs and len(form) > 1 and not self.named and index < len(self.phrases):
                if self.phrases[index] in present:
                    return True
            elif form <= present:
                return True
        return False


PHRASED = "\x00runs"  # marks a set from `said`: it holds the text's runs of words too
LONGEST_NAME = 4  # words in the longest name checked as a run


def said(stems: Sequence[str]) -> set[str]:
    """A text's stems, each run of two to LONGEST_NAME of them joined by a space, and
    PHRASED: what `TopicGroup.named_in` reads a name of several words in. Two words
    a third is shared by ("targeted and immunotherapy drugs") name each pair
    ("targeted drugs", "immunotherapy drugs")."""
    found = set(stems)
    found.add(PHRASED)
    runs: Sequence[str] = stems
    for size in range(2, LONGEST_NAME + 1):
        # each run one word longer than the last (a passage read has ~300 words, and
        # an ask reads ten: joined afresh at every length they cost more than the rest)
        runs = [f"{run} {stem}" for run, stem in zip(runs, stems[size - 1 :], strict=False)]
        found.update(runs)
    for i in range(len(stems) - 3):
        if stems[i + 1] in _COORDINATING:
            found.add(f"{stems[i]} {stems[i + 3]}")
    return found


_COORDINATING = frozenset({"and", "or"})


def question_cues(vocabulary: Vocabulary, stem: Callable[[str], list[str]]) -> frozenset[str]:
    """The stems of every question-type cue and term: words that say what kind of
    question it is ("treatments", "symptoms"), never what it is about."""
    return frozenset(
        s for qt in vocabulary.data.question_types for w in qt.cues + qt.terms for s in stem(w)
    )


def topic_groups(
    text: str,
    expanded: ExpandedQuery,
    vocabulary: Vocabulary,
    stem: Callable[[str], list[str]],
    idf: Callable[[str], float],
    unseen: float,
    cues: frozenset[str] | None = None,
    ignored: frozenset[str] = frozenset(),
) -> list[TopicGroup]:
    """The topics of a question: its vocabulary terms (with their canonical forms;
    only drugs may be covered by a quote alone),
    then its other content words, question-type words left out. A word no passage
    holds weighs `unseen` (the IDF of a word in no passage). `cues` is
    `question_cues(vocabulary, stem)`, when the caller keeps it."""
    if cues is None:
        cues = question_cues(vocabulary, stem)
    groups: list[TopicGroup] = []
    used: set[str] = set()
    for match in expanded.matches:
        canonical = vocabulary.canonical(match.canonical) or match.canonical
        entries = vocabulary.entries_of(canonical)
        expansion = entries[0].expansion if entries else [canonical]
        stems = set(stem(match.surface)) | {s for term in expansion for s in stem(term)}
        used |= set(stem(match.surface))
        if stems - cues:
            # a drug or term the library never names weighs most, as an unseen word does
            weight = max((idf(s) or unseen for s in stems), default=0.0)
            drug = match.kind == "generic" or any(e.kind == "generic" for e in entries)
            # named by what means the same (its document term and other names), never
            # by a broader term it expands to ("pembrolizumab" is not "immunotherapy")
            # unless that term answers for it (`answered_by`: ER+ by "hormone receptor
            # positive")
            names = [
                match.surface,
                *(n for e in entries for n in [e.canonical, *e.aliases, *e.answered_by]),
            ]
            ordered: dict[frozenset[str], str] = {}
            for name in names:
                if stem(name):
                    ordered.setdefault(frozenset(stem(name)), " ".join(stem(name)))
            term = match.kind != "spelling"
            groups.append(
                TopicGroup(
                    vocabulary.written(match.surface),  # "PD-L1" for "pd l1"
                    frozenset(stems),
                    weight,
                    drug,
                    tuple(ordered),
                    term,
                    tuple(ordered.values()),
                    status=match.kind == "abbreviation" or any(e.condition for e in entries),
                )
            )
    for word in query_words(text):
        if word in ignored or word.isdigit():  # people, filler, numbers: never the topic
            continue
        for s in stem(word):
            if s not in used and s not in cues:
                # a word the library has never seen weighs most: nothing is about it; a
                # word named like a drug is one, known to the vocabulary or not
                drug = bool(_DRUG_NAME.search(word))
                groups.append(TopicGroup(word, frozenset({s}), idf(s) or unseen, drug))
                used.add(s)
    return groups


# International nonproprietary name stems of drugs ("denosumab", "alpelisib",
# "letrozole", "docetaxel"): a drug the vocabulary does not list is still a drug, and
# an answer naming another one ("…like her Herceptin") does not answer for it.
_DRUG_NAME = re.compile(
    r"^[a-z]{3,}(?:mab|tinib|ciclib|parib|lisib|rafenib|zomib|zole|abine|taxel|platin|"
    r"rubicin|strant|relin|limus|sertib|tamab)$"
)


def support(
    groups: Sequence[TopicGroup],
    about: set[str],
    quoted: set[str],
    closeness: float | None,
    titled: bool = False,
    narrowed: tuple[str, ...] = (),
    body: set[str] | None = None,
    consulted: set[str] | None = None,
    had: frozenset[str] = frozenset(),
    required: frozenset[str] = frozenset(),
) -> Support:
    """Support from the stems the cited passages are about (titles, headings), the
    stems of the quoted sentences and of the passages they stand in (`body`);
    `unnamed` lists the topics no passage read for the question names at all
    (`consulted`), so an abstention never says the library has nothing about a
    word a passage it read holds. A topic among the stems of `had` (a treatment
    the story says was had: "I had surgery and radiotherapy") counts where it is
    named, but is never missed: what comes next is asked, not what was had. A topic
    among the stems of `required` (a doubted claim's words) that no passage read
    names holds the answer back as an unread drug does (`drug_unread`)."""
    total = sum(g.weight for g in groups)
    if total == 0:
        return Support(closeness, 1.0, titled=titled, narrowed=narrowed, quoted=1.0, body=1.0)
    body = quoted | (body or set())
    covered = [g for g in groups if g.named_in(about) or (g.named and g.named_in(quoted))]
    # what the note "the quoted sources say nothing about" names: neither a heading
    # nor a quote names it ("chemo" is named by "a chemotherapy drug")
    missing = tuple(g.label for g in groups if not g.named_in(about | quoted))
    named = any(g.named and g.named_in(quoted) for g in covered)
    share = sum(g.weight for g in covered) / total
    in_quotes = sum(g.weight for g in groups if g.named_in(about | quoted)) / total
    anywhere = [g for g in groups if g.named_in(about | body)]
    read = about | body | (consulted or set())
    unnamed_groups = [g for g in groups if not g.named_in(read) and not g.named_in(had)]
    unnamed = tuple(dict.fromkeys(g.label for g in unnamed_groups))
    in_body = sum(g.weight for g in anywhere) / total
    unread = sum(g.weight for g in unnamed_groups) / total
    # (and a word of a doubted claim, `required`: "…can cause lung problems. Is that
    # right?" is not answered around "lung", however heavy "Enhertu" weighs)
    drug_unread = any(g.named or g.status or g.stems & required for g in unnamed_groups)
    term_quoted = any(g.term and g.named_in(quoted) for g in groups)
    only_drugs = bool(unnamed_groups) and all(g.named and not g.status for g in unnamed_groups)
    return Support(
        closeness,
        share,
        missing,
        named,
        titled,
        narrowed,
        in_quotes,
        in_body,
        unnamed,
        total,
        unread,
        drug_unread,
        term_quoted,
        only_drugs,
    )


def closeness_of(scores: Sequence[dict[str, float]]) -> float | None:
    """The best dense cosine among the top passages, or None without a dense side."""
    dense = [s["dense"] for s in scores[:TOP] if "dense" in s]
    return max(dense) if dense else None
