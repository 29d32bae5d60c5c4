"""Helpers every benchmark shares: one definition each, imported as `common`.

A benchmark runs as a script from this folder (`python benchmarks/x.py`), so its
siblings import by name, as `answer_sets` and `cancergov_dev` already do.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

from oncocite import MetadataOverrides

__all__ = ["CRUK", "SEEDS", "key_facts", "log", "percentile"]

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# The CRUK seed page records no licence or audience of its own: what the tests and
# every benchmark ingest it with is one file (tests/data/seeds/cruk_metadata.json).
CRUK = MetadataOverrides.model_validate_json(
    (
        Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds" / "cruk_metadata.json"
    ).read_text(encoding="utf-8")
)


@cache
def _seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def key_facts(item: dict[str, Any], seeds: Path = SEEDS) -> list[str]:
    """The key facts of a seed message (tests/data/messages): each is kept there as a
    span of its seed ({at, chars}), not as text, so the set holds no copy of the
    seeds (the CRUK page is all rights reserved); the text is read from ../shared."""
    text = _seed_text(seeds / f"{item['source']}.txt")
    return [text[f["at"] : f["at"] + f["chars"]] for f in item["key_facts"]]


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile (0-100) of `values`: a value that occurred,
    as every latency table in docs/benchmarks.md reports."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the numbers."""
    print(message, file=sys.stderr, flush=True)
