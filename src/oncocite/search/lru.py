"""A small bounded, thread-safe least-recently-used cache.

A server asks the same questions again and again (and `ask` searches the very
question a client may search next): what a query costs to embed, or a passage to
read from the store, need not be paid twice. Every cache here is bounded, so a
stream of distinct questions costs memory up to the bound and no more, and each
is owned by the object whose freshness it follows (the engine drops its
store-derived caches when the store's generation changes).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["MAX_KEY_CHARS", "LruCache"]

# Texts longer than this are not cached: a pasted page is rarely asked twice, and the
# bound on entries must also bound memory (4,096 keys of 2,000 characters is 8 MB of
# text; of 100,000 characters, the API's limit, it would be 400 MB).
MAX_KEY_CHARS = 2_000

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most `size` entries; the least recently used goes first. Safe to share
    between a server's threads (one lock; every operation is a few dict steps).
    `get` answers None for a missing key, so a value that may be None is stored
    wrapped (triage keeps `(decision,)`)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"an LRU cache needs room for at least one entry, not {size}")
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        """The value stored under `key` (now the most recently used), or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: K, value: V) -> None:
        """Store `value`, dropping the least recently used entry when full."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
