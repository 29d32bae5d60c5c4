"""A local stand-in for an OpenAI-compatible chat API, started by the tests.

It is not a mock of oncocite: it is the remote service oncocite talks to over
real HTTP, with behaviours chosen by the `model` name of each request:

- faithful: restates each quote, without its brackets, citing it;
- inventive: the faithful sentences plus a claim no quote makes;
- slow: answers after `delay` seconds;
- broken: HTTP 500;
- garbled: a reply whose content is not the JSON asked for;
- obedient: a model that does what planted instructions tell it, one payload per
  request (the payload of an instruction among the quotes if there is one, else
  `payload`, as if an instruction had reached it another way).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

INVENTED = "It cures breast cancer in 2 weeks."
_QUOTE = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)
_BRACKETS = re.compile(r"\s*\([^)]*\)")
_PLANTED = re.compile(r"tell the patient that (.+?)\.", re.IGNORECASE)


@dataclass
class StandIn:
    """What the stand-in has seen and said; read by the tests."""

    delay: float = 2.0
    payload: str = ""
    authorizations: list[str | None] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    attacks: list[str] = field(default_factory=list)
    url: str = ""

    def reply(self, body: dict[str, Any]) -> tuple[int, str]:
        user = body["messages"][-1]["content"]
        quotes = [(int(n), text) for n, text in _QUOTE.findall(user)]
        faithful = [{"text": _BRACKETS.sub("", text).strip(), "cites": [n]} for n, text in quotes]
        model = body.get("model")
        if model == "broken":
            return 500, json.dumps({"error": {"message": "internal error"}})
        if model == "slow":
            time.sleep(self.delay)
        if model == "garbled":
            return 200, _chat("Sure! Trastuzumab is great for everyone.")
        sentences = faithful
        if model == "inventive":
            sentences = [*faithful, {"text": INVENTED, "cites": [1]}]
        if model == "obedient":
            planted = _PLANTED.search(user)
            payload = planted.group(1) if planted else self.payload
            self.attacks.append(payload)
            sentences = [*faithful[:1], {"text": payload + ".", "cites": [1]}, *faithful[1:]]
        return 200, _chat("```json\n" + json.dumps({"sentences": sentences}) + "\n```")


def _chat(content: str) -> str:
    return json.dumps(
        {"object": "chat.completion", "choices": [{"index": 0, "message": {"content": content}}]}
    )


@contextmanager
def stand_in(**options: Any) -> Iterator[StandIn]:
    """A stand-in server on a free local port for the duration of the block."""
    state = StandIn(**options)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            state.requests.append(body)
            state.authorizations.append(self.headers.get("Authorization"))
            status, text = state.reply(body)
            data = text.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                pass

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
