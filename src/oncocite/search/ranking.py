"""What the lexical and dense indexes share: the allowed-passage mask and top-k."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from oncocite.store.base import KeyArray, PassageKey

__all__ = ["AllowedMask", "Ranked", "sorted_distinct", "top_k"]

Ranked = list[tuple[PassageKey, float]]


class AllowedMask:
    """Which of an index's keys are allowed, cached per allowed-keys array.

    The engine caches one allowed array per filter until the library changes, so a
    repeated filter costs an identity check instead of an `isin` over every key.
    """

    def __init__(self, keys: KeyArray) -> None:
        self.keys = keys
        self._cached: tuple[KeyArray, npt.NDArray[np.bool_]] | None = None

    def __call__(self, allowed: KeyArray) -> npt.NDArray[np.bool_]:
        cached = self._cached
        if cached is None or cached[0] is not allowed:
            cached = (allowed, np.isin(self.keys, allowed))
            self._cached = cached
        return cached[1]


def top_k(
    keys: KeyArray,
    scores: npt.NDArray[np.float32],
    k: int,
    floor: float = 0.0,
    ties_by_key: bool = False,
) -> Ranked:
    """The k best scores above `floor`, best first; ties broken by key for stable runs.

    Which of the rows tied at the k-th place are kept is numpy's choice, unless
    `ties_by_key`: then those of the smallest keys, whatever order the rows come in.
    The vector indexes ask for it, so that a search that scores only the rows that
    can be among the k best (search/prescan.py) keeps the same ones as a full scan."""
    candidates = np.flatnonzero(scores > floor)
    if len(candidates) > k:
        values = scores[candidates]
        part = np.argpartition(-values, k - 1)[:k]
        kth = values[part].min()
        tied = values == kth
        if ties_by_key and np.count_nonzero(tied) > np.count_nonzero(values[part] == kth):
            above = candidates[values > kth]
            ties = candidates[tied]
            ties = ties[np.argsort(keys[ties], kind="stable")][: k - len(above)]
            candidates = np.concatenate((above, ties))
        else:
            candidates = candidates[part]
    order = np.lexsort((keys[candidates], -scores[candidates]))
    chosen = candidates[order]
    # tolist() gives the int and float each element would: one call, not 2k indexings
    return list(zip(keys[chosen].tolist(), scores[chosen].tolist(), strict=True))


def sorted_distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, ascending: np.unique's answer for the few hundred keys
    of a search's lists at a third of its overhead (which is most of its cost there)."""
    if not len(values):
        return values
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
