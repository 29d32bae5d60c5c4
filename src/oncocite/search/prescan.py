"""An int8 copy of a vector matrix that bounds every row's score, so an exact search
reads a quarter of the bytes and still returns exactly what a full scan would.

Every search multiplies the passage matrix and the context matrix (16,444 x 384
float32 each over MedQuAD, ~25 MB) by its query vector. Those products are bound by
memory bandwidth, which the two cores of a server share, and each evicts the query
model's weights from the cache: under load, ~2 ms each of a request's CPU (py-spy).

`Int8Scan` keeps each row in int8 with its own scale (6 MB for the same matrix) and
runs the product in integer arithmetic on onnxruntime (MatMulInteger, the kernels
the query model uses; ~4x fewer bytes read). With the scale of each row and of the
query it knows how far the integer score can be from the float one, and returns an
interval per row that holds the exact score for certain (`Int8Scan.bounds`): for a
row x and a query q and their int8 forms x', q' (scaled back),
|x.q - x'.q'| <= |x| |q - q'| + |x - x'| |q'| (Cauchy-Schwarz; |x - x'| is kept per
row, |q - q'| is computed per query), plus a margin for float32 rounding. Over
MedQuAD the interval is ~0.03 wide. A top-k search then keeps the rows whose upper
bound reaches the k-th best lower bound (~300 of 16k for the engine's 100), and
scores them exactly: no row outside them can be among the k best. The exact scores
come from the same float32 product over the rows gathered in aligned blocks of four
(`exact_rows`): OpenBLAS computes a row's dot product the same way in a block at the
same offset, so the scores, not only the order, are bit for bit those of the full
product (checked with this machine's OpenBLAS, and on 902 MedQuAD and load
questions, every search and answer identical; another BLAS may differ in the last
bit). Ties at the k-th place are cut by key (`top_k(ties_by_key=True)`), so the
rows kept do not depend on which others were scored.

Built only for a matrix of at least `PRESCAN_MIN_ROWS` rows (below it a full
product is as fast) and when `onnx` and `onnxruntime` are installed (the dense
extra); otherwise the index scans in full, as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["PRESCAN_MIN_ROWS", "Int8Scan", "exact_rows"]

# From this many rows a matrix gets an int8 copy (EngineConfig.prescan_min_rows).
PRESCAN_MIN_ROWS = 4096
# What float32 rounding may add to a score of unit vectors (384 products: ~2.3e-5).
_ROUNDING = 1e-4
# Rows are rescored in aligned blocks of this many (see `exact_rows`).
_BLOCK = 4
# Rows quantised at a time (fresh memory is slow to touch: a few MB at a time).
_CHUNK = 2048

Floats = npt.NDArray[np.float32]


def exact_rows(
    matrix: npt.NDArray[np.float32], column: npt.NDArray[np.float32], rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """The exact scores of `rows` (sorted, distinct) of `matrix` against `column`
    (a vector, or a matrix of one column), as the full product `matrix @ column`
    gives them: the rows are gathered with the rest of their aligned block of four,
    so each is computed by the same kernel path as in the full product. Returns the
    rows scored (the given ones and their block neighbours) and their scores."""
    if not len(rows):
        return rows, np.zeros(0, dtype=np.float32)
    starts = rows // _BLOCK  # rows ascending: so are their blocks
    blocks = starts[np.concatenate(([True], starts[1:] != starts[:-1]))]
    scored = (blocks[:, None] * _BLOCK + np.arange(_BLOCK)).ravel()
    scored = scored[scored < len(matrix)]
    values = matrix.take(scored, axis=0) @ column
    return scored, values.reshape(len(scored), -1)[:, 0].astype(np.float32, copy=False)


def _exact_here(session: Any, weights: npt.NDArray[np.int8]) -> bool:
    """Whether the session's integer products are exact on this CPU, checked with the
    queries that stress a kernel most (every entry at the int8 extremes, alike and
    alternating in sign): the bounds hold only if they are."""
    dim = weights.shape[1]
    exact = weights.astype(np.int32)  # (|sum| <= 127 * 127 * dim: no overflow)
    for probe in (np.full(dim, 127), np.resize([127, -127], dim), np.full(dim, -127)):
        feed = {
            "query": (probe + 128).astype(np.uint8)[None, :],
            "zero": np.array(128, dtype=np.uint8),
        }
        if not np.array_equal(session.run(None, feed)[0][0], exact @ probe.astype(np.int32)):
            return False
    return True


class Int8Scan:
    """A matrix in int8 (one scale per row) that bounds each row's inner product
    with a query: `bounds(q)` gives (lower, upper) per row, float32, holding the
    float32 score `matrix @ q` for certain."""

    def __init__(
        self,
        matrix: npt.NDArray[np.float32],
        weights: npt.NDArray[np.int8],
        scale: npt.NDArray[np.float64],
        session: Any,
    ) -> None:
        self._scale = scale.astype(np.float32)
        # how far each row's int8 form is from it (computed in float64, so the bound
        # holds whatever rounding made the weights), and the longest row
        error = np.empty(len(matrix), dtype=np.float32)
        norm = 0.0
        for start in range(0, len(matrix), _CHUNK):  # float64 a chunk at a time
            rows = matrix[start : start + _CHUNK].astype(np.float64)
            gap = rows - weights[start : start + _CHUNK] * scale[start : start + _CHUNK, None]
            error[start : start + _CHUNK] = np.sqrt(np.einsum("ij,ij->i", gap, gap))
            norm = max(norm, float(np.sqrt(np.einsum("ij,ij->i", rows, rows).max())))
        self._error = error
        self._norm = norm
        self._session = session
        self.rows = len(matrix)

    @classmethod
    def build(
        cls, matrix: npt.NDArray[np.float32], min_rows: int = PRESCAN_MIN_ROWS
    ) -> Int8Scan | None:
        """The int8 copy of `matrix`, or None: fewer than `min_rows` rows (0: never),
        or no onnx/onnxruntime here."""
        if min_rows <= 0 or len(matrix) < min_rows or matrix.ndim != 2:
            return None
        try:
            import onnxruntime
            from onnx import TensorProto, helper, numpy_helper
        except ImportError:
            return None
        peaks = np.abs(matrix).max(axis=1).astype(np.float64)
        scale = np.where(peaks > 0, peaks / 127.0, 1.0)
        inverse = (1.0 / scale).astype(np.float32)
        weights = np.empty(matrix.shape, dtype=np.int8)
        for start in range(0, len(matrix), _CHUNK):
            scaled = matrix[start : start + _CHUNK] * inverse[start : start + _CHUNK, None]
            np.clip(np.rint(scaled, out=scaled), -127, 127, out=scaled)
            weights[start : start + _CHUNK] = scaled
        count, dim = matrix.shape
        # the rows are fed as uint8 around a zero point of 128, as the query is:
        # onnxruntime's uint8 x int8 kernel on a CPU without VNNI (AVX2 only) adds
        # pairs of products in 16 bits and saturates (products off by up to ~1e5 on
        # an AMD EPYC), while uint8 x uint8 widens first and is exact everywhere
        stored = (weights.astype(np.int16) + 128).astype(np.uint8)
        graph = helper.make_graph(
            [helper.make_node("MatMulInteger", ["query", "rows", "zero", "rows_zero"], ["scores"])],
            "int8-scan",
            [
                helper.make_tensor_value_info("query", TensorProto.UINT8, [1, dim]),
                helper.make_tensor_value_info("zero", TensorProto.UINT8, []),
            ],
            [helper.make_tensor_value_info("scores", TensorProto.INT32, [1, count])],
            [
                numpy_helper.from_array(np.ascontiguousarray(stored.T), "rows"),
                numpy_helper.from_array(np.array(128, dtype=np.uint8), "rows_zero"),
            ],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        options = onnxruntime.SessionOptions()
        # one thread, no spinning: as the query model (search/dense.py says why)
        options.intra_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = onnxruntime.InferenceSession(
                model.SerializeToString(), options, providers=["CPUExecutionProvider"]
            )
        except Exception:  # an onnxruntime without the operator: scan in full
            return None
        if not _exact_here(session, weights):  # a kernel that rounds: scan in full
            return None
        return cls(matrix, weights, scale, session)

    def bounds(self, vector: npt.NDArray[np.float32]) -> tuple[Floats, Floats]:
        """(lower, upper) for every row: its float32 score against `vector` lies
        between them."""
        query = np.asarray(vector, dtype=np.float64).reshape(-1)
        peak = float(np.abs(query).max()) if len(query) else 0.0
        q_scale = peak / 127.0 if peak > 0 else 1.0
        rounded = np.round(query / q_scale)
        feed = {
            "query": (rounded + 128).astype(np.uint8)[None, :],
            "zero": np.array(128, dtype=np.uint8),
        }
        products = self._session.run(None, feed)[0][0]
        approx = products.astype(np.float32)
        approx *= self._scale
        approx *= np.float32(q_scale)
        # x.q - x'.q' = x.(q - q') + (x - x').q' for the int8 forms x', q': bounded
        # by |x||q - q'| + |x - x'||q'| (Cauchy-Schwarz); the float32 arithmetic here
        # and in the exact product is covered by the rounding margin
        error = float(np.linalg.norm(query - rounded * q_scale))
        fixed = self._norm * error + _ROUNDING * max(1.0, self._norm * float(np.linalg.norm(query)))
        margin = self._error * np.float32(float(np.linalg.norm(rounded)) * q_scale)
        margin += np.float32(fixed)
        return approx - margin, approx + margin
