"""Fusion of ranked lists (lexical, dense) into one ranking.

Two methods, both tuned on half of the dev set (benchmarks/cancergov_dev.py):

- reciprocal rank fusion: score = sum of w / (k + rank); needs no score calibration.
- weighted sum of min-max normalised scores: uses how *much* better a hit is, which
  RRF throws away; a list's scores are scaled by its own best and worst candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

__all__ = ["FusionMethod", "Scale", "cosine", "found", "fuse", "minmax", "rrf", "weighted"]

FusionMethod = Literal["rrf", "weighted"]
Scale = Literal["minmax", "cosine", "found"]
Ranked = Sequence[tuple[int, float]]


def rrf(
    lists: Sequence[Ranked], weights: Sequence[float] | None = None, k: int = 60
) -> list[tuple[int, float]]:
    """Reciprocal rank fusion; ties are broken by row so runs are reproducible."""
    weights = weights or [1.0] * len(lists)
    fused: dict[int, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, (row, _score) in enumerate(ranked, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


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


def fuse(
    lists: Sequence[Ranked],
    weights: Sequence[float],
    method: FusionMethod = "weighted",
    rrf_k: int = 60,
    scales: Sequence[Scale] | None = None,
) -> list[tuple[int, float]]:
    """One ranking from several; empty lists simply contribute nothing."""
    if method == "rrf":
        return rrf(lists, weights, rrf_k)
    return weighted(lists, weights, scales)
