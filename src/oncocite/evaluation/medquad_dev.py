"""The CancerGov dev benchmark: MedQuAD questions, each judged by its own answer.

Every question of 1_CancerGov_QA becomes a query whose one relevant passage is its own
QA pair (`CancerGov_<file stem>_Sec<pid>`), searched over all MedQuAD answers with the
questions withheld. Queries are split into two halves by document *group* (the number
before the first underscore of the file stem, e.g. `0000027` for the five breast-cancer
files), so a cancer's questions never sit on both sides and tuning cannot memorise it.

Query ids are `<file stem>-<pid>`: MedQuAD's own qid attribute repeats across the
CancerGov files that share an XML id (`0000013_2-1` is in seven files).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from oncocite.errors import InvalidQuery

__all__ = ["DevQuery", "Half", "load_cancergov_dev", "split"]

Half = Literal["tune", "test"]


@dataclass(frozen=True)
class DevQuery:
    """One benchmark question with the passage that answers it."""

    qid: str
    text: str
    passage_id: str
    qtype: str
    group: str

    @property
    def half(self) -> Half:
        return split(self.group)


def split(group: str) -> Half:
    """Deterministic half of a document group (hash parity, stable across machines)."""
    digest = hashlib.sha1(group.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def load_cancergov_dev(folder: Path) -> list[DevQuery]:
    """Every question with a non-empty answer in the CancerGov MedQuAD folder."""
    files = sorted(folder.glob("*.xml"))
    if not files:
        raise InvalidQuery(f"{folder}: no MedQuAD XML files (expected 1_CancerGov_QA)")
    queries: list[DevQuery] = []
    for path in files:
        root = ET.parse(path).getroot()
        for pair in root.findall("QAPairs/QAPair"):
            question = pair.find("Question")
            answer = pair.find("Answer")
            if question is None or answer is None or not (answer.text or "").strip():
                continue
            text = " ".join((question.text or "").split())
            queries.append(
                DevQuery(
                    qid=f"{path.stem}-{pair.get('pid')}",
                    text=text,
                    passage_id=f"CancerGov_{path.stem}_Sec{pair.get('pid')}",
                    qtype=question.get("qtype") or "",
                    group=path.stem.split("_")[0],
                )
            )
    return queries
