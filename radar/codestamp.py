"""Stamps for what the cache keeps that radar's own code decided (a ranking, a checked
watchlist). Like Python's bytecode cache, such an entry is trusted only while the source
files that made it keep their size and mtime, so an upgrade, or an edit to radar itself,
never serves an answer the new code would not give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from radar import __version__

PACKAGE = Path(__file__).resolve().parent


def digest(parts: Sequence[str]) -> str:
    """A short name for `parts` (a cache key or stamp): equal parts, equal digests."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def code_stamp(files: Iterable[str]) -> str:
    """The version, and the size and mtime of each of `files` (paths inside the package)."""
    parts = [__version__]
    for name in files:
        try:
            status = (PACKAGE / name).stat()
        except OSError:  # not installed as files (a zip): the version must do
            parts.append(name)
        else:
            parts.append(f"{name}:{status.st_size}:{status.st_mtime_ns}")
    return " ".join(parts)
