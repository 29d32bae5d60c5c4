"""One error body everywhere: RFC 9457 problem details (`application/problem+json`).

Every error the API can give — validation, a missing document, a limit, a timeout,
a bug — comes back in this shape, so a client needs one parser. A 500 says only
that something went wrong and which request it was; the details go to the log.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from oncocite.api.observe import log_event
from oncocite.errors import (
    DamagedModel,
    DamagedStore,
    InvalidDocument,
    InvalidQuery,
    MissingExtra,
    NotFound,
    OncociteError,
    SettingsError,
    StoreError,
)

__all__ = ["PROBLEM_JSON", "Problem", "problem", "problem_handlers"]

PROBLEM_JSON = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    405: "Method not allowed",
    408: "Request not received in time",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    431: "Request header fields too large",
    500: "Internal server error",
    503: "Service unavailable",
    504: "Request timed out",
}


class Problem(BaseModel):
    """An error, as every endpoint returns it."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None


def problem(
    status: int, detail: str, instance: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = Problem(
        title=TITLES.get(status, "Error"), status=status, detail=detail, instance=instance
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    return problem(exc.status_code, detail, request.url.path, dict(exc.headers or {}))


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: list[Any] = list(exc.errors())
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    return problem(422, f"{where}: {message}", request.url.path)


# Seconds a client should wait before trying again when the library cannot be read.
RETRY_AFTER_S = 5


async def _oncocite(request: Request, exc: Exception) -> JSONResponse:
    """The status that says whose fault it is: the request's (404, 422), a library
    that cannot be reached now (503, try again), or the server's installation (500).
    A store's own message may name a database host, so it goes to the log only."""
    path = request.url.path
    if isinstance(exc, NotFound):
        return problem(404, str(exc), path)
    if isinstance(exc, InvalidQuery | InvalidDocument | SettingsError):
        return problem(422, str(exc), path)
    if isinstance(exc, DamagedStore):  # not transient: its operator must act
        log_event("error", path=path, error=type(exc).__name__, detail=str(exc))
        return problem(500, "the library is damaged: its operator must restore it", path)
    if isinstance(exc, StoreError):
        log_event("error", path=path, error=type(exc).__name__, detail=str(exc))
        detail = "the library cannot be read right now: try again in a few seconds"
        return problem(503, detail, path, {"Retry-After": str(RETRY_AFTER_S)})
    if isinstance(exc, DamagedModel):  # its message names the file, never a path
        detail = (
            f"this server's model files are not the pinned ones: its operator can run {exc.install}"
        )
        return problem(500, detail, path)
    if isinstance(exc, MissingExtra):
        detail = (
            f"this server lacks the '{exc.extra}' extra ({exc.module} is not installed): "
            f"its operator can install it with {exc.install}"
        )
        return problem(500, detail, path)
    return problem(400, str(exc), path)


def problem_handlers() -> dict[Any, Any]:
    """Exception handlers for FastAPI: every error becomes a problem."""
    return {
        HTTPException: _http,
        RequestValidationError: _validation,
        OncociteError: _oncocite,
    }
