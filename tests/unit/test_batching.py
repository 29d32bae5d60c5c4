"""Query micro-batching (search/batching.py): callers that arrive together share one
model call and each gets its own vectors; a lone caller is never kept waiting; a
failure reaches every caller of the batch; a message's questions are embedded in
one call. Real model weights throughout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from oncocite.errors import InvalidQuery
from oncocite.search.batching import MicroBatcher
from oncocite.search.dense import (
    OnnxMeanPoolEmbedder,
    Pooled,
    QueryItem,
    dense_available,
    load_embedder,
)
from oncocite.search.query_model import cache_folder
from tests.conftest import seed_library

pytestmark = pytest.mark.dense

QUESTIONS: list[QueryItem] = [
    ("What is Kadcyla?", None),
    ("Is Herceptin the same as trastuzumab?", None),
    ("Which immunotherapy is used for triple negative breast cancer?", None),
    ("What are the side effects of immunotherapy?", None),
    ("Herceptin. My mum starts it next week, will she lose her hair?", 10),
    ("Can I have neratinib after trastuzumab?", None),
    ("is tiredness common on immunotherapy", None),
    ("what is HER2 positive breast cancer", None),
]


def _embedder(tmp_path: Path) -> OnnxMeanPoolEmbedder:
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    embedder = load_embedder("minilm-int8", cache_folder(None))
    assert isinstance(embedder, OnnxMeanPoolEmbedder)
    return embedder


def _gated(
    run: Callable[[list[QueryItem]], Sequence[Pooled]],
) -> tuple[Callable[[list[QueryItem]], Sequence[Pooled]], threading.Event]:
    """`run`, held back until the event is set: the test decides when the first batch
    ends, so that the other callers are certainly queued behind it."""
    gate = threading.Event()

    def held(items: list[QueryItem]) -> Sequence[Pooled]:
        assert gate.wait(30)
        return run(items)

    return held, gate


def _queue_behind_first(
    batcher: MicroBatcher[QueryItem, Pooled],
    gate: threading.Event,
    calls: list[list[QueryItem]],
) -> list[object]:
    """Start one thread per call, the first alone in a held batch and the others queued
    behind it; open the gate; each call's results (or exception)."""
    out: list[object] = [None] * len(calls)

    def call(i: int) -> None:
        try:
            out[i] = batcher(calls[i])
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(calls))]
    threads[0].start()
    deadline = time.monotonic() + 10
    while batcher.batches < 1:  # the first call is running (held at the gate)
        assert time.monotonic() < deadline
        time.sleep(0.001)
    for thread in threads[1:]:
        thread.start()
    queued = sum(len(c) for c in calls[1:])
    while batcher.waiting < queued:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    gate.set()
    for thread in threads:
        thread.join(30)
    return out


def test_concurrent_callers_share_one_call_and_get_their_own_vectors(tmp_path: Path) -> None:
    embedder = _embedder(tmp_path)
    alone = [embedder.encode_queries([item], 80)[0] for item in QUESTIONS]
    held, gate = _gated(lambda items: embedder.encode_queries(items, 80))
    batcher: MicroBatcher[QueryItem, Pooled] = MicroBatcher(held)
    calls = [[item] for item in QUESTIONS]
    out = _queue_behind_first(batcher, gate, calls)
    assert batcher.batches == 2 and batcher.items == len(QUESTIONS), "7 callers, one call"
    wholes = np.vstack([whole for whole, _ in alone])
    for i, result in enumerate(out):
        assert isinstance(result, list) and len(result) == 1
        whole, prefix = result[0]
        # int8 activations are scaled per call: a batch moves a vector a little
        # (cosine ~0.99), never towards another question
        similarity = wholes @ whole
        assert similarity[i] > 0.98, (QUESTIONS[i], similarity[i])
        assert int(np.argmax(similarity)) == i
        assert (prefix is None) == (alone[i][1] is None)
        if prefix is not None:
            own_prefix = alone[i][1]
            assert own_prefix is not None and float(prefix @ own_prefix) > 0.98
            assert float(prefix @ whole) < 0.99, "the subject line is pooled on its own"


def test_a_batch_of_one_is_the_query_alone(tmp_path: Path) -> None:
    """Without company a query's vector is exactly what it was before batching."""
    embedder = _embedder(tmp_path)
    batcher: MicroBatcher[QueryItem, Pooled] = MicroBatcher(
        lambda items: embedder.encode_queries(items, 80)
    )
    whole, prefix = batcher([QUESTIONS[4]])[0]
    reference = embedder.encode_with_prefix(QUESTIONS[4][0], 10, 80, query=True)
    assert prefix is not None
    assert np.allclose(whole, reference[0], atol=1e-6)
    assert np.allclose(prefix, reference[1], atol=1e-6)
    plain = embedder.encode([QUESTIONS[0][0]], max_tokens=80, query=True)[0]
    assert np.allclose(batcher([QUESTIONS[0]])[0][0], plain, atol=1e-6)


def test_a_lone_call_is_not_delayed_by_the_window(tmp_path: Path) -> None:
    embedder = _embedder(tmp_path)
    window = 0.5
    batcher: MicroBatcher[QueryItem, Pooled] = MicroBatcher(
        lambda items: embedder.encode_queries(items, 80), window=window
    )
    batcher([QUESTIONS[0]])  # warm
    for item in QUESTIONS:
        started = time.perf_counter()
        batcher([item])
        assert time.perf_counter() - started < window / 2, "a lone call ran at once"
    assert batcher.batches == len(QUESTIONS) + 1


def test_the_window_gathers_callers_arriving_together(tmp_path: Path) -> None:
    """Once batches have company, the next one waits up to the window for more."""
    embedder = _embedder(tmp_path)
    held, gate = _gated(lambda items: embedder.encode_queries(items, 80))
    batcher: MicroBatcher[QueryItem, Pooled] = MicroBatcher(held, window=0.3)
    _queue_behind_first(batcher, gate, [[QUESTIONS[0]], [QUESTIONS[1]], [QUESTIONS[2]]])
    assert batcher.batches == 2  # the second had company
    out: list[object] = [None, None]

    def late(i: int, delay: float) -> None:
        time.sleep(delay)
        out[i] = batcher([QUESTIONS[3 + i]])

    threads = [
        threading.Thread(target=late, args=(0, 0.0)),
        threading.Thread(target=late, args=(1, 0.05)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert batcher.batches == 3, "the second caller, 50 ms later, joined the first's batch"
    assert all(isinstance(result, list) and len(result) == 1 for result in out)


def test_an_error_reaches_every_caller_of_the_batch(tmp_path: Path) -> None:
    embedder = _embedder(tmp_path)

    def run(items: list[QueryItem]) -> Sequence[Pooled]:
        if any(text == "bad" for text, _ in items):
            raise InvalidQuery("a query the model refuses")
        return embedder.encode_queries(items, 80)

    held, gate = _gated(run)
    batcher: MicroBatcher[QueryItem, Pooled] = MicroBatcher(held)
    calls: list[list[QueryItem]] = [[QUESTIONS[0]], [("bad", None)], [QUESTIONS[1], QUESTIONS[2]]]
    out = _queue_behind_first(batcher, gate, calls)
    assert isinstance(out[0], list) and len(out[0]) == 1, "the first batch was alone and fine"
    assert isinstance(out[1], InvalidQuery)
    assert out[2] is out[1], "its batch-mate hears of the same failure"
    # and the batcher goes on working
    assert len(batcher([QUESTIONS[3], QUESTIONS[4]])) == 2


def test_results_that_do_not_match_the_items_are_an_error() -> None:
    batcher: MicroBatcher[int, int] = MicroBatcher(lambda items: items[:-1])
    with pytest.raises(RuntimeError, match="2 items gave 1 results"):
        batcher([1, 2])
    with pytest.raises(ValueError, match="at least one item"):
        MicroBatcher(lambda items: items, max_batch=0)


def test_a_message_of_several_questions_is_embedded_in_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    monkeypatch.setenv("ONCOCITE_QUERY_BATCHING", "1")
    with seed_library(tmp_path / "seeds.db") as lib:
        lib.ask("What is Kadcyla?")  # warm: the lexical index and the model are loaded
        batcher = lib.engine().query_batcher
        before = (batcher.batches, batcher.items)
        answer = lib.ask(
            "Hi, what is Enhertu? Is it a type of chemo? And what are the side effects of Perjeta?"
        )
        assert len(answer.needs) == 3, "three questions"
        assert batcher.batches == before[0] + 1, "one model call for the whole message"
        assert batcher.items == before[1] + 3, "each question's search found its vectors made"
        lib.search("Is Herceptin used for HER2 positive breast cancer?")
        assert batcher.batches == before[0] + 2


def test_query_batching_is_off_by_default_and_each_question_embedded_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default (ONCOCITE_QUERY_BATCHING unset, or 0) every question is embedded by
    its own call, so its vector never depends on a batch-mate; turned on, the
    answers here are the same."""
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    message = "What is Enhertu? Is it a type of chemo?"
    monkeypatch.setenv("ONCOCITE_QUERY_BATCHING", "1")
    with seed_library(tmp_path / "on.db") as lib:
        assert lib.engine().config.batch_queries is True
        batched = lib.ask(message)
    monkeypatch.delenv("ONCOCITE_QUERY_BATCHING")
    with seed_library(tmp_path / "off.db") as lib:
        engine = lib.engine()
        assert engine.config.batch_queries is False
        alone = lib.ask(message)
        assert len(alone.needs) == 2
        assert engine.query_batcher.batches == 0, "nothing went through the batcher"
    assert [s.text for s in alone.sentences] == [s.text for s in batched.sentences]
