"""Shared by benchmarks/answers.py and benchmarks/abstention.py: the library and the
question sets answers are measured on.

Library: all of MedQuAD (benchmarks/.cache/medquad.db, embedded once by
cold_start.py) plus the two seeds, copied to benchmarks/.cache/answers.db. MedQuAD's
questions are stored but never indexed, so each CancerGov question is asked of a
library that holds its answer but not the question itself.

Sets:
- answerable: the 729 CancerGov questions, each with its own QA passage;
- topic absent: the same questions asked with every document about the question's
  focus (from any MedQuAD source) filtered out of the library; a focus is the same
  however it is written ("Kaposi's Sarcoma", "Kaposi Sarcoma"; "Tumors", "tumor"),
  otherwise an answer from the same topic under another spelling counted as wrong;
- off topic: benchmarks/data/off_topic_questions.txt, written for this project.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import Stemmer

from common import CRUK, log
from oncocite import Library, open_library
from oncocite.evaluation.medquad_dev import DevQuery, load_cancergov_dev
from oncocite.search.vocabulary import words
from oncocite.store import SearchFilters

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
STEM = Stemmer.Stemmer("english")
SHARED = HERE.parents[1] / "shared"
CANCERGOV = SHARED / "corpus" / "medquad" / "1_CancerGov_QA"
OFF_TOPIC = HERE / "data" / "off_topic_questions.txt"


def library() -> Library:
    """MedQuAD and the seeds, embedded with the default model (built once)."""
    db = CACHE / "answers.db"
    if not db.exists():
        source = CACHE / "medquad.db"
        if not source.exists():
            raise SystemExit(f"{source} is missing: run benchmarks/cold_start.py once")
        log(f"copying {source.name} to {db.name} and adding the seeds")
        with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
            src.backup(dst)
    lib = open_library(db)
    seeds = SHARED / "seeds"
    lib.ingest([seeds / "003_5c17e5cb39d03151.txt"])
    lib.ingest([seeds / "000_115646f3b8bff644.txt"], metadata=CRUK)
    return lib


@dataclass(frozen=True)
class Focused:
    """A CancerGov question with its focus and the documents about that focus."""

    query: DevQuery
    focus: frozenset[str]  # its focus_key
    about: frozenset[str]


def focus_key(focus: str) -> frozenset[str]:
    """A focus however it is written: "Kaposi's Sarcoma" is "Kaposi Sarcoma", and
    "Gastrointestinal Stromal Tumors" is "gastrointestinal stromal tumor"."""
    return frozenset(STEM.stemWords([w for w in words(focus) if w != "s"]))


def cancergov(lib: Library) -> list[Focused]:
    """The CancerGov questions, each with the documents (any source) on its focus."""
    views = lib.store.passages_by_keys(lib.store.allowed_keys(SearchFilters()).tolist())
    focus_of = {v.passage.passage_id: focus_key(v.passage.focus or "") for v in views}
    documents: dict[frozenset[str], set[str]] = defaultdict(set)
    for v in views:
        if v.passage.focus:
            documents[focus_key(v.passage.focus)].add(v.passage.doc_id)
    out = []
    for q in load_cancergov_dev(CANCERGOV):
        focus = focus_of.get(q.passage_id, frozenset())
        out.append(Focused(q, focus, frozenset(documents.get(focus, set()))))
    return out


def off_topic() -> list[str]:
    lines = OFF_TOPIC.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
