"""A loopback stand-in for the Anthropic Messages API that serves recorded real responses.

Every body it sends is a real capture from tests/fixtures/anthropic/ (see SOURCES.md there)
or built from one: `briefing_stream` keeps a captured stream's exact event sequence and
framing (message_start, content_block_start, ping, padded data lines, content_block_stop,
message_delta with cumulative usage, message_stop) and replaces only the text deltas, the
model name and the token counts. The server records every request and counts them.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).parent / "fixtures" / "anthropic"
STREAM_CAPTURE = FIXTURES / "stream-sonnet-4-5-text-ping-padded-data.sse"
CASSETTE = FIXTURES / "llm-anthropic-test_prompt-stream-sonnet-4-5.yaml"
MIDSTREAM_ERROR = FIXTURES / "stream-midstream-error-event-overloaded-fragment.sse"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut_after: int | None = None  # send this many body bytes, then reset the connection
    close_early: int | None = None  # send this many body bytes, then end the body cleanly
    delay: float = 0.0  # seconds before answering
    ping_every: float | None = None  # after the body, send the captured ping event for ever


def captured_stream_headers() -> dict[str, str]:
    """The real response headers recorded with the stream capture (minus hop-by-hop ones)."""
    cassette = yaml.safe_load(CASSETTE.read_text(encoding="utf-8"))
    recorded = cassette["interactions"][0]["response"]["headers"]
    skip = {"transfer-encoding", "connection", "content-length", "date", "retry-after"}
    return {k: v[0] for k, v in recorded.items() if k.lower() not in skip}


def _events(raw: str) -> list[tuple[str, str]]:
    out = []
    for block in raw.strip("\n").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        out.append((lines["event"], lines["data"]))
    return out


def briefing_stream(
    chunks: list[str],
    *,
    model: str = "claude-sonnet-5-5",
    input_tokens: int = 4210,
    output_tokens: int = 812,
    cache_read: int = 0,
    stop_reason: str = "end_turn",
) -> bytes:
    """The captured stream with our text: same events, order, ping and padding."""
    events = _events(STREAM_CAPTURE.read_text(encoding="utf-8"))
    first_delta = next(data for name, data in events if name == "content_block_delta")
    out: list[tuple[str, str]] = []
    deltas_done = False
    for name, data in events:
        if name == "message_start":
            data = data.replace("claude-sonnet-4-5-20250929", model)
            data = data.replace('"input_tokens":17', f'"input_tokens":{input_tokens}')
        elif name == "message_delta":
            data = data.replace('"input_tokens":17', f'"input_tokens":{input_tokens}')
            data = data.replace('"output_tokens":10', f'"output_tokens":{output_tokens}')
            data = data.replace(
                '"cache_read_input_tokens":0', f'"cache_read_input_tokens":{cache_read}'
            )
            data = data.replace('"end_turn"', json.dumps(stop_reason))
        elif name == "content_block_delta":
            if deltas_done:
                continue
            deltas_done = True
            for i, chunk in enumerate(chunks):
                text = '"text":' + json.dumps(chunk, ensure_ascii=False)
                out.append((name, first_delta.replace('"text":"-"', text)))
                if i == 1:  # the capture pings after its second delta
                    out.append(("ping", '{"type": "ping"}'))
            continue
        elif name == "ping":
            continue
        out.append((name, data))
    return "".join(f"event: {n}\ndata: {d}\n\n" for n, d in out).encode("utf-8")


def split_text(text: str, size: int = 17) -> list[str]:
    """Cut text into uneven deltas, as the API does (some split words, ids, lines)."""
    return [text[i : i + size] for i in range(0, len(text), size)]


def ping_event() -> bytes:
    """The capture's own `ping` event, exactly as the API framed it."""
    events = _events(STREAM_CAPTURE.read_text(encoding="utf-8"))
    data = next(data for name, data in events if name == "ping")
    return f"event: ping\ndata: {data}\n\n".encode()


def stream_head(chunks: list[str]) -> bytes:
    """The first events of a stream (message_start, the text deltas), without its end."""
    return briefing_stream(chunks).decode("utf-8").split("event: content_block_stop")[0].encode()


def midstream_error(chunks: list[str]) -> bytes:
    """The first events of a stream, then the captured mid-stream `error` event."""
    head = briefing_stream(chunks).decode("utf-8").split("event: content_block_stop")[0]
    return (head + MIDSTREAM_ERROR.read_text(encoding="utf-8") + "\n\n").encode("utf-8")


def error_reply(fixture: str, status: int, **headers: str) -> Reply:
    body = (FIXTURES / fixture).read_bytes()
    request_id = json.loads(body).get("request_id")
    base = {"content-type": "application/json"}
    if request_id:
        base["request-id"] = request_id  # the API sends the body's request_id as a header too
    return Reply(status=status, body=body, headers={**base, **headers})


def stream_reply(body: bytes, **kwargs: Any) -> Reply:
    return Reply(status=200, body=body, headers=captured_stream_headers(), **kwargs)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class AnthropicServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: deque[Reply] = deque()
        self.count_replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def messages(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v1/messages"]

    def start(self) -> AnthropicServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, path: str) -> Reply:
        with self._lock:
            if path == "/v1/messages/count_tokens":
                queue, fallback = self.count_replies, _NOT_FOUND
            else:
                queue, fallback = self.replies, None
            if queue:
                return queue.popleft()
        return fallback or Reply(status=500, body=b'{"unexpected": "no reply queued"}')

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                path = self.path.split("?")[0]
                with server._lock:
                    server.requests.append(
                        Recorded(
                            "POST",
                            path,
                            {k.lower(): v for k, v in self.headers.items()},
                            json.loads(raw) if raw else None,
                        )
                    )
                reply = server._next(path)
                time.sleep(reply.delay)
                try:
                    self._answer(reply)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up first (a timeout test)

            def _answer(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.ping_every is not None:  # a stream kept alive and never finished
                    self.send_header("connection", "close")
                    self.end_headers()
                    self.wfile.write(reply.body)
                    while not server._stopping.wait(reply.ping_every):
                        self.wfile.write(ping_event())
                        self.wfile.flush()
                    self.close_connection = True
                    return
                if reply.close_early is not None:
                    self.send_header("connection", "close")  # no length: body ends at close
                    self.end_headers()
                    self.wfile.write(reply.body[: reply.close_early])
                    self.close_connection = True
                    return
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                if reply.cut_after is None:
                    self.wfile.write(reply.body)
                    return
                self.wfile.write(reply.body[: reply.cut_after])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

        return Handler


# count_tokens has no capture; the API answers unknown routes this way (same error envelope
# as the captured error bodies).
_NOT_FOUND = Reply(
    status=404,
    body=b'{"type":"error","error":{"type":"not_found_error","message":"Not found"}}',
    headers={"content-type": "application/json"},
)
