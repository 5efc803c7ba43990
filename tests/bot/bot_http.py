"""The HTTP plumbing both hosting stand-ins share: reading a JSON request, answering, serving.

The GitHub and GitLab stand-ins differ in what they check and keep; how a
request body is read and judged, how an answer is written, how a scripted
failure is played and how the server runs on 127.0.0.1 in a thread are the
same, and live here once.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping, MutableSequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit


@dataclass
class Failure:
    """A scripted answer: requests matching ``method`` and ``path_pattern`` get ``payload``."""

    method: str
    path_pattern: str
    status: int
    payload: Any  # dict or list -> JSON; str -> text/plain
    times: int | None  # None: every matching request


@dataclass
class Incoming:
    """One request as read: its URL parts, query, body (decoded JSON) and what is wrong with it."""

    parts: SplitResult
    query: dict[str, list[str]]
    raw: bytes
    body: Any
    headers: dict[str, str]
    problems: list[str]


class JsonHandler(BaseHTTPRequestHandler):
    """A handler that reads JSON requests and answers JSON or text; quiet in test output."""

    protocol_version = "HTTP/1.1"
    json_type = "application/json"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def read_incoming(self) -> Incoming:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        body: Any = None
        problems: list[str] = []
        if raw:
            where = f"{self.command} {parts.path}"
            if not headers.get("content-type", "").startswith("application/json"):
                problems.append(f"{where}: body is not application/json")
            try:
                body = json.loads(raw)
            except ValueError:
                problems.append(f"{where}: body is not JSON")
        return Incoming(parts, query, raw, body, headers, problems)

    def play_failure(self, failures: MutableSequence[Failure], path: str) -> bool:
        """Answer with the first scripted failure matching this request; False when none does."""
        for failure in failures:
            if failure.method == self.command and re.search(failure.path_pattern, path):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times == 0:
                        failures.remove(failure)
                self.send(failure.status, failure.payload)
                return True
        return False

    def send(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        if isinstance(payload, str):
            data, kind = payload.encode(), "text/plain; charset=utf-8"
        else:
            data, kind = json.dumps(payload).encode(), self.json_type
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class StandInServer:
    """Serves ``handler`` on 127.0.0.1 (a free port) in a thread; ``stop`` ends it.

    ``bound`` is called with the base URL (``http://127.0.0.1:PORT``) before the
    first request can arrive, so the stand-in can write links that point at itself.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], bound: Callable[[str], None]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        bound(f"http://{host}:{port}")
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
