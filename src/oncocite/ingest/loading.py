"""Finding input files and reading their bytes safely.

Every check that can reject a file before any parsing lives here, so a binary file,
a file in a legacy encoding or a 50 MB dump fails fast with a one-line reason and
never reaches a parser that would produce a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from oncocite.errors import InvalidDocument, one_line

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT_BY_SUFFIX",
    "SIDECAR_SUFFIX",
    "RawFile",
    "detect_format",
    "find_files",
    "folder_roots",
    "housekeeping_reason",
    "inside",
    "read_raw",
    "resolved",
    "special_kind",
    "unreadable",
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
        return f"{_name(path)}: skipped, {article} {stem.lower()} file is not patient information"
    return None


def _name(path: Path) -> str:
    return one_line(path.name)


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)", …), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def resolved(path: Path) -> Path | None:
    """The real path behind path, or None for a loop of links (pathlib raises on it)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def inside(target: Path, roots: Sequence[Path]) -> bool:
    """Whether target is one of roots or lies under one."""
    return any(target == root or target.is_relative_to(root) for root in roots)


def _walk(
    folder: Path, roots: Sequence[Path], visited: set[Path]
) -> Iterator[tuple[Path, str | None]]:
    """Entries of one folder in name order, recursing; see `find_files` for the rules."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield folder, f"{_name(folder)}: skipped, the folder cannot be listed ({exc.strerror})"
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        if entry.name.endswith(SIDECAR_SUFFIX):
            continue  # read with the file it describes, under the same rules for links
        try:
            if entry.is_symlink():
                yield from _follow_link(child, roots, visited)
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            yield child, f"{_name(child)}: skipped, cannot be examined ({exc.strerror})"
            continue
        if stat.S_ISDIR(mode):
            yield from _walk_once(child, roots, visited)
            continue
        kind = special_kind(mode)
        if kind is not None:
            yield child, f"{_name(child)}: skipped, it is {kind}, not a regular file"
            continue
        yield child, housekeeping_reason(child)


def _walk_once(
    folder: Path, roots: Sequence[Path], visited: set[Path]
) -> Iterator[tuple[Path, str | None]]:
    real = resolved(folder) or folder
    if real in visited:
        yield folder, f"{_name(folder)}: skipped, a link to a folder that is read already"
        return
    visited.add(real)
    yield from _walk(folder, roots, visited)


def _follow_link(
    link: Path, roots: Sequence[Path], visited: set[Path]
) -> Iterator[tuple[Path, str | None]]:
    """A symbolic link found in a folder: followed only to a target inside the roots."""
    target = resolved(link)
    if target is None:
        yield link, f"{_name(link)}: skipped, a loop of symbolic links"
        return
    try:
        mode = target.stat().st_mode
    except OSError:
        yield link, f"{_name(link)}: skipped, a symbolic link whose target does not exist"
        return
    if not inside(target, roots):
        yield (
            link,
            (
                f"{_name(link)}: skipped, a symbolic link that points outside the folders given "
                "(links are followed only within them)"
            ),
        )
        return
    if stat.S_ISDIR(mode):
        yield from _walk_once(link, roots, visited)
        return
    kind = special_kind(mode)
    if kind is not None:
        yield link, f"{_name(link)}: skipped, a symbolic link to {kind}, not a regular file"
        return
    yield link, housekeeping_reason(link)


def folder_roots(paths: Sequence[Path]) -> list[Path]:
    """The folders given, resolved: the only places a symbolic link may lead to."""
    return [path.resolve() for path in paths if path.is_dir()]


def unreadable(path: Path) -> str | None:
    """Why a path named on the command line cannot be read at all ("does not exist",
    "cannot be read (Permission denied)"), or None when it can be tried.

    Only what makes the path itself unusable: a file that opens but is empty, binary or
    too big is the pipeline's to report, with the file's other checks."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "is a symbolic link whose target does not exist"
        return "does not exist"
    except NotADirectoryError:
        return "does not exist (a folder in the path is a file)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a loop of symbolic links"
        return f"cannot be read ({exc.strerror or type(exc).__name__})"
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            return f"is a folder that cannot be listed ({exc.strerror})"
        return None
    if stat.S_ISREG(info.st_mode) and not os.access(path, os.R_OK):
        return "cannot be read (Permission denied)"
    return None


def find_files(paths: Sequence[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files named directly, and files under named folders in a stable order.

    Each comes with a reason to skip it, or None. Inside folders hidden files and
    sidecars are left out, and housekeeping files (LICENSE, README, …) are skipped
    with a reason so the report shows them; a file named directly is always read. A
    path that does not exist is yielded so it is reported, not silently ignored.

    Inside a folder a symbolic link is followed only when its target lies inside one
    of the folders given (a link to /etc/passwd is skipped, with a reason), a folder
    reached twice is read once, and FIFOs, sockets, devices and dangling links are
    reported as skipped: a FIFO is never opened, since opening one blocks.
    """
    roots = folder_roots(paths)
    visited: set[Path] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk_once(path, roots, visited)
        elif path.name.endswith(SIDECAR_SUFFIX) and path.is_file():  # e.g. from a shell glob
            yield path, f"{_name(path)}: skipped, a sidecar is read with the file it describes"
        else:
            yield path, None


def _size(n: int) -> str:
    if n < 1_048_576:
        return f"{n:,} bytes"
    return f"{n / 1_048_576:.1f}".removesuffix(".0") + " MB"


def _read_bounded(path: Path, max_bytes: int, field: str | None) -> bytes:
    """At most max_bytes + 1 bytes of a regular file, never blocking on a FIFO.

    The file is opened non-blocking and checked with fstat on the open descriptor, so
    a FIFO swapped in after the listing cannot hang the run, and the read is bounded
    even where st_size lies (files under /proc report 0).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InvalidDocument(path, "file does not exist", field=field) from None
    except IsADirectoryError:
        raise InvalidDocument(path, "is a folder, not a file", field=field) from None
    except OSError as exc:
        raise InvalidDocument(path, f"cannot be opened ({exc.strerror})", field=field) from None
    info = os.fstat(fd)
    kind = special_kind(info.st_mode)
    if kind is not None:
        os.close(fd)
        raise InvalidDocument(path, f"is {kind}, not a regular file", field=field)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > max_bytes:
            raise _too_big(path, info.st_size, max_bytes, field)
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InvalidDocument(path, f"cannot be read ({exc.strerror})", field=field) from None
    if len(data) > max_bytes:
        raise _too_big(path, len(data), max_bytes, field)
    return data


def _too_big(path: Path, size: int, max_bytes: int, field: str | None) -> InvalidDocument:
    # A size found by reading (not stat) is only known to be past the limit.
    shown = f"more than {_size(max_bytes)}" if size == max_bytes + 1 else _size(size)
    return InvalidDocument(
        path,
        f"file is {shown}, over the {_size(max_bytes)} limit (raise it with --max-bytes)",
        field=field,
    )


def read_raw(
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    field: str | None = None,
    allow_empty: bool = False,
) -> RawFile:
    """Read and decode a file, rejecting what no reader can use.

    `field` names what the file is to its document ("sidecar") in every error, and a
    sidecar may be empty; the size, binary and UTF-8 checks are the same for both.
    """
    data = _read_bounded(path, max_bytes, field)
    if not data.strip() and not allow_empty:
        raise InvalidDocument(path, "file is empty", field=field)
    if b"\x00" in data[:8192]:
        raise InvalidDocument(path, "is a binary file, not text", field=field)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidDocument(
            path,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8",
            field=field,
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
