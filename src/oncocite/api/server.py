"""Running the API: `oncocite serve` on the embedded store, N worker processes.

Each worker opens the library named by ONCOCITE_DB (and the other ONCOCITE_*
settings) itself: SQLite in WAL mode lets many processes read while one writes.
uvicorn runs on httptools and uvloop (the server extra installs them; it falls back
to its pure-Python parser and asyncio's loop without them): on two cores they left
the workers about 10 % more of the CPU for answering (benchmarks/load.py).
"""

from __future__ import annotations

import logging
import os
import sys

from fastapi import FastAPI

from oncocite.api.app import create_app
from oncocite.api.observe import JsonFormatter
from oncocite.library import Library

__all__ = ["app_from_env", "serve"]


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


def serve(host: str, port: int, workers: int, db: str | None) -> None:
    """Run the API (and page) until interrupted."""
    import uvicorn

    if db is not None:
        os.environ["ONCOCITE_DB"] = db
    Library().close()  # fail now, in one line, on a bad database or setting
    uvicorn.run(
        "oncocite.api.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=None,
    )
