"""Queries file -> search -> TREC run -> ir-measures, checked by hand computation."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from oncocite import open_library
from oncocite.errors import InvalidQuery
from oncocite.evaluation.metrics import evaluate_run
from oncocite.evaluation.trec import read_qrels, read_queries, read_run, write_qrels, write_run
from oncocite.models import Hit


def _hit(pid: str, score: float) -> Hit:
    return Hit(
        passage_id=pid,
        doc_id=pid.split("#")[0],
        title="t",
        source=None,
        url=None,
        score=score,
        text="x",
    )


def test_read_queries_skips_comments_and_blanks(tmp_path: Path) -> None:
    path = tmp_path / "q.tsv"
    path.write_text("# dev queries\n\nq1\tWhat is HER2?\nq2\t  Kadcyla  \n")
    assert read_queries(path) == [("q1", "What is HER2?"), ("q2", "Kadcyla")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("q1 no tab here\n", r"q\.tsv:1: expected 'id<TAB>question'"),
        ("q1\tok\nq1\tagain\n", r"q\.tsv:2: the query id is repeated \(first on line 1\)"),
        ("q1\t\n", r"q\.tsv:1: expected"),
    ],
)
def test_bad_queries_file_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "q.tsv"
    path.write_text(content)
    with pytest.raises(InvalidQuery, match=message):
        read_queries(path)


def test_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidQuery, match=r"nope\.tsv: no such file"):
        read_queries(tmp_path / "nope.tsv")
    (tmp_path / "r.trec").write_text("q1 Q0 d 1 1.0 tag\n")
    with pytest.raises(InvalidQuery, match=r"missing\.qrels"):
        evaluate_run(tmp_path / "missing.qrels", tmp_path / "r.trec")
    (tmp_path / "bad.qrels").write_text("q1 0 d high\n")
    with pytest.raises(InvalidQuery, match=r"bad\.qrels:1: the relevance \(4th field\) is not"):
        evaluate_run(tmp_path / "bad.qrels", tmp_path / "r.trec")
    (tmp_path / "ok.qrels").write_text("q1 0 d 1\n")
    (tmp_path / "bad.trec").write_text("q1 d 1\n")
    with pytest.raises(InvalidQuery, match=r"bad\.trec:1: a run line"):
        evaluate_run(tmp_path / "ok.qrels", tmp_path / "bad.trec")


def test_metrics_by_hand(tmp_path: Path) -> None:
    run = tmp_path / "r.trec"
    qrels = tmp_path / "q.qrels"
    # q1: the relevant passage is third -> RR 1/3; q2: graded judgements; q3: unanswered
    write_run(
        run,
        {
            "q1": [_hit("a#1", 3.0), _hit("b#1", 2.0), _hit("c#1", 1.0)],
            "q2": [_hit("x#1", 2.0), _hit("y#1", 1.0)],
        },
        "test",
    )
    write_qrels(qrels, {"q1": {"c#1": 1}, "q2": {"y#1": 2, "x#1": 1}, "q3": {"z#1": 1}})
    assert read_qrels(qrels)["q2"] == {"y#1": 2, "x#1": 1}
    report = evaluate_run(qrels, run, ["RR@10", "nDCG@10", "R@10", "P@1"])
    per = report.per_query
    assert per["q1"]["RR@10"] == pytest.approx(1 / 3)
    assert per["q1"]["P@1"] == 0.0
    assert per["q1"]["nDCG@10"] == pytest.approx(1 / math.log2(4))
    # graded: actual order x(1), y(2) against the ideal y(2), x(1)
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert per["q2"]["nDCG@10"] == pytest.approx(dcg / ideal)
    assert per["q3"] == {"RR@10": 0.0, "nDCG@10": 0.0, "R@10": 0.0, "P@1": 0.0}
    assert report.measures["RR@10"] == pytest.approx((1 / 3 + 1 + 0) / 3)
    assert report.queries == 3 and report.answered == 2


def test_library_batch_round_trip(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, body in {
        "one": "Tamoxifen lowers the risk of recurrence.",
        "two": "Letrozole is an aromatase inhibitor.",
        "three": "Radiotherapy uses high-energy rays.",
    }.items():
        (docs / f"{name}.md").write_text(
            f"---\ntitle: {name}\nlicense: public_domain\n---\n\n{body}\n"
        )
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tletrozole\nq2\tNolvadex recurrence\nq3\tradiation treatment\n")
    with open_library(tmp_path / "t.db", embed="0") as lib:
        assert lib.ingest([docs], embed=False).failed == 0
        run = tmp_path / "r.trec"
        assert lib.search_batch(queries, run, k=10, mode="lexical").queries == 3
        lines = run.read_text().splitlines()
        assert lines[0].split()[:4] == ["q1", "Q0", "two#1", "1"]
        assert lines[0].split()[5] == "oncocite-lexical"
        qrels = tmp_path / "q.qrels"
        qrels.write_text("q1 0 two#1 1\nq2 0 one#1 1\nq3 0 three#1 1\n")
        report = lib.evaluate(qrels, run)
    assert report.measures["RR@10"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "content", "reader"),
    [
        ("shadow", "root:$6$secrethash:19000:0:99999:7:::\n", read_qrels),
        ("run.trec", "q1 Q0 d 1 notascore secret-tag\n", read_run),
        ("q.qrels", "q1 0 d secretgrade\n", read_qrels),
        ("queries.tsv", "secret question without a tab\n", read_queries),
        ("dup.tsv", "secret-id\tone\nsecret-id\ttwo\n", read_queries),
    ],
)
def test_errors_name_file_and_line_but_never_echo_the_content(
    tmp_path: Path, name: str, content: str, reader: Callable[[Path], object]
) -> None:
    """`eval --qrels /etc/shadow` printed the first line of the file in its error."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidQuery) as info:
        reader(path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    assert "secret" not in message
    assert "\n" not in message
