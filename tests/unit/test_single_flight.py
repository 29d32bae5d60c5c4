"""search/single_flight.py: a key being computed by one thread is waited for by the
others, not computed again; a failure reaches the waiters and frees the key."""

from __future__ import annotations

import threading
import time

import pytest

from oncocite.search.single_flight import SingleFlight


def test_a_key_in_flight_is_pointed_at_not_claimed_again() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    first = flight.claim(["a", "b"])
    second = flight.claim(["b", "c"])
    assert list(first.mine) == ["a", "b"] and not first.theirs
    assert list(second.mine) == ["c"] and list(second.theirs) == ["b"]
    flight.settle(first, "b", 2)
    assert second.theirs["b"].result(timeout=1) == 2
    flight.settle(first, "a", 1)
    flight.settle(second, "c", 3)
    assert len(flight) == 0
    # settled keys are free again: the next claimant computes (or finds a cache)
    assert list(flight.claim(["b"]).mine) == ["b"]


def test_a_key_asked_twice_in_one_claim_is_computed_once() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    claim = flight.claim(["a", "a", "b", "a"])
    assert list(claim.mine) == ["a", "b"] and not claim.theirs


def test_a_failure_reaches_the_waiters_and_frees_the_unsettled_keys() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    first = flight.claim(["a", "b"])
    waiter = flight.claim(["a", "b"])
    flight.settle(first, "a", 1)
    flight.fail(first, RuntimeError("the model is gone"))
    assert waiter.theirs["a"].result(timeout=1) == 1
    with pytest.raises(RuntimeError, match="the model is gone"):
        waiter.theirs["b"].result(timeout=1)
    assert len(flight) == 0
    assert list(flight.claim(["a", "b"]).mine) == ["a", "b"]


def test_threads_asking_together_compute_once() -> None:
    flight: SingleFlight[str, str] = SingleFlight()
    computed: list[str] = []
    got: list[str] = []
    start = threading.Barrier(4)

    def ask() -> None:
        start.wait()
        claim = flight.claim(["vector"])
        for key in claim.mine:
            time.sleep(0.05)  # a model pass: long enough for the others to arrive
            computed.append(key)
            flight.settle(claim, key, f"{key} of one pass")
        got.extend(f.result(timeout=5) for f in claim.theirs.values())
        got.extend(f.result(timeout=5) for f in claim.mine.values())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert computed == ["vector"]
    assert got == ["vector of one pass"] * 4
