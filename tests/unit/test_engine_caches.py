"""The passages a long-lived engine keeps for its hits follow the store's generation."""

from __future__ import annotations

from collections.abc import Sequence

from oncocite.models import Passage
from oncocite.search.engine import SearchEngine
from oncocite.store.base import PassageView


class CountingStore:
    """Just enough of a store for `passage_views`: a title that changes with the
    generation, and a count of reads."""

    def __init__(self) -> None:
        self.current = 1
        self.reads = 0

    def generation(self) -> int:
        return self.current

    def vectors_generation(self) -> int:
        return 0

    def generations(self) -> tuple[int, int]:
        return self.current, 0

    def passages_by_keys(self, keys: Sequence[int]) -> list[PassageView]:
        self.reads += 1
        return [
            PassageView(
                key=key,
                passage=Passage(
                    passage_id=f"p{key}", doc_id="d", seq=key, text="t", start=0, end=1
                ),
                title=f"title at generation {self.current}",
                source=None,
                url=None,
                license=None,
                last_reviewed=None,
            )
            for key in keys
            if key != 404
        ]


def test_passages_are_read_once_per_generation_and_never_served_stale() -> None:
    store = CountingStore()
    engine = SearchEngine(store)  # type: ignore[arg-type]
    generation = engine._check_generation()
    first = engine.passage_views([3, 1, 404], generation)
    assert [v.key for v in first] == [3, 1], "in the order asked, a missing key left out"
    again = engine.passage_views([1, 3], engine._check_generation())
    assert [v.key for v in again] == [1, 3] and store.reads == 1
    store.current = 2  # the library changed (here: a document's title)
    after = engine.passage_views([1, 3], engine._check_generation())
    assert store.reads == 2
    assert {v.title for v in after} == {"title at generation 2"}


def test_a_read_tagged_with_an_older_generation_is_not_served_at_a_newer_one() -> None:
    """A thread that read the generation before a change caches under that number, so
    a thread at the new generation never sees what it read."""
    store = CountingStore()
    engine = SearchEngine(store)  # type: ignore[arg-type]
    old = engine._check_generation()
    store.current = 2
    engine.passage_views([7], old)
    assert engine.passage_views([7], engine._check_generation())[0].title.endswith("2")
    assert store.reads == 2


def test_context_scores_complete_the_lists_of_other_sides_candidates() -> None:
    import numpy as np
    import pytest

    from oncocite.search.engine import _ContextScores

    keys = np.array([1, 2, 3, 4, 5], dtype=np.int64)
    about = np.array([0.9, 0.8, 0.1, 0.4, -np.inf], dtype=np.float32)
    lists = {"lexical": [(3, 7.0), (5, 2.0), (9, 1.0)], "dense": [(4, 0.6)], "about": [(1, 0.9)]}
    _ContextScores(keys, {"about": about}).complete(lists)
    # 4 and 3 (found by other sides) gain their score, best first; 5 is not allowed
    # (-inf), 9 has no context vector, 2 was found by no side: none is added
    assert lists["about"] == [(1, 0.9), (4, pytest.approx(0.4)), (3, pytest.approx(0.1))]
    assert lists["lexical"] == [(3, 7.0), (5, 2.0), (9, 1.0)], "other sides are untouched"


def test_a_query_vector_finished_meanwhile_is_taken_from_memory_not_embedded_again() -> None:
    """Between a thread's look in the memory of query vectors and its claim, another
    thread may finish the same vector: the claimant takes it from the memory."""
    import numpy as np

    engine = SearchEngine(CountingStore())  # type: ignore[arg-type]
    passes: list[object] = []

    def no_pass(items: object) -> list[object]:
        passes.append(items)
        raise AssertionError("embedded again")

    engine._embed_queries = no_pass  # type: ignore[method-assign,assignment]
    key = ("what is kadcyla?", None, engine.config.query_max_tokens)
    claim = engine._embedding_now.claim([key])
    finished = (np.zeros(4, dtype=np.float32),)
    engine._query_vectors.put(key, finished)  # by the other thread, just now
    got = engine._embed_claimed(claim, [("what is kadcyla?", None)], [key], [None])
    assert got[key] is finished and not passes
    assert claim.mine[key].result(timeout=1) is finished and len(engine._embedding_now) == 0
