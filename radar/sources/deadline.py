"""A hard time limit on one HTTP request: when it passes, the request's socket is shut down.

httpx's timeouts limit each connect and each read, not the request: a server that
sends a byte now and then (in its headers or its body) keeps a request alive for
ever. A timer thread shuts the connection's socket down at the deadline, which
wakes a read blocked on it at once (closing the socket would not), so a request
never outlives its deadline by more than a moment. The sockets are learnt through
httpx's documented `trace` extension, which reports each connection as it is made.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any

# The trace events that hand over a new connection (plain, then wrapped in TLS).
_CONNECTED = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


class Deadline:
    """Use as a context manager around one request; pass `trace` as its trace extension."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True  # never keeps radar alive at exit

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpx's trace callback: watch every socket the request connects."""
        if event not in _CONNECTED:
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:  # connected only after the deadline: stop it now
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # Already closed, or detached by the TLS wrapper that replaced it: nothing to stop.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
