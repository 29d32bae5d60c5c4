"""Fusion of ranked lists (lexical, dense, context sides) into one ranking.

One method: a weighted sum of each list's scores put on one scale (min-max, cosine
as it is, or "found"), which keeps how *much* better a hit is (rank fusion throws
that away). The weights and each side's scale live in search/sides.yaml
(search/sides.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

__all__ = ["SCALERS", "Scale", "cosine", "found", "minmax", "weighted"]

Scale = Literal["minmax", "cosine", "found"]
Ranked = Sequence[tuple[int, float]]


def minmax(ranked: Ranked) -> dict[int, float]:
    """Scores scaled to [0, 1] within one list (all 1.0 when they are equal)."""
    if not ranked:
        return {}
    values = [s for _, s in ranked]
    lo, hi = min(values), max(values)
    span = hi - lo
    return {row: (1.0 if span == 0 else (s - lo) / span) for row, s in ranked}


def cosine(ranked: Ranked) -> dict[int, float]:
    """Cosine similarities as they are, below 0 counted as 0.

    For a list whose scores are already on one scale and may hold few distinct
    values (a document-level prior shared by all the passages of two or three
    documents): min-max would stretch a difference of 0.01 into one of 1.0.
    """
    return {row: max(0.0, min(1.0, s)) for row, s in ranked}


def found(ranked: Ranked) -> dict[int, float]:
    """1.0 for every row the list holds, whatever its score.

    For the lexical list seen as a set: a passage its words found at all, which
    min-max would score 0 when it is the last of the list, as it does one the words
    never found.
    """
    return dict.fromkeys((row for row, _ in ranked), 1.0)


SCALERS = {"minmax": minmax, "cosine": cosine, "found": found}


def weighted(
    lists: Sequence[Ranked], weights: Sequence[float], scales: Sequence[Scale] | None = None
) -> list[tuple[int, float]]:
    """Weighted sum of scaled scores (min-max by default); a row absent from a list
    gets 0 there."""
    fused: dict[int, float] = {}
    for i, (ranked, weight) in enumerate(zip(lists, weights, strict=True)):
        scaler = SCALERS[scales[i] if scales else "minmax"]
        for row, score in scaler(ranked).items():
            fused[row] = fused.get(row, 0.0) + weight * score
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
