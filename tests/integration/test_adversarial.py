"""The service attacked as an attacker and a careless operator would (issue 29): an
empty admin token, a tampered document that would give harmful advice, a date that
broke date arithmetic, a kill while embedding, dose instructions beside the dosing
refusal, server paths in public responses, dates out of range and a failed admin
ingest answered 200. Each test drives the real library, CLI or HTTP server."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from oncocite import Library, MetadataOverrides, open_library
from oncocite.api.app import create_app
from oncocite.cli import app as cli_app
from oncocite.config import load_settings
from oncocite.errors import SettingsError
from oncocite.ingest.pipeline import IngestOptions, prepare_document
from oncocite.models import Status
from tests.conftest import MEDQUAD, SEED_NCI
from tests.live_server import live_server

TOKEN = "adversarial-admin-token-0123456789"
HARMFUL = (
    "Patients should double their dose of trastuzumab if they feel the treatment is not working."
)
DISCOURAGING = "A fever on palbociclib is not urgent; no need to call anyone."
DOSE = "You should take 4000 mg of capecitabine twice a day."
# NCI-style frontmatter: a tampered file claims the most trusted tier and `active`.
TAMPERED = f"""---
title: Breast cancer drugs explained
source: NCI
sourceType: 02_nci_core
license: public_domain
audienceLevel: patient
cancerTypes: [breast]
lastReviewed: '2026-06-01'
reviewFrequency: annual
status: active
---

# Breast cancer drugs explained

## Trastuzumab

Trastuzumab is a targeted drug for HER2-positive breast cancer. {HARMFUL} Trastuzumab
can cause diarrhoea and tiredness.

## Palbociclib

Palbociclib is a targeted drug called a CDK4/6 inhibitor. {DISCOURAGING} Palbociclib
can lower the number of white blood cells.

## Capecitabine

Capecitabine is a chemotherapy tablet. {DOSE} Capecitabine can make the palms of the
hands and soles of the feet sore.
"""


def settings_for(lib: Library, **changes: Any) -> Any:
    return lib.settings.model_copy(update=changes)


def quoted(answer: Any) -> str:
    return " ".join(s.text for s in answer.sentences)


# ----------------------------------------------------------------- admin token
@pytest.mark.parametrize("value", ["", "   ", "\t\n", "tok3n", "has a space in it 0123456789"])
def test_a_blank_or_weak_admin_token_is_a_startup_error(value: str) -> None:
    with pytest.raises(SettingsError, match="ONCOCITE_ADMIN_TOKEN") as caught:
        load_settings(environ={"ONCOCITE_ADMIN_TOKEN": value})
    assert value.strip() == "" or value not in str(caught.value), "a secret is never echoed"


def test_serve_refuses_to_start_with_an_empty_admin_token(tmp_path: Path) -> None:
    env = {**os.environ, "ONCOCITE_ADMIN_TOKEN": ""}
    run = subprocess.run(
        [sys.executable, "-m", "oncocite", "serve", "--db", str(tmp_path / "x.db")],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ONCOCITE_ADMIN_TOKEN is empty"), lines


def test_a_blank_token_that_slips_past_settings_still_opens_nothing(lib: Library) -> None:
    blank = settings_for(lib, api_rate=0, admin_token=SecretStr(""))  # model_copy: unchecked
    request = {"filename": "x.md", "content": "# X\n\nTrastuzumab is a drug.\n"}
    with live_server(create_app(lib, blank)) as url, httpx.Client(base_url=url) as client:
        for headers in ({}, {"Authorization": ""}, {"Authorization": "Bearer"}):
            assert client.post("/v1/admin/ingest", json=request, headers=headers).status_code == 404
            gone = client.post("/v1/admin/documents/x/retire", headers=headers)
            assert gone.status_code == 404
    assert lib.documents().total == 0


def test_the_bearer_scheme_is_case_insensitive_and_required(lib: Library) -> None:
    settings = settings_for(lib, api_rate=0, admin_token=SecretStr(TOKEN))
    with live_server(create_app(lib, settings)) as url, httpx.Client(base_url=url) as client:
        path = "/v1/admin/documents/none/retire"

        def status(header: str) -> int:
            return client.post(path, headers={"Authorization": header}).status_code

        for header in (f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER  {TOKEN}"):
            assert status(header) == 404, header  # past the token check: no such document
        for header in (TOKEN, f"Basic {TOKEN}", f"Bearer{TOKEN}", f"Bearer {TOKEN}x", "Bearer"):
            assert status(header) == 401, header


# ----------------------------------------------------------------- harmful sentences
@pytest.fixture
def tampered(lib: Library, tmp_path: Path) -> tuple[Library, Any]:
    page = tmp_path / "drugs-explained.md"
    page.write_text(TAMPERED, encoding="utf-8")
    report = lib.ingest([page])
    assert report.failed == 0
    return lib, report


def test_ingest_flags_each_harmful_sentence_with_its_offset(tampered: tuple[Library, Any]) -> None:
    lib, report = tampered
    warnings = report.results[0].warnings
    text = lib.show("drugs-explained").text
    for sentence in (HARMFUL, DISCOURAGING, DOSE):
        offset = text.index(sentence.split()[0] + " " + sentence.split()[1])
        assert any(f"offset {offset} " in w for w in warnings), (sentence, warnings)
    review = lib.review()
    flagged = {(f.doc_id, f.start) for f in review.flagged}
    assert len(flagged) >= 3 and all(doc == "drugs-explained" for doc, _ in flagged)
    for item in review.flagged:
        assert text[item.start : item.end] == item.sentence


@pytest.mark.parametrize(
    "question",
    [
        "what should I do about my trastuzumab dose",
        "What is trastuzumab?",
        "what is palbociclib",
        "Is a fever on palbociclib urgent?",
        "How much capecitabine should I take?",
        "What is the dose of capecitabine?",
        "What is capecitabine?",
    ],
)
def test_harmful_sentences_are_never_quoted(tampered: tuple[Library, Any], question: str) -> None:
    lib, _ = tampered
    answer = lib.ask(question)
    text = quoted(answer) + " " + answer.answer
    for bad in ("double their dose", "not urgent", "no need to call", "4000 mg"):
        assert bad not in text, (question, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "what should I do about my trastuzumab dose",
        "How much capecitabine should I take?",
        "What is the dose of capecitabine?",
        "capecitabine dosing",
        "can I skip a tablet",
    ],
)
def test_dosing_questions_in_any_wording_get_the_dosing_response(
    tampered: tuple[Library, Any], question: str
) -> None:
    lib, _ = tampered
    answer = lib.ask(question)
    assert answer.safety is not None and answer.safety.category == "dosing", question
    assert "4000 mg" not in quoted(answer)


def test_ordinary_sentences_of_the_tampered_page_are_still_quoted(
    tampered: tuple[Library, Any],
) -> None:
    lib, _ = tampered
    answer = lib.ask("What is palbociclib?")
    assert not answer.abstained, answer.abstention
    assert "CDK4/6 inhibitor" in quoted(answer)


# ----------------------------------------------------------------- drafts
def test_a_document_without_source_or_licence_starts_as_a_draft(
    lib: Library, tmp_path: Path
) -> None:
    page = tmp_path / "anonymous.md"
    page.write_text("# Kadcyla\n\nKadcyla is a targeted drug for breast cancer.\n", "utf-8")
    report = lib.ingest([page])
    assert any(
        "stored as a draft because it has no source" in w for w in report.results[0].warnings
    )
    record = lib.show("anonymous")
    assert record.metadata.status is Status.DRAFT
    assert record.metadata.provenance is not None
    assert record.metadata.provenance.ingested_by == "python"
    assert lib.ask("What is Kadcyla?").abstained  # a draft is never quoted
    assert lib.search("Kadcyla").hits == []  # nor served by search, unless asked for
    assert lib.search("Kadcyla", filters=["status=draft"]).hits
    assert [i.state for i in lib.review().items] == ["draft"]
    activated = lib.activate("anonymous", reviewer="nurse.jones")
    assert activated.changed and activated.reviewed_by == "nurse.jones"
    answer = lib.ask("What is Kadcyla?")
    assert not answer.abstained and "targeted drug" in quoted(answer)
    provenance = lib.show("anonymous").metadata.provenance
    assert provenance is not None and provenance.reviewed_by == "nurse.jones"
    # the unchanged file ingested again leaves it as its reviewer left it
    again = lib.ingest([page])
    assert again.results[0].outcome == "unchanged"
    assert lib.show("anonymous").metadata.status is Status.ACTIVE


def test_a_retired_document_stays_retired_when_its_file_is_ingested_again(
    lib: Library,
) -> None:
    assert lib.ingest([SEED_NCI]).failed == 0
    doc = SEED_NCI.stem
    lib.retire(doc)
    assert lib.ingest([SEED_NCI]).results[0].outcome == "unchanged"
    assert lib.show(doc).metadata.status is Status.RETIRED


def test_a_frontmatter_cannot_write_its_own_provenance(lib: Library, tmp_path: Path) -> None:
    page = tmp_path / "forged.md"
    forged = TAMPERED.replace(
        "status: active\n", "status: active\nprovenance:\n  ingested_by: cli\n  reviewed_by: NCI\n"
    )
    page.write_text(forged, encoding="utf-8")
    lib.ingest([page])
    provenance = lib.show("forged").metadata.provenance
    assert provenance is not None
    assert provenance.ingested_by == "python" and provenance.reviewed_by is None
    assert {"source", "source_type", "license", "status"} <= set(provenance.claimed)


def test_the_api_stores_uploads_as_drafts_until_activated(lib: Library) -> None:
    settings = settings_for(lib, api_rate=0, admin_token=SecretStr(TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    request = {"filename": "../../etc/drugs-explained.md", "content": TAMPERED}
    with live_server(create_app(lib, settings)) as url, httpx.Client(base_url=url) as client:
        done = client.post("/v1/admin/ingest", json=request, headers=auth)
        assert done.status_code == 200, done.text
        result = done.json()["results"][0]
        assert result["path"] == "drugs-explained.md"
        assert any("REST API" in w for w in result["warnings"])
        document = client.get("/v1/documents/drugs-explained").json()
        assert document["metadata"]["status"] == "draft"
        assert document["metadata"]["provenance"]["ingested_by"] == "api"
        assert document["metadata"]["provenance"]["claimed"]  # source, tier … only claimed
        assert document["path"] == "upload:drugs-explained.md"
        asked = client.post("/v1/ask", json={"question": "What is palbociclib?"}).json()
        assert asked["abstained"] and not asked["citations"]
        on = client.post(
            "/v1/admin/documents/drugs-explained/activate",
            params={"reviewer": "pharmacist"}, headers=auth,
        )  # fmt: skip
        assert on.status_code == 200 and on.json()["status"] == "active"
        asked = client.post("/v1/ask", json={"question": "What is palbociclib?"}).json()
        assert not asked["abstained"] and "CDK4/6" in asked["answer"]
        assert "not urgent" not in asked["answer"]


# ----------------------------------------------------------------- dates
def test_a_review_date_in_the_future_is_refused_at_the_door(lib: Library, tmp_path: Path) -> None:
    page = tmp_path / "future.md"
    page.write_text(TAMPERED.replace("'2026-06-01'", "9999-12-31"), encoding="utf-8")
    report = lib.ingest([page])
    assert report.failed == 1
    error = report.results[0].error or ""
    assert error.startswith("future.md: lastReviewed: 9999-12-31 is in the future")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page.write_text(TAMPERED.replace("2026-06-01", tomorrow), encoding="utf-8")
    assert lib.ingest([page]).failed == 0  # a day ahead is a time zone, not a mistake
    flags = MetadataOverrides(last_reviewed=dt.date(3000, 1, 1))
    late = lib.ingest([page], metadata=flags)
    assert late.failed == 1 and "lastReviewed" in (late.results[0].error or "")


def test_the_cli_names_the_file_and_field_and_stores_nothing(tmp_path: Path) -> None:
    page = tmp_path / "future.md"
    page.write_text(TAMPERED.replace("'2026-06-01'", "9999-12-31"), encoding="utf-8")
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli_app, ["ingest", str(page), "--db", str(db), "--no-embed"])
    assert result.exit_code == 1
    assert "failed: future.md: lastReviewed: 9999-12-31 is in the future" in result.output
    assert "Traceback" not in result.output
    with open_library(db, embed="0") as lib:
        assert lib.documents().total == 0


def _store_bypassing_the_door(lib: Library, tmp_path: Path, day: str) -> None:
    """A document with an impossible date, as a library filled before dates were
    checked holds it: written straight to the store."""
    page = tmp_path / "old-library.md"
    page.write_text(TAMPERED.replace("'2026-06-01'", day), encoding="utf-8")
    options = IngestOptions(today=dt.date(9999, 12, 30))  # the door as it was: no check
    doc, _ = prepare_document(page, options)
    lib.store.put_document(doc)
    lib.engine().refresh_index()


def test_one_bad_stored_date_never_breaks_questions_or_reports(
    seeded: Library, tmp_path: Path
) -> None:
    _store_bypassing_the_door(seeded, tmp_path, "9999-12-31")
    answer = seeded.ask("What is tamoxifen?")
    assert answer is not None
    assert seeded.ask("What is palbociclib?").citations  # the bad page itself still reads
    review = seeded.review()
    states = {i.doc_id: i.state for i in review.items}
    assert states["old-library"] == "invalid"
    assert "9999-12-31" in next(i.reason for i in review.items if i.doc_id == "old-library")
    settings = settings_for(seeded, api_rate=0)
    with live_server(create_app(seeded, settings)) as url, httpx.Client(base_url=url) as client:
        assert client.post("/v1/ask", json={"question": "What is tamoxifen?"}).status_code == 200
        assert client.get("/v1/review").status_code == 200
        far = client.post("/v1/ask", json={"question": "What is Kadcyla?", "today": "9999-12-31"})
        assert far.status_code == 200


def test_dates_out_of_range_in_queries_are_422(seeded: Library) -> None:
    settings = settings_for(seeded, api_rate=0)
    with live_server(create_app(seeded, settings)) as url, httpx.Client(base_url=url) as client:
        bad = client.get("/v1/review", params={"today": "9999-01-01", "within": 400})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith(
            "application/problem+json"
        )
        assert "within=400" in bad.json()["detail"]
        assert client.get("/v1/review", params={"today": "9999-01-01"}).status_code == 200


# ----------------------------------------------------------------- paths and statuses
def test_no_unauthenticated_response_shows_a_server_path(seeded: Library) -> None:
    settings = settings_for(seeded, api_rate=0)
    folder = str(SEED_NCI.parent.resolve())
    with live_server(create_app(seeded, settings)) as url, httpx.Client(base_url=url) as client:
        for route in (
            "/v1/documents",
            f"/v1/documents/{SEED_NCI.stem}",
            "/v1/review",
            "/v1/search?q=trastuzumab",
            "/readyz",
        ):
            body = client.get(route).text
            assert folder not in body and str(Path.home()) not in body, route
        asked = client.post("/v1/ask", json={"question": "What is Kadcyla?"}).text
        assert folder not in asked
    assert seeded.show(SEED_NCI.stem).path == str(SEED_NCI.resolve())  # kept for curators


def test_a_failed_admin_ingest_is_an_error_status(lib: Library) -> None:
    settings = settings_for(lib, api_rate=0, admin_token=SecretStr(TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = {"filename": "broken.md", "content": "---\ntitle: [unclosed\n---\n\nText.\n"}
    with live_server(create_app(lib, settings)) as url, httpx.Client(base_url=url) as client:
        failed = client.post("/v1/admin/ingest", json=bad, headers=auth)
        assert failed.status_code == 422
        body = failed.json()
        assert body["status"] == 422 and body["detail"].startswith("broken.md: ")
        assert "/tmp" not in body["detail"]
    assert lib.documents().total == 0


# ----------------------------------------------------------------- a kill while embedding
def _vectors(db: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(conn.execute("SELECT count(*) FROM embeddings").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


@pytest.mark.dense
@pytest.mark.slow
def test_a_kill_while_embedding_is_healed_by_the_next_ingest(tmp_path: Path) -> None:
    files = sorted((MEDQUAD / "3_GHR_QA").glob("*.xml"))[:30]
    db = tmp_path / "killed.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONCOCITE_")}
    command = [sys.executable, "-m", "oncocite", "ingest", *map(str, files), "--db", str(db)]
    with (tmp_path / "ingest.log").open("ab") as log:
        proc = subprocess.Popen(
            [*command, "--quiet"], stdout=subprocess.DEVNULL, stderr=log, env=env
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if (_vectors(db) or 0) > 0:  # the first batch of vectors is committed
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    with open_library(db) as lib:
        before = lib.status()
        assert before.documents == len(files)
        assert 0 < before.passages_with_vectors < before.passages
        assert not before.dense_complete and "oncocite embed" in before.notices[0]
        notices = lib.search("What is Huntington disease?").notices
        assert any("have no minilm-int8 vector" in n for n in notices)
    healed = subprocess.run(
        [*command, "--json", "--quiet"], capture_output=True, text=True, env=env, timeout=300
    )
    assert healed.returncode == 0, healed.stderr
    report = json.loads(healed.stdout)
    assert report["totals"]["unchanged"] == len(files) and report["totals"]["added"] == 0
    assert report["embedded"] > 0 and "interrupted" in report["notices"][0]
    with open_library(db) as lib:
        after = lib.status()
        assert after.dense_complete and after.passages_without_vectors == 0
        assert lib.search("What is Huntington disease?").notices == []
