"""Finding input files and reading their bytes safely.

Every check that can reject a file before any parsing lives here, so a binary file,
a file in a legacy encoding or a 50 MB dump fails fast with a one-line reason and
never reaches a parser that would produce a traceback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oncocite.errors import InvalidDocument

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT_BY_SUFFIX",
    "SIDECAR_SUFFIX",
    "RawFile",
    "detect_format",
    "find_files",
    "housekeeping_reason",
    "read_raw",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SIDECAR_SUFFIX = ".meta.yaml"
_HOUSEKEEPING = frozenset(
    {"LICENSE", "LICENCE", "COPYING", "README", "ATTRIBUTION", "CHANGELOG", "NOTICE", "AUTHORS"}
)
FORMAT_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xml": "medquad",
}


@dataclass(frozen=True)
class RawFile:
    """A file's decoded text and the hash that decides whether it changed."""

    path: Path
    text: str
    sha256: str


def housekeeping_reason(path: Path) -> str | None:
    """Why a file found in a folder is not content (a licence, a README), or None."""
    stem = path.name.split(".")[0].upper()
    if stem in _HOUSEKEEPING:
        article = "an" if stem[0] in "AEIOU" else "a"
        return f"{path.name}: skipped, {article} {stem.lower()} file is not patient information"
    return None


def find_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files named directly, and files under named folders in a stable order.

    Each comes with a reason to skip it, or None. Inside folders hidden files and
    sidecars are left out, and housekeeping files (LICENSE, README, …) are skipped
    with a reason so the report shows them; a file named directly is always read. A
    path that does not exist is yielded so it is reported, not silently ignored.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.is_file() and not child.name.endswith(SIDECAR_SUFFIX):
                    yield child, housekeeping_reason(child)
        elif path.name.endswith(SIDECAR_SUFFIX) and path.is_file():  # e.g. from a shell glob
            yield path, f"{path.name}: skipped, a sidecar is read with the file it describes"
        else:
            yield path, None


def _size(n: int) -> str:
    if n < 1_048_576:
        return f"{n:,} bytes"
    return f"{n / 1_048_576:.1f}".removesuffix(".0") + " MB"


def read_raw(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawFile:
    """Read and decode a file, rejecting what no reader can use."""
    if not path.exists():
        raise InvalidDocument(path, "file does not exist")
    if not path.is_file():
        raise InvalidDocument(path, "is not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidDocument(
            path,
            f"file is {_size(size)}, over the {_size(max_bytes)} limit (raise it with --max-bytes)",
        )
    data = path.read_bytes()
    if not data.strip():
        raise InvalidDocument(path, "file is empty")
    if b"\x00" in data[:8192]:
        raise InvalidDocument(path, "is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidDocument(
            path,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawFile(path=path, text=text, sha256=hashlib.sha256(data).hexdigest())


def detect_format(path: Path, text: str) -> str:
    """The reader for a file: by suffix, with frontmatter sniffed in .txt files."""
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise InvalidDocument(
            path, f"unsupported file type {path.suffix or '(none)'!r} (known: {known})"
        )
    if fmt == "text" and text.lstrip("\ufeff").startswith("---\n"):
        return "markdown"
    return fmt
