"""Search: patient vocabulary, lexical BM25, dense embeddings, fusion and filters.

Heavy parts (the embedding model) are imported lazily, so lexical search works
without the `dense` extra.
"""

from oncocite.search.engine import EngineConfig, SearchEngine
from oncocite.search.filters import FILTER_KEYS, parse_filters
from oncocite.search.vocabulary import ExpandedQuery, Vocabulary

__all__ = [
    "FILTER_KEYS",
    "EngineConfig",
    "ExpandedQuery",
    "SearchEngine",
    "Vocabulary",
    "parse_filters",
]
