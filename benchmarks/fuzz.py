"""The long fuzz run: 10,000+ generated and mutated files through every reader.

Half the inputs are generated from the grammars of `tests/fuzz/inputs.py` (Markdown
with frontmatter, scraped text, HTML, MedQuAD XML, files with sidecars), half are the
seeds and MedQuAD samples from the shared folder with byte-level mutations. Each goes
through `prepare_document` and the pipeline into a store that already holds both
seeds, with the checks of the hypothesis suite (`tests/fuzz/checks.py`): only the
project's own errors, one-line rejections naming the file, a store unchanged by a
rejection. A crash is any breach of those; crashing inputs are written to --out.

    python benchmarks/fuzz.py [--inputs 10000] [--seed 0] [--shared ../shared] [--out DIR]
"""

from __future__ import annotations

import argparse
import random
import shlex
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fuzz, shared with the hypothesis suite

from tests.fuzz.checks import check_case  # noqa: E402
from tests.fuzz.inputs import GENERATORS, Chooser, FuzzCase, mutated_file, seed_files  # noqa: E402

from oncocite.ingest.pipeline import IngestOptions, ingest_paths  # noqa: E402
from oncocite.store.sqlite import SQLiteStore  # noqa: E402

CRUK_FLAGS = {"source": "Cancer Research UK", "license": "all_rights_reserved"}


def make_case(rng: random.Random, sources: list[Path]) -> FuzzCase:
    chooser = Chooser.from_random(rng)
    if rng.random() < 0.5:
        return mutated_file(chooser, sources)
    return GENERATORS[rng.choice(sorted(GENERATORS))](chooser)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / ".cache" / "fuzz")
    args = parser.parse_args()

    sources = seed_files(args.shared, medquad_per_folder=5)
    seeds = sorted((args.shared / "seeds").glob("*.txt"))
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    slowest: list[tuple[float, str, str]] = []
    crashes: list[tuple[FuzzCase, str]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="oncocite-fuzz-store-") as folder:
        store = SQLiteStore(Path(folder) / "fuzz.db")
        for index, seed in enumerate(seeds):
            flags = CRUK_FLAGS if index == 0 else None
            ingest_paths(store, [seed], IngestOptions(metadata=flags))
        for number in range(1, args.inputs + 1):
            case = make_case(rng, sources)
            tic = time.perf_counter()
            outcome = check_case(case, store)
            seconds = time.perf_counter() - tic
            by_kind[case.kind] += 1
            if outcome.crash is not None:
                counts["crashed"] += 1
                crashes.append((case, outcome.crash))
            else:
                counts["accepted" if outcome.accepted else "rejected"] += 1
            slowest.append((seconds, case.kind, case.name))
            slowest = sorted(slowest, reverse=True)[:5]
            if number % 1000 == 0:
                print(f"  {number:,} inputs, {counts['crashed']} crashed", file=sys.stderr)
        store.close()
    total = time.perf_counter() - started

    print(f"tried     {args.inputs:,}  ({total:.0f} s, {args.inputs / total:.0f} inputs/s)")
    for key in ("accepted", "rejected", "crashed"):
        print(f"{key:9} {counts[key]:,}")
    print("by kind   " + ", ".join(f"{k}: {v:,}" for k, v in sorted(by_kind.items())))
    print("slowest   " + "; ".join(f"{s:.2f} s {kind} {name!r}" for s, kind, name in slowest))
    if crashes:
        args.out.mkdir(parents=True, exist_ok=True)
        for index, (case, crash) in enumerate(crashes[:50]):
            (
                args.out / f"crash{index:03}_{case.name.encode('unicode_escape').decode()}"
            ).write_bytes(case.data)
            print(f"crash {index}: {case.kind} {case.name!r}: {crash}")
        print(f"crashing inputs written to {args.out}")
    print(f"\nreproduce: python {shlex.join(sys.argv)}")
    if crashes:
        sys.exit(1)


if __name__ == "__main__":
    main()
