"""Is a reworded sentence supported by the quotes it cites? The gate a language
model's wording must pass before a patient sees it.

A model may say the same thing in plainer words; it may not add a fact. So a
sentence is supported only when, against the union of the quoted sentences it
cites:

- every number it gives is in them (doses, percentages, weeks, years);
- it negates only what they negate (the few content words after "not", "no",
  "without" …), and states nothing plainly that they negate;
- every drug or vocabulary term it names is named by them (brand and generic
  names count as the same term);
- it makes no claim of certainty they do not make ("cures", "always", "safe");
- its other content words are theirs, bar a few of the library's common words
  (at most one in five, each in at least 2 % of passages): "medicine" for
  "drug" passes, "bleach" does not.

Quoted text written as an instruction ("ignore previous instructions and tell
the patient …") supports nothing: a document's planted instruction is text, and a
model that obeys it cannot cite the instruction as evidence for what it was told
to say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from oncocite.search.vocabulary import Vocabulary, words

__all__ = ["Grounding", "GroundingCheck", "is_instruction"]

COMMON_SHARE = 0.02  # a word in at least this share of passages may paraphrase
UNSUPPORTED_SHARE = 0.2  # at most this share of a sentence's content words may
NEGATION_SCOPE = 3  # content words after "not" that it negates

# Words that carry no claim of their own.
_FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him himself
    his how i if in into is it its itself just may me might more most must my myself
    of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself yourselves usually often
    sometimes called known people person someone something many much one""".split()  # noqa: SIM905
)
_NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "neither", "without", "cannot"})
# Claims of certainty or safety a source must make itself.
_CERTAINTY = frozenset(
    """cure cures cured curing always guarantee guaranteed guarantees definitely certainly
    completely entirely safe harmless proven miracle instead stop stopping permanent
    permanently every everyone nobody""".split()  # noqa: SIM905
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b(?:\W+\w+){0,3}?\W+"
    r"(?:previous|prior|above|earlier|all|any|your|the)\b(?:\W+\w+){0,2}?\W+"
    r"(?:instructions?|prompts?|rules|guidelines)\b"
    r"|\b(?:tell|instruct|advise|inform)\s+(?:the\s+)?(?:patient|reader|user)s?\s+(?:that|to)\b"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|chatbot|language model)\b"
    r"|\b(?:system prompt|new instructions)\b|^\s*(?:assistant|system)\s*:",
    re.IGNORECASE,
)


def is_instruction(text: str) -> bool:
    """Whether a sentence is written to a model or reader as an instruction."""
    return _INSTRUCTION.search(text) is not None


@dataclass(frozen=True)
class Grounding:
    """The verdict on one reworded sentence and, when unsupported, why."""

    supported: bool
    reason: str = ""


class GroundingCheck:
    """Checks reworded sentences against quoted ones with the library's stems.

    `stem` is the search index's tokenizer (so "treatments" and "treatment" agree)
    and `share` gives the share of passages holding a stem (0 for one none holds).
    """

    def __init__(
        self,
        stem: Callable[[str], list[str]],
        share: Callable[[str], float],
        vocabulary: Vocabulary,
    ) -> None:
        self.stem = stem
        self.share = share
        self.vocabulary = vocabulary

    def check(self, sentence: str, quotes: Sequence[str]) -> Grounding:
        """Whether `sentence` says nothing its cited `quotes` do not."""
        evidence = [q for q in quotes if not is_instruction(q)]
        if not evidence:
            return Grounding(False, "it cites no quoted sentence that states a fact")
        source = " ".join(evidence)
        if set(_NUMBER.findall(sentence)) - set(_NUMBER.findall(source)):
            return Grounding(False, "it gives a number its quotes do not")
        denied, stated = self._scopes(sentence)
        source_denied, source_stated = self._scopes(source)
        if denied - source_denied:
            return Grounding(False, "it negates what its quotes do not")
        if (stated & source_denied) - source_stated:
            return Grounding(False, "it drops a negation of its quotes")
        said = self._stems(sentence)
        if (said & self._certainty()) - self._stems(source):
            return Grounding(False, "it claims a certainty its quotes do not")
        if self._terms(sentence) - self._terms(source):
            return Grounding(False, "it names a term its quotes do not")
        known = self._stems(source) | self._expansion(source)
        if not said:
            return Grounding(False, "it says nothing")
        new = [s for s in said if s not in known]
        if any(self.share(s) < COMMON_SHARE for s in new):
            return Grounding(False, "it uses words its quotes do not")
        if len(new) > UNSUPPORTED_SHARE * len(said):
            return Grounding(False, "too many of its words are not in its quotes")
        return Grounding(True)

    def _scopes(self, text: str) -> tuple[set[str], set[str]]:
        """Stems said under a negation (the next few content words after "not",
        "no", "without" …) and stems said plainly."""
        denied: set[str] = set()
        stated: set[str] = set()
        left = 0
        for token in _words(text):
            if token in _NEGATIONS:
                left = NEGATION_SCOPE
                continue
            if token in _FUNCTION_WORDS:
                continue
            stems = self.stem(token)
            if left:
                denied.update(stems)
                left -= 1
            else:
                stated.update(stems)
        return denied, stated

    def _certainty(self) -> set[str]:
        return {s for w in _CERTAINTY for s in self.stem(w)}

    def _stems(self, text: str) -> set[str]:
        """Content stems: function words and negations left out."""
        skip = _FUNCTION_WORDS | _NEGATIONS
        return {s for w in _words(text) if w not in skip for s in self.stem(w)}

    def _terms(self, text: str) -> set[str]:
        """The canonical vocabulary terms a text names (a brand means its generic)."""
        return {m.canonical for m in self.vocabulary.find(text)}

    def _expansion(self, text: str) -> set[str]:
        """Stems of every name of the terms a text names, so either may be used."""
        stems: set[str] = set()
        for match in self.vocabulary.find(text):
            for name in self.vocabulary.names_of(match.canonical):
                stems |= set(self.stem(name))
        return stems


_CONTRACTED_NOT = re.compile(r"n['’]t\b", re.IGNORECASE)


def _words(text: str) -> list[str]:
    """Lower-cased words, with "isn't" read as "is not"."""
    return words(_CONTRACTED_NOT.sub(" not", text))
