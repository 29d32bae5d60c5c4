"""Slow and oversized requests, refused in the HTTP protocol before any ASGI code runs.

uvicorn (0.55) enforces neither limit. Its `timeout_keep_alive` is cancelled by every
byte received, so a client trickling one header byte a second holds a connection for
ever; and its httptools protocol hands llhttp whatever arrives while httptools joins
the pieces of a header into one bytes object, so a 20 MB header costs 20 MB and more
(uvicorn#157: no size limit for httptools). ASGI middleware cannot help: it only runs
once the headers are complete. The protocol subclasses here add, per connection:

- a header budget: at most `max_header` bytes of request line + headers reach the
  parser; a request still in its headers then gets 431 and the connection closes.
  The bytes are counted before the parser sees them, so what is over the budget is
  never buffered (memory per connection stays at one socket read).
- a deadline: from the first byte of a request to its last (end of the body), at most
  `client_timeout` seconds; then 408 if no response to it has started, and the
  connection closes. Processing time is not counted: the request is complete by then,
  and the app's own deadline (504, api/limits.py) bounds it.
- idle connections: a new connection that sends nothing is closed after uvicorn's
  keep-alive timeout, as uvicorn already closes an idle kept-alive one.

A refusal is the project's problem+json, then a lingering close: the write side is
shut (FIN after the response), what the client still sends is read and dropped for at
most LINGER_SECONDS, then the socket closes. Closing at once with unread bytes makes
the kernel answer with a reset, which can destroy the response before the client
reads it (a client still uploading would see "connection reset", not the 431).

What this relies on in uvicorn 0.55 (tests/integration/test_adversarial_http.py runs
it against the installed version): protocols are built as cls(config=, server_state=,
app_state=, _loop=); the attributes loop, transport, flow, scope, cycle (with
response_started, response_complete, disconnected, message_event), server_state
.default_headers, timeout_keep_alive, timeout_keep_alive_task and the methods
timeout_keep_alive_handler and _unset_keepalive_if_required, which both the httptools
and the h11 protocol have; for httptools, the parser callbacks on_message_begin,
on_headers_complete and on_message_complete (protocol_httptools.py); for h11, that
every event is read through `self.conn.next_event()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from oncocite.api.problems import problem

if TYPE_CHECKING:
    from uvicorn._types import HTTPScope
    from uvicorn.config import Config
    from uvicorn.protocols.http.flow_control import FlowControl
    from uvicorn.server import ServerState

__all__ = [
    "KEEP_ALIVE_SECONDS",
    "LINGER_SECONDS",
    "ClientLimits",
    "GuardedConfig",
    "GuardedH11Protocol",
    "guarded_protocol",
]

# uvicorn's own default: an idle connection (new, or kept alive) closes after this.
KEEP_ALIVE_SECONDS = 5
# How long a refused connection keeps reading (and dropping) what the client still
# sends before it closes: enough for the client to finish a write and read the answer
# on a LAN, short enough that a refused client holds a socket for no longer.
LINGER_SECONDS = 1.0


@dataclass(frozen=True)
class ClientLimits:
    """What one request may cost the server before any app code runs."""

    max_header: int = 16 * 1024
    """Bytes of request line + headers (the settings' api_max_header)."""
    client_timeout: float = 10.0
    """Seconds from a request's first byte to its last (api_client_timeout)."""


class GuardedConfig(uvicorn.Config):
    """uvicorn's Config carrying the ClientLimits to the protocol of every worker.

    uvicorn gives worker processes the config pickled (spawn), so the limits travel as
    an attribute of it rather than as module state or a class made at run time, which
    would not survive the trip.
    """

    def __init__(self, app: Any, *, client_limits: ClientLimits, **options: Any) -> None:
        super().__init__(app, **options)
        self.client_limits = client_limits


class Cycle(Protocol):
    """The parts of uvicorn's RequestResponseCycle (either parser's) the guard uses."""

    response_started: bool
    response_complete: bool
    disconnected: bool
    message_event: asyncio.Event


def problem_response(
    status: int,
    detail: str,
    instance: str | None,
    default_headers: list[tuple[bytes, bytes]],
) -> bytes:
    """A whole HTTP/1.1 response, the project's problem+json, that closes the connection:
    written straight to the socket because no ASGI cycle exists (or may answer) here."""
    response = problem(status, detail, instance)
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode("ascii")]
    for name, value in [*default_headers, *response.raw_headers, (b"connection", b"close")]:
        lines += [name, b": ", value, b"\r\n"]
    return b"".join([*lines, b"\r\n", bytes(response.body)])


class ClientGuard(asyncio.Protocol):
    """The header budget, the request deadline and the lingering refusal, shared by the
    httptools and h11 protocols. It must come before uvicorn's class among the bases:
    its data_received and connection hooks wrap uvicorn's. Its __init__ runs
    uvicorn's, then `guard_setup` (which a subclass may extend); a subclass calls the
    three `guard_*` hooks as the parser reports a request's start, the end of its
    headers and its end."""

    if TYPE_CHECKING:  # set by uvicorn's protocol classes; declared for the type checker
        loop: asyncio.AbstractEventLoop
        transport: asyncio.Transport
        flow: FlowControl
        scope: HTTPScope
        server_state: ServerState
        timeout_keep_alive: int
        timeout_keep_alive_task: asyncio.TimerHandle | None

        def timeout_keep_alive_handler(self) -> None: ...
        def _unset_keepalive_if_required(self) -> None: ...

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        # uvicorn's protocol class, next in the subclass's bases
        super().__init__(config, server_state, app_state, _loop)  # type: ignore[call-arg]
        self.guard_setup(config)

    def guard_setup(self, config: Config) -> None:
        """Per-connection state; the limits come from a GuardedConfig (else defaults)."""
        limits = config.client_limits if isinstance(config, GuardedConfig) else ClientLimits()
        self._limits = limits
        self._in_head = True  # the parser has not yet seen the end of a request's headers
        self._head_seen = 0  # bytes given to the parser for the current request's head
        self._deadline: asyncio.TimerHandle | None = None
        self._linger: asyncio.TimerHandle | None = None
        self._refused = False

    def current_cycle(self) -> Cycle | None:
        """The ASGI cycle of the newest request whose headers were parsed, if any."""
        raise NotImplementedError

    # ------------------------------------------------------------------ asyncio
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        # uvicorn arms its idle timer only after a response: without this, a client
        # that connects and sends nothing holds the connection for ever.
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # lingering: read and drop, so the close is not a reset
        self.guard_request_started()
        budget = self._limits.max_header
        while data:
            if self._in_head:
                room = budget - self._head_seen
                piece, data = data[:room], data[room:]
                self._head_seen += len(piece)
            else:
                # A pipelined request that starts inside this piece is not counted
                # until the next read: it may go over by at most one read (<= 256 KiB).
                piece, data = data, b""
            super().data_received(piece)
            if self._refused or self.transport.is_closing():
                return
            if self._in_head and self._head_seen >= budget:
                self.refuse(431, f"the request line and headers are over {budget} bytes")
                return

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    # -------------------------------------------------------------------- hooks
    def guard_request_started(self) -> None:
        """A request's first byte: its deadline starts unless it already runs."""
        if self._deadline is None and not self._refused:
            self._deadline = self.loop.call_later(self._limits.client_timeout, self._expired)

    def guard_head_complete(self) -> None:
        """The parser has the whole request line and headers."""
        self._in_head = False
        self._head_seen = 0
        self.guard_request_started()  # a pipelined request read from the parser's buffer

    def guard_message_complete(self) -> None:
        """The whole request (body included) is in: its deadline is met."""
        self._in_head = True
        self._head_seen = 0
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    # ----------------------------------------------------------------- refusals
    def _expired(self) -> None:
        """The request did not arrive in time: 408 when nobody answered it yet."""
        self._deadline = None
        if self._refused or self.transport.is_closing():
            return
        late = f"{self._limits.client_timeout:g} s"
        if self._in_head:
            self.refuse(408, f"the request line and headers did not arrive within {late}")
            return
        cycle = self.current_cycle()
        if cycle is None or cycle.response_started:
            # The app already answered without waiting for the body (a 413, a 429):
            # the rest of the body is not waited for either.
            self.close_lingering()
            return
        # The app is waiting for the body: it sees a disconnect (close_lingering), and
        # anything it would still send is dropped, so only the 408 goes out.
        path = self.scope.get("path")
        self.refuse(408, f"the request body did not arrive within {late}", path)

    def refuse(self, status: int, detail: str, instance: str | None = None) -> None:
        """Answer `status` as a problem, then close the connection (lingering).

        Only when nothing else is owed on the connection: if an earlier (pipelined)
        request's response is still to be written, a refusal written now would be read
        as that response, so the connection just closes."""
        cycle = self.current_cycle()
        owed = cycle is not None and self._in_head and not cycle.response_complete
        if not owed:
            default_headers = self.server_state.default_headers
            self.transport.write(problem_response(status, detail, instance, default_headers))
        self.close_lingering()

    def close_lingering(self) -> None:
        """Shut the write side after what is queued, drop what still comes in for at
        most LINGER_SECONDS (or until the client closes), then close. A response still
        being made is abandoned: its cycle is marked disconnected, so the app's receive
        gets http.disconnect and its sends are dropped, never written after the EOF."""
        self._refused = True
        self._cancel_timers()
        self._unset_keepalive_if_required()
        cycle = self.current_cycle()
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()
        self.flow.resume_reading()  # keep draining, whatever uvicorn had paused
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self._linger = self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:  # TLS cannot half-close
            self.transport.close()

    def _cancel_timers(self) -> None:
        for timer in (self._deadline, self._linger):
            if timer is not None:
                timer.cancel()
        self._deadline = self._linger = None


class _WatchedConnection(h11.Connection):
    """h11's connection, telling the guard when a request's headers and its end are
    parsed (uvicorn's H11Protocol reads every event through next_event)."""

    def __init__(
        self, max_header: int, on_head: Callable[[], None], on_end: Callable[[], None]
    ) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=max_header)
        self._on_head = on_head
        self._on_end = on_end

    def next_event(self) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
        event = super().next_event()
        if isinstance(event, h11.Request):
            self._on_head()
        elif isinstance(event, h11.EndOfMessage):
            self._on_end()
        return event


class GuardedH11Protocol(ClientGuard, H11Protocol):
    """uvicorn's pure-Python (h11) protocol with the client limits: used when
    httptools is not installed, so the limits never depend on an optional parser."""

    def guard_setup(self, config: Config) -> None:
        super().guard_setup(config)
        # h11's own limit (400 when its buffer passes it) stays at the budget, which the
        # guard enforces first with a 431.
        self.conn = _WatchedConnection(
            self._limits.max_header, self.guard_head_complete, self.guard_message_complete
        )

    def current_cycle(self) -> Cycle | None:
        return self.cycle


def guarded_protocol() -> type[asyncio.Protocol]:
    """The guarded protocol for the parser uvicorn's "auto" would pick: httptools when
    it is installed (the server extra), else h11."""
    try:
        from oncocite.api.protocol_httptools import GuardedHttpToolsProtocol
    except ImportError:  # httptools missing: uvicorn falls back to h11, and so do we
        return GuardedH11Protocol
    return GuardedHttpToolsProtocol
