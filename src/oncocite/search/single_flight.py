"""Work already under way under a key is waited for, not done a second time.

`ask` reads a message for self-harm on a second thread while it searches the
message, and both need the query model's vector of the same sentence when the
message is one sentence (most are). Each thread found the vector missing from
the engine's memory and embedded it: two model passes for one vector, half the
CPU a distinct question costs under load. With the keys in flight kept here, the
later thread waits for the earlier one's pass (the vector is the very same: one
text alone in one call), so a distinct question costs one pass.

A claimant settles every key it claimed before it waits on another thread's
keys, so two threads never wait on each other.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable
from concurrent.futures import Future
from typing import Generic, TypeVar

__all__ = ["Claim", "SingleFlight"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Claim(Generic[K, V]):
    """The keys one caller computes (`mine`, each once, with the future its waiters
    read) and those another caller is computing (`theirs`)."""

    def __init__(self, mine: dict[K, Future[V]], theirs: dict[K, Future[V]]) -> None:
        self.mine = mine
        self.theirs = theirs


class SingleFlight(Generic[K, V]):
    """The keys being computed now, each with the future its waiters read."""

    def __init__(self) -> None:
        self._running: dict[K, Future[V]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._running)

    def claim(self, keys: Iterable[K]) -> Claim[K, V]:
        """Take the keys no one is computing; point at those someone is."""
        mine: dict[K, Future[V]] = {}
        theirs: dict[K, Future[V]] = {}
        with self._lock:
            for key in keys:
                if key in mine or key in theirs:
                    continue
                running = self._running.get(key)
                if running is not None:
                    theirs[key] = running
                else:
                    mine[key] = self._running[key] = Future()
        return Claim(mine, theirs)

    def settle(self, claim: Claim[K, V], key: K, value: V) -> None:
        """Give a key of `claim` its value (its waiters wake with it)."""
        self._release(claim, key)
        claim.mine[key].set_result(value)

    def fail(self, claim: Claim[K, V], error: BaseException) -> None:
        """Release the keys of `claim` not yet settled: their waiters get `error`
        (the failure their own pass would have met)."""
        for key, future in claim.mine.items():
            if not future.done():
                self._release(claim, key)
                future.set_exception(error)

    def _release(self, claim: Claim[K, V], key: K) -> None:
        with self._lock:
            if self._running.get(key) is claim.mine[key]:
                del self._running[key]
