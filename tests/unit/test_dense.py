"""The default embedder: its quick and optimised onnxruntime sessions agree, its int8
query model stays close to them and is built once, and the engine embeds a query once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from oncocite.search.dense import EMBEDDERS, OnnxMeanPoolEmbedder, dense_available, load_embedder
from oncocite.search.query_model import (
    EXACT_PRODUCTS,
    _digest,
    cache_folder,
    quantised_query_model,
    signed_products_exact,
)

pytestmark = pytest.mark.dense

TEXTS = ["what are the side effects of Herceptin", "Trastuzumab is a targeted drug."]


def test_quick_and_optimised_sessions_give_the_same_vectors() -> None:
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    embedder = load_embedder("minilm-int8")
    assert isinstance(embedder, OnnxMeanPoolEmbedder)
    assert embedder.model_id == EMBEDDERS["minilm-int8"].model_id
    quick = np.vstack([embedder.encode([text]) for text in TEXTS])
    batch = embedder.encode(TEXTS * 3)  # a batch builds and uses the optimised session
    assert embedder._full is not None
    assert batch.shape == (6, 384)
    assert np.allclose(quick, batch[:2], atol=1e-4)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    assert float(quick[0] @ quick[1]) < 0.95, "different texts, different vectors"


def test_threads_embedding_at_different_lengths_do_not_cut_each_other() -> None:
    """A server embeds queries (80 word pieces) while an admin ingest embeds
    passages (256): truncation is shared tokenizer state, so it is locked."""
    from concurrent.futures import ThreadPoolExecutor

    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    embedder = load_embedder("minilm-int8")
    passage = " ".join(["Trastuzumab is a targeted drug for HER2 positive breast cancer."] * 30)
    query = "what are the side effects of Herceptin " * 20
    long_ref = embedder.encode([passage], max_tokens=256)
    short_ref = embedder.encode([query], max_tokens=80)

    def work(i: int) -> bool:
        if i % 2:
            return bool(
                np.allclose(embedder.encode([passage], max_tokens=256), long_ref, atol=1e-4)
            )
        return bool(np.allclose(embedder.encode([query], max_tokens=80), short_ref, atol=1e-4))

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all(pool.map(work, range(120)))


def test_a_query_is_embedded_once_and_its_cached_vectors_are_read_only(tmp_path: Path) -> None:
    """A server asks the same questions again: the engine keeps their vectors (a
    vector depends on the text and the model alone) and shares them read-only."""
    from oncocite import open_library

    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    with open_library(tmp_path / "v.db") as lib:
        engine = lib.engine()
        first = engine.query_vectors("what is Kadcyla (trastuzumab emtansine)")
        again = engine.query_vectors("what is Kadcyla (trastuzumab emtansine)")
        assert again is first and len(first) == 1
        assert not first[0].flags.writeable
        fresh = engine.embedder().encode(
            ["what is Kadcyla (trastuzumab emtansine)"], max_tokens=80, query=True
        )
        assert np.allclose(first[0], fresh[0], atol=1e-5)
        message = engine.query_vectors("Herceptin. my mum starts it next week", "Herceptin")
        assert len(message) == 2, "a message's subject line gets its own vector"
        assert engine.query_vectors("Herceptin. my mum starts it next week") is not message


QUESTIONS = [
    "what are the side effects of Herceptin",
    "My mum has triple negative breast cancer and starts chemotherapy before surgery. "
    "Will she get immunotherapy as well, and what are its side effects?",
    "abetalipoproteinimia symptoms",
]


def _fresh_embedder(query_cache: Path | None) -> OnnxMeanPoolEmbedder:
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    embedder = EMBEDDERS["minilm-int8"].loader(query_cache)  # not the process-wide one
    assert isinstance(embedder, OnnxMeanPoolEmbedder)
    return embedder


def test_queries_use_an_int8_model_built_once_and_close_to_the_stored_space(
    tmp_path: Path,
) -> None:
    embedder = _fresh_embedder(tmp_path / "cache")
    queries = embedder.encode(QUESTIONS, max_tokens=80, query=True)
    assert embedder.quantised_queries
    built = list((tmp_path / "cache").glob("query-*.onnx"))
    assert len(built) == 1 and cache_folder(str(tmp_path / "cache")) == tmp_path / "cache"
    assert not list((tmp_path / "cache").glob("tmp*")), "no work folder is left behind"
    passages = embedder.encode(QUESTIONS * 3, max_tokens=80)[: len(QUESTIONS)]
    similarity = (queries * passages).sum(axis=1)
    assert similarity.min() > 0.985, similarity
    assert not np.allclose(queries, passages, atol=1e-4), "queries really ran in int8"
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    # a second process (a second embedder) loads the file instead of building it
    stamp = built[0].stat().st_mtime_ns
    again = _fresh_embedder(tmp_path / "cache").encode(QUESTIONS, max_tokens=80, query=True)
    assert built[0].stat().st_mtime_ns == stamp
    assert np.allclose(again, queries, atol=1e-5)
    # one query's pass pools its subject line too (tests/unit/test_batching.py: batches)
    whole, prefix = embedder.encode_with_prefix(QUESTIONS[1], 12, 80, query=True)
    alone = embedder.encode([QUESTIONS[1]], max_tokens=80, query=True)[0]
    assert np.allclose(whole, alone, atol=1e-5)
    assert float(whole @ prefix) < 0.99


def test_threads_asking_while_the_int8_model_loads_all_get_its_vectors(tmp_path: Path) -> None:
    """An answer's self-harm reader embeds on its own thread while the search embeds
    the question: a thread asking while the other loads the int8 model must wait for
    it, not embed with the float model meanwhile (the first answer of a process came
    out with other scores than every later one)."""
    import threading

    built = _fresh_embedder(tmp_path / "cache")
    expected = built.encode(QUESTIONS, max_tokens=80, query=True)  # builds the file
    for _ in range(3):
        embedder = _fresh_embedder(tmp_path / "cache")  # loads it on first use
        start = threading.Barrier(4)
        found: list[np.ndarray] = []

        def embed(
            embedder: OnnxMeanPoolEmbedder = embedder,
            start: threading.Barrier = start,
            found: list[np.ndarray] = found,
        ) -> None:
            start.wait()
            found.append(embedder.encode(QUESTIONS, max_tokens=80, query=True))

        threads = [threading.Thread(target=embed) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(found) == 4
        for vectors in found:
            assert np.allclose(vectors, expected, atol=1e-6)


def test_a_reinstalled_model_reuses_its_query_model_and_older_ones_are_removed(
    tmp_path: Path,
) -> None:
    """The cache is keyed by the packaged file's content: a new install of the same
    wheel (a new file time) finds the query model already built, and a build clears
    the ones derived before it (a time-keyed cache kept one 59 MB copy per install)."""
    import onnxruntime

    source = _fresh_embedder(None)._onnx
    install = tmp_path / "site-packages" / source.parent.name
    install.mkdir(parents=True)
    copy = install / source.name
    shutil.copyfile(source, copy)
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = [
        cache / f"query-{source.parent.name}-22928619-1796391392845172253-ort1.32.0-old.onnx",
        cache / f"query-{source.parent.name}-22928619-0123456789abcdef-ort0.1-v0.onnx",
    ]
    other_model = cache / "query-another_model-1-2-ort1.32.0-v1.onnx"
    for path in [*stale, other_model]:
        path.write_bytes(b"an earlier build")
    built = quantised_query_model(copy, onnxruntime, cache)
    assert built is not None and built.exists()
    assert not any(path.exists() for path in stale), "earlier builds of this model are gone"
    assert other_model.exists(), "another model's query model is left alone"
    made = built.stat().st_mtime_ns
    os.utime(copy, ns=(made + 10**12, made + 10**12))  # reinstalled: same bytes, new time
    _digest.cache_clear()
    assert quantised_query_model(copy, onnxruntime, cache) == built
    assert built.stat().st_mtime_ns == made, "found, not built again"
    assert sorted(cache.iterdir()) == sorted([built, other_model])


def test_queries_fall_back_to_the_float_model_when_the_int8_one_cannot_be_built(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    embedder = _fresh_embedder(blocker)
    queries = embedder.encode(QUESTIONS, max_tokens=80, query=True)
    assert not embedder.quantised_queries
    assert np.allclose(queries, embedder.encode(QUESTIONS * 2, max_tokens=80)[:3], atol=1e-4)
    assert blocker.read_text().startswith("a file"), "nothing is written over it"


def test_quantised_queries_can_be_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ONCOCITE_QUANTISED_QUERIES=0 reaches the engine through the settings: its
    questions are embedded by the float model, and nothing is built."""
    from oncocite import open_library

    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    monkeypatch.setenv("ONCOCITE_QUANTISED_QUERIES", "0")
    monkeypatch.setenv("ONCOCITE_CACHE_DIR", str(tmp_path / "c"))
    with open_library(tmp_path / "v.db") as lib:
        engine = lib.engine()
        assert engine.config.quantised_queries is False
        vector = engine.query_vectors(QUESTIONS[0])[0]
        embedder = engine.embedder()
        assert isinstance(embedder, OnnxMeanPoolEmbedder) and not embedder.quantised_queries
        assert np.allclose(vector, embedder.encode([QUESTIONS[0]] * 5, max_tokens=80)[0], atol=1e-4)
    assert not (tmp_path / "c").exists(), "nothing is built when switched off"
    monkeypatch.delenv("ONCOCITE_QUANTISED_QUERIES")
    with open_library(tmp_path / "v.db") as lib:
        embedder = lib.engine().embedder()
        assert isinstance(embedder, OnnxMeanPoolEmbedder) and embedder.quantised_queries
    assert list((tmp_path / "c").glob("query-*.onnx")), "the setting names the folder"


def test_vector_search_runs_on_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's concurrent searches must not each spread their matrix product over
    every core (OpenBLAS spin-waits): building an index limits BLAS to one thread."""
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

    import oncocite.search.dense as dense

    for name in dense._BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(dense, "_BLAS_SET", False)
    index = dense.ExactIndex(np.arange(3, dtype=np.int64), np.eye(3, dtype=np.float32))
    blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
    assert blas, "numpy's BLAS is found"
    assert all(info["num_threads"] == 1 for info in blas)
    assert [key for key, _ in index.search(np.array([0, 1, 0], np.float32), 1, None)] == [1]


def test_the_query_model_multiplies_exactly_on_this_cpu(tmp_path: Path) -> None:
    """onnxruntime's uint8 x int8 kernel saturates on a CPU without VNNI (AVX2 only),
    which moved query vectors and flipped answers there; on such a CPU the query
    session asks for exact products, and that setting gives them."""
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    embedder = _fresh_embedder(tmp_path / "cache")
    embedder.encode(QUESTIONS[:1], max_tokens=80, query=True)
    assert embedder.quantised_queries
    key, value = EXACT_PRODUCTS
    try:
        entry = embedder._query.get_session_options().get_session_config_entry(key)
    except RuntimeError:  # onnxruntime raises for a key never set (a VNNI CPU asks none)
        entry = None
    asked = entry == value
    assert asked == (not signed_products_exact(onnxruntime))
    probe = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["y"])],
        "probe",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [1, 384])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [1, 2])],
        [numpy_helper.from_array(np.full((384, 2), 127, dtype=np.int8), "b")],
    )
    model = helper.make_model(probe, opset_imports=[helper.make_opsetid("", 13)])
    options = onnxruntime.SessionOptions()
    if asked:
        options.add_session_config_entry(key, value)
    session = onnxruntime.InferenceSession(model.SerializeToString(), options)
    got = session.run(None, {"a": np.full((1, 384), 255, dtype=np.uint8)})[0]
    assert (got == 384 * 255 * 127).all(), "the query session's int8 products are exact"
