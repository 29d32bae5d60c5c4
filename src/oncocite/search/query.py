"""From a user's question to the store's database-neutral full-text query.

The question keeps its own content words (function words dropped: an OR over "what
is the" matches every passage), gains the canonical terms its patient words stand
for, and the question-type words that match only a passage's context. Each store
turns the resulting `TextQuery` into its own syntax, quoting every word, so user
text can never become query syntax.
"""

from __future__ import annotations

from oncocite.search.vocabulary import ExpandedQuery, words
from oncocite.store.base import FieldWeights, QueryTerm, TextQuery

__all__ = ["STOPWORDS", "build_lexical_query", "query_bag", "query_words"]

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


def build_lexical_query(
    expanded: ExpandedQuery,
    use_types: bool = True,
    context_boost: int = 1,
    weights: FieldWeights | None = None,
) -> TextQuery:
    """Terms for an expanded query: its words, added terms, question-type words."""
    terms = [QueryTerm((word,)) for word in query_words(expanded.text)]
    terms += [QueryTerm(tuple(words(p))) for p in expanded.added_terms if words(p)]
    if use_types:
        terms += [
            QueryTerm(tuple(words(p)), field="context", boost=max(1, context_boost))
            for p in expanded.type_terms
            if words(p)
        ]
    return TextQuery(terms=tuple(terms), weights=weights or FieldWeights())


def query_bag(query: TextQuery) -> tuple[list[str], list[str]]:
    """(anywhere words, context-only words) for bag-of-words engines.

    Context words are repeated by their boost (BM25 has no per-term weight) and lose
    their function words, which a phrase match keeps but a bag of words cannot use.
    """
    anywhere: list[str] = []
    context: list[str] = []
    for term in query.terms:
        if term.field == "any":
            anywhere += term.words
        else:
            context += [w for w in term.words if w not in STOPWORDS] * term.boost
    return anywhere, context
