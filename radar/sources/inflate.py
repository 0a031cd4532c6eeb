"""An answer's Content-Encoding undone layer by layer, never producing more than a limit.

httpx inflates each chunk of a compressed body in one call and only then can radar
count what came out: 3 KB of `Content-Encoding: gzip, gzip` became 2 GiB in memory
before the size cap saw it. radar therefore reads the raw bytes and decodes them here.

The choice: decode incrementally with an output limit, and accept a short stack.
A single gzip layer already needs a bounded decoder (a 2 MB gzip body of zeros is
2 GiB), and the same decoder chained once per layer bounds a stack as well, so a
stacked answer (RFC 9110 §8.4 allows one) still reads instead of being refused.
Every layer hands on at most PIECE bytes per step and stops with TooLargeError once
its own output passes the limit, so memory stays near the limit whatever the
layering. radar asks only for gzip and deflate (ACCEPT_ENCODING); an encoding it did
not ask for (br, zstd, compress ...) and a stack deeper than MAX_LAYERS are refused.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Sequence

# What radar sends as Accept-Encoding, and so the only codings it decodes.
ACCEPT_ENCODING = "gzip, deflate"
# No service radar reads stacks codings at all; each layer costs a decompressor's window.
MAX_LAYERS = 3
# The most one decompress step may produce: what a layer holds in memory at once.
PIECE = 64 * 1024

_GZIP = zlib.MAX_WBITS | 16  # a gzip header and trailer around deflate
_ZLIB = zlib.MAX_WBITS  # a zlib header and trailer around deflate
_RAW = -zlib.MAX_WBITS  # bare deflate, which some servers send as "deflate"
_PRINTABLE_TOKEN = re.compile(r"[^A-Za-z0-9._+-]")


class DecodeError(Exception):
    """The body cannot be decoded within the rules; `reason` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooLargeError(DecodeError):
    """A layer produced more than the limit."""


def codings(header_values: Sequence[str]) -> list[str]:
    """The codings to undo, in the order they were applied; DecodeError if any is refused."""
    found = []
    for value in header_values:
        for token in value.split(","):
            name = token.strip().lower()
            if name in ("", "identity"):
                continue
            if name == "x-gzip":  # RFC 9110 §8.4.1.3: the same as gzip
                name = "gzip"
            if name not in ("gzip", "deflate"):
                shown = _PRINTABLE_TOKEN.sub("?", name)[:20]
                raise DecodeError(f"an answer in an encoding radar did not ask for ({shown})")
            found.append(name)
    if len(found) > MAX_LAYERS:
        raise DecodeError(f"an answer compressed {len(found)} times over (at most {MAX_LAYERS})")
    return found


class BoundedDecoder:
    """Feed raw body bytes in; decoded bytes come out, at most `limit` per layer in all."""

    def __init__(self, applied: Sequence[str], limit: int) -> None:
        # The last coding applied is the first to undo.
        self._layers = [_Layer(name, limit) for name in reversed(applied)]

    def feed(self, raw: bytes) -> Iterator[bytes]:
        yield from _through(self._layers, raw)

    def finish(self) -> Iterator[bytes]:
        """What the layers still hold once the body has ended."""
        for i, layer in enumerate(self._layers):
            tail = layer.finish()
            if tail:
                yield from _through(self._layers[i + 1 :], tail)


def _through(layers: Sequence[_Layer], data: bytes) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    for piece in layers[0].feed(data):
        yield from _through(layers[1:], piece)


class _Layer:
    """One coding undone by zlib, PIECE bytes at a time, counting what it produced."""

    def __init__(self, name: str, limit: int) -> None:
        self._name = name
        self._limit = limit
        self._produced = 0
        self._pending = b""  # "deflate": the first two bytes decide zlib or raw
        self._z = zlib.decompressobj(_GZIP) if name == "gzip" else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            self._z = zlib.decompressobj(_ZLIB if _zlib_header(data) else _RAW)
        z = self._z
        while not z.eof:
            try:
                out = z.decompress(data, PIECE)
            except zlib.error:
                raise self._unreadable() from None
            data = z.unconsumed_tail
            if out:
                yield self._counted(out)
            # A full piece may leave output inside zlib even when no input is left.
            if not data and len(out) < PIECE:
                break
        # After the end of the stream, trailing bytes are ignored, as httpx does.

    def finish(self) -> bytes:
        if self._z is None:  # a "deflate" body of under two bytes
            self._z = zlib.decompressobj(_RAW)
            data, self._pending = self._pending, b""
            return b"".join(self.feed(data))
        try:
            # All input was consumed by feed(), so this is at most zlib's last few bytes.
            return self._counted(self._z.flush())
        except zlib.error:
            raise self._unreadable() from None

    def _unreadable(self) -> DecodeError:
        return DecodeError(f"an unreadable answer (its {self._name} coding does not decode)")

    def _counted(self, out: bytes) -> bytes:
        self._produced += len(out)
        if self._produced > self._limit:
            mb = self._limit // 2**20
            raise TooLargeError(f"the answer is larger than {mb} MB once decompressed")
        return out


def _zlib_header(data: bytes) -> bool:
    # RFC 1950: compression method 8 (deflate) and a header that is a multiple of 31.
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
