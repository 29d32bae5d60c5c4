"""TREC file formats: queries (`id<TAB>text`), runs and qrels.

Plain text formats every IR tool reads, so a run of oncocite can be scored by
trec_eval or ir-measures, and judgements from elsewhere can score oncocite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from oncocite.errors import InvalidQuery, one_line
from oncocite.models import Hit

__all__ = [
    "read_qrels",
    "read_queries",
    "read_run",
    "write_qrels",
    "write_queries",
    "write_run",
]

T = TypeVar("T", int, float)
_TAG = re.compile(r"^\S+$")


def _where(path: Path, number: int | None = None) -> str:
    """The file (and line) an error is about, safe to print on one line."""
    return one_line(str(path) if number is None else f"{path}:{number}")


def _lines(path: Path) -> list[str]:
    """The file's lines. Errors about them never quote them: `eval --qrels /etc/shadow`
    must not print a line of the file, so they give file, line and expected shape."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidQuery(f"{_where(path)}: no such file") from None
    except IsADirectoryError:
        raise InvalidQuery(f"{_where(path)}: is a folder, not a file") from None
    except OSError as exc:
        raise InvalidQuery(f"{_where(path)}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidQuery(
            f"{_where(path)}: is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(id, text) pairs from `id<TAB>text` lines; blank and `#` lines are skipped."""
    queries: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        qid, tab, text = line.partition("\t")
        qid, text = qid.strip(), text.strip()
        if not tab or not qid or not text:
            raise InvalidQuery(f"{_where(path, number)}: expected 'id<TAB>question'")
        if not _TAG.match(qid):
            raise InvalidQuery(f"{_where(path, number)}: the query id contains spaces")
        if qid in seen:
            raise InvalidQuery(
                f"{_where(path, number)}: the query id is repeated (first on line {seen[qid]})"
            )
        seen[qid] = number
        queries.append((qid, text))
    return queries


def write_queries(path: Path, queries: Iterable[tuple[str, str]]) -> None:
    """`id<TAB>text` lines; tabs and newlines inside a question become spaces."""
    text = "".join(f"{qid}\t{' '.join(q.split())}\n" for qid, q in queries)
    path.write_text(text, encoding="utf-8")


def write_run(path: Path, results: Mapping[str, Sequence[Hit]], tag: str) -> None:
    """A TREC run: `qid Q0 docno rank score tag`, docno being the passage id."""
    if not _TAG.match(tag):
        raise InvalidQuery(f"run tag {tag!r} must be one word without spaces")
    out: list[str] = []
    for qid, hits in results.items():
        for rank, hit in enumerate(hits, start=1):
            out.append(f"{qid} Q0 {hit.passage_id} {rank} {hit.score:.6f} {tag}\n")
    path.write_text("".join(out), encoding="utf-8")


def _records(path: Path, width: int, shape: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank, non-comment line with `width` fields."""
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != width:
            raise InvalidQuery(
                f"{_where(path, number)}: a {shape}, this line has {len(parts)} fields"
            )
        yield number, parts


def _scores_by_query(
    path: Path, width: int, shape: str, column: int, kind: Callable[[str], T], what: str
) -> dict[str, dict[str, T]]:
    """{qid: {docno: value of `column`}} of a qrels or run file; a bad value is one line."""
    table: dict[str, dict[str, T]] = {}
    for number, parts in _records(path, width, shape):
        try:
            value = kind(parts[column])
        except ValueError:
            raise InvalidQuery(f"{_where(path, number)}: {what}") from None
        table.setdefault(parts[0], {})[parts[2]] = value
    return table


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """Judgements `qid iter docno relevance` (graded: any integer) by query and doc."""
    shape = "qrels line is 'qid 0 docno relevance'"
    what = "the relevance (4th field) is not a whole number"
    return _scores_by_query(path, 4, shape, 3, int, what)


def read_run(path: Path) -> dict[str, dict[str, float]]:
    """Scores by query and doc from `qid Q0 docno rank score tag` lines."""
    shape = "run line is 'qid Q0 docno rank score tag'"
    return _scores_by_query(path, 6, shape, 4, float, "the score (5th field) is not a number")


def write_qrels(path: Path, qrels: Mapping[str, Mapping[str, int]]) -> None:
    """Judgements in TREC qrels format (`qid 0 docno relevance`)."""
    out = [f"{qid} 0 {doc} {rel}\n" for qid, docs in qrels.items() for doc, rel in docs.items()]
    path.write_text("".join(out), encoding="utf-8")
