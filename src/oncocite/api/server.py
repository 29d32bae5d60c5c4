"""Running the API: `oncocite serve` on the embedded store, N worker processes.

Each worker opens the library named by ONCOCITE_DB (and the other ONCOCITE_*
settings) itself: SQLite in WAL mode lets many processes read while one writes.
uvicorn runs on httptools and uvloop (the server extra installs them; it falls back
to its pure-Python parser and asyncio's loop without them): on two cores they left
the workers about 10 % more of the CPU for answering (benchmarks/load.py).

`server_config` is the one place the uvicorn configuration is made, for `serve` and
for the tests' in-thread server alike, so every API test runs behind the same
protections: the guarded HTTP protocol (header budget and client deadline,
api/protocol.py), the keep-alive timeout, and the trusted-proxy rule.
"""

from __future__ import annotations

import logging
import os
import sys

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from oncocite.api.app import create_app
from oncocite.api.observe import JsonFormatter
from oncocite.api.protocol import (
    KEEP_ALIVE_SECONDS,
    ClientLimits,
    GuardedConfig,
    guarded_protocol,
)
from oncocite.config import Settings, load_settings
from oncocite.library import Library

__all__ = ["app_from_env", "run", "serve", "server_config", "trusted_proxies"]

APP_FACTORY = "oncocite.api.server:app_from_env"


def _json_logs() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("oncocite.api", "uvicorn.error"):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(logging.INFO)
        log.propagate = False


def app_from_env() -> FastAPI:
    """The app for one worker, from the ONCOCITE_* environment."""
    _json_logs()
    return create_app(Library())


def trusted_proxies(settings: Settings) -> list[str]:
    """The addresses and CIDR blocks whose X-Forwarded-For is believed (none by default)."""
    return [entry for entry in settings.api_trusted_proxies.split(",") if entry]


def server_config(
    settings: Settings,
    app: FastAPI | str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    factory: bool = False,
    log_level: str | None = None,
) -> GuardedConfig:
    """uvicorn's configuration for `app` under `settings`.

    - http: the guarded protocol, so oversized headers (api_max_header) get 431 and
      slow requests (api_client_timeout) 408 before any app code runs.
    - ws "none": the API has no WebSocket route, and a WebSocket protocol would not
      carry those limits.
    - proxy headers only from api_trusted_proxies: uvicorn otherwise believes
      X-Forwarded-For from 127.0.0.1 (its default, or $FORWARDED_ALLOW_IPS), which lets
      any local client pick the address the rate limit keys on.
    """
    proxies = trusted_proxies(settings)
    max_header = int(settings.api_max_header)
    return GuardedConfig(
        app,
        client_limits=ClientLimits(max_header, settings.api_client_timeout),
        host=host,
        port=port,
        workers=workers,
        factory=factory,
        http=guarded_protocol(),
        ws="none",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=max_header,
        access_log=False,
        log_config=None,
        log_level=log_level,
    )


def run(config: uvicorn.Config) -> None:
    """Run a server on `config` until interrupted: what `uvicorn.run` does with the
    config it builds, for a config built here (uvicorn.run cannot take one)."""
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if config.workers == 1 and not server.started:
        sys.exit(STARTUP_FAILURE)


def serve(host: str, port: int, workers: int, db: str | None) -> None:
    """Run the API (and page) until interrupted."""
    if db is not None:
        os.environ["ONCOCITE_DB"] = db
    settings = load_settings()
    Library(settings).close()  # fail now, in one line, on a bad database or setting
    config = server_config(
        settings, APP_FACTORY, host=host, port=port, workers=workers, factory=True
    )
    run(config)
