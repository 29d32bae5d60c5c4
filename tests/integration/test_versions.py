"""Idempotent re-ingest, new versions that replace passages, and retirement."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from oncocite import Library, open_library
from oncocite.store import QueryTerm, SearchFilters, TextQuery
from tests.conftest import SEED_NCI

DOC = "003_5c17e5cb39d03151"


def fts_rows(lib: Library) -> int:
    with sqlite3.connect(lib.store.url.removeprefix("sqlite:///")) as conn:
        return int(conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0])


def copy_seed(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    target = folder / SEED_NCI.name
    target.write_bytes(SEED_NCI.read_bytes())
    return target


def lexical_ids(lib: Library, word: str) -> set[str]:
    query = TextQuery((QueryTerm((word,)),))
    matches = lib.store.lexical_search(query, 50, SearchFilters())
    return {v.passage.doc_id for v in lib.store.passages_by_keys([m.key for m in matches])}


def test_reingesting_an_unchanged_file_changes_nothing(lib: Library) -> None:
    first = lib.ingest([SEED_NCI])
    before = (lib.counts(), lib.show(DOC).model_dump())
    second = lib.ingest([SEED_NCI])
    assert [r.outcome for r in first.results] == ["added"]
    assert [r.outcome for r in second.results] == ["unchanged"]
    assert second.passages_written == 0
    assert (lib.counts(), lib.show(DOC).model_dump()) == before


def test_changed_file_becomes_a_new_version_with_new_passages(lib: Library, tmp_path: Path) -> None:
    path = copy_seed(tmp_path)
    lib.ingest([path])
    v1 = lib.show(DOC)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Pembrolizumab](", "Pembrolizumab (Keytruda)](").replace(
            "lastReviewed: '2025-12-30'", "lastReviewed: '2026-03-30'"
        ),
        encoding="utf-8",
    )
    report = lib.ingest([path])
    assert [(r.outcome, r.version) for r in report.results] == [("updated", 2)]
    v2 = lib.show(DOC)
    assert v2.version == 2 and len(v2.versions) == 2
    assert v2.versions[0].content_hash == v1.content_hash != v2.content_hash
    assert v2.versions[0].metadata["last_reviewed"] == "2025-12-30"
    assert v2.metadata.last_reviewed == dt.date(2026, 3, 30)
    assert "Keytruda" in v2.text and "Keytruda" not in v1.text
    assert any("Keytruda" in p.text for p in v2.passages)
    assert lib.counts()["passages"] == len(v2.passages) == fts_rows(lib)
    assert lexical_ids(lib, "keytruda") == {DOC}


def test_a_changed_sidecar_alone_is_a_new_version(lib: Library, tmp_path: Path) -> None:
    path = copy_seed(tmp_path)
    lib.ingest([path])
    path.with_name(path.name + ".meta.yaml").write_text("tags: [immunotherapy]\n")
    report = lib.ingest([path])
    assert [r.outcome for r in report.results] == ["updated"]
    assert lib.show(DOC).metadata.tags == ["immunotherapy"]


def test_retired_document_is_kept_but_hidden(lib: Library, tmp_path: Path) -> None:
    path = copy_seed(tmp_path)
    lib.ingest([path])
    assert lexical_ids(lib, "pembrolizumab") == {DOC}
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: active", "status: retired"),
        encoding="utf-8",
    )
    assert [r.outcome for r in lib.ingest([path]).results] == ["updated"]
    record = lib.show(DOC)
    assert record.metadata.status.value == "retired" and record.passages
    assert [d.status.value for d in lib.documents().documents] == ["retired"]
    assert lexical_ids(lib, "pembrolizumab") == set()
    assert lib.store.allowed_keys(SearchFilters()).size == 0
    assert lib.review(today=dt.date(2030, 1, 1)).items == []


def test_retire_command_adds_a_version(lib: Library) -> None:
    lib.ingest([SEED_NCI])
    assert (lib.retire(DOC).version, lib.retire(DOC).version) == (2, 2)
    assert not lib.retire(DOC).changed, "retiring twice is a no-op"
    assert lexical_ids(lib, "pembrolizumab") == set()
    assert lib.show(DOC).versions[-1].metadata["status"] == "retired"


def test_store_survives_reopening(db_path: Path) -> None:
    with open_library(db_path, embed="0") as lib:
        lib.ingest([SEED_NCI])
    with open_library(db_path, embed="0") as lib:
        assert [d.doc_id for d in lib.documents().documents] == [DOC]
        assert lib.store.integrity_check() == "ok"


def test_two_files_with_one_id_in_a_run_do_not_overwrite_each_other(
    lib: Library, tmp_path: Path
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "leaflet.md").write_text(
            f"---\ntitle: Leaflet {folder}\n---\n\nText of leaflet {folder}.\n", encoding="utf-8"
        )
    report = lib.ingest([tmp_path / "a", tmp_path / "b"])
    assert [r.outcome for r in report.results] == ["added", "failed"]
    error = report.results[1].error or ""
    assert error.startswith("leaflet.md: document id 'leaflet' is already taken")
    assert lib.show("leaflet").metadata.title == "Leaflet a"
    assert len(lib.show("leaflet").versions) == 1
