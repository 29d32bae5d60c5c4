"""Real HTTP servers for tests: uvicorn on 127.0.0.1 on a free port, in a thread of
the test process or as `oncocite serve` in processes of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from oncocite.api.server import server_config
from oncocite.config import Settings


@contextmanager
def live_server(app: FastAPI, settings: Settings | None = None) -> Iterator[str]:
    """Serve `app` for the duration of the block; yields its base URL.

    The server is configured as `oncocite serve` configures it (server_config), so every
    API test runs behind the same protocol limits; `settings` gives those limits
    (header size, client timeout, trusted proxies), by default the defaults."""
    config = server_config(settings or Settings(), app, port=0, log_level="warning")
    with running(config) as url:
        yield url


@contextmanager
def running(config: uvicorn.Config) -> Iterator[str]:
    """Run a server on `config` (port 0: a free one) in a thread of the test process
    for the duration of the block; yields its base URL."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve_process(
    db: str, log: Path, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`oncocite serve` as its own process (N workers) until the block ends; yields its
    base URL once /readyz answers. Its stderr (the JSON logs) goes to `log`: a pipe
    nobody reads would fill and stall the server."""
    port = free_port()
    command = [sys.executable, "-m", "oncocite", "serve", "--db", db,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    with log.open("a", encoding="utf-8") as sink:
        process = subprocess.Popen(command, stderr=sink, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(log.read_text(encoding="utf-8"))
            if time.monotonic() > deadline:
                raise RuntimeError("oncocite serve did not start in 60 s")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
