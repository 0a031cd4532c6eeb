"""A real HTTP server on 127.0.0.1 for tests: serves recorded answers, counts requests,
and can be told to misbehave (stall, drop the connection, trickle, cut the body short)."""

from __future__ import annotations

import os
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/xml; charset=utf-8"
    stall: float = 0.0  # seconds to wait before answering at all
    drop: bool = False  # close the connection without an answer
    trickle: float = 0.0  # seconds between single bytes of the body (headers go at once)
    trickle_headers: bool = False  # the status line and headers too (every `trickle` or 0.05 s)
    cut: int | None = None  # send this many body bytes of the announced length, then close
    reset: bool = False  # with `cut`: end with a TCP reset instead of a clean close


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


Route = Callable[[Seen], Answer]


class Loopback:
    """Routes are matched by path prefix; each route is a queue of answers (the last repeats)
    or a function of the request."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._routes: dict[str, list[Answer] | Route] = {}
        self._lock = threading.Lock()
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                loopback._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self._stopping = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        # A short poll interval: stop() waits for it, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, prefix: str, *answers: Answer | Route) -> None:
        if len(answers) == 1 and callable(answers[0]):
            self._routes[prefix] = answers[0]
        else:
            self._routes[prefix] = list(answers)  # type: ignore[arg-type]

    def count(self, prefix: str = "/") -> int:
        return sum(1 for r in self.requests if r.path.startswith(prefix))

    def start(self) -> Loopback:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends stalls and trickles still going
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        seen = Seen(
            method=handler.command,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in handler.headers.items()},
            at=time.monotonic(),
        )
        with self._lock:
            self.requests.append(seen)
            answer = self._answer_for(seen)
        if answer.stall and self._stopping.wait(answer.stall):
            handler.close_connection = True
            return
        if answer.drop:
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            return
        if answer.trickle or answer.trickle_headers or answer.cut is not None:
            self._misbehave(handler, answer)
            return
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(answer.body)

    def _misbehave(self, handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        """Write the answer by hand: slowly, or cut short, as `answer` says."""
        handler.close_connection = True
        reason = handler.responses.get(answer.status, ("",))[0]
        lines = [f"HTTP/1.1 {answer.status} {reason}", f"Content-Type: {answer.content_type}"]
        lines.append(f"Content-Length: {len(answer.body)}")
        lines += [f"{name}: {value}" for name, value in answer.headers.items()]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        body = answer.body if answer.cut is None else answer.body[: answer.cut]
        pause = answer.trickle or 0.05
        if answer.trickle_headers:
            self._drip(handler, head, pause)
        else:
            handler.wfile.write(head)
        if answer.trickle:
            self._drip(handler, body, pause)
        else:
            handler.wfile.write(body)
        handler.wfile.flush()
        if answer.reset:
            # SO_LINGER with a zero timeout makes close() send RST, not FIN; the fd is
            # closed here and now, as the socket's file objects would delay a close().
            sock = handler.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            os.close(sock.detach())

    def _drip(self, handler: BaseHTTPRequestHandler, data: bytes, pause: float) -> None:
        for i in range(len(data)):
            if self._stopping.wait(pause):
                return
            handler.wfile.write(data[i : i + 1])
            handler.wfile.flush()

    def _answer_for(self, seen: Seen) -> Answer:
        for prefix in sorted(self._routes, key=len, reverse=True):
            if seen.path.startswith(prefix):
                route = self._routes[prefix]
                if callable(route):
                    return route(seen)
                return route.pop(0) if len(route) > 1 else route[0]
        return Answer(status=404, body=b"no route", content_type="text/plain")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (a timeout, a killed radar) is what these tests provoke.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def fixture(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes()


def refused_url() -> str:
    """A loopback address where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
