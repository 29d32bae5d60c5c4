"""The long kill loop: SIGKILL a full MedQuAD ingest at random moments, 21 + 3 times.

The suite's crash tests (tests/integration/test_crash_safety.py) kill a 459-file slice
three times at chosen moments; this loop is the broad search for a kill that breaks the
store, too long for every test run. One SQLite file is used across every kill, so each
run resumes where the last one died, as a user re-running the command would. Most kills
are timed from the moment the run commits its first new document (polled read-only),
plus a random part of a window sized so that the kills march across the whole corpus:
they land mid-transaction, mid-commit and mid-checkpoint at every stage of the ingest.
A few land earlier, while the process starts, opens the store or skips what is already
stored. After each kill the store is judged by tests/crash_checks.py (integrity check,
only whole documents, a full-text and a version row for each); then a last run must
finish the corpus. Prints one line per kill and the totals; exits 1 on any failure.

    python benchmarks/crash_loop.py [CORPUS] [--kills 21] [--early 3] [--seed 20250611]

CORPUS is a folder in MedQuAD's layout (default ../shared/corpus/medquad).
"""

from __future__ import annotations

import argparse
import random
import shlex
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the store checks are shared with the crash tests

from tests.crash_checks import (  # noqa: E402
    RUN_TIMEOUT,
    check_store,
    expected_passages,
    launch,
    read_count,
    wait_for,
)

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "medquad"
# Prior for the write rate (documents/s), weighted as one second of observation, so a
# short first sample cannot make the next window wildly long or short.
PRIOR_DOCS_PER_SECOND = 700.0


@dataclass
class Kill:
    kind: str  # "writing" (timed from the first new commit) or "early"
    at: float  # seconds after the process started
    startup: float | None  # seconds until the run's first new commit, when seen
    before: int  # documents stored when the run started
    after: int  # documents stored after the kill
    failure: str | None  # what the store check found wrong, if anything


def judge(
    db: Path, expected: dict[str, list[str]], fts_index_check: bool
) -> tuple[int, str | None]:
    """Documents stored and the first broken invariant (None when the store is sound)."""
    try:
        return check_store(db, expected, fts_index_check), None
    except Exception as error:  # a broken store is the figure to print, not a crash
        return read_count(db, "documents") or 0, f"{type(error).__name__}: {error}"


def run_loop(corpus: Path, kills: int, early: int, seed: int, folder: Path) -> int:
    files = sorted(corpus.rglob("*.xml"))
    started_all = time.monotonic()
    expected = expected_passages(files)
    total = len(expected)
    rng = random.Random(seed)
    plan = ["writing"] * kills + ["early"] * early
    rng.shuffle(plan)
    db, log = folder / "crash.db", folder / "stderr.log"
    done: list[Kill] = []
    written, writing_seconds, last_startup, stored = 0, 0.0, 1.0, 0

    for index, kind in enumerate(plan):
        started = time.monotonic()
        proc = launch(db, [corpus], log, "--no-embed")
        startup: float | None = None
        if kind == "early":
            # Anywhere from interpreter start to the moment the previous run began writing.
            time.sleep(rng.uniform(0.05, last_startup))
        elif wait_for(proc, db, "documents", stored):
            startup = time.monotonic() - started
            last_startup = startup
            # Kill after a random share of this kill's part of what is left, so that
            # kills spread over the whole corpus and a little is left for the last run.
            left_kills = plan[index:].count("writing") + 1
            rate = (PRIOR_DOCS_PER_SECOND + written) / (1.0 + writing_seconds)
            window = 1.6 * (total - stored) / left_kills / rate
            time.sleep(rng.uniform(0.0, window))
        at = time.monotonic() - started
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=RUN_TIMEOUT)
        after, failure = judge(db, expected, fts_index_check=index % 4 == 0)
        if failure is None and after < stored:
            failure = f"a kill lost committed documents ({stored} -> {after})"
        if startup is not None and after > stored:
            written += after - stored
            writing_seconds += at - startup
        kill = Kill(kind, at, startup, stored, after, failure)
        done.append(kill)
        shown = "-" if startup is None else f"{startup:.2f}s"
        print(
            f"kill {index + 1:2} {kind:8} at {at:5.2f}s startup {shown:>6} "
            f"docs {stored:5} -> {after:5}  {failure or 'ok'}",
            flush=True,
        )
        stored = max(stored, after)

    final = launch(db, [corpus], log, "--no-embed")
    final.wait()  # however long a contended machine takes
    finished, failure = judge(db, expected, fts_index_check=True)
    if failure is None and (final.returncode != 0 or finished != total):
        failure = f"the last run exited {final.returncode} with {finished} of {total} documents"
    tracebacks = log.read_text(encoding="utf-8", errors="replace").count("Traceback")
    seconds = time.monotonic() - started_all

    during = [k for k in done if k.before < k.after < total]
    failures = sum(1 for k in done if k.failure) + (failure is not None)
    startups = [k.startup for k in done if k.startup is not None]
    passages = sum(map(len, expected.values()))
    reached = [k.after for k in during] or [0]
    print()
    print(f"corpus              {corpus} ({total} documents, {passages} passages)")
    print(
        f"kills               {len(done)} ({plan.count('writing')} timed from the first "
        f"new commit, {plan.count('early')} early)"
    )
    print(
        f"kills while writing {len(during)} (documents stored after them: "
        f"{min(reached)} to {max(reached)})"
    )
    median = f"{statistics.median(startups):.2f}s" if startups else "-"
    print(f"startup median      {median}")
    print(f"last run            {failure or 'ok'}: {finished} documents")
    print(f"tracebacks          {tracebacks}")
    print(f"integrity failures  {failures}")
    print(f"time                {seconds:.0f}s")
    print(f"command             {command(corpus, kills, early, seed)}")
    return 1 if failures or tracebacks else 0


def command(corpus: Path, kills: int, early: int, seed: int) -> str:
    parts = ["python", "benchmarks/crash_loop.py"]
    if corpus.resolve() != DEFAULT_CORPUS.resolve():
        parts.append(str(corpus))
    if kills != 21 or early != 3:
        parts += ["--kills", str(kills), "--early", str(early)]
    if seed != 20250611:
        parts += ["--seed", str(seed)]
    return shlex.join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--kills", type=int, default=21, help="kills timed while writing")
    parser.add_argument("--early", type=int, default=3, help="kills before the first commit")
    parser.add_argument("--seed", type=int, default=20250611)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"corpus folder {args.corpus} does not exist")
    with tempfile.TemporaryDirectory(prefix="oncocite-crash-") as folder:
        return run_loop(args.corpus, args.kills, args.early, args.seed, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
