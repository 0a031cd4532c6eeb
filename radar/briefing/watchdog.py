"""The briefing's overall deadline: one clock for every try, and a timer that ends the request.

`briefing.timeout` bounds only silence: a server that sends a `ping` event every few
seconds (as the Messages API does while it works), or its headers a byte at a time, keeps
a request alive for ever. The stream is checked against the deadline after every event,
and a timer shuts the request's sockets down at the deadline, which also wakes a read that
waits for the next byte (closing the socket would not). The sockets are learnt through
httpx's `trace` extension, set on each request by an event hook (the same technique as
radar/sources/deadline.py). With an SDK client built elsewhere (no hook), the open stream
is closed instead.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

# The trace events that hand over a new connection (plain, then wrapped in TLS).
_CONNECTED = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


class DeadlinePassed(Exception):
    """The briefing's deadline passed while a request was under way."""


class Watchdog:
    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds
        self.fired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._stream: Any = None

    def remaining(self) -> float:
        return self._end - self._clock()

    @property
    def expired(self) -> bool:
        return self.fired or self.remaining() <= 0

    def check(self) -> None:
        if self.expired:
            raise DeadlinePassed()

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Arm the timer for the whole briefing request, every try included."""
        timer = threading.Timer(max(0.0, self.remaining()), self._fire)
        timer.daemon = True  # never keeps radar alive at exit
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    @contextlib.contextmanager
    def watching(self, stream: Any) -> Iterator[None]:
        """While the block runs, `stream` is what the timer closes if it knows no socket."""
        with self._lock:
            self._stream = stream
        try:
            yield
        finally:
            with self._lock:
                self._stream = None

    def on_request(self, request: Any) -> None:
        """An httpx `request` event hook: trace the connections this request makes."""
        request.extensions["trace"] = self._trace

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event not in _CONNECTED:
            return
        network = info.get("return_value")
        sock = network.get_extra_info("socket") if network is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.fired:  # connected only after the deadline: stop it now
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)
            if not self._sockets and self._stream is not None:
                with contextlib.suppress(Exception):  # already closed: nothing to stop
                    self._stream.close()


def _shut(sock: socket.socket) -> None:
    # Already closed, or detached by the TLS wrapper that replaced it: nothing to stop.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
