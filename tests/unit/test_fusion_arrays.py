"""The array forms of fusion and of completing the context sides' lists give the very
results (to the bit, in the same order) of their definitions as dicts and loops:
they exist to be faster, never to rank differently (issue 28)."""

from __future__ import annotations

import random

import numpy as np

from oncocite.search.engine import _ContextScores
from oncocite.search.fusion import Scale, _weighted_dicts, weighted
from oncocite.search.ranking import sorted_distinct

SCALES: list[Scale] = ["minmax", "found", "cosine"]


def _random_lists(rng: random.Random) -> list[list[tuple[int, float]]]:
    lists = []
    for _ in range(rng.randint(0, 6)):
        rows = rng.sample(range(60), rng.randint(0, 30))
        if rng.random() < 0.3:  # ties, zeros of either sign, a constant list
            scores = [rng.choice([0.0, -0.0, 0.25, 0.5, 1.0]) for _ in rows]
        else:  # cosines as float32 gives them, some outside [0, 1]
            scores = [float(np.float32(rng.uniform(-0.5, 1.5))) for _ in rows]
        lists.append(list(zip(rows, scores, strict=True)))
    return lists


def test_weighted_equals_its_definition_to_the_bit() -> None:
    rng = random.Random(28)
    for trial in range(2000):
        lists = _random_lists(rng)
        if trial % 5 == 0 and lists and lists[0]:
            lists[0] = lists[0] + [lists[0][0]]  # a row twice in one list
        weights = [rng.choice([0.0, 0.036, 0.114, 0.629, 1.0]) for _ in lists]
        for scales in ([rng.choice(SCALES) for _ in lists], None):
            fast, slow = weighted(lists, weights, scales), _weighted_dicts(lists, weights, scales)
            assert [(r, repr(s)) for r, s in fast] == [(r, repr(s)) for r, s in slow]
            assert all(type(r) is int and type(s) is float for r, s in fast)


def _complete_by_loop(
    keys: np.ndarray, scores: dict[str, np.ndarray], lists: dict[str, list[tuple[int, float]]]
) -> None:
    """What `_ContextScores.complete` did before it was put in numpy."""
    candidates = np.unique(np.fromiter((k for r in lists.values() for k, _ in r), np.int64))
    rows = np.minimum(np.searchsorted(keys, candidates), len(keys) - 1)
    present = keys[rows] == candidates
    for side, side_scores in scores.items():
        listed = {key for key, _ in lists[side]}
        extra = [
            (int(key), float(side_scores[row]))
            for key, row in zip(candidates[present], rows[present], strict=True)
            if int(key) not in listed and np.isfinite(side_scores[row])
        ]
        lists[side] = lists[side] + sorted(extra, key=lambda item: (-item[1], item[0]))


def test_complete_equals_the_loop_it_replaced() -> None:
    rng = np.random.default_rng(28)
    for _ in range(300):
        keys = np.unique(rng.integers(0, 400, size=rng.integers(1, 80)))
        scores = {
            side: np.where(
                rng.random(len(keys)) < 0.1,
                -np.inf,
                rng.choice([0.1, 0.2, 0.3], len(keys))
                if rng.random() < 0.3
                else rng.standard_normal(len(keys)),
            ).astype(np.float32)
            for side in ("about", "question")
        }
        lists: dict[str, list[tuple[int, float]]] = {}
        for side in ("lexical", "dense"):  # some keys without a context vector
            picked = rng.choice(420, size=int(rng.integers(0, 30)), replace=False)
            lists[side] = [(int(k), float(rng.random())) for k in picked]
        for side, side_scores in scores.items():
            top = np.argsort(-side_scores, kind="stable")[: int(rng.integers(0, 10))]
            lists[side] = [
                (int(keys[i]), float(side_scores[i])) for i in top if np.isfinite(side_scores[i])
            ]
        by_loop = {side: list(ranked) for side, ranked in lists.items()}
        _complete_by_loop(keys, scores, by_loop)
        _ContextScores(keys, scores).complete(lists)
        assert {s: [(k, repr(v)) for k, v in r] for s, r in lists.items()} == {
            s: [(k, repr(v)) for k, v in r] for s, r in by_loop.items()
        }


def test_sorted_distinct_is_unique() -> None:
    rng = np.random.default_rng(1)
    for size in (0, 1, 2, 50, 500):
        values = rng.integers(0, 40, size=size).astype(np.int64)
        assert np.array_equal(sorted_distinct(values), np.unique(values))
