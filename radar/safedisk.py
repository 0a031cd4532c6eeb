"""How the cache's rows become values: diskcache's `Disk`, minus everything that trusts the
cache directory.

diskcache unpickles a row stored in pickle mode, and reads, deletes and overwrites whatever
file a row names. Anyone who can write to the cache directory could then run code as the
user, or make radar delete a file of theirs. radar writes only bytes and strings, so this
Disk refuses the rest: a pickled value or key, a file name diskcache would not have made, a
value file that is a symbolic link or not a regular file. A refused row is treated as
missing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_BINARY, MODE_RAW, MODE_TEXT, UNKNOWN

# The only names diskcache.Disk.filename makes: two levels of hex folders, then hex + ".val".
_VALUE_FILE = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{28}\.val")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class RefusedEntry(OSError):
    """A row radar did not write. An OSError, because diskcache answers that with a miss."""


class RefusedKey:
    """Stands for a pickled key in a listing of keys: never equal to one of radar's keys."""

    __slots__ = ()


REFUSED_KEY = RefusedKey()


class SafeDisk(diskcache.Disk):  # type: ignore[misc]  # diskcache is untyped
    """Stores bytes and str; never pickles and never unpickles."""

    def __init__(self, directory: str, **settings: Any) -> None:
        # Settings come from the cache's own Settings table; a planted one is ignored.
        super().__init__(
            directory,
            min_file_size=_int(settings.get("min_file_size"), 2**15),
            pickle_protocol=0,
        )
        self.refused = 0  # rows refused since the owner last looked (see take_refused)
        self.written: list[str] = []  # value files made since the owner last looked

    # -- keys ------------------------------------------------------------------

    def put(self, key: Any) -> tuple[Any, bool]:
        # Not even int: diskcache pickles one beyond 64 bits.
        if type(key) not in (str, bytes):
            raise TypeError(f"radar's cache keys are text or bytes, not {type(key).__name__}")
        return super().put(key)  # type: ignore[no-any-return]

    def get(self, key: Any, raw: bool) -> Any:
        if not raw:  # a pickled key: radar never writes one
            self.refused += 1
            return REFUSED_KEY
        return super().get(key, raw)

    # -- values ----------------------------------------------------------------

    def store(self, value: Any, read: bool, key: Any = UNKNOWN) -> tuple[Any, ...]:
        if read or type(value) not in (str, bytes):
            raise TypeError(f"radar's cache stores text or bytes, not {type(value).__name__}")
        return super().store(value, read, key=key)  # type: ignore[no-any-return]

    def _write(
        self, full_path: str, iterator: Iterable[Any], mode: str, encoding: str | None = None
    ) -> int | None:
        # Remembered before writing: a write cut short (a full disk) leaves no orphan.
        self.written.append(full_path)
        try:
            return super()._write(full_path, iterator, mode, encoding)  # type: ignore[no-any-return]
        except BaseException:
            with contextlib.suppress(OSError):
                Path(full_path).unlink()
            raise

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if read:
            raise RefusedEntry("radar never reads cache values as files")
        if mode == MODE_RAW:
            return super().fetch(mode, filename, value, read)
        if mode in (MODE_BINARY, MODE_TEXT) and isinstance(filename, str):
            data = self._read_value_file(filename)
            if mode == MODE_BINARY:
                return data
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                raise self._refuse("a value file that is not UTF-8") from None
        # MODE_PICKLE, or a mode no diskcache writes: never loaded.
        raise self._refuse(f"a row stored in mode {mode!r}")

    def _read_value_file(self, filename: str) -> bytes:
        if not _VALUE_FILE.fullmatch(filename.replace(os.sep, "/")):
            raise self._refuse(f"a row naming the file {filename!r}")
        full_path = Path(self._directory, filename)
        try:
            fd = os.open(full_path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise self._refuse("a value file that is a symbolic link") from None
            raise  # gone (another run replaced it): diskcache reads that as a miss
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise self._refuse("a value file that is not a regular file")
            return handle.read()

    def remove(self, file_path: str) -> None:
        # A planted row could name any file: delete only what diskcache itself names.
        if isinstance(file_path, str) and _VALUE_FILE.fullmatch(file_path.replace(os.sep, "/")):
            super().remove(file_path)

    def _refuse(self, what: str) -> RefusedEntry:
        self.refused += 1
        return RefusedEntry(f"refused {what}")

    # -- for the owner ---------------------------------------------------------

    def take_refused(self) -> int:
        """How many rows were refused since the last call."""
        count, self.refused = self.refused, 0
        return count

    def forget_written(self) -> None:
        self.written.clear()

    def remove_written(self) -> None:
        """Delete the value files made since `forget_written`: their rows were rolled back."""
        for full_path in self.written:
            with contextlib.suppress(OSError):
                Path(full_path).unlink()
        self.written.clear()


def _int(value: object, default: int) -> int:
    usable = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return value if usable and isinstance(value, int) else default
