"""Micro-batching: the work of callers that arrive together, done in one call.

A server answers distinct questions at the rate it can embed them, and embedding
one short question through onnxruntime pays a fixed cost per call (operator
dispatch, thread hand-offs) that a batch shares: measured ~2.9 ms of CPU per
question alone, ~1.5 ms in a batch of eight, with the model on two threads. Since
the query model runs on one thread (search/dense.py), a question alone costs
~1.8 ms and ~2.0 ms each in a batch of eight (2026-12-04): batching no longer saves
CPU here, which is one reason it ships off (`ONCOCITE_QUERY_BATCHING`).
`MicroBatcher` lets the API's request threads share those calls.

How callers are gathered (no thread of its own, no timer):
- a caller that finds nothing running runs its own items at once, so a lone
  request is never delayed;
- callers that arrive while a batch runs queue up, and when it ends one of them
  runs everything queued, up to `max_batch` items, as the next batch: under load
  the batch size follows the load by itself;
- `window` (seconds, default 0) lets that next batch wait a little longer for
  company, but only when the previous batch had more than one caller, i.e. while
  requests are in fact arriving together; a quiet server never waits.

Each caller gets its own results, in its order; when the call fails, every caller
whose items were in that batch gets the exception.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["MicroBatcher"]

T = TypeVar("T")
R = TypeVar("R")


class _Slot(Generic[T, R]):
    """One item of one caller, and what became of it."""

    __slots__ = ("caller", "done", "error", "item", "result")

    def __init__(self, item: T, caller: int) -> None:
        self.item = item
        self.caller = caller
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class MicroBatcher(Generic[T, R]):
    """Calls `run(items) -> results` (one result per item, in order) for the items
    of all callers waiting together. Thread-safe; `run` is never called by two
    threads at once, so it needs no lock of its own.

    `batches` and `items` count the calls made and the items they carried (what a
    test or a metric reads to see how much was shared).
    """

    def __init__(
        self,
        run: Callable[[list[T]], Sequence[R]],
        window: float = 0.0,
        max_batch: int = 32,
    ) -> None:
        if max_batch < 1:
            raise ValueError(f"a batch holds at least one item, not {max_batch}")
        if window < 0:
            raise ValueError(f"the window is a duration in seconds, not {window}")
        self._run = run
        self.window = window
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._pending: deque[_Slot[T, R]] = deque()
        self._running = False
        self._company = False  # the last batch carried more than one caller's items
        self._callers = 0
        self.batches = 0
        self.items = 0

    @property
    def waiting(self) -> int:
        """Items queued for the next batch."""
        with self._lock:
            return len(self._pending)

    def __call__(self, items: Sequence[T]) -> list[R]:
        """The results of `items`, computed with whatever else is waiting."""
        if not items:
            return []
        with self._changed:
            self._callers += 1
            caller = self._callers
            slots: list[_Slot[T, R]] = [_Slot(item, caller) for item in items]
            self._pending.extend(slots)
            self._changed.notify_all()  # a batch gathering company sees the arrival
            while not all(slot.done for slot in slots):
                if self._running:
                    self._changed.wait()
                    continue
                self._running = True
                try:
                    self._lead()
                finally:
                    self._running = False
                    self._changed.notify_all()
        return [_outcome(slot) for slot in slots]

    def _lead(self) -> None:
        """Run one batch of what is queued (the lock held on entry and on exit)."""
        if self.window > 0 and self._company:
            deadline = time.monotonic() + self.window
            while len(self._pending) < self.max_batch:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
        batch = [self._pending.popleft() for _ in range(min(self.max_batch, len(self._pending)))]
        self._company = len({slot.caller for slot in batch}) > 1
        self.batches += 1
        self.items += len(batch)
        self._lock.release()
        error: BaseException | None = None
        results: Sequence[R] = ()
        try:
            results = self._run([slot.item for slot in batch])
            if len(results) != len(batch):
                error = RuntimeError(f"a batch of {len(batch)} items gave {len(results)} results")
        except BaseException as exc:  # every caller in the batch must hear of it
            error = exc
        finally:
            self._lock.acquire()
        for i, slot in enumerate(batch):
            if error is None:
                slot.result = results[i]
            else:
                slot.error = error
            slot.done = True


def _outcome(slot: _Slot[T, R]) -> R:
    if slot.error is not None:
        raise slot.error
    return slot.result  # type: ignore[return-value]  # set with done, may be a None R
