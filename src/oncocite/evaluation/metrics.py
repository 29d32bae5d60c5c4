"""Standard IR measures of a TREC run against qrels, computed by ir-measures.

A judged query that the run does not answer counts as 0 (as `trec_eval -c` does):
dropping it, as the underlying libraries do by default, would flatter a system
that fails on hard queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ir_measures

from oncocite.errors import InvalidQuery
from oncocite.evaluation.trec import read_qrels, read_run
from oncocite.models import Evaluation

__all__ = ["DEFAULT_MEASURES", "evaluate_run"]

DEFAULT_MEASURES = ("RR@10", "nDCG@10", "R@10", "P@1", "AP")


def _parse_measures(names: Sequence[str]) -> list[Any]:
    parsed = []
    for name in names:
        try:
            parsed.append(ir_measures.parse_measure(name))
        except Exception:
            raise InvalidQuery(
                f"unknown measure {name!r} (e.g. {', '.join(DEFAULT_MEASURES)}; "
                "any ir-measures name works)"
            ) from None
    return parsed


def evaluate_run(qrels: Path, run: Path, measures: Sequence[str] | None = None) -> Evaluation:
    """The mean of each measure over the judged queries, and its value per query."""
    judged = read_qrels(qrels)
    if not judged:
        raise InvalidQuery(f"{qrels}: has no judgements")
    scored = read_run(run)
    names = list(measures or DEFAULT_MEASURES)
    parsed = _parse_measures(names)
    per_query: dict[str, dict[str, float]] = {qid: {} for qid in judged}
    run_judged = {qid: docs for qid, docs in scored.items() if qid in judged}
    if run_judged:
        for metric in ir_measures.iter_calc(parsed, judged, run_judged):
            per_query[metric.query_id][str(metric.measure)] = float(metric.value)
    labels = [str(m) for m in parsed]
    for values in per_query.values():
        for label in labels:
            values.setdefault(label, 0.0)
    aggregate = {
        label: sum(v[label] for v in per_query.values()) / len(per_query) for label in labels
    }
    return Evaluation(
        run=str(run),
        qrels=str(qrels),
        queries=len(judged),
        answered=len(run_judged),
        measures=aggregate,
        per_query=per_query,
    )
