"""The default embedder: its quick and optimised onnxruntime sessions agree."""

from __future__ import annotations

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
