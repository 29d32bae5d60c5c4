"""The query encoder of the default model: the same weights, run in int8 arithmetic.

A warm search embeds one question, and on a small CPU that forward pass is most of
the search: ~22 ms of ~30 for an 80-piece patient message, all of it matrix products
(a second core does not shorten it). onnxruntime's dynamic quantisation runs the 36
weight products in int8 (VNNI where the CPU has it): about twice as fast. Its int8
products are exact by default only with VNNI; on a CPU with AVX2 alone onnxruntime's
kernel saturates (`signed_products_exact`), so there the session asks for exact
products (`EXACT_PRODUCTS`) and gives the vectors a VNNI machine gives. Its vectors
stay within cosine 0.99 of the float ones the passages were stored with (mean 0.995
on the MEDIQA consumer questions), so stored vectors stay valid and only queries use
it; passages are embedded once, in batches, in float. Activations are scaled per
call, so a query embedded in a batch with others (the engine batches concurrent
requests' queries, search/batching.py) comes out within cosine ~0.99 of its vector
alone, as close as the int8 model is to the float one.

The quantised graph is derived from the packaged model on this machine, never
downloaded: built once (~4 s, needs the `onnx` package of the dense extra) into
the cache folder, keyed by the source file's content and the onnxruntime version,
and loaded from there after (~0.1 s). Without `onnx`, or with no writable cache,
queries use the float model as before. The key is the content, not the file's
time: every new install of the same wheel (each fresh clone's `scripts/test`
makes one) stamps the packaged file anew, and a time-keyed cache kept a 59 MB
copy for each (31 copies, 1.7 GB, on the development machine by 2026-12-05). A
build also removes the query models derived earlier from a file of the same name,
so the folder holds one per model.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["EXACT_PRODUCTS", "cache_folder", "quantised_query_model", "signed_products_exact"]

RECIPE = "dynamic-int8-per-channel-v1"  # bump when the recipe below changes
# The session setting that makes onnxruntime widen int8 products to 16 bits before
# adding them on x64 (slower, exact): for a CPU where `signed_products_exact` is False
EXACT_PRODUCTS = ("session.x64quantprecision", "1")


def cache_folder(explicit: str | None = None) -> Path:
    """Where derived model files live: the setting (ONCOCITE_CACHE_DIR), else the
    XDG cache folder."""
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oncocite"


def _cache_name(source: Path, ort_version: str) -> str:
    stat = source.stat()
    stamp = f"{stat.st_size}-{_digest(source, stat.st_size, stat.st_mtime_ns)}"
    return f"query-{source.parent.name}-{stamp}-ort{ort_version}-{RECIPE}.onnx"


@lru_cache(maxsize=1)
def signed_products_exact(ort: Any) -> bool:
    """Whether onnxruntime multiplies uint8 activations by int8 weights exactly on
    this CPU. Without VNNI (AVX2 only: an AMD EPYC of 2026, many older Xeons) its
    kernel adds pairs of products in 16 bits and saturates, so the query model gave
    other vectors there than on a CPU with VNNI (and tests and benchmarks tuned on
    one failed on the other); where it does, the query session asks for exact
    products (`EXACT_PRODUCTS`). Checked once per process on one product at the
    extremes (255 x 127, summed 64 times), which saturates wherever it can."""
    try:
        import numpy as np
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        return True
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["y"])],
        "probe",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [1, 64])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [1, 4])],
        [numpy_helper.from_array(np.full((64, 4), 127, dtype=np.int8), "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    try:
        session = ort.InferenceSession(
            model.SerializeToString(), providers=["CPUExecutionProvider"]
        )
        got = session.run(None, {"a": np.full((1, 64), 255, dtype=np.uint8)})[0]
    except Exception:  # no such operator here: the quantiser's default stands
        return True
    return bool((got == 64 * 255 * 127).all())


@lru_cache(maxsize=8)
def _digest(source: Path, size: int, mtime_ns: int) -> str:
    """The first 16 hex digits of the file's SHA-256 (~20 ms for the 23 MB model),
    once per process for a file as it stands (`size`, `mtime_ns`: part of the key)."""
    with source.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:16]


def _remove_older(target: Path, source: Path) -> None:
    """Remove the query models derived before `target` from a file named like
    `source` (another install's, another onnxruntime's, an earlier recipe's): each is
    a 59 MB copy that only the install that made it could use. An install that still
    wants its own builds it again (~4 s). A file another process has open stays
    readable to it until it closes it."""
    for old in target.parent.glob(f"query-{source.parent.name}-*.onnx"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


def quantised_query_model(source: Path, ort: Any, folder: Path) -> Path | None:
    """The path of the int8 query model derived from `source`, built in `folder` on
    first use; None when it cannot be built here (no `onnx` package, no writable
    folder)."""
    target = folder / _cache_name(source, ort.__version__)
    if target.exists():
        return target
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            folded = Path(work) / "folded.onnx"
            # constant folding turns the packaged int8 weights (int8 -> Cast -> Mul by
            # scale) into plain float weights, the form the quantiser recognises
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            options.optimized_model_filepath = str(folded)
            ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
            graph = onnx.load(str(folded)).graph
            constants = {init.name for init in graph.initializer}
            # only products with a weight matrix: quantising attention (two
            # activations) costs accuracy and saves little at 80 word pieces
            weight_products = [
                node.name
                for node in graph.node
                if node.op_type == "MatMul" and node.input[1] in constants
            ]
            built = Path(work) / "query.onnx"
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # the quantiser's advice goes to the root logger
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    quantize_dynamic(
                        folded,
                        built,
                        weight_type=QuantType.QInt8,
                        per_channel=True,
                        nodes_to_quantize=weight_products,
                    )
            finally:
                root.setLevel(level)
            built.replace(target)  # atomic: a concurrent process sees all or nothing
    except Exception:  # any failure leaves queries on the float model
        return None
    _remove_older(target, source)
    return target
