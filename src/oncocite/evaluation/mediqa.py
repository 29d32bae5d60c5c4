"""The consumer-question dev sets: MEDIQA 2019 Task 3 questions and judged answers.

Real people's questions (a subject line run into a message, personal context, lay
words, misspellings) with candidate answers judged 1-4 by NLM. Used by
benchmarks/consumer_dev.py, which takes the folder of a checkout of
github.com/abachaa/MEDIQA2019 as an argument: the answers come from MedlinePlus,
Mayo Clinic and others, so nothing of it is ever copied into this repository.

Only the files listed in FILES are read: the ValidationSet (less QID 2, which is
also a held-out TREC LiveQA test question) and the TestSet-wLabels together form the
*consumer* set; TrainingSet2-Alexa is the *alexa* set. The set built from the TREC
2017 LiveQA medical test questions is held out for independent evaluation and is
never read: not for tuning, not for tests.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from oncocite.errors import InvalidQuery
from oncocite.evaluation.medquad_dev import Half, split

__all__ = [
    "CandidateAnswer",
    "ConsumerQuestion",
    "MediqaSets",
    "by_answer",
    "load_mediqa",
    "same_answers",
]

SetName = Literal["consumer", "alexa"]
# (file, set, short name used in ids, question ids left out)
FILES: tuple[tuple[str, SetName, str, frozenset[str]], ...] = (
    ("MEDIQA2019-Task3-QA-ValidationSet.xml", "consumer", "val", frozenset({"2"})),
    ("MEDIQA2019-Task3-QA-TestSet-wLabels.xml", "consumer", "test", frozenset()),
    ("MEDIQA2019-Task3-QA-TrainingSet2-Alexa.xml", "alexa", "alexa", frozenset()),
)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class CandidateAnswer:
    """One judged answer, stored as its own document of the benchmark library."""

    doc_id: str
    title: str
    text: str
    url: str | None


@dataclass(frozen=True)
class ConsumerQuestion:
    """A question and its judged documents (relevance = ReferenceScore - 1, 0-3)."""

    qid: str
    set: SetName
    text: str
    judgements: dict[str, int] = field(compare=False)

    @property
    def half(self) -> Half:
        return split(self.qid)


@dataclass(frozen=True)
class MediqaSets:
    questions: list[ConsumerQuestion]
    answers: list[CandidateAnswer]


def same_answers(answers: list[CandidateAnswer]) -> dict[str, str]:
    """Each answer's id -> the id of the first answer with the same title and text.

    MEDIQA judged its candidates per question, and the same page was often a
    candidate for several questions: 2,193 answers hold 1,663 distinct texts. Stored
    as documents, two copies rank equally (same text, same vectors) and only the
    storage order decides which comes first, while the judgement is on one id: a
    coin flip that per-id scoring counts as ranking quality.
    """
    first: dict[tuple[str, str], str] = {}
    return {a.doc_id: first.setdefault((a.title, a.text), a.doc_id) for a in answers}


def by_answer(
    judgements: dict[str, int], run: list[str], canonical: dict[str, str]
) -> tuple[dict[str, int], list[str]]:
    """A question's judgements and ranked documents with identical answers as one:
    each grade goes to the answer's first id (the best grade among its copies), and
    the run keeps an answer at the rank of its first copy. Ids `canonical` does not
    know (MedQuAD documents) stay as they are."""
    grades: dict[str, int] = {}
    for doc, grade in judgements.items():
        key = canonical.get(doc, doc)
        grades[key] = max(grades.get(key, 0), grade)
    ranked = list(dict.fromkeys(canonical.get(doc, doc) for doc in run))
    return grades, ranked


def _folder(root: Path) -> Path:
    for candidate in (root, root / "MEDIQA_Task3_QA"):
        if (candidate / FILES[0][0]).is_file():
            return candidate
    raise InvalidQuery(
        f"{root}: no MEDIQA 2019 Task 3 files (expected {FILES[0][0]} there or in "
        "MEDIQA_Task3_QA/; fetch github:abachaa/MEDIQA2019)"
    )


def load_mediqa(root: Path) -> MediqaSets:
    """Questions and candidate answers of the consumer and alexa sets."""
    folder = _folder(root)
    questions: list[ConsumerQuestion] = []
    answers: list[CandidateAnswer] = []
    for name, set_name, short, left_out in FILES:
        tree = ET.parse(folder / name).getroot()
        for node in tree.findall("Question"):
            qid = node.get("QID") or ""
            if qid in left_out:
                continue
            judged: dict[str, int] = {}
            for answer in node.findall("AnswerList/Answer"):
                aid = _UNSAFE.sub("_", answer.get("AID") or "")
                doc_id = f"MEDIQA_{short}_{aid}"
                text = " ".join((answer.findtext("AnswerText") or "").split())
                title, sep, body = text.partition(": ")
                if not sep:
                    title, body = text[:80], text
                url = (answer.findtext("AnswerURL") or "").strip()
                answers.append(
                    CandidateAnswer(doc_id, title, body, url if url.startswith("http") else None)
                )
                judged[doc_id] = max(0, int(answer.get("ReferenceScore") or 1) - 1)
            text = " ".join((node.findtext("QuestionText") or "").split())
            questions.append(ConsumerQuestion(f"{short}-{qid}", set_name, text, judged))
    return MediqaSets(questions, answers)
