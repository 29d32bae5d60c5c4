"""Security headers on every response through a real HTTP server: the page, its
static files, a JSON route, and errors from a route, from a limit and from a bug."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from oncocite import Library
from oncocite.api.app import create_app
from oncocite.api.headers import CSP, DOCS_CSP
from tests.conftest import seed_library
from tests.live_server import live_server

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with seed_library(tmp_path_factory.mktemp("headers") / "h.db", embed="0") as library:
        yield library


@pytest.fixture(scope="module")
def base(lib: Library) -> Iterator[str]:
    app = create_app(lib, lib.settings.model_copy(update={"api_rate": 0, "api_max_body": 300}))

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)  # an unexpected error, answered by the 500 handler
    with live_server(app) as url:
        yield url


def policy(response: httpx.Response) -> dict[str, str]:
    """The CSP's directives by name."""
    value = response.headers["content-security-policy"]
    return {part.split()[0]: part.strip() for part in value.split(";") if part.strip()}


def assert_secured(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.url, name, response.headers)
    assert response.headers["content-security-policy"] == CSP
    directives = policy(response)
    assert directives["default-src"] == "default-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in CSP and "http" not in CSP  # only this origin, nothing inline
    assert len(response.headers.get_list("content-security-policy")) == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/", None, 200),
        ("GET", "/static/app.js", None, 200),
        ("GET", "/static/style.css", None, 200),
        ("GET", "/v1/documents", None, 200),
        ("GET", "/openapi.json", None, 200),
        ("GET", "/healthz", None, 200),
        ("GET", "/v1/documents/nope", None, 404),
        ("GET", "/no/such/page", None, 404),
        ("POST", "/v1/ask", {"question": ""}, 422),
        ("POST", "/v1/ask", {"question": "x" * 400}, 413),
        ("DELETE", "/v1/documents", None, 405),
        ("GET", "/broken", None, 500),
    ],
)
def test_every_response_carries_the_headers(
    base: str, method: str, path: str, body: Any, status: int
) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        response = client.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert_secured(response)
    if status == 500:
        assert response.json()["detail"] == "something went wrong on our side"


def test_a_rate_limited_refusal_carries_the_headers(lib: Library) -> None:
    app = create_app(lib, lib.settings.model_copy(update={"api_rate": 3}))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        codes = [client.get("/v1/documents") for _ in range(5)]
    refused = [r for r in codes if r.status_code == 429]
    assert refused, [r.status_code for r in codes]
    assert_secured(refused[0])


def test_the_api_explorer_may_load_its_cdn_and_nothing_else_changes(base: str) -> None:
    docs = httpx.get(f"{base}/docs", timeout=30)
    assert docs.status_code == 200
    assert docs.headers["content-security-policy"] == DOCS_CSP
    assert "frame-ancestors 'none'" in DOCS_CSP
    for name, value in EXPECTED.items():
        assert docs.headers[name] == value
    assert "https://cdn.jsdelivr.net" in docs.text  # what the exception is for
    assert httpx.get(f"{base}/docsx", timeout=30).headers["content-security-policy"] == CSP
