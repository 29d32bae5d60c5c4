"""Fusion of ranked lists: scaled weighted sums, tie order."""

from __future__ import annotations

import pytest

from oncocite.search.fusion import found, minmax, weighted


def test_minmax() -> None:
    assert minmax([(1, 10.0), (2, 5.0), (3, 0.0)]) == {1: 1.0, 2: 0.5, 3: 0.0}
    assert minmax([(1, 3.0), (2, 3.0)]) == {1: 1.0, 2: 1.0}
    assert minmax([]) == {}


def test_weighted_sum_by_hand() -> None:
    lexical = [(1, 20.0), (2, 10.0), (3, 0.0)]
    dense = [(3, 0.9), (2, 0.7), (4, 0.5)]
    fused = dict(weighted([lexical, dense], [0.4, 0.6]))
    assert fused[1] == pytest.approx(0.4)
    assert fused[2] == pytest.approx(0.4 * 0.5 + 0.6 * 0.5)
    assert fused[3] == pytest.approx(0.6)
    assert fused[4] == pytest.approx(0.0)


def test_ties_are_broken_by_row() -> None:
    assert [r for r, _ in weighted([[(5, 1.0)], [(4, 1.0)]], [1.0, 1.0])] == [4, 5]


def test_empty_lists_contribute_nothing() -> None:
    assert weighted([[], [(7, 0.3)]], [0.5, 0.5]) == [(7, 0.5)]
    assert weighted([[], []], [0.5, 0.5]) == []


def test_cosine_scaling_keeps_small_differences_small() -> None:
    # a document prior with two distinct values: min-max would make it 1.0 against 0.0
    about = [(1, 0.268), (2, 0.268), (3, 0.26)]
    lexical = [(3, 6.7), (1, 1.0), (2, 0.0)]
    scaled = dict(weighted([about], [1.0], ["cosine"]))
    assert scaled[1] == pytest.approx(0.268) and scaled[3] == pytest.approx(0.26)
    fused = weighted([lexical, about], [0.5, 0.5], ["minmax", "cosine"])
    assert fused[0][0] == 3, "the strong lexical match is not outvoted by a 0.008 prior"
    assert dict(weighted([[(4, -0.2), (5, 1.3)]], [1.0], ["cosine"])) == {4: 0.0, 5: 1.0}


def test_found_scores_every_listed_row_alike() -> None:
    lexical = [(1, 9.0), (2, 5.0), (3, 1.0)]
    assert found(lexical) == {1: 1.0, 2: 1.0, 3: 1.0}
    # the last row the words found keeps the floor that min-max takes away
    fused = dict(
        weighted([lexical, lexical, [(4, 0.9)]], [0.1, 0.05, 0.1], ["minmax", "found", "cosine"])
    )
    assert fused[3] == pytest.approx(0.05) and fused[1] == pytest.approx(0.15)
    assert fused[4] == pytest.approx(0.09)
