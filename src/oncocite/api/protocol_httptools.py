"""uvicorn's httptools protocol with the client limits of api/protocol.py.

A module of its own because importing uvicorn's httptools protocol fails without
httptools, and the h11 fallback in api/protocol.py must stay importable then.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from oncocite.api.protocol import ClientGuard, Cycle

if TYPE_CHECKING:
    from uvicorn.config import Config
    from uvicorn.server import ServerState

__all__ = ["GuardedHttpToolsProtocol"]


class GuardedHttpToolsProtocol(ClientGuard, HttpToolsProtocol):
    """The protocol `oncocite serve` runs. httptools calls the parser callbacks below
    from inside `feed_data` (ClientGuard.data_received feeds it within the header
    budget), so the guard learns where each request starts and ends."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.guard_setup(config)

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
