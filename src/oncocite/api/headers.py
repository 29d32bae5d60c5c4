"""Security headers on every response: the page, the JSON routes and every error.

- Content-Security-Policy: everything from this origin only. The page has no inline
  script or style (api/static/ is three files), so nothing is allowed inline, and
  `frame-ancestors 'none'` keeps it out of other sites' frames.
- X-Frame-Options: DENY, the same for browsers that predate frame-ancestors.
- X-Content-Type-Options: nosniff, so a quoted document is never run as a script.
- Referrer-Policy: no-referrer, so following a citation link does not tell the
  cited site which page (or which question) the reader came from.

FastAPI's own API explorer (/docs, /redoc) is the one exception: it is an HTML page
FastAPI writes with an inline script that loads Swagger UI or ReDoc from the
jsDelivr CDN, so those two pages (and no other) may also load from there. They show
the OpenAPI description, never a question or a document.

A pure ASGI middleware, added last so it runs first: the limits' refusals (413, 429,
504) carry the headers too, and so does the 500 for an unexpected error, which
Starlette would otherwise send from outside every middleware.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from oncocite.api.problems import problem

__all__ = ["CSP", "DOCS_CSP", "SECURITY_HEADERS", "SecurityHeaders"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {_CDN}; "
    f"style-src 'self' 'unsafe-inline' {_CDN} https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _encoded(policy: str) -> list[tuple[bytes, bytes]]:
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": policy}
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]


_PAGE = _encoded(CSP)
_DOCS = _encoded(DOCS_CSP)
_NAMES = frozenset(name for name, _ in _PAGE)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response (replacing any a route set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = _DOCS if scope.get("path") in DOCS_PATHS else _PAGE
        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message["headers"] = [*kept, *added]
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            # Starlette answers an unexpected error from outside every middleware, so the
            # 500 is sent here, with the headers; the app's handler still logs the error
            # (it sees the response started and sends nothing more).
            if not started:
                response = problem(500, "something went wrong on our side", scope.get("path"))
                await response(scope, receive, with_headers)
            raise
