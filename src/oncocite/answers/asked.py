"""What a message asked and how it was met, without its words: what the service logs.

Patients write names and circumstances into questions; a log of their words would
hold what a pattern misses. This record holds only the question kinds, the
vocabulary terms (words a reviewer put in the vocabulary, never the patient's own)
and the outcome, so it lives beside the vocabulary in the answers layer and the
service reaches it through the library.
"""

from __future__ import annotations

from typing import Any

from oncocite.models import Answer
from oncocite.search.vocabulary import Vocabulary

__all__ = ["asked"]


def _terms(texts: list[str]) -> list[str]:
    """The vocabulary's canonical terms named in `texts`, in order, once each: words a
    reviewer put in the vocabulary, never the patient's own."""
    vocabulary = Vocabulary.load()
    found: list[str] = []
    for text in texts:
        for match in vocabulary.find(text):
            if match.canonical not in found:
                found.append(match.canonical)
    return found


def asked(answer: Answer) -> list[dict[str, Any]]:
    """What a message asked and how each question was met, without its words.

    One record per question (`answer.needs`): its kind, the vocabulary terms it names
    (`terms`), those the sections quoted for it name (`cited_terms`: "it" in "how is
    it given?" is the drug the quotes are about), and the outcome: answered, or
    abstained with the reason; a message triage stopped is one record with the
    triage category.
    """
    headings = {c.n: c.section[-1] if c.section else c.title for c in answer.citations}
    if answer.needs:
        records: list[dict[str, Any]] = []
        for need in answer.needs:
            record: dict[str, Any] = {
                "kind": need.kind,
                "terms": _terms([need.question, need.searched]),
                "cited_terms": _terms([headings[n] for n in need.citations if n in headings]),
                "outcome": "answered" if need.answered else "abstained",
            }
            if not need.answered:
                record["reason"] = need.reason
            records.append(record)
        return records
    record = {
        "kind": None,
        "terms": _terms([answer.question]),
        "cited_terms": _terms(list(dict.fromkeys(headings.values()))),
        "outcome": "abstained" if answer.abstained else "answered",
    }
    if answer.abstention is not None:
        record["reason"] = answer.abstention.reason
    if answer.safety is not None:
        record["outcome"] = "triage" if answer.abstained else record["outcome"]
        record["triage"] = answer.safety.category
    return [record]
