"""The REST API through a real HTTP server on 127.0.0.1: every endpoint, the
limits, the admin token, one error body everywhere, metrics and private logs."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from pydantic import SecretStr

from oncocite import Answer, Library, OptionsReport, SearchResults, open_library
from oncocite.api.app import create_app
from oncocite.api.problems import PROBLEM_JSON
from oncocite.config import Settings
from tests.conftest import seed_library
from tests.live_server import live_server, serve_process

TOKEN = "admin-token-for-tests-0123456789"


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with seed_library(tmp_path_factory.mktemp("api") / "api.db", embed="0") as library:
        yield library


def settings_for(lib: Library, **changes: Any) -> Settings:
    return lib.settings.model_copy(update=changes)


@pytest.fixture(scope="module")
def base(lib: Library) -> Iterator[str]:
    with live_server(create_app(lib, settings_for(lib, api_rate=0))) as url:
        yield url


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status and body["detail"]
    return body


def test_every_endpoint_returns_the_library_models(base: str, lib: Library) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready" and ready["documents"] == 2
        found = client.get("/v1/search", params={"q": "Herceptin", "k": 3})
        results = SearchResults.model_validate(found.json())
        assert results.hits and len(results.hits) <= 3
        filtered = client.get(
            "/v1/search", params=[("q", "immunotherapy"), ("filter", "source=NCI")]
        )
        assert {h.source for h in SearchResults.model_validate(filtered.json()).hits} == {"NCI"}
        asked = client.post("/v1/ask", json={"question": "What is Kadcyla?"})
        answer = Answer.model_validate(asked.json())
        assert not answer.abstained and answer.citations
        assert answer == lib.ask("What is Kadcyla?")  # the very model the API returns
        options = client.post(
            "/v1/options", json={"her2": "positive", "stage": "early", "region": "uk"}
        )
        report = OptionsReport.model_validate(options.json())
        assert any(o.id == "trastuzumab" and o.status == "matches" for o in report.options)
        documents = client.get("/v1/documents").json()
        assert {d["doc_id"] for d in documents["documents"]} == {
            "003_5c17e5cb39d03151",
            "000_115646f3b8bff644",
        }
        one = client.get("/v1/documents/003_5c17e5cb39d03151").json()
        assert one["doc_id"] == "003_5c17e5cb39d03151" and one["passages"]
        review = client.get("/v1/review", params={"today": "2026-11-23"}).json()
        assert "items" in review
        assert client.get("/openapi.json").json()["info"]["title"] == "oncocite"


def test_errors_are_problems(base: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        body = assert_problem(client.get("/v1/documents/nope"), 404)
        assert "nope" in body["detail"] and body["instance"] == "/v1/documents/nope"
        assert_problem(client.get("/v1/search"), 422)
        assert_problem(client.get("/v1/search", params={"q": "x", "k": 0}), 422)
        assert_problem(client.post("/v1/ask", content=b"{not json"), 422)
        bad = client.post("/v1/options", json={"triple_negative": True, "her2": "positive"})
        assert "contradict" in assert_problem(bad, 422)["detail"]
        assert_problem(client.get("/no/such/page"), 404)
        assert_problem(client.delete("/v1/documents"), 405)
        assert_problem(client.post("/v1/admin/ingest", json={}), 404)  # admin is off


def test_every_route_errors_with_the_same_body(lib: Library) -> None:
    """Walk every route of the OpenAPI and provoke an error on each."""
    app = create_app(lib, settings_for(lib, api_rate=0, admin_token=SecretStr(TOKEN)))
    routes = [r for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema]
    assert len(routes) >= 10
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        for route in routes:
            path = route.path.replace("{doc_id}", "no-such-doc")
            for method in route.methods:
                if (
                    method == "GET"
                    and "{" not in route.path
                    and route.path
                    in (
                        "/healthz",
                        "/readyz",
                        "/v1/documents",
                    )
                ):
                    assert_problem(client.request("PATCH", path), 405)
                    continue
                if route.path.startswith("/v1/admin"):
                    assert_problem(client.request(method, path, json={}), 401)
                    continue
                if method == "POST":
                    response = client.request(method, path, json={"question": 1, "her2": 7})
                    assert_problem(response, 422)
                elif "{doc_id}" in route.path:
                    assert_problem(client.request(method, path), 404)
                else:
                    bad = {"k": "many", "within": "soon", "today": "never", "q": ""}
                    assert_problem(client.request(method, path, params=bad), 422)


def test_limits_body_question_rate_and_deadline(lib: Library) -> None:
    small = settings_for(lib, api_rate=0, api_max_body=200, api_max_question=50)
    with live_server(create_app(lib, small)) as url, httpx.Client(base_url=url) as client:
        big = client.post("/v1/ask", json={"question": "x" * 500})
        assert "200 bytes" in assert_problem(big, 413)["detail"]
        chunked = client.post(
            "/v1/ask", content=iter([b'{"question": "', b"x" * 300, b'"}']),
            headers={"content-type": "application/json"},
        )  # fmt: skip
        assert_problem(chunked, 413)
        long = client.post("/v1/ask", json={"question": "y" * 60})
        assert "50 characters" in assert_problem(long, 422)["detail"]
        query = client.get("/v1/search", params={"q": "z" * 60})
        assert_problem(query, 422)
        assert client.post("/v1/ask", json={"question": "What is Kadcyla?"}).status_code == 200
    limited = settings_for(lib, api_rate=5)
    with live_server(create_app(lib, limited)) as url, httpx.Client(base_url=url) as client:
        codes = [client.get("/v1/documents").status_code for _ in range(8)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
        refused = client.get("/v1/documents")
        assert_problem(refused, 429)
        assert int(refused.headers["retry-after"]) >= 1
        assert client.get("/healthz").status_code == 200  # health checks are exempt
    slow = settings_for(lib, api_rate=0, api_timeout=0.001)
    with live_server(create_app(lib, slow)) as url, httpx.Client(base_url=url) as client:
        late = client.post("/v1/ask", json={"question": "What are the side effects?"})
        assert "0.001 s" in assert_problem(late, 504)["detail"]


def test_admin_token(lib: Library, tmp_path: Path) -> None:
    with open_library(tmp_path / "admin.db", embed="0") as own:
        app = create_app(own, settings_for(own, api_rate=0, admin_token=SecretStr(TOKEN)))
        page = "---\ntitle: Test leaflet\nlicense: CC-BY-4.0\n---\n\nTrastuzumab is a drug.\n"
        request = {"filename": "../../leaflet.md", "content": page}
        with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
            assert_problem(client.post("/v1/admin/ingest", json=request), 401)
            wrong = {"Authorization": "Bearer nope"}
            assert_problem(client.post("/v1/admin/ingest", json=request, headers=wrong), 401)
            right = {"Authorization": f"Bearer {TOKEN}"}
            done = client.post("/v1/admin/ingest", json=request, headers=right)
            assert done.status_code == 200, done.text
            assert done.json()["results"][0]["outcome"] == "added"
            assert [d["doc_id"] for d in client.get("/v1/documents").json()["documents"]] == [
                "leaflet"
            ]
            gone = client.post("/v1/admin/documents/leaflet/retire", headers=right)
            assert gone.status_code == 200 and gone.json()["status"] == "retired"
            assert_problem(client.post("/v1/admin/documents/nope/retire", headers=right), 404)
            assert TOKEN not in client.get("/metrics").text


def test_metrics_count_requests_abstentions_and_triage(lib: Library) -> None:
    app = create_app(lib, settings_for(lib, api_rate=0))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        client.post("/v1/ask", json={"question": "I have chest pain and can't breathe"})
        client.post("/v1/ask", json={"question": "What is the best pizza topping?"})
        client.post("/v1/ask", json={"question": "How is Hodgkin lymphoma staged in adults?"})
        client.get("/v1/documents/nope")
        text = client.get("/metrics").text
    assert 'oncocite_triage_total{category="urgent"} 1.0' in text
    assert 'oncocite_abstentions_total{reason="triage"} 1.0' in text
    assert 'oncocite_abstentions_total{reason="no_support"} 1.0' in text
    assert 'oncocite_abstentions_total{reason="partial_support"} 1.0' in text
    assert 'route="/v1/documents/{doc_id}",status="404"' in text
    assert "oncocite_request_seconds_bucket" in text


NAMED = (
    "Hi I'm Jane Smithson, born on 12/03/1961, NHS number 943 476 5919, "
    "jane@example.com, 07700 900123, SW1A 1AA. What is Kadcyla?"
)
SECRETS = ("Jane", "Smithson", "1961", "943 476 5919", "jane@example.com", "07700", "SW1A")


def logged_ask(url: str, question: str, caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="oncocite.api"):
        response = httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=30)
    assert response.status_code == 200
    logged = [r for r in caplog.records if r.getMessage() == "ask"]
    assert len(logged) == 1
    fields: dict[str, Any] = logged[0].__dict__["fields"]
    return fields


def test_questions_are_logged_as_what_they_asked_never_their_words(
    base: str, caplog: pytest.LogCaptureFixture
) -> None:
    fields = logged_ask(base, NAMED, caplog)
    text = json.dumps(fields)
    assert "question" not in fields
    for secret in (*SECRETS, "Kadcyla", "Hi I"):
        assert secret not in text, (secret, text)
    assert fields["needs"] == [
        {
            "kind": "definition",
            "terms": ["trastuzumab emtansine"],
            "cited_terms": ["trastuzumab emtansine"],
            "outcome": "answered",
        }
    ]
    assert fields["abstained"] is False and fields["citations"] >= 1
    several = logged_ask(base, "What is Kadcyla? And is olaparib used for breast cancer?", caplog)[
        "needs"
    ]
    assert [n["outcome"] for n in several] == ["answered", "abstained"]
    assert "olaparib" in several[1]["terms"] and several[1]["reason"] == "partial_support"
    urgent = logged_ask(base, "I'm Jane, I have a fever of 39 and shivering on chemo", caplog)
    assert urgent["needs"] == [
        {"kind": None, "terms": ["chemotherapy"], "cited_terms": [], "outcome": "triage",
         "reason": "triage", "triage": "urgent"}
    ]  # fmt: skip
    assert "Jane" not in json.dumps(urgent)


def test_question_text_is_logged_redacted_only_when_opted_in(
    lib: Library, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(lib, settings_for(lib, api_rate=0, log_questions=True))
    with live_server(app) as url:
        fields = logged_ask(url, NAMED, caplog)
    text = json.dumps(fields)
    for secret in SECRETS:
        assert secret not in text, (secret, text)
    assert fields["question"].endswith("What is Kadcyla?")
    assert "[name]" in fields["question"] and "[NHS number]" in fields["question"]
    assert fields["needs"][0]["terms"] == ["trastuzumab emtansine"]


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_command(lib: Library, workers: int, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serve_process(lib.settings.db, log, workers, env={"ONCOCITE_EMBED": "0"}) as base:
        health = httpx.get(f"{base}/readyz", timeout=10)
        assert health.json()["documents"] == 2
        # (a worker other than the one that said it was ready may take the first ask:
        # its first answer reads the library, seconds on two busy cores)
        answer = httpx.post(f"{base}/v1/ask", json={"question": "What is Kadcyla?"}, timeout=30)
        assert answer.status_code == 200 and answer.json()["citations"]
        page = httpx.get(f"{base}/", timeout=30)
        assert page.status_code in (200, 404)
    err = log.read_text(encoding="utf-8")
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(json.loads(line)["time"] for line in lines), err  # JSON logs only


def test_serve_with_a_bad_database_is_one_error_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oncocite", "serve", "--db", "sqlite:///"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
