"""Evaluation: TREC queries, runs and qrels, and standard IR measures (ir-measures)."""

from oncocite.evaluation.trec import read_qrels, read_queries, write_qrels, write_queries, write_run

__all__ = ["read_qrels", "read_queries", "write_qrels", "write_queries", "write_run"]
