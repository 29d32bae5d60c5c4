"""The bounded LRU cache the search and answer caches are built on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from oncocite.search.lru import LruCache


def test_it_holds_at_most_its_size_dropping_the_least_recently_used() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert len(cache) == 2
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    assert (cache.hits, cache.misses) == (3, 1)


def test_putting_a_key_again_replaces_it_and_clear_empties() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("a", 2)
    assert len(cache) == 1 and cache.get("a") == 2
    cache.clear()
    assert len(cache) == 0 and cache.get("a") is None


def test_a_cache_needs_room() -> None:
    with pytest.raises(ValueError, match="at least one entry"):
        LruCache(0)


def test_threads_sharing_it_never_exceed_the_bound() -> None:
    cache: LruCache[int, int] = LruCache(50)

    def work(start: int) -> None:
        for i in range(start, start + 500):
            cache.put(i % 120, i)
            cache.get((i * 7) % 120)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(0, 4000, 500)))
    assert len(cache) <= 50


def test_the_word_stem_cache_stops_growing_and_stems_from_threads() -> None:
    import threading

    from oncocite.search.lexical import _Stems

    stems = _Stems()
    stems.MAX_WORDS = 50  # type: ignore[misc]
    made_up = " ".join(f"zorbling{i}s" for i in range(200))
    assert stems(made_up)[:2] == ["zorbling0", "zorbling1"]
    full = len(stems._cache)
    assert stems("treatments") == ["treatment"]
    stems(" ".join(f"quibbles{i}" for i in range(200)))
    assert len(stems._cache) == full, "the cache stopped growing once full"
    errors: list[BaseException] = []

    def stem_many() -> None:
        try:
            for i in range(300):
                assert stems(f"running{i} jumps")[1] == "jump"
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=stem_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
