"""The library on PostgreSQL: migrations, two ingesters at once, SIGKILL during an
ingest, the same answers as on SQLite, and workers that see each other's changes.

Every test runs against the real PostgreSQL 16 + pgvector the session starts
(tests/postgres_server.py); the store contract itself is in tests/contract.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg
import pytest

from oncocite import Profile, open_library, upgrade_database
from oncocite.errors import StoreError
from oncocite.ingest.loading import read_raw
from oncocite.ingest.medquad import read_medquad
from oncocite.store import SearchFilters, open_store
from oncocite.store.postgres import SCHEMA_VERSION
from tests.conftest import CRUK_FLAGS, MEDQUAD, SEED_CRUK, SEED_NCI, seed_library
from tests.live_server import serve_process

pytestmark = pytest.mark.postgres

TOKEN = "admin-token-for-postgres-tests-0123"
QUESTIONS = [
    "What is Kadcyla?",
    "Is Herceptin the same as trastuzumab?",
    "Which immunotherapy is used for triple negative breast cancer?",
    "What are the side effects of pembrolizumab?",
    "Who can have Perjeta?",
]


def oncocite(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONCOCITE_")}
    return subprocess.run(
        [sys.executable, "-m", "oncocite", *args],
        capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )  # fmt: skip


# ----------------------------------------------------------------- migrations
def test_db_upgrade_prepares_a_database_and_workers_never_migrate(postgres_server: Any) -> None:
    url = postgres_server.create_database(prepared=False)
    refused = oncocite("documents", "--db", url)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "schema version 0" in refused.stderr and "oncocite db upgrade" in refused.stderr
    done = oncocite("db", "upgrade", "--db", url, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) | {"database": ""} == {
        "database": "", "kind": "postgresql", "from_version": 0, "to_version": SCHEMA_VERSION,
        "changed": True,
    }  # fmt: skip
    again = oncocite("db", "upgrade", "--db", url)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert oncocite("documents", "--db", url).returncode == 0


def test_concurrent_upgrades_take_turns(postgres_server: Any) -> None:
    url = postgres_server.create_database(prepared=False)
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(upgrade_database(url)))]
    threads.append(threading.Thread(target=lambda: results.append(upgrade_database(url))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    found = sorted(r.from_version for r in results)
    assert found == [0, SCHEMA_VERSION], "one upgraded, one found it done"
    with open_library(url, embed="0") as lib:
        assert lib.counts()["documents"] == 0


def test_passwords_never_appear_in_errors(postgres_server: Any) -> None:
    url = postgres_server.url("no_such_database").replace("postgres:@", "postgres:s3cret@")
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "s3cret" not in str(caught.value) and "no_such_database" in str(caught.value)
    bad_pool = postgres_server.url("postgres", pool_max="lots")
    with pytest.raises(StoreError, match="pool_max='lots'"):
        open_store(bad_pool)


# ----------------------------------------------------------------- writers
def _markdown_folder(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"leaflet-{i:03}.md").write_text(
            f"---\ntitle: Leaflet {i}\nlicense: CC-BY-4.0\n---\n\n"
            + "\n\n".join(f"Paragraph {j} of leaflet {i} about trastuzumab." for j in range(6)),
            encoding="utf-8",
        )
    return folder


def test_two_ingesters_at_once_store_each_document_once_and_whole(
    pg_url: str, tmp_path: Path
) -> None:
    folder = _markdown_folder(tmp_path / "docs", 120)
    command = [sys.executable, "-m", "oncocite", "ingest", str(folder), "--db", pg_url,
               "--no-embed", "--quiet", "--json"]  # fmt: skip
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err
    reports = [json.loads(out) for out, _ in outputs]
    added = sum(r["totals"]["added"] for r in reports)
    unchanged = sum(r["totals"]["unchanged"] for r in reports)
    assert (added, unchanged) == (120, 120), "each document added by one, found by the other"
    with psycopg.connect(pg_url) as conn:
        versions = conn.execute("SELECT count(*), max(version) FROM versions").fetchone()
        passages = conn.execute("SELECT count(*) FROM passages").fetchone()
    with open_library(tmp_path / "reference.db", embed="0") as reference:
        reference.ingest([folder])
        assert passages == (reference.counts()["passages"],)
    assert versions == (120, 1)
    store = open_store(pg_url)
    try:
        assert store.integrity_check() == "ok"
    finally:
        store.close()


def _expected(folder: Path) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.xml")):
        parsed = read_medquad(path, read_raw(path).text)
        assert parsed.passages is not None
        wanted[parsed.doc_id] = [f"{parsed.doc_id}_{draft.key}" for draft in parsed.passages]
    return wanted


def _documents(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM documents").fetchone()
    return int(row[0]) if row else 0


def _check_whole(url: str, expected: dict[str, list[str]]) -> int:
    """Every stored document holds exactly its passages, and its version row."""
    with psycopg.connect(url) as conn:
        stored: dict[str, list[str]] = {}
        for doc_id, passage_id in conn.execute(
            "SELECT doc_id, passage_id FROM passages ORDER BY doc_id, seq"
        ):
            stored.setdefault(doc_id, []).append(passage_id)
        documents = conn.execute("SELECT doc_id, version FROM documents").fetchall()
        versions = {row[0] for row in conn.execute("SELECT doc_id FROM versions")}
    for doc_id, version in documents:
        assert version == 1 and doc_id in versions, doc_id
        assert stored.get(doc_id, []) == expected[doc_id], doc_id
    assert set(stored) <= {doc_id for doc_id, _ in documents}
    return len(documents)


@pytest.mark.slow
def test_sigkill_during_an_ingest_into_postgres_leaves_only_whole_documents(
    pg_url: str, tmp_path: Path
) -> None:
    folder = MEDQUAD / "3_GHR_QA"
    expected = _expected(folder)
    rng = random.Random(20261202)
    command = [sys.executable, "-m", "oncocite", "ingest", str(folder), "--db", pg_url,
               "--no-embed", "--quiet"]  # fmt: skip
    log = tmp_path / "stderr.log"
    stored, kills_while_writing = 0, 0
    for _ in range(8):
        with log.open("a") as sink:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sink)
        # Kill at a random moment after this run's first commit (found by polling),
        # so the kill lands while it writes however slow its start-up is.
        deadline = time.monotonic() + 120
        while _documents(pg_url) <= stored and process.poll() is None:
            assert time.monotonic() < deadline, "the ingest wrote nothing in 120 s"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        after = _check_whole(pg_url, expected)
        assert after >= stored, "a kill lost committed documents"
        kills_while_writing += stored < after < len(expected)
        stored = after
    assert kills_while_writing >= 6, f"kills landed while writing: {kills_while_writing}"
    final = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert final.returncode == 0, final.stderr
    assert "Traceback" not in final.stderr + log.read_text(encoding="utf-8", errors="replace")
    assert _check_whole(pg_url, expected) == len(expected)


# ----------------------------------------------------------------- same results
@pytest.mark.dense
def test_search_answers_and_options_match_sqlite(pg_url: str, tmp_path: Path) -> None:
    """The same documents give the same hits, answers and options on both stores:
    ranking runs above the store, over the same passages and vectors."""
    with seed_library(tmp_path / "lite.db") as lite, seed_library(pg_url) as pg:  # type: ignore[arg-type]
        assert pg.counts() == lite.counts()
        for question in QUESTIONS:
            ours = pg.search(question, k=5)
            theirs = lite.search(question, k=5)
            assert ours.mode_used == "hybrid" == theirs.mode_used
            assert [h.passage_id for h in ours.hits] == [h.passage_id for h in theirs.hits]
            for a, b in zip(ours.hits, theirs.hits, strict=True):
                assert a.score == pytest.approx(b.score, abs=1e-5)
            assert pg.ask(question).model_dump(exclude={"timings"}) == lite.ask(
                question
            ).model_dump(exclude={"timings"})
        profile = Profile(her2="positive", stage="metastatic")  # type: ignore[arg-type]
        assert pg.options(profile) == lite.options(profile)
        assert pg.check_knowledge().ok


def test_lexical_search_in_postgres_ranks_and_filters(pg_url: str) -> None:
    with seed_library(pg_url, embed="0") as lib:  # type: ignore[arg-type]
        hits = lib.search("Kadcyla trastuzumab emtansine", k=3, mode="lexical").hits
        assert hits and "emtansine" in hits[0].text.lower()


# ----------------------------------------------------------------- many workers
def test_a_change_through_one_worker_is_seen_by_another_within_five_seconds(
    pg_url: str, tmp_path: Path
) -> None:
    with open_library(pg_url, embed="0") as lib:
        assert lib.ingest([SEED_NCI]).failed == 0
        assert lib.ingest([SEED_CRUK], metadata=CRUK_FLAGS).failed == 0
    env = {"ONCOCITE_EMBED": "0", "ONCOCITE_ADMIN_TOKEN": TOKEN, "ONCOCITE_API_RATE": "0"}
    page = (
        "---\ntitle: Zolbetuximab leaflet\nlicense: CC-BY-4.0\n---\n\n"
        "Zolbetuximab is a targeted drug studied in stomach cancer.\n"
    )
    question = {"q": "zolbetuximab", "mode": "lexical"}
    with (
        serve_process(pg_url, tmp_path / "a.log", env=env) as first,
        serve_process(pg_url, tmp_path / "b.log", env=env) as second,
        httpx.Client(timeout=30) as client,
    ):
        warm = client.get(f"{second}/v1/search", params=question)
        assert warm.status_code == 200 and warm.json()["hits"] == []
        headers = {"Authorization": f"Bearer {TOKEN}"}
        request = {"filename": "zolbetuximab.md", "content": page}
        done = client.post(f"{first}/v1/admin/ingest", json=request, headers=headers)
        assert done.status_code == 200, done.text
        activate = f"{first}/v1/admin/documents/zolbetuximab/activate"
        assert client.post(activate, headers=headers).status_code == 200  # an upload is a draft

        def hits() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = client.get(f"{second}/v1/search", params=question).json()[
                "hits"
            ]
            return found

        seen = _within(5.0, hits)
        assert seen and seen[0]["doc_id"] == "zolbetuximab", "not seen by the other worker"
        gone = client.post(f"{first}/v1/admin/documents/zolbetuximab/retire", headers=headers)
        assert gone.status_code == 200, gone.text
        assert _within(5.0, lambda: not hits()), "the retired document is still served"


def _within(seconds: float, probe: Callable[[], Any]) -> Any:
    """The first truthy result of `probe` within `seconds`, else None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := probe():
            return result
        time.sleep(0.1)
    return None


def test_nearest_vectors_come_from_the_hnsw_index(pg_url: str) -> None:
    from oncocite.store.postgres import PostgresStore

    with open_library(pg_url, embed="0") as lib:
        assert lib.ingest([SEED_NCI]).failed == 0
        store = lib.store
        assert isinstance(store, PostgresStore)
        missing = store.texts_missing_embeddings("toy")
        rng = np.random.default_rng(7)
        vectors = {key: rng.normal(size=8).astype(np.float32) for key, _ in missing}
        store.put_embeddings("toy", list(vectors.items()))
        keys, matrix, _, _ = store.load_embeddings("toy")
        target = matrix[3] + 0.01
        found = store.nearest("toy", target, 3, SearchFilters())
        assert found[0].key == int(keys[3])
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
        with psycopg.connect(pg_url) as conn:
            conn.execute("SET enable_seqscan = off")
            conn.execute("SET enable_sort = off")  # a toy table: make the planner show it
            plan = "\n".join(
                row[0]
                for row in conn.execute(
                    "EXPLAIN SELECT text_hash FROM embeddings WHERE model = 'toy' AND passage "
                    "ORDER BY (vector::vector(8)) <=> %s LIMIT 5",
                    (str(target.tolist()).replace(" ", ""),),
                )
            )
        assert "embeddings_ann_" in plan, plan
