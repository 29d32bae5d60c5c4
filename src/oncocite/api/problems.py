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

from oncocite.errors import InvalidDocument, InvalidQuery, NotFound, OncociteError, SettingsError

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


async def _oncocite(request: Request, exc: Exception) -> JSONResponse:
    status = 404 if isinstance(exc, NotFound) else 400
    if isinstance(exc, InvalidQuery | InvalidDocument | SettingsError):
        status = 422
    return problem(status, str(exc), request.url.path)


def problem_handlers() -> dict[Any, Any]:
    """Exception handlers for FastAPI: every error becomes a problem."""
    return {
        HTTPException: _http,
        RequestValidationError: _validation,
        OncociteError: _oncocite,
    }
