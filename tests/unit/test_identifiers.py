"""Ids are one token: whitespace and control characters in file names become `_`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncocite.evaluation.trec import read_qrels, read_run, write_qrels, write_run
from oncocite.ingest.identifiers import safe_id
from oncocite.models import Hit


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("003_5c17e5cb39d03151", "003_5c17e5cb39d03151"),
        ("side effects", "side_effects"),
        ("side  \t effects", "side_effects"),
        (" lead", "_lead"),
        ("a\nb\x1bc", "a_b_c"),
        ("nbsp\u00a0and\u2028line", "nbsp_and_line"),
        ("tumör", "tumör"),
        ("", "_"),
    ],
)
def test_the_rule(stem: str, expected: str) -> None:
    assert safe_id(stem) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.integers(1, 99))
def test_any_name_round_trips_through_trec_files(stem: str, seq: int) -> None:
    doc_id = safe_id(stem)
    passage_id = f"{doc_id}#{seq}"
    assert passage_id.split() == [passage_id]
    assert safe_id(doc_id) == doc_id
    with tempfile.TemporaryDirectory() as name:
        _round_trip(Path(name), doc_id, passage_id)


def _round_trip(folder: Path, doc_id: str, passage_id: str) -> None:
    hit = Hit(
        passage_id=passage_id, doc_id=doc_id, title="t", source=None, url=None, score=2.5, text="x"
    )
    write_run(folder / "run.trec", {"q1": [hit]}, "tag")
    assert read_run(folder / "run.trec") == {"q1": {passage_id: 2.5}}
    write_qrels(folder / "q.qrels", {"q1": {passage_id: 1}})
    assert read_qrels(folder / "q.qrels") == {"q1": {passage_id: 1}}
