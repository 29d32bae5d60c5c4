"""uvicorn's httptools protocol with the client limits of api/protocol.py.

A module of its own because importing uvicorn's httptools protocol fails without
httptools, and the h11 fallback in api/protocol.py must stay importable then.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from oncocite.api.protocol import ClientGuard, Cycle

__all__ = ["GuardedHttpToolsProtocol"]


class GuardedHttpToolsProtocol(ClientGuard, HttpToolsProtocol):
    """The protocol `oncocite serve` runs. httptools calls the parser callbacks below
    from inside `feed_data` (ClientGuard.data_received feeds it within the header
    budget), so the guard learns where each request starts and ends."""

    def current_cycle(self) -> Cycle | None:
        return self.cycle

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.guard_request_started()  # a pipelined request starting inside one read

    def on_headers_complete(self) -> None:
        self.guard_head_complete()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.guard_message_complete()
        super().on_message_complete()
