"""The whole MedQuAD corpus ingests: every document, every answered pair, ids as designed.

Expected counts are computed here from the XML with ElementTree, independently of
oncocite's reader, and checked against the corpus notes (5,497 documents, 16,407
answered `QAPair`s). Four NINDS files use the legacy `<doc>/<qaPairs>/<pair>`
layout that the notes' count misses; their 16 answered pairs are passages too.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from oncocite import Library, open_library
from oncocite.models import IngestReport
from tests.conftest import MEDQUAD

pytestmark = pytest.mark.slow

DOCUMENTS = 5497
ANSWERED_QAPAIRS = 16407  # "16,407 of them with answer text" (ATTRIBUTION.md)
LEGACY_FILES = {"0000007", "0000018", "0000182", "0000244"}  # in 6_NINDS_QA
LEGACY_ANSWERED = 16
UNANSWERED = 5


@dataclass
class CorpusFacts:
    """What the XML itself says, read without oncocite."""

    files: int = 0
    answered_qapairs: int = 0
    legacy_answered: int = 0
    legacy_files: set[str] = field(default_factory=set)
    unanswered: dict[str, int] = field(default_factory=dict)  # doc id -> pairs
    passage_ids: dict[str, set[str]] = field(default_factory=dict)  # doc id -> ids
    xml_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


@pytest.fixture(scope="module")
def facts() -> CorpusFacts:
    facts = CorpusFacts()
    for path in sorted(MEDQUAD.rglob("*.xml")):
        facts.files += 1
        root = ET.parse(path).getroot()
        source = root.get("source") or root.get("corpus")
        doc_id = f"{source}_{path.stem}"
        facts.passage_ids[doc_id] = set()
        if source == "CancerGov":
            facts.xml_ids[str(root.get("id"))].append(path.stem)
        modern = [(p, p.find("Answer")) for p in root.iterfind("QAPairs/QAPair")]
        legacy = [(p, p.find("answer")) for p in root.iterfind("qaPairs/pair")]
        if legacy:
            facts.legacy_files.add(f"{path.parent.name}/{path.stem}")
        for pairs, legacy_layout in ((modern, False), (legacy, True)):
            for pair, answer in pairs:
                if not _text(answer):
                    facts.unanswered[doc_id] = facts.unanswered.get(doc_id, 0) + 1
                    continue
                facts.passage_ids[doc_id].add(f"{doc_id}_Sec{pair.get('pid')}")
                if legacy_layout:
                    facts.legacy_answered += 1
                else:
                    facts.answered_qapairs += 1
    return facts


@dataclass
class Ingested:
    db: Path
    lib: Library
    report: IngestReport


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    db = tmp_path_factory.mktemp("medquad") / "medquad.db"
    with open_library(db, embed="0") as lib:
        report = lib.ingest([MEDQUAD], embed=False)
        yield Ingested(db=db, lib=lib, report=report)


def test_corpus_facts_match_the_corpus_notes(facts: CorpusFacts) -> None:
    assert facts.files == DOCUMENTS
    assert facts.answered_qapairs == ANSWERED_QAPAIRS
    assert facts.legacy_files == {f"6_NINDS_QA/{stem}" for stem in LEGACY_FILES}
    assert facts.legacy_answered == LEGACY_ANSWERED
    assert sum(facts.unanswered.values()) == UNANSWERED


def test_every_document_and_answered_pair_is_stored(ingested: Ingested, facts: CorpusFacts) -> None:
    report = ingested.report
    assert report.failed == 0, [r.error for r in report.results if r.outcome == "failed"]
    assert report.count("added") == DOCUMENTS
    counts = ingested.lib.counts()
    assert counts["documents"] == DOCUMENTS
    assert counts["versions"] == DOCUMENTS
    assert counts["passages"] == ANSWERED_QAPAIRS + LEGACY_ANSWERED == 16423
    assert report.passages_written == counts["passages"]

    with sqlite3.connect(ingested.db) as conn:
        stored: dict[str, set[str]] = defaultdict(set)
        for doc_id, passage_id in conn.execute("SELECT doc_id, passage_id FROM passages"):
            stored[doc_id].add(passage_id)
        doc_ids = {row[0] for row in conn.execute("SELECT doc_id FROM documents")}
        empty = conn.execute("SELECT count(*) FROM passages WHERE trim(text) = ''").fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0]
    assert doc_ids == set(facts.passage_ids)
    assert {d: ids for d, ids in stored.items()} == {
        d: ids for d, ids in facts.passage_ids.items() if ids
    }
    assert empty == 0
    assert fts == counts["passages"]


def test_legacy_ninds_layout_becomes_passages(ingested: Ingested) -> None:
    for stem in sorted(LEGACY_FILES):
        record = ingested.lib.show(f"NINDS_{stem}")
        assert record.passages, stem
        assert all(p.question and p.text for p in record.passages)
        assert record.metadata.source == "NINDS"


def test_unanswered_pairs_are_warnings_not_empty_passages(
    ingested: Ingested, facts: CorpusFacts
) -> None:
    warned: dict[str, int] = {}
    for result in ingested.report.results:
        notes = [w for w in result.warnings if "has no answer text" in w]
        if notes:
            assert result.doc_id is not None
            warned[result.doc_id] = len(notes)
    assert warned == facts.unanswered
    for doc_id in warned:
        record = ingested.lib.show(doc_id)
        assert all(p.text.strip() for p in record.passages)
        assert len(record.passages) == len(facts.passage_ids[doc_id])


def test_housekeeping_files_are_skipped(ingested: Ingested) -> None:
    skipped = {
        Path(r.path).name: r.error for r in ingested.report.results if r.outcome == "skipped"
    }
    assert set(skipped) == {"ATTRIBUTION.md", "LICENSE.txt"}
    for name, reason in skipped.items():
        assert reason is not None and reason.startswith(f"{name}: skipped")


def test_ids_and_metadata_follow_medquad_naming(ingested: Ingested) -> None:
    root = ET.parse(MEDQUAD / "2_GARD_QA" / "0004450.xml").getroot()
    pair = root.find("QAPairs/QAPair[@pid='3']")
    assert pair is not None
    question_node = pair.find("Question")
    assert question_node is not None
    question, answer = _text(question_node), _text(pair.find("Answer"))
    assert question == "Is Noonan syndrome inherited ?"

    record = ingested.lib.show("GARD_0004450")
    assert record.format == "medquad"
    by_id = {p.passage_id: p for p in record.passages}
    assert sorted(by_id) == [f"GARD_0004450_Sec{n}" for n in range(1, 5)]
    passage = by_id["GARD_0004450_Sec3"]
    assert passage.question == question
    assert " ".join(passage.text.split()) == answer
    assert passage.question_type == question_node.get("qtype") == "inheritance"
    assert passage.focus == _text(root.find("Focus")) == "Noonan syndrome"
    # The passage is the answer, located in the document text right after its question.
    assert record.text[passage.start : passage.end] == passage.text
    assert record.text[: passage.start].rstrip().endswith(question)

    meta = record.metadata
    assert meta.title == "Noonan syndrome"
    assert (
        meta.url
        == root.get("url")
        == "https://rarediseases.info.nih.gov/gard/10955/noonan-syndrome"
    )
    assert meta.license == "CC-BY-4.0"
    assert meta.source == "GARD"
    assert meta.citation is not None
    assert "GARD" in meta.citation and "MedQuAD" in meta.citation


def test_cancergov_files_sharing_an_xml_id_are_distinct_documents(
    ingested: Ingested, facts: CorpusFacts
) -> None:
    shared = {xml_id: stems for xml_id, stems in facts.xml_ids.items() if len(stems) > 1}
    assert "0000013_2" in shared
    assert {"0000013_2", "0000013_2_1"} <= set(shared["0000013_2"])
    for xml_id, stems in shared.items():
        records = [ingested.lib.show(f"CancerGov_{stem}") for stem in stems]
        assert len({r.doc_id for r in records}) == len(stems)
        for stem, record in zip(stems, records, strict=True):
            assert record.metadata.extra["medquad_id"] == xml_id
            assert all(p.passage_id.startswith(f"CancerGov_{stem}_Sec") for p in record.passages)
    cancergov = [d for d in ingested.lib.documents().documents if d.doc_id.startswith("CancerGov_")]
    assert len(cancergov) == sum(len(stems) for stems in facts.xml_ids.values()) == 116


def test_reingest_reports_everything_unchanged_and_writes_nothing(ingested: Ingested) -> None:
    before = ingested.lib.counts()
    stamps = [(d.doc_id, d.version) for d in ingested.lib.documents().documents]
    watcher = sqlite3.connect(ingested.db, isolation_level=None)
    try:
        # data_version changes when another connection commits anything to the file.
        data_version = watcher.execute("PRAGMA data_version").fetchone()[0]
        again = ingested.lib.ingest([MEDQUAD], embed=False)
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == data_version
    finally:
        watcher.close()
    assert again.count("unchanged") == DOCUMENTS
    assert again.count("skipped") == 2
    assert again.count("added") == again.count("updated") == again.failed == 0
    assert again.passages_written == 0
    assert ingested.lib.counts() == before
    assert [(d.doc_id, d.version) for d in ingested.lib.documents().documents] == stamps
