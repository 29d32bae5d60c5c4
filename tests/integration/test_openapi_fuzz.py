"""Property-based checks of the whole OpenAPI with schemathesis: whatever a client
sends that the schema allows, no route answers 5xx, and every error is a problem.

schemathesis' pytest plugin does not support this pytest yet, so each operation's
hypothesis strategy is driven here directly.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from oncocite.api.app import create_app
from tests.conftest import seed_library


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    library = seed_library(tmp_path_factory.mktemp("fuzz") / "fuzz.db", embed="0")
    app = create_app(library, library.settings.model_copy(update={"api_rate": 0}))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_route_answers_5xx(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    calls: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call()
            calls.append(response.status_code)
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            if response.status_code >= 400:
                kind = response.headers.get("content-type", [""])
                assert str(kind[0] if isinstance(kind, list) else kind).startswith(
                    "application/problem+json"
                ), (case.method, case.path, response.status_code)

        check()
    assert len(calls) >= 100, len(calls)  # it did send requests
    assert any(code < 400 for code in calls) and any(code >= 400 for code in calls)
