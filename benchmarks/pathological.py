"""Ingest time and peak memory for pathological inputs at growing sizes.

The shapes are the resource-exhaustion cases of issue 12 (a YAML alias bomb in
frontmatter, a MedQuAD answer of spaces, one paragraph of "a. a. …") and other worst
cases for the readers and the chunker: a line without spaces, deep nesting, many
headings, tiny list items, many links, brackets and emphasis runs, tables. Each input
is ingested in a fresh subprocess (so the peak RSS is that input's own, imports
included) into a new SQLite store, through `ingest_paths` with the default time
budget; `--max-bytes` is raised a little so the 10 MB inputs are read at all.

What must hold: time grows linearly with size, and every 10 MB input either ingests
in under 30 s with under 500 MB of memory or fails cleanly within its time budget.

    python benchmarks/pathological.py [--sizes 10K 100K 1M 10M] [--shapes NAME ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED_NCI = ROOT.parent / "shared" / "seeds" / "003_5c17e5cb39d03151.txt"
MAX_BYTES = 11 * 1024 * 1024
LIMIT_SECONDS = 30.0
LIMIT_MB = 500.0

Shape = Callable[[int], tuple[str, bytes]]


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    body = unit * max(1, (size - len(head) - len(tail)) // len(unit))
    return (head + body + tail).encode()


def alias_bomb(size: int) -> tuple[str, bytes]:
    """Chained YAML anchors, each level nine aliases of the one before (billion laughs)."""
    lines = ["---", "title: Alias bomb", 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol"]']
    level = 1
    total = sum(len(line) + 1 for line in lines)
    while total < size - 40:
        prev = f"*l{level - 1}"
        line = f"l{level}: &l{level} [{', '.join([prev] * 9)}]"
        lines.append(line)
        total += len(line) + 1
        level += 1
    return "alias_bomb.md", ("\n".join([*lines, "---", "", "Body text."]) + "\n").encode()


def medquad_spaces(size: int) -> tuple[str, bytes]:
    head = (
        '<?xml version="1.0"?>\n<Document id="0000001" source="GARD">'
        "<Focus>Spaces</Focus><QAPairs><QAPair pid='1'>"
        "<Question qid='1' qtype='information'>What is it?</Question><Answer>a"
    )
    tail = "b</Answer></QAPair></QAPairs></Document>\n"
    return "0000001.xml", _fill(" ", size, head, tail)


def dot_paragraph(size: int) -> tuple[str, bytes]:
    return "dots.txt", _fill("a. ", size, "Dots\n\n")


def long_line(size: int) -> tuple[str, bytes]:
    return "long_line.txt", _fill("x", size, "Long line\n\n")


def long_words_line(size: int) -> tuple[str, bytes]:
    return "long_words.md", _fill("word ", size, "# Words\n\n")


def prose(size: int) -> tuple[str, bytes]:
    """The NCI seed's body repeated: what a large ordinary document costs."""
    text = SEED_NCI.read_text(encoding="utf-8").split("---\n", 2)[2]
    return "prose.md", _fill(text + "\n\n", size, "# Prose\n\n")


def many_headings(size: int) -> tuple[str, bytes]:
    return "headings.md", _fill("## Heading\n\nOne sentence here.\n\n", size)


def nested_lists(size: int) -> tuple[str, bytes]:
    unit = "".join("  " * depth + "- item\n" for depth in range(60))
    return "nested_lists.md", _fill(unit, size, "# Lists\n\n")


def tiny_list_items(size: int) -> tuple[str, bytes]:
    return "tiny_items.md", _fill("- a\n", size, "# Items\n\n")


def blockquotes(size: int) -> tuple[str, bytes]:
    return "quotes.md", _fill(">" * 200 + " deep\n", size, "# Quotes\n\n")


def many_links(size: int) -> tuple[str, bytes]:
    return "links.md", _fill("[a link](http://example.org/x) ", size, "# Links\n\n")


def brackets(size: int) -> tuple[str, bytes]:
    return "brackets.md", _fill("[", size, "# Brackets\n\n")


def emphasis(size: int) -> tuple[str, bytes]:
    return "emphasis.md", _fill("*a **b ", size, "# Emphasis\n\n")


def table(size: int) -> tuple[str, bytes]:
    return "table.md", _fill("| a | b | c |\n", size, "# Table\n\n| x | y | z |\n|---|---|---|\n")


def nested_html(size: int) -> tuple[str, bytes]:
    head = "<html><head><title>Nested</title></head><body><main>"
    return "nested.html", _fill("<div><p>Some text in a div.", size, head, "</main></body></html>")


def html_paragraphs(size: int) -> tuple[str, bytes]:
    head = "<html><head><title>Paragraphs</title></head><body><article><h1>Paragraphs</h1>"
    tail = "</article></body></html>"
    parts = [head]
    total = len(head) + len(tail)
    number = 0
    while total < size:
        number += 1
        parts.append(
            f"<p>Radiotherapy session {number} uses high-energy rays on cancer cells.</p>\n"
        )
        total += len(parts[-1])
    return "paragraphs.html", ("".join(parts) + tail).encode()


SHAPES: dict[str, Shape] = {
    "alias_bomb": alias_bomb,
    "medquad_spaces": medquad_spaces,
    "dot_paragraph": dot_paragraph,
    "long_line": long_line,
    "long_words_line": long_words_line,
    "prose": prose,
    "many_headings": many_headings,
    "nested_lists": nested_lists,
    "tiny_list_items": tiny_list_items,
    "blockquotes": blockquotes,
    "many_links": many_links,
    "brackets": brackets,
    "emphasis": emphasis,
    "table": table,
    "nested_html": nested_html,
    "html_paragraphs": html_paragraphs,
}
SIZES = {"10K": 10_000, "100K": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def child(path: Path) -> None:
    """Ingest one file into a fresh store and print what happened as JSON."""
    from oncocite.ingest.pipeline import IngestOptions, ingest_paths
    from oncocite.models import MetadataOverrides
    from oncocite.store.sqlite import SQLiteStore

    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store = SQLiteStore(path.parent / "bench.db")
    started = time.perf_counter()
    title = MetadataOverrides(title="Pathological input")
    options = IngestOptions(metadata=title, max_bytes=MAX_BYTES)
    report = ingest_paths(store, [path], options)
    seconds = time.perf_counter() - started
    [result] = report.results
    longest = 0
    if result.doc_id is not None:
        longest = max((len(p.text) for p in store.get_document(result.doc_id).passages), default=0)
    store.close()
    print(
        json.dumps(
            {
                "outcome": result.outcome,
                "error": result.error,
                "seconds": seconds,
                "passages": result.passages,
                "longest": longest,
                "base_mb": base_mb,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def measure(shape: str, size: int, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="oncocite-patho-") as folder:
        name, data = SHAPES[shape](size)
        path = Path(folder) / name
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {
                "outcome": "killed",
                "seconds": time.perf_counter() - started,
                "bytes": len(data),
            }
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            return {"outcome": f"crashed: {last[:80]}", "seconds": 0.0, "bytes": len(data)}
        result: dict[str, Any] = json.loads(done.stdout)
        result["bytes"] = len(data)
        return result


def verdict(row: dict[str, Any]) -> str:
    if row["outcome"] in ("added", "updated"):
        ok = row["seconds"] < LIMIT_SECONDS and row["peak_mb"] < LIMIT_MB
        return "ok" if ok else "TOO SLOW/BIG"
    if row["outcome"] == "failed":
        clean = "\n" not in (row.get("error") or "") and row["peak_mb"] < LIMIT_MB
        return "clean failure" if clean else "BAD FAILURE"
    return "BAD"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--timeout", type=float, default=120.0, help="kill a child after this")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    rows = []
    print("| shape | size | outcome | s | s/MB | peak MB | passages | longest | verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for shape in args.shapes:
        for label in args.sizes:
            row = measure(shape, SIZES[label], args.timeout)
            row.update(shape=shape, size=label)
            rows.append(row)
            per_mb = row["seconds"] / (row["bytes"] / 1e6)
            peak = row.get("peak_mb", float("nan"))
            judged = verdict(row) if "peak_mb" in row else "BAD"
            print(
                f"| {shape} | {label} | {row['outcome']} | {row['seconds']:.2f} | "
                f"{per_mb:.2f} | {peak:.0f} | {row.get('passages', 0)} | "
                f"{row.get('longest', 0)} | {judged} |",
                flush=True,
            )
            if row["outcome"] == "failed":
                print(f"|   | error: {row['error'][:150]} |", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    print(f"\nreproduce: python {shlex.join(sys.argv)}")


if __name__ == "__main__":
    main()
