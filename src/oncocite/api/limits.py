"""Limits every request is held to: body size, a per-client rate, and a deadline.

Each is a setting (ONCOCITE_API_MAX_BODY, _RATE, _TIMEOUT) and each answers with
a problem body: 413, 429 (with Retry-After) and 504. They are pure ASGI
middleware so that they apply before any route runs, to every route alike.

What happens before a request is complete (its header size, 431, and how long the
client takes to send it, 408) is the HTTP protocol's business: api/protocol.py. The
client address RateLimit keys on is the peer's, or, only for a peer listed in
ONCOCITE_API_TRUSTED_PROXIES, the one its X-Forwarded-For names (api/server.py).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from oncocite.api.problems import problem

__all__ = ["BodyLimit", "RateLimit", "RequestTimeout", "TokenBuckets"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuses bodies over `max_bytes`, whether or not Content-Length says so."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_large = f"the request body is over {self.max_bytes} bytes"
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await problem(413, too_large, scope.get("path"))(scope, receive, send)
            return
        # Read the body first (it is bounded), so an oversized one is refused before
        # any route sees it, whether or not it declared its length.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client left (or the server's client deadline gave up on it) before
                # the body was complete: a route must not run on half a body.
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                await problem(413, too_large, scope.get("path"))(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class TokenBuckets:
    """Per-client token buckets: `rate` requests a minute, bursts up to `rate`."""

    def __init__(self, rate: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 if the request may go, else the seconds until it may."""
        now = self.clock()
        per_second = self.rate / 60.0
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - last) * per_second)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > 100_000:  # forget idle clients rather than grow
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
            return (1.0 - tokens) / per_second


class RateLimit:
    """429 with Retry-After for a client over its rate; health checks are exempt."""

    EXEMPT = ("/healthz", "/readyz", "/metrics")

    def __init__(self, app: ASGIApp, rate: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate) if rate > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.buckets is None or scope["path"] in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(str(client))
        if wait > 0:
            retry = str(max(1, math.ceil(wait)))
            detail = f"over {self.buckets.rate} requests a minute; retry in {retry} s"
            response = problem(429, detail, scope["path"], {"Retry-After": retry})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class RequestTimeout:
    """504 when a request takes longer than `seconds` (the work may finish unseen)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, tracked), self.seconds)
        except TimeoutError:
            if not started:
                detail = f"the request took longer than {self.seconds:g} s"
                await problem(504, detail, scope["path"])(scope, receive, send)
