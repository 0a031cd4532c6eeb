"""The cache directory as files: made private, checked before it is trusted, a damaged
database moved aside, and the errors of a full disk or a refused permission named plainly."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from pathlib import Path

import diskcache

from radar.errors import NoDataError, RadarError, UsageError

DATABASE = "cache.db"
_DATABASE_FILES = (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm")
_VALUE_FOLDER = re.compile(r"[0-9a-f]{2}")  # diskcache keeps large values in 00/…/ff/
_DAMAGED_PREFIX = "damaged-"

# SQLite's primary result codes (sqlite3.h); Python gives them as exc.sqlite_errorcode.
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_AUTH, _SQLITE_NOTADB = 13, 14, 23, 26
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_DENIED_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class CacheUnusableError(UsageError):
    """The cache directory cannot be created, opened or written: the user can fix that."""


class CacheFullError(NoDataError):
    """The cache could not be written (a full disk): nothing was changed."""


def private_dir(path: Path) -> None:
    """Make `path` (readable by the user only), or make an existing one private.

    A directory others could write to may hold what they planted: it is made private only
    when everything in it is the user's own and no symbolic link; otherwise refused."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
        if info.st_uid != os.getuid():  # its owner may plant anything in it, whatever its mode
            raise CacheUnusableError(
                f"the cache directory {path} belongs to another user (uid {info.st_uid})",
                hint="pass --cache-dir or set RADAR_CACHE_DIR to a directory of your own",
            )
        if stat.S_IMODE(info.st_mode) & 0o077 == 0:
            return
        if info.st_mode & 0o022:
            stranger = _first_stranger(path)
            if stranger is not None:
                raise CacheUnusableError(
                    f"the cache directory {path} is writable by others and holds {stranger}",
                    hint=f"check it and remove what is not yours (or `rm -r {path}`: it "
                    "holds only what radar can fetch again), or pass --cache-dir",
                )
        path.chmod(0o700)  # mkdir's mode is filtered by the umask; the cache is private
    except OSError as exc:
        raise CacheUnusableError(
            f"cannot use the cache directory {path}: {exc.strerror or exc}",
            hint="pass --cache-dir or set RADAR_CACHE_DIR to a writable directory",
        ) from None


def _first_stranger(top: Path) -> str | None:
    """The first entry under `top` that is a symbolic link or not the user's, described."""
    me = os.getuid()
    for folder, dirs, files in os.walk(top, followlinks=False, onerror=_raise):
        for name in dirs + files:
            entry = Path(folder) / name
            info = entry.lstat()
            if stat.S_ISLNK(info.st_mode):
                return f"a symbolic link, {entry}"
            if info.st_uid != me:
                return f"{entry}, owned by another user (uid {info.st_uid})"
    return None


def _raise(exc: OSError) -> None:
    raise exc


def odd_database_file(path: Path) -> str | None:
    """Says which database file in `path` is not a regular file (SQLite would follow a
    link, and block for ever reading a FIFO), or None."""
    for name in _DATABASE_FILES:
        entry = path / name
        try:
            mode = entry.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
            return f"{entry} is {kind}"
    return None


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def is_damage(exc: BaseException, *, opening: bool = False) -> bool:
    """Whether `exc` says the database itself is damaged (not full, not forbidden).

    While `opening`, a garbled Settings table counts too: diskcache then fails in ways of its
    own (KeyError, TypeError, a pragma SQLite refuses)."""
    if isinstance(exc, sqlite3.DatabaseError):
        code = _sqlite_code(exc)
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return True
        # Python raises the bare DatabaseError for the codes it does not sort further.
        if type(exc) is sqlite3.DatabaseError and code is None:
            return True
    if opening:
        # Not a bare Exception: a bug in radar must not move a good cache aside on every run.
        planted = (KeyError, ValueError, TypeError, IndexError, sqlite3.Warning)
        return isinstance(exc, planted) or (
            isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
        )
    return False


def cache_error(exc: BaseException, path: Path) -> RadarError | None:
    """The error to show for a failure to use the cache at `path`; None for a bug."""
    database = path / DATABASE
    hint_dir = "pass --cache-dir or set RADAR_CACHE_DIR to a writable directory"
    if isinstance(exc, diskcache.Timeout):
        return CacheUnusableError(
            f"the cache {database} stayed locked (another radar run?)",
            hint="try again once the other run has finished",
        )
    if isinstance(exc, sqlite3.Error):
        code = _sqlite_code(exc)
        if code == _SQLITE_FULL:
            return _full(database)
        if code in (_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_AUTH):
            return CacheUnusableError(f"cannot write the cache {database}: {exc}", hint=hint_dir)
        if code == _SQLITE_IOERR:
            return CacheFullError(
                f"cannot read or write the cache {database}: {exc}",
                hint="check the disk; nothing was changed",
            )
        return None
    if isinstance(exc, OSError):
        where = exc.filename or path
        if exc.errno in _FULL_ERRNOS:
            return _full(Path(where))
        if exc.errno in _DENIED_ERRNOS:
            return CacheUnusableError(
                f"cannot use the cache: {where}: {exc.strerror}", hint=hint_dir
            )
        return CacheFullError(
            f"cannot use the cache: {where}: {exc.strerror or exc}",
            hint="check the disk; nothing was changed",
        )
    return None


def _full(where: Path) -> CacheFullError:
    return CacheFullError(
        f"cannot write the cache: the disk holding {where} is full; nothing was changed",
        hint="free some space (`radar cache info` shows the cache's size), then run again",
    )


def _sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # extended codes keep it in the low byte


def move_aside(path: Path) -> Path:
    """Move the database and its value files into a new `damaged-…` folder; return it.

    Kept, not deleted: the seen-state and paid briefings in it may still be recovered."""
    import tempfile  # only on this rare path: a warm run stays light
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = Path(tempfile.mkdtemp(prefix=f"{_DAMAGED_PREFIX}{stamp}-", dir=path))
    for entry in path.iterdir():
        if entry.name in _DATABASE_FILES or _VALUE_FOLDER.fullmatch(entry.name):
            entry.replace(aside / entry.name)
    return aside


def remove_damaged(path: Path) -> int:
    """Delete the folders `move_aside` made in `path`; returns how many."""
    import shutil

    removed = 0
    for entry in path.iterdir():
        if entry.name.startswith(_DAMAGED_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
            removed += 1
    return removed
