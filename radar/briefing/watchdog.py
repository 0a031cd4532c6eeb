"""The briefing's overall deadline: one clock for every try, and a timer that ends a stream.

`briefing.timeout` bounds only silence: a server that sends a `ping` event every few
seconds (as the Messages API does while it works) keeps a stream alive for ever. The
stream is checked against the deadline after every event, and a timer shuts the stream's
socket down at the deadline, which also wakes a read that is waiting for the next byte
(closing the socket would not; see radar/sources/deadline.py, which does the same for
sources). When the socket cannot be reached the stream is closed instead.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any


class DeadlinePassed(Exception):
    """The briefing's deadline passed while a stream was open."""


class Watchdog:
    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds
        self.fired = False

    def remaining(self) -> float:
        return self._end - self._clock()

    @property
    def expired(self) -> bool:
        return self.fired or self.remaining() <= 0

    def check(self) -> None:
        if self.expired:
            raise DeadlinePassed()

    @contextlib.contextmanager
    def guard(self, stream: Any) -> Iterator[None]:
        """While the block runs, end `stream` when the deadline passes."""
        timer = threading.Timer(max(0.0, self.remaining()), self._fire, (stream,))
        timer.daemon = True  # never keeps radar alive at exit
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    def _fire(self, stream: Any) -> None:
        self.fired = True
        sock = _socket_of(stream)
        with contextlib.suppress(Exception):  # already closed, or gone: nothing to stop
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
            else:
                stream.close()


def _socket_of(stream: Any) -> socket.socket | None:
    """The socket under an SDK stream, through httpx's `network_stream` extension."""
    try:
        network = stream.response.extensions["network_stream"]
        sock = network.get_extra_info("socket")
    except Exception:  # another HTTP library, or an SDK that hides its response
        return None
    return sock if isinstance(sock, socket.socket) else None
