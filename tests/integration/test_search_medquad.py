"""Search over MedQuAD's CancerGov answers: questions find their own answer.

A subset of the dev benchmark (benchmarks/cancergov_dev.py), small enough for CI:
lexical over the 729 CancerGov answers, hybrid over a handful of documents.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite import open_library
from oncocite.evaluation.medquad_dev import load_cancergov_dev
from oncocite.search.dense import dense_available
from tests.conftest import MEDQUAD

CANCERGOV = MEDQUAD / "1_CancerGov_QA"


def _mrr(lib, queries, mode: str) -> float:  # type: ignore[no-untyped-def]
    total = 0.0
    for q in queries:
        ids = [h.passage_id for h in lib.search(q.text, k=10, mode=mode).hits]
        total += 1 / (ids.index(q.passage_id) + 1) if q.passage_id in ids else 0.0
    return total / len(queries)


@pytest.mark.slow
def test_lexical_over_cancergov(tmp_path: Path) -> None:
    queries = load_cancergov_dev(CANCERGOV)
    assert len(queries) == 729
    assert {q.half for q in queries} == {"tune", "test"}
    with open_library(tmp_path / "t.db", embed="0") as lib:
        assert lib.ingest([CANCERGOV], embed=False).failed == 0
        assert _mrr(lib, queries, "lexical") >= 0.75


@pytest.mark.dense
@pytest.mark.slow
def test_hybrid_over_a_few_documents(tmp_path: Path) -> None:
    if not dense_available():
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    files = sorted(CANCERGOV.glob("0000004_*.xml")) + sorted(CANCERGOV.glob("0000027_*.xml"))
    folder = tmp_path / "subset"
    folder.mkdir()
    for path in files:
        (folder / path.name).write_bytes(path.read_bytes())
    wanted = {f"CancerGov_{p.stem}" for p in files}
    queries = [
        q for q in load_cancergov_dev(CANCERGOV) if q.passage_id.rsplit("_Sec", 1)[0] in wanted
    ]
    with open_library(tmp_path / "t.db", embed="1") as lib:
        report = lib.ingest([folder])
        # a vector per passage text and one per distinct context line
        assert report.failed == 0 and report.embedded == lib.counts()["embeddings"]
        assert report.embedded > lib.counts()["passages"]
        lexical = _mrr(lib, queries, "lexical")
        dense = _mrr(lib, queries, "dense")
        hybrid = _mrr(lib, queries, "hybrid")
    assert dense >= 0.4
    assert hybrid >= max(lexical, dense) - 0.05
