"""MedQuAD XML: one document per file, one passage per answered question.

Ids follow MedQuAD's own naming (`GARD_0004450`, passage `GARD_0004450_Sec3`) because
published relevance judgements use it. The file stem is used rather than the XML id
attribute: in 1_CancerGov_QA several files share one id (`0000013_2.xml`,
`0000013_2_1.xml`, …) and only the stem tells them apart; everywhere else the two
are identical.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from oncocite.errors import InvalidDocument
from oncocite.ingest.budget import check_time
from oncocite.ingest.identifiers import safe_id
from oncocite.ingest.parsed import ParsedDocument, PassageDraft
from oncocite.models import shown

__all__ = ["MAX_ANSWER_CHARS", "MEDQUAD_SOURCES", "clean_answer", "read_medquad"]

# MedQuAD source attribute -> (publisher name, tiered source type)
MEDQUAD_SOURCES: dict[str, tuple[str, str]] = {
    "CancerGov": ("NCI", "02_nci_pdq"),
    "GARD": ("GARD", "03_nih_patient"),
    "GHR": ("Genetics Home Reference", "03_nih_patient"),
    "MPlusHealthTopics": ("MedlinePlus", "03_nih_patient"),
    "NIDDK": ("NIDDK", "03_nih_patient"),
    "NINDS": ("NINDS", "03_nih_patient"),
    "NIHSeniorHealth": ("NIHSeniorHealth", "03_nih_patient"),
    "NHLBI": ("NHLBI", "03_nih_patient"),
    "CDC": ("CDC", "03_nih_patient"),
}

_CITATION = (
    "{publisher}, via MedQuAD (Ben Abacha and Demner-Fushman, BMC Bioinformatics 20:511, 2019)"
)
# Each pattern starts only where a run of spaces starts (the lookbehind) and cannot
# give back what it matched (possessive quantifiers): tried at every position of a
# 300 KB run of spaces, the plain `[ \t]{2,}-` and `[ \t]*\n` forms backtracked
# over the rest of the run each time, quadratic in its length (89 s).
_INLINE_BULLET = re.compile(r"(?<![ \t])[ \t]{2,}+-[ \t]++")
_BLANK_RUN = re.compile(r"(?<![ \t])[ \t]*+\n[ \t\n]*+")
_SPACE_RUN = re.compile(r"[ \t\u00a0]{2,}+")
# A MedQuAD passage is one whole answer; the longest real one is 26,976 characters.
MAX_ANSWER_CHARS = 50_000


def clean_answer(text: str) -> str:
    """Undo MedQuAD's flattened layout: inline "    - " bullets become lines."""
    text = _INLINE_BULLET.sub("\n- ", text)
    text = _BLANK_RUN.sub("\n", text)
    text = _SPACE_RUN.sub(" ", text)
    return "\n".join(line.strip() for line in text.strip().split("\n") if line.strip())


def _first(node: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        found = node.find(name)
        if found is not None:
            return found
    return None


def read_medquad(path: Path, text: str) -> ParsedDocument:
    """Parse one MedQuAD XML file in any of its three layouts.

    Most files are `<Document id source>`; NINDS uses `<doc docid corpus>` with
    lower-case children, and one CDC file `<DiseaseFile fid source>`.
    """
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InvalidDocument(path, f"malformed XML ({exc})", field="xml") from None
    if root.tag not in ("Document", "doc", "DiseaseFile"):
        raise InvalidDocument(
            path, f"root element <{root.tag}> is not a MedQuAD <Document>", field="xml"
        )
    source = root.get("source") or root.get("corpus")
    if not source:
        raise InvalidDocument(path, "has no source attribute", field="source")
    focus_node = _first(root, "Focus", "doctitle-focus")
    focus = (focus_node.text or "").strip() if focus_node is not None else ""
    doc_id = safe_id(f"{source}_{path.stem}")
    publisher, source_type = MEDQUAD_SOURCES.get(source, (source, "03_nih_patient"))

    parts: list[str] = []
    offset = 0
    drafts: list[PassageDraft] = []
    warnings: list[str] = []
    pairs = root.findall("QAPairs/QAPair") + root.findall("qaPairs/pair")
    seen: set[str] = set()
    for pair in pairs:
        check_time()
        pid = pair.get("pid", "")
        q_node = _first(pair, "Question", "question")
        a_node = _first(pair, "Answer", "answer")
        question = " ".join((q_node.text or "").split()) if q_node is not None else ""
        qtype = q_node.get("qtype") if q_node is not None else None
        answer = clean_answer(a_node.text or "") if a_node is not None else ""
        qid = q_node.get("qid", "?") if q_node is not None else "?"
        if not answer:
            warnings.append(
                f"question {shown(qid)} (pair {shown(pid)}) has no answer text: not stored"
            )
            continue
        if len(answer) > MAX_ANSWER_CHARS:
            warnings.append(
                f"question {shown(qid)} (pair {shown(pid)}): the answer is {len(answer):,} "
                f"characters, over the {MAX_ANSWER_CHARS:,} of one passage: not stored"
            )
            continue
        if pid in seen:
            raise InvalidDocument(
                path, f"{shown(pid)} is used by two QAPairs (passage ids must differ)", field="pid"
            )
        seen.add(pid)
        block_start = offset + len(question) + 1
        parts.append(f"{question}\n{answer}\n\n")
        drafts.append(
            PassageDraft(
                text=answer,
                start=block_start,
                end=block_start + len(answer),
                heading_path=[],
                key=f"Sec{pid}",
                question=question or None,
                question_type=qtype,
                focus=focus or None,
            )
        )
        offset += len(parts[-1])

    metadata: dict[str, Any] = {
        "title": focus or doc_id,
        "url": root.get("url") or None,
        "source": publisher,
        "sourceType": source_type,
        "audienceLevel": "patient",
        "language": "en",
        "license": "CC-BY-4.0",
        "citation": _CITATION.format(publisher=publisher),
        "status": "active",
        "tags": ["medquad"],
        "medquad_source": source,
        "medquad_id": root.get("id") or root.get("docid") or root.get("fid") or path.stem,
    }
    return ParsedDocument(
        doc_id=doc_id,
        format="medquad",
        text="".join(parts),
        metadata=metadata,
        passages=drafts,
        warnings=warnings,
    )
