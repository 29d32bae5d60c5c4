"""From a user's question to lexical query terms and a safe FTS5 MATCH expression.

User text never reaches FTS5 syntax: it is cut into words (letters and digits only)
and every word or phrase is written as a double-quoted string, so `NEAR`, `*`, `:`,
`-` or an unbalanced quote in a question are just text. Function words are dropped
because an OR over "what is the" matches every row and makes FTS5 slow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oncocite.search.vocabulary import ExpandedQuery, words

__all__ = ["STOPWORDS", "LexicalQuery", "build_lexical_query", "fts5_phrase", "query_words"]

_STOPWORD_TEXT = """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t can't don't i'm i've get got tell know
    please"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def query_words(text: str) -> list[str]:
    """Content words of a query, lower-cased, in order, without repeats."""
    seen: list[str] = []
    for word in words(text):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


def fts5_phrase(text: str) -> str:
    """One FTS5 string literal; embedded quotes are doubled as FTS5 requires."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class LexicalQuery:
    """What the lexical engines search for.

    `terms` match anywhere; `phrases` are added vocabulary terms (several words each);
    `context_phrases` (question-type words) match only the passage context, and are
    repeated `context_boost` times because BM25 has no per-term weight.
    """

    terms: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    context_phrases: tuple[str, ...] = ()
    context_boost: int = 1
    source: ExpandedQuery | None = field(default=None, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.context_phrases)

    def match(self) -> str:
        """The FTS5 MATCH expression: every part quoted, joined by OR."""
        parts = [fts5_phrase(t) for t in self.terms]
        parts += [fts5_phrase(" ".join(words(p))) for p in self.phrases]
        if self.context_phrases:
            inner = " OR ".join(fts5_phrase(" ".join(words(p))) for p in self.context_phrases)
            parts += [f"context : ({inner})"] * max(1, self.context_boost)
        return " OR ".join(parts)

    def bag(self) -> tuple[list[str], list[str]]:
        """(anywhere words, context-only words) for bag-of-words engines."""
        anywhere = list(self.terms)
        for phrase in self.phrases:
            anywhere += words(phrase)
        context: list[str] = []
        for phrase in self.context_phrases:
            context += words(phrase) * max(1, self.context_boost)
        return anywhere, [w for w in context if w not in STOPWORDS]


def build_lexical_query(
    expanded: ExpandedQuery, use_types: bool = True, context_boost: int = 1
) -> LexicalQuery:
    """Lexical terms for an expanded query: its words, added terms, question-type words."""
    terms = query_words(expanded.text)
    phrases = [p for p in expanded.added_terms if words(p)]
    return LexicalQuery(
        terms=tuple(terms),
        phrases=tuple(phrases),
        context_phrases=tuple(expanded.type_terms) if use_types else (),
        context_boost=context_boost,
        source=expanded,
    )
