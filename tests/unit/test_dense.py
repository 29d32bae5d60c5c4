"""The default embedder: its quick and optimised onnxruntime sessions agree, and the
engine embeds a query once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from oncocite.search.dense import EMBEDDERS, OnnxMeanPoolEmbedder, dense_available, load_embedder

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
        fresh = engine.embedder().encode(["what is Kadcyla (trastuzumab emtansine)"], max_tokens=80)
        assert np.allclose(first[0], fresh[0], atol=1e-5)
        message = engine.query_vectors("Herceptin. my mum starts it next week", "Herceptin")
        assert len(message) == 2, "a message's subject line gets its own vector"
        assert engine.query_vectors("Herceptin. my mum starts it next week") is not message
