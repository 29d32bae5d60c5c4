"""Ingest throughput: the full MedQuAD corpus into a fresh store, lexical index only.

Each run ingests the corpus into a new SQLite file in a temporary folder through the
Python API (`Library.ingest`, embeddings off), then ingests it again to time the
all-unchanged pass a user pays when re-running a folder. The median of N runs is
reported; the target is under 60 s for the full ingest on a 2-core machine.

    python benchmarks/ingest.py [--runs 3] [--corpus ../shared/corpus/medquad] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from oncocite import open_library

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "medquad"
TARGET_SECONDS = 60.0


@dataclass
class Run:
    seconds: float
    documents: int
    passages: int
    failed: int
    reingest_seconds: float
    reingest_unchanged: int

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds


def one_run(corpus: Path) -> Run:
    with (
        tempfile.TemporaryDirectory(prefix="oncocite-bench-") as folder,
        open_library(Path(folder) / "bench.db", embed="0") as lib,
    ):
        started = time.perf_counter()
        report = lib.ingest([corpus], embed=False)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = lib.ingest([corpus], embed=False)
        reingest = time.perf_counter() - started
        counts = lib.counts()
    return Run(
        seconds=seconds,
        documents=counts["documents"],
        passages=counts["passages"],
        failed=report.failed + again.failed,
        reingest_seconds=reingest,
        reingest_unchanged=again.count("unchanged"),
    )


def command(args: argparse.Namespace) -> str:
    parts = ["python", "benchmarks/ingest.py", "--runs", str(args.runs)]
    if args.corpus.resolve() != DEFAULT_CORPUS.resolve():
        parts += ["--corpus", str(args.corpus)]
    return shlex.join(parts)


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }


def summarise(runs: list[Run], args: argparse.Namespace) -> dict[str, Any]:
    median = statistics.median(r.seconds for r in runs)
    return {
        "corpus": str(args.corpus),
        "runs": [asdict(r) for r in runs],
        "median_seconds": round(median, 3),
        "documents": runs[0].documents,
        "passages": runs[0].passages,
        "docs_per_second": round(runs[0].documents / median, 1),
        "passages_per_second": round(runs[0].passages / median, 1),
        "reingest_median_seconds": round(statistics.median(r.reingest_seconds for r in runs), 3),
        "target_seconds": TARGET_SECONDS,
        "target_met": median < TARGET_SECONDS,
        "environment": environment(),
        "command": command(args),
    }


def print_table(runs: list[Run], summary: dict[str, Any]) -> None:
    header = ("run", "wall s", "docs", "passages", "docs/s", "passages/s", "re-ingest s")
    rows = [
        (
            str(n),
            f"{r.seconds:.2f}",
            str(r.documents),
            str(r.passages),
            f"{r.docs_per_second:.0f}",
            f"{r.passages_per_second:.0f}",
            f"{r.reingest_seconds:.2f}",
        )
        for n, r in enumerate(runs, start=1)
    ]
    rows.append(
        (
            "median",
            f"{summary['median_seconds']:.2f}",
            str(summary["documents"]),
            str(summary["passages"]),
            f"{summary['docs_per_second']:.0f}",
            f"{summary['passages_per_second']:.0f}",
            f"{summary['reingest_median_seconds']:.2f}",
        )
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))

    env = summary["environment"]
    print("MedQuAD ingest, fresh SQLite store, lexical index only (embed off)")
    print(f"python {env['python']}, SQLite {env['sqlite']}, {env['cpus']} CPUs ({env['machine']})")
    print()
    print(line(header))
    print(line(tuple("-" * w for w in widths)))
    for row in rows:
        print(line(row))
    print()
    verdict = "met" if summary["target_met"] else "MISSED"
    print(f"target: full ingest under {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"reproduce (from the repository root): {summary['command']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="ingest runs (median reported)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="MedQuAD folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder (the MedQuAD corpus in ../shared)")

    runs: list[Run] = []
    for n in range(1, args.runs + 1):
        run = one_run(args.corpus)
        print(
            f"run {n}/{args.runs}: {run.seconds:.2f} s, re-ingest {run.reingest_seconds:.2f} s",
            file=sys.stderr,
        )
        runs.append(run)
    summary = summarise(runs, args)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_table(runs, summary)
    if any(r.failed or r.reingest_unchanged != r.documents for r in runs):
        print("error: some files failed or changed on re-ingest", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
