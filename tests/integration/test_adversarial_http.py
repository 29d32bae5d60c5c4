"""Hostile HTTP clients against real servers on real sockets: slow headers and bodies
(408 at the client deadline), oversized headers (431 without buffering them), a body
the app waits for past its own deadline (504), and X-Forwarded-For from untrusted
peers (ignored by the rate limit). Normal clients, keep-alive and pipelining included,
must not notice any of it.

The servers are configured by server_config, as `oncocite serve` is, with a short
client timeout so the slow cases take seconds. Raw sockets, not httpx: an HTTP client
library would not send a request this badly.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from oncocite import Library, open_library
from oncocite.api.app import create_app
from oncocite.api.problems import PROBLEM_JSON
from oncocite.api.protocol import KEEP_ALIVE_SECONDS, GuardedConfig, GuardedH11Protocol
from oncocite.api.protocol_httptools import GuardedHttpToolsProtocol
from oncocite.api.server import server_config
from oncocite.config import Settings, load_settings
from tests.live_server import live_server, running, serve_process

CLIENT_TIMEOUT = 2.0
# How late a 408 or a close may come: a timer on a loaded event loop, two busy cores.
SLACK = 1.5
PROTOCOLS = {"httptools": GuardedHttpToolsProtocol, "h11": GuardedH11Protocol}


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """An empty library: nothing here needs documents, only routes that answer."""
    with open_library(tmp_path_factory.mktemp("hostile") / "hostile.db", embed="0") as library:
        yield library


def settings_for(lib: Library, **changes: Any) -> Settings:
    base = {"api_rate": 0, "api_client_timeout": CLIENT_TIMEOUT}
    return lib.settings.model_copy(update={**base, **changes})


@pytest.fixture(scope="module")
def base(lib: Library) -> Iterator[str]:
    settings = settings_for(lib)
    with live_server(create_app(lib, settings), settings) as url:
        yield url


@pytest.fixture(scope="module", params=sorted(PROTOCOLS))
def each_parser(request: pytest.FixtureRequest, lib: Library) -> Iterator[str]:
    """The same server on each parser uvicorn may use (h11 when httptools is missing)."""
    settings = settings_for(lib)
    config = server_config(settings, create_app(lib, settings), port=0, log_level="warning")
    config.http = PROTOCOLS[request.param]
    with running(config) as url:
        yield url


# ------------------------------------------------------------------ raw HTTP
def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float  # from `started` to the end of the response
    rest: bytes = field(default=b"", repr=False)

    def problem(self, status: int) -> dict[str, Any]:
        """The body as the project's problem+json with this status, or fail."""
        assert self.status == status, (self.status, self.body[:300])
        assert self.headers["content-type"].startswith(PROBLEM_JSON)
        body: dict[str, Any] = json.loads(self.body)
        assert set(body) == {"type", "title", "status", "detail", "instance"}
        assert body["status"] == status and body["detail"] and body["title"] != "Error"
        return body


def read_reply(sock: socket.socket, started: float, buffered: bytes = b"") -> Reply:
    """One response (by Content-Length or chunked); what follows it stays in `rest`."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response: {data[:200]!r}")
        data += chunk
    head, _, data = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}
    if headers.get("transfer-encoding") == "chunked":
        while not data.endswith(b"0\r\n\r\n"):
            data += sock.recv(65536)
        body, rest = data, b""
    else:
        length = int(headers.get("content-length", "0"))
        while len(data) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed in the middle of a response body")
            data += chunk
        body, rest = data[:length], data[length:]
    return Reply(int(status_line.split()[1]), headers, body, time.monotonic() - started, rest)


def closed_after(sock: socket.socket, started: float, limit: float) -> float:
    """Seconds from `started` until the server closes (EOF or reset); fails if the
    server sends more bytes or has not closed within `limit` seconds."""
    sock.settimeout(limit)
    try:
        extra = sock.recv(65536)
    except ConnectionResetError:
        extra = b""
    except TimeoutError:
        pytest.fail(f"the server left the connection open for over {limit} s")
    assert extra == b"", extra[:200]
    return time.monotonic() - started


def request(path: str, headers: str = "", body: bytes = b"", method: str = "GET") -> bytes:
    length = f"Content-Length: {len(body)}\r\n" if body else ""
    return f"{method} {path} HTTP/1.1\r\nHost: test\r\n{length}{headers}\r\n".encode() + body


# --------------------------------------------------------------- slow clients
@pytest.mark.slow
def test_slow_headers_and_idle_connections_are_closed_in_time(base: str) -> None:
    """A slowloris of 20 connections trickling header lines gets 408 at the client
    deadline; a silent new connection and an idle kept-alive one are closed at the
    keep-alive timeout. All run at once, as an attack would."""
    stop = threading.Event()
    trickled = [connect(base) for _ in range(20)]
    started = time.monotonic()
    for sock in trickled:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")

    def trickle() -> None:
        while not stop.is_set():
            for sock in trickled:
                with contextlib.suppress(OSError):  # refused and closed: the point
                    sock.send(b"X-Slow: yes\r\n")
            stop.wait(0.25)

    silent = connect(base)
    kept = connect(base)
    kept.sendall(request("/healthz"))
    kept_started = time.monotonic()
    assert read_reply(kept, kept_started).status == 200
    threading.Thread(target=trickle, daemon=True).start()

    def refused(sock: socket.socket) -> tuple[Reply, float]:
        reply = read_reply(sock, started)
        return reply, closed_after(sock, started, CLIENT_TIMEOUT + SLACK)

    try:
        with ThreadPoolExecutor(len(trickled) + 2) as pool:
            slow = list(pool.map(refused, trickled))
            idle = pool.submit(closed_after, silent, started, KEEP_ALIVE_SECONDS + SLACK)
            after_response = pool.submit(
                closed_after, kept, kept_started, KEEP_ALIVE_SECONDS + SLACK
            )
            for reply, gone in slow:
                assert "headers did not arrive within 2 s" in reply.problem(408)["detail"]
                assert reply.headers["connection"] == "close"
                assert CLIENT_TIMEOUT - 0.2 <= reply.seconds <= CLIENT_TIMEOUT + SLACK
                assert gone <= CLIENT_TIMEOUT + SLACK
            # uvicorn's keep-alive timeout, now also for a connection that never spoke
            assert KEEP_ALIVE_SECONDS - 0.5 <= idle.result() <= KEEP_ALIVE_SECONDS + SLACK
            assert after_response.result() <= KEEP_ALIVE_SECONDS + SLACK
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
    finally:
        stop.set()
        for sock in [*trickled, silent, kept]:
            sock.close()


@pytest.mark.slow
def test_a_slow_body_gets_408_at_the_client_deadline(base: str) -> None:
    sock = connect(base)
    started = time.monotonic()
    head = "Content-Type: application/json\r\nContent-Length: 400\r\n"
    sock.sendall(f"POST /v1/ask HTTP/1.1\r\nHost: test\r\n{head}\r\n".encode())
    stop = threading.Event()

    def trickle() -> None:
        for byte in b'{"question": "' + b"x" * 300:
            if stop.wait(0.1):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    threading.Thread(target=trickle, daemon=True).start()
    try:
        reply = read_reply(sock, started)
        problem = reply.problem(408)
        assert problem["detail"] == "the request body did not arrive within 2 s"
        assert problem["instance"] == "/v1/ask"
        assert CLIENT_TIMEOUT - 0.2 <= reply.seconds <= CLIENT_TIMEOUT + SLACK
        assert closed_after(sock, started, CLIENT_TIMEOUT + SLACK) <= CLIENT_TIMEOUT + SLACK
    finally:
        stop.set()
        sock.close()


def test_a_body_shorter_than_its_content_length_gets_408(each_parser: str) -> None:
    """Content-Length: 1000, 35 bytes sent, then silence: uvicorn alone never answers."""
    body = b'{"question": "What is Kadcyla?"    '
    assert len(body) == 35
    head = "Content-Type: application/json\r\nContent-Length: 1000\r\n"
    with connect(each_parser) as sock:
        started = time.monotonic()
        sock.sendall(f"POST /v1/ask HTTP/1.1\r\nHost: test\r\n{head}\r\n".encode() + body)
        reply = read_reply(sock, started)
        assert "body did not arrive" in reply.problem(408)["detail"]
        assert CLIENT_TIMEOUT - 0.2 <= reply.seconds <= CLIENT_TIMEOUT + SLACK
        closed_after(sock, started, CLIENT_TIMEOUT + SLACK)
    assert httpx.get(f"{each_parser}/healthz", timeout=5).status_code == 200


def test_the_api_deadline_covers_reading_the_body(lib: Library) -> None:
    """A body still arriving after api_timeout is the app's 504, not a wait: the
    RequestTimeout middleware runs outside BodyLimit (it used to start after the body)."""
    settings = settings_for(lib, api_timeout=0.5, api_client_timeout=10.0)
    with live_server(create_app(lib, settings), settings) as url:
        sock = connect(url)
        started = time.monotonic()
        head = "Content-Type: application/json\r\nContent-Length: 40\r\n"
        # 5 of 40 bytes, then silence: the app's deadline answers; before, BodyLimit
        # waited outside it, until the client deadline (here 10 s) gave a 408
        sock.sendall(f"POST /v1/ask HTTP/1.1\r\nHost: test\r\n{head}\r\n{{ }} ".encode())
        with sock:
            reply = read_reply(sock, started)
            assert "longer than 0.5 s" in reply.problem(504)["detail"]
            assert reply.seconds < 0.5 + SLACK


# ------------------------------------------------------------ oversized headers
def send_while_reading(sock: socket.socket, payload: bytes, started: float) -> Reply:
    """Send `payload` from a thread while this one reads the answer, as a client that
    uploads and listens does: the server may answer long before the upload ends."""

    def upload() -> None:
        view = memoryview(payload)
        try:
            while view:
                sent = sock.send(view[: 1 << 20])
                view = view[sent:]
        except OSError:
            pass  # the server refused and closed: expected

    sender = threading.Thread(target=upload, daemon=True)
    sender.start()
    reply = read_reply(sock, started)
    sender.join(timeout=30)
    return reply


@pytest.mark.parametrize(
    ("name", "size"), [("X-Big", 32 * 1024 * 1024), ("Authorization", 2 * 1024 * 1024)]
)
def test_an_oversized_header_gets_431_at_once(each_parser: str, name: str, size: int) -> None:
    sock = connect(each_parser)
    started = time.monotonic()
    payload = b"GET /healthz HTTP/1.1\r\nHost: test\r\n" + name.encode() + b": "
    payload += b"a" * size + b"\r\n\r\n"
    with sock:
        reply = send_while_reading(sock, payload, started)
        problem = reply.problem(431)
        assert problem["detail"] == "the request line and headers are over 16384 bytes"
        assert reply.headers["connection"] == "close"
        assert reply.seconds < 2.0  # at the budget, not after the upload
    with httpx.Client(base_url=each_parser, timeout=5) as client:
        assert client.get("/healthz").status_code == 200
        allowed = {"X-Fine": "b" * 12_000}  # under the 16 KiB budget: served
        assert client.get("/healthz", headers=allowed).status_code == 200


def proc_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def serving_pids(port: int) -> list[int]:
    """The processes that answer on `port`: the `oncocite serve` process started by this
    test process, or (with several workers) its worker children."""
    serve = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if b"serve" in argv and b"--port" in argv and str(port).encode() in argv:
            serve.append(int(entry.name))
    assert len(serve) == 1, serve
    children = Path(f"/proc/{serve[0]}/task/{serve[0]}/children").read_text().split()
    return [int(pid) for pid in children] or serve


@pytest.mark.slow
def test_unfinished_huge_headers_do_not_grow_the_server(lib: Library, tmp_path: Path) -> None:
    """Ten connections each send 20 MB of one header line, in 1 MB writes, and never
    finish it. Before the header budget the server kept every byte (measured: RSS
    +235 MB, for as long as the clients stayed); now each connection costs at most a
    socket read (256 KiB) plus the 16 KiB budget, about 3 MB for ten. The bound, 16 MB,
    leaves room for allocator noise and is still 15 times below the attack's 235 MB."""
    env = {"ONCOCITE_EMBED": "0", "ONCOCITE_API_CLIENT_TIMEOUT": "10"}
    with serve_process(lib.settings.db, tmp_path / "serve.log", 1, env) as url:
        (pid,) = serving_pids(int(url.rsplit(":", 1)[1]))
        for _ in range(3):  # warm: the first requests allocate for good
            assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        before = proc_rss_kib(pid)
        socks = [connect(url) for _ in range(10)]
        peak = before
        try:
            for sock in socks:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Huge: ")
            chunk = b"h" * (1 << 20)
            for _ in range(20):
                for sock in socks:
                    with contextlib.suppress(OSError):  # refused and closed after the budget
                        sock.sendall(chunk)
                peak = max(peak, proc_rss_kib(pid))
            time.sleep(0.3)
            peak = max(peak, proc_rss_kib(pid))
            growth_mib = (peak - before) / 1024
            assert growth_mib < 16, f"RSS grew by {growth_mib:.1f} MiB"
            statuses = []
            for sock in socks:
                sock.settimeout(5)
                try:
                    statuses.append(read_reply(sock, time.monotonic()).status)
                except OSError:
                    statuses.append(0)  # reset after the linger: the answer came earlier
            assert 431 in statuses, statuses
            assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        finally:
            for sock in socks:
                sock.close()


# ----------------------------------------------------------- X-Forwarded-For
def xff_statuses(lib: Library, settings: Settings) -> list[int]:
    app = create_app(lib, settings)
    with live_server(app, settings) as url, httpx.Client(base_url=url, timeout=10) as client:
        return [
            client.get("/v1/documents", headers={"X-Forwarded-For": forwarded}).status_code
            for forwarded in ("203.0.113.1", "203.0.113.2", "203.0.113.1")
        ]


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(lib: Library) -> None:
    """A rate of 1: from 127.0.0.1, by default, every X-Forwarded-For value shares the
    peer's bucket; once 127.0.0.1 is a trusted proxy, each named client has its own."""
    assert xff_statuses(lib, settings_for(lib, api_rate=1)) == [200, 429, 429]
    env = {"ONCOCITE_DB": lib.settings.db, "ONCOCITE_API_TRUSTED_PROXIES": "127.0.0.1"}
    trusted = load_settings(environ=env).model_copy(
        update={"api_rate": 1, "api_client_timeout": CLIENT_TIMEOUT}
    )
    assert xff_statuses(lib, trusted) == [200, 200, 429]
    assert xff_statuses(lib, settings_for(lib, api_rate=1, api_trusted_proxies="10.0.0.0/8")) == [
        200,
        429,
        429,
    ]


def test_the_server_config_travels_to_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers get the config pickled (spawn): the limits and the guarded protocol must
    survive it; uvicorn's default trust of 127.0.0.1 must not come back."""
    settings = load_settings(environ={"ONCOCITE_API_MAX_HEADER": "8KiB"})
    config = server_config(settings, "oncocite.api.server:app_from_env", workers=2, factory=True)
    copy = pickle.loads(pickle.dumps(config))
    assert isinstance(copy, GuardedConfig)
    assert copy.client_limits.max_header == 8192 and copy.client_limits.client_timeout == 10
    assert copy.http is GuardedHttpToolsProtocol
    assert copy.proxy_headers is False and copy.forwarded_allow_ips == []
    assert copy.timeout_keep_alive == KEEP_ALIVE_SECONDS
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")  # uvicorn's own variable changes nothing
    assert server_config(Settings(), "x:y").forwarded_allow_ips == []
    proxied = server_config(Settings(api_trusted_proxies="10.1.2.3/8, 192.0.2.7"), "x:y")
    assert proxied.proxy_headers is True
    assert proxied.forwarded_allow_ips == ["10.0.0.0/8", "192.0.2.7"]


# ---------------------------------------------------------------- normal use
def test_normal_clients_keep_alive_pipelining_and_large_bodies(base: str) -> None:
    sock = connect(base)
    with sock:
        started = time.monotonic()
        # two pipelined requests in one write, answered in order on one connection
        sock.sendall(request("/healthz") + request("/readyz"))
        first = read_reply(sock, started)
        second = read_reply(sock, started, first.rest)
        assert (first.status, second.status) == (200, 200)
        assert json.loads(second.body)["status"] == "ready"
        # a large body under api_max_body (1 MiB), on the same connection
        question = {"question": "What is Kadcyla?", "note": "n" * 900_000}
        sock.sendall(
            request(
                "/v1/ask",
                "Content-Type: application/json\r\n",
                json.dumps(question).encode(),
                "POST",
            )
        )
        large = read_reply(sock, time.monotonic(), second.rest)
        assert large.status == 200, large.body[:300]
        assert "abstained" in json.loads(large.body)
        # headers in three pieces, slow but inside the client timeout: served
        for piece in (b"GET /healthz HTTP/1.1\r\n", b"Host: test\r\n", b"\r\n"):
            sock.sendall(piece)
            time.sleep(0.4)
        assert read_reply(sock, time.monotonic(), large.rest).status == 200
    with httpx.Client(base_url=base, timeout=10) as client:  # a pooled client, reused
        assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
