"""Helpers every benchmark shares: one definition each, imported as `common`.

A benchmark runs as a script from this folder (`python benchmarks/x.py`), so its
siblings import by name, as `answer_sets` and `cancergov_dev` already do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from oncocite import MetadataOverrides

__all__ = ["CRUK", "log", "percentile"]

# The CRUK seed page records no licence or audience of its own: what the tests and
# every benchmark ingest it with is one file (tests/data/seeds/cruk_metadata.json).
CRUK = MetadataOverrides.model_validate_json(
    (
        Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds" / "cruk_metadata.json"
    ).read_text(encoding="utf-8")
)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile (0-100) of `values`: a value that occurred,
    as every latency table in docs/benchmarks.md reports."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the numbers."""
    print(message, file=sys.stderr, flush=True)
