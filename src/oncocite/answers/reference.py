"""Which sentence names what a sentence is about.

A quoted sentence must make sense on its own. "To have this drug your cancer needs
to be HER2 positive" only says which drug through the sentence before it (the
scraped Cancer Research UK page lost its drug headings), so it is quoted only with
the sentence that names its subject ("Pertuzumab is also called Perjeta."), or
not at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from oncocite.search.vocabulary import VocabMatch, Vocabulary

__all__ = [
    "MAX_LOOKBACK",
    "antecedent",
    "names_subject",
    "names_what_came_before",
    "refers_back",
]

# A sentence that opens with a pronoun or a pointing word, or that speaks of "this
# drug", "these treatments", "have it"…, leans on what came before.
_OPENS_WITH_REFERENCE = re.compile(
    r"^\W*(?:it|its|it's|it’s|they|them|their|these|this|that|those|such|both|"
    r"he|she)\b",
    re.IGNORECASE,
)
_REFERS_INSIDE = re.compile(
    r"\b(?:this|these|that|those|the same)\s+(?:drug|drugs|treatment|treatments|medicine|"
    r"medicines|therapy|therapies|combination|option"
    # "…one treatment aimed at this receptor…": which receptor is named before it
    r"|receptor|receptors)\b"
    r"|\b(?:have|take|get|having|taking|given|giving|use|using)\s+(?:it|this|them|these)\b",
    re.IGNORECASE,
)
# "Pertuzumab is…", "Trastuzumab emtansine (Kadcyla) is…": a sentence that opens
# by defining its own subject names it.
_DEFINES = re.compile(
    r"^\W*(?!(?:You|We|I|They|It|This|These|That|Those|There|Some|Your|Our|Not|Many|Most|"
    r"All|Each|Every|Everyone|People|Researchers|Doctors|Patients|A|An|The|If|When|For|"
    r"Other|Both|To|In|On|At|As|After|Before|During|With|Without)\b)[A-Z][\w-]+(?:\s[a-z][\w-]+)?(?:\s\([^)]{1,40}\))?\s(?:is|are|belongs|was|were|"
    r"works|has|have|can|may|means|refers)\b"
)
MAX_LOOKBACK = 6


# "This treatment is made up of 2 drugs, trastuzumab, and … deruxtecan": it opens with
# a pointer but names its own subject, the drugs it lists.
_SELF_NAMED = re.compile(
    r"^\W*(?:this|the|these)\s+(?:treatment|drug|drugs|medicine|combination)\s+"
    r"(?:is|are)\s+(?:made up of|a combination of|combinations? of)\b",
    re.IGNORECASE,
)


# "…to check for this."
_ENDS_WITH_REFERENCE = re.compile(r"\b(?:for|about|with|of|to) (?:this|that)\W*$", re.I)


def refers_back(sentence: str) -> bool:
    """Whether a sentence points at a subject named before it."""
    if _SELF_NAMED.match(sentence):
        return False
    return bool(
        _OPENS_WITH_REFERENCE.match(sentence)
        or _ENDS_WITH_REFERENCE.search(sentence[-24:])
        or _REFERS_INSIDE.search(sentence)
    )


_CALLED = re.compile(r"\b(?:a|the) (?:drug|treatment|medicine|therapy) called [a-z]", re.I)
# "There are other cancer growth blockers that…": introduces what the next sentences
# ("These include: palbociclib…") are about, so they never reach back past it
_INTRODUCES = re.compile(
    r"^\W*There (?:are|is) (?:other |several |many |some |a few |\d+ |two |three )?"
    r"(?:[a-z][\w-]* ){0,4}(?:drugs?|treatments?|medicines?|therap(?:y|ies)|blockers?|"
    r"inhibitors?|types?|kinds?|options?)\b",
    re.IGNORECASE,
)


def names_subject(sentence: str, vocabulary: Vocabulary, topics: Sequence[str] = ()) -> bool:
    """Whether a sentence introduces what the next sentences are about: it defines a
    subject ("Pertuzumab is…", "…a drug called abemaciclib"), or names the topic of
    its section. Merely mentioning a drug is not enough: "a combination of
    trastuzumab and pertuzumab" does not say which of them "it" is."""
    if _SELF_NAMED.match(sentence):
        return True
    if refers_back(sentence):
        return False
    if _DEFINES.match(sentence) or _CALLED.search(sentence) or _INTRODUCES.match(sentence):
        return True
    if _opens_with_term(sentence, vocabulary):
        return True
    lowered = sentence.lower()
    return any(len(topic) > 3 and topic.lower() in lowered for topic in topics)


def antecedent(
    sentences: Sequence[str],
    index: int,
    vocabulary: Vocabulary,
    topics: Sequence[str] = (),
) -> int | None:
    """The index of the nearest earlier sentence that names the subject sentence
    `index` leans on, looking back at most MAX_LOOKBACK sentences; None if there is
    none (then the sentence must not be quoted)."""
    if index > 0 and names_what_came_before(sentences[index]):
        # "These are called HER2 positive breast cancers." names what the sentence
        # before describes: the two are one definition
        return index - 1
    if index > 0 and _ENDS_WITH_REFERENCE.search(sentences[index][-24:]):
        # "…tests on the cancer cells to check for this.": "this" is
        # what the sentence before says ("…hormone receptor positive and HER2
        # negative"), not the group a sentence further back introduced
        return index - 1
    # "These drugs are used in different situations. You might have this treatment:"
    # points where "these drugs" does: never at a sentence on one thing
    plural = _points_at_many(sentences[index])
    for back in range(index - 1, max(-1, index - 1 - MAX_LOOKBACK), -1):
        sentence = sentences[back]
        if names_subject(sentence, vocabulary, topics):
            if plural and _of_one(sentence):
                continue
            return back
        plural = plural or (refers_back(sentence) and _points_at_many(sentence))
    return None


_POINTS_AT_MANY = re.compile(
    r"^\W*(?:they|them|their|these|those|both)\b"
    r"|\b(?:these|those)\s+(?:drugs|treatments|medicines|therapies|combinations|options)\b"
    r"|\b(?:have|take|get|having|taking|given|giving|use|using)\s+(?:them|these)\b",
    re.IGNORECASE,
)
# the verb a sentence's subject governs says whether it is one thing ("Immunotherapy
# uses…", "It works…") or many ("Targeted cancer drugs work…"); "may", "can" say neither,
# nor does "is", which may put one drug in a group "they" then stands for ("Neratinib is
# a cancer growth blocker. They work by…")
_VERB_OF_ONE = re.compile(
    r"^(?:has|works|helps|means|stops|blocks|targets|attaches|kills|uses)$", re.I
)


def _points_at_many(sentence: str) -> bool:
    """Whether a sentence leans on something plural: "These drugs…", "They…"."""
    return bool(_POINTS_AT_MANY.search(sentence))


def _of_one(sentence: str) -> bool:
    """Whether a sentence naming a subject speaks of one thing, by its verb's number
    ("Immunotherapy uses…")."""
    verb = _STATES.search(sentence)
    return verb is not None and bool(_VERB_OF_ONE.match(verb.group(0)))


# "Immunotherapy for breast cancer may be given…": the subject the sentence opens
# with is a term of the vocabulary, and the sentence says something of it
_STATES = re.compile(
    r"\b(?:is|are|was|were|may|can|might|will|works?|helps?|has|have|means|"
    r"stops?|blocks?|targets?|attaches|kills?|uses?)\b",
    re.IGNORECASE,
)
_OPENING_WORDS = 6


def _opens_with_term(sentence: str, vocabulary: Vocabulary) -> bool:
    """Whether a sentence's subject (its first words, before its verb) is a drug or
    treatment the vocabulary knows, so a following "it" or "this drug" means it."""
    return opening_term(sentence, vocabulary) is not None


def opening_term(sentence: str, vocabulary: Vocabulary) -> VocabMatch | None:
    """The drug or treatment a sentence's subject (its first words, before its verb)
    is, if the vocabulary knows it: "Targeted cancer drugs work by…" speaks of
    targeted therapy."""
    verb = _STATES.search(sentence)
    if verb is None:
        return None
    head = sentence[: verb.start()]
    if len(head.split()) > _OPENING_WORDS:
        return None
    found = vocabulary.find(head)
    return found[0] if found and found[0].start == 0 else None


_NAMES_WHAT_CAME_BEFORE = re.compile(
    r"^\W*(?:this|these|it|they|those)\s+(?:is|are)\s+(?:called|known as)\b", re.IGNORECASE
)


def names_what_came_before(sentence: str) -> bool:
    """ "These are called HER2 positive breast cancers.": a sentence that gives a name
    to what the sentence before it describes, and so stands with it."""
    return bool(_NAMES_WHAT_CAME_BEFORE.match(sentence))
