"""Cold start: how long a one-shot `oncocite search` takes, in a fresh process each time.

A patient (or a script) that runs one search pays for everything a process loads:
imports, the lexical index, the embedding matrix and the query model. Each command
runs as its own process, `--runs` times; the table shows the median wall time, and
the ratio of the default search to `oncocite --help` (the floor any command pays).

Libraries: the two seeds (built here), and all of MedQuAD embedded with the default
model, kept in benchmarks/.cache (building it embeds 16,423 passages once: about 15
minutes on 2 cores; `--medquad-db` points at another copy).

    python benchmarks/cold_start.py [--runs 7] [--shared ../shared] [--skip-medquad]

Targets (issue 11): one-shot default search <= 3x `--help` and <= 2 s on MedQuAD; a
lexical search never imports torch.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
ONCOCITE = Path(sys.executable).with_name("oncocite")
QUERY = "what are the side effects of Herceptin for HER2 positive breast cancer"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


def run(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=ENV, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return elapsed


def median_of(args: list[str], runs: int) -> tuple[float, float, float]:
    times = [run(args) for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def imports_torch(args: list[str]) -> bool:
    """Whether the command, run under -X importtime, imports torch at all."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "oncocite", *args],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    return any(line.rstrip().endswith("| torch") for line in done.stderr.splitlines())


def seeds_library(shared: Path, folder: Path) -> Path:
    db = folder / "seeds.db"
    seeds = shared / "seeds"
    run([str(ONCOCITE), "ingest", str(seeds / "003_5c17e5cb39d03151.txt"), "--db", str(db)])
    run(
        [
            str(ONCOCITE),
            "ingest",
            str(seeds / "000_115646f3b8bff644.txt"),
            "--db",
            str(db),
            "--source",
            "Cancer Research UK",
            "--license",
            "all_rights_reserved",
        ]
    )
    return db


def medquad_library(shared: Path, db: Path) -> Path:
    if not db.exists():
        print(f"building {db} (embeds all of MedQuAD once; ~15 min on 2 cores)", file=sys.stderr)
        db.parent.mkdir(parents=True, exist_ok=True)
        run([str(ONCOCITE), "ingest", str(shared / "corpus" / "medquad"), "--db", str(db), "-q"])
    return db


def drop_index(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM artifacts")


def measure(name: str, db: Path, runs: int, help_time: float) -> list[str]:
    search = [str(ONCOCITE), "search", QUERY, "--db", str(db), "-k", "5"]
    rows = []
    for label, args in (
        ("search (default hybrid)", search),
        ("search --mode lexical", [*search, "--mode", "lexical"]),
    ):
        med, lo, hi = median_of(args, runs)
        rows.append(
            f"| {name} | {label} | {med:.2f} | {lo:.2f}–{hi:.2f} | {med / help_time:.1f}× |"
        )
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "noindex.db"
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        drop_index(copy)
        first = run([*search[:4], str(copy), "-k", "5"])
    rows.append(
        f"| {name} | first search after a change (index rebuilt, saved) | {first:.2f} | – "
        f"| {first / help_time:.1f}× |"
    )
    lexical_torch = imports_torch(["search", QUERY, "--db", str(db), "--mode", "lexical"])
    hybrid_torch = imports_torch(["search", QUERY, "--db", str(db)])
    rows.append(
        f"| {name} | imports torch? lexical: {'yes' if lexical_torch else 'no'}, "
        f"hybrid: {'yes' if hybrid_torch else 'no'} | | | |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--medquad-db", type=Path, default=CACHE / "medquad.db")
    parser.add_argument("--skip-medquad", action="store_true")
    args = parser.parse_args()

    help_med, help_lo, help_hi = median_of([str(ONCOCITE), "--help"], args.runs)
    rows = [
        "| library | command | median s | range s | × --help |",
        "|---|---|---|---|---|",
        f"| – | oncocite --help | {help_med:.2f} | {help_lo:.2f}–{help_hi:.2f} | 1.0× |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        rows += measure("seeds", seeds_library(args.shared, Path(tmp)), args.runs, help_med)
    if not args.skip_medquad:
        db = medquad_library(args.shared, args.medquad_db)
        rows += measure("MedQuAD (16,423 passages)", db, args.runs, help_med)
    print("\n".join(rows))
    print(f"\n{args.runs} fresh processes per command; query: {QUERY!r}")
    print(f"reproduce: python benchmarks/cold_start.py --runs {args.runs}")


if __name__ == "__main__":
    main()
