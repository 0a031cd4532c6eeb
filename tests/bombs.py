"""Compression bombs for tests: gzip and deflate bodies that inflate to gigabytes of zeros.

Built in well under a second: one MiB of zeros is compressed once, ending in a full flush
(which resets the compressor), so the same bytes stand for every further MiB; the header,
the last block and the trailer (CRC-32 or Adler-32 and size) are written around them.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from functools import lru_cache

MIB = 2**20
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


@lru_cache(maxsize=8)
def zeros(coding: str, mib: int) -> bytes:
    """`mib` MiB of zeros in one `coding` ("gzip" or "deflate", zlib-wrapped)."""
    block = bytes(MIB)
    c = zlib.compressobj(9, zlib.DEFLATED, _WBITS[coding])
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert first.endswith(again)
    header = first[: len(first) - len(again)]
    last_block = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    if coding == "gzip":
        crc = 0
        for _ in range(mib):
            crc = zlib.crc32(block, crc)
        trailer = struct.pack("<II", crc, (mib * MIB) & 0xFFFFFFFF)
    else:
        adler = 1
        for _ in range(mib):
            adler = zlib.adler32(block, adler)
        trailer = struct.pack(">I", adler)
    return header + again * mib + last_block + trailer


def encode(data: bytes, coding: str) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, _WBITS[coding])
    return c.compress(data) + c.flush()


def bomb(codings: Sequence[str], mib: int) -> bytes:
    """`mib` MiB of zeros with `codings` applied in order, as Content-Encoding lists them."""
    body = zeros(codings[0], mib)
    for coding in codings[1:]:
        body = encode(body, coding)
    return body
