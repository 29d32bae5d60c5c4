"""The int8 prescan (search/prescan.py): its bounds always hold the float32 score, and
an index that uses it returns, to the bit, the lists and scores of a full scan."""

from __future__ import annotations

import numpy as np
import pytest

from oncocite.search.dense import DocumentMaxIndex, ExactIndex, ScoredRows
from oncocite.search.prescan import Int8Scan, _exact_here, exact_rows
from oncocite.search.ranking import top_k

# the dense extra (onnxruntime): run by the full install, deselected (not skipped) by
# the lexical-only one
pytestmark = pytest.mark.dense


def _library(seed: int, rows: int = 3001, dim: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """Unit rows in clusters (as embeddings are), some repeated exactly, and queries
    near some of them."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim))
    matrix = centres[rng.integers(0, 40, rows)] + 0.6 * rng.standard_normal((rows, dim))
    matrix[rows // 2 : rows // 2 + 30] = matrix[:30]  # duplicates: exact ties
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    queries = matrix[rng.integers(0, rows, 12)] + 0.3 * rng.standard_normal((12, dim))
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return matrix.astype(np.float32), queries.astype(np.float32)


def test_bounds_hold_every_rows_float32_score() -> None:
    matrix, queries = _library(1)
    matrix[7] = 0.0  # a row of zeros
    matrix[8] *= 3.0  # and one that is not unit length
    scan = Int8Scan.build(matrix, min_rows=1)
    assert scan is not None
    for query in [*queries, np.zeros_like(queries[0]), 2.5 * queries[0]]:
        lower, upper = scan.bounds(query)
        exact = matrix @ query
        assert np.all(lower <= exact) and np.all(exact <= upper)
        assert float(np.median(upper - lower)) < 0.25  # narrow enough to prune


def test_small_matrices_are_scanned_in_full() -> None:
    matrix, _ = _library(2, rows=100)
    assert Int8Scan.build(matrix, min_rows=101) is None
    assert Int8Scan.build(matrix, min_rows=0) is None
    assert ExactIndex(np.arange(100), matrix).prescan is None  # below PRESCAN_MIN_ROWS


def test_exact_rows_are_the_full_products_bits() -> None:
    matrix, queries = _library(3)
    full = matrix @ queries[0]
    rows = np.array([0, 5, 6, 1000, 2999, 3000])
    scored, values = exact_rows(matrix, queries[0], rows)
    assert set(rows) <= set(scored.tolist())
    assert np.array_equal(values, full[scored])


@pytest.mark.parametrize("k", [1, 10, 100])
def test_a_prescanned_search_is_the_full_scans_to_the_bit(k: int) -> None:
    matrix, queries = _library(4)
    keys = np.arange(10, 10 + len(matrix), dtype=np.int64)
    fast = ExactIndex(keys, matrix, prescan_min_rows=1)
    full = ExactIndex(keys, matrix, prescan_min_rows=0)
    assert fast.prescan is not None and full.prescan is None
    allowed = keys[np.random.default_rng(5).random(len(keys)) < 0.7]
    narrow = keys[::9]  # a filter that keeps few: those rows alone are scored
    for query in queries:
        for only in (None, allowed, narrow, keys[:0]):
            expected = full.search(query, k, only)
            assert fast._prescanned(query, k, only) == expected  # the bounds served it
            assert fast.search(query, k, only) == expected
    # a query matching a repeated row exactly: the tie at the k-th place is cut by key
    assert fast.search(matrix[0], 1, None) == full.search(matrix[0], 1, None)


def test_prescanned_context_sides_are_the_full_products() -> None:
    matrix, queries = _library(6)
    rng = np.random.default_rng(7)
    keys = np.arange(len(matrix), dtype=np.int64) * 3
    documents = rng.integers(0, 900, len(matrix))  # not in key order
    standalone = rng.random(len(matrix)) < 0.6
    fast = DocumentMaxIndex(keys, matrix, documents, standalone, prescan_min_rows=1)
    full = DocumentMaxIndex(keys, matrix, documents, standalone, prescan_min_rows=0)
    assert not fast._in_order
    allowed = keys[rng.random(len(keys)) < 0.8]
    asked = np.sort(rng.choice(len(keys), 200, replace=False))
    for query in queries:
        for only in (None, allowed, keys[::9]):
            known = keys[rng.choice(len(keys), 50, replace=False)]
            ((best, own),) = fast.context_sides([query], only, np.sort(known))
            ((best_full, own_full),) = full.context_sides([query], only)
            assert isinstance(best_full, ScoredRows) and not isinstance(best, ScoredRows)
            assert best.top(20) == best_full.top(20)
            assert own.top(20) == own_full.top(20)
            if only is None:  # (a narrow filter here touches most documents)
                assert not best.context._done.all(), "scored only the documents needed"  # type: ignore[attr-defined]
            assert np.array_equal(best.at(asked), best_full.at(asked))
            assert np.array_equal(own.at(asked), own_full.at(asked))
    # two vectors (a message and its subject line) keep the full product
    sides = fast.context_sides([queries[0], queries[1]], None)
    assert all(isinstance(side, ScoredRows) for pair in sides for side in pair)


def test_top_k_keeps_the_smallest_keys_of_a_tie_at_the_kth_place() -> None:
    keys = np.array([9, 3, 7, 1, 5, 8], dtype=np.int64)
    scores = np.array([0.5, 0.75, 0.5, 0.25, 0.5, 0.5], dtype=np.float32)
    assert top_k(keys, scores, 3, floor=-np.inf, ties_by_key=True) == [
        (3, 0.75),
        (5, 0.5),
        (7, 0.5),
    ]
    for seed in range(20):  # whatever order the rows come in
        order = np.random.default_rng(seed).permutation(len(keys))
        assert top_k(keys[order], scores[order], 3, floor=-np.inf, ties_by_key=True) == [
            (3, 0.75),
            (5, 0.5),
            (7, 0.5),
        ]


def test_the_integer_products_are_exact_at_the_int8_extremes() -> None:
    """On a CPU without VNNI, onnxruntime's uint8 x int8 kernel saturates in 16 bits;
    the scan feeds uint8 x uint8, exact everywhere, and is built only when its
    products are exact here (a kernel that rounds would break every bound)."""
    matrix, _ = _library(8)
    scan = Int8Scan.build(matrix, min_rows=1)
    assert scan is not None
    weights = np.clip(np.rint(matrix / (np.abs(matrix).max(axis=1) / 127.0)[:, None]), -127, 127)
    weights = weights.astype(np.int8)
    assert _exact_here(scan._session, weights)

    class Saturating:  # what the uint8 x int8 kernel gives on an AVX2-only CPU
        def run(self, _outputs: object, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
            query = feed["query"].astype(np.int32) - 128
            return [np.clip(query @ weights.T.astype(np.int32), -32768, 32767)]

    assert not _exact_here(Saturating(), weights)
