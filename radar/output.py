"""Writing output files whole or not at all, and writing into what is not a file.

A regular file gets a temporary file beside it, then a rename; through a symbolic link, the
file it points at does (keeping its mode), and the link stays. A FIFO, a character device
(/dev/null, a terminal) or radar's own stdout is written into, never renamed over: replacing
a device node or a FIFO with a file would break whoever uses it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from radar.errors import NoDataError, OutputError

STDOUT = Path("-")  # `--output -`: standard output, as in most tools
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


class OutputWriteError(NoDataError):
    """Writing the output failed partway (a full disk, /dev/full): nothing half-written."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where the bytes for an --output path go.

    `replace`: a regular file (new or not) at `path`, written beside it and renamed;
    `stream`: a FIFO or character device at `path`, opened and written into;
    `fd`: the path is this process's stdout (1) or stderr (2)."""

    kind: Literal["replace", "stream", "fd"]
    path: Path
    fd: int = -1


def is_stdout(path: Path | None) -> bool:
    return path == STDOUT


def resolve_target(path: Path) -> Target:
    """What writing to `path` means; OutputError when it cannot be written at all."""
    try:
        info = path.stat()  # follows links: the kind of what a link points at decides
    except (FileNotFoundError, NotADirectoryError):
        # New, or a link to nothing yet: the file is made where the link leads (and
        # check_writable names a missing directory, or a file standing in for one).
        return Target("replace", Path(os.path.realpath(path)))
    except OSError as exc:
        raise _unusable(path, exc) from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path} is a directory", hint="give a file name for --output")
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            mine = os.fstat(fd)
            if (mine.st_dev, mine.st_ino) == (info.st_dev, info.st_ino):
                return Target("fd", path, fd)  # /dev/stdout, /proc/self/fd/1, ...
    if stat.S_ISREG(mode):
        return Target("replace", Path(os.path.realpath(path)))
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Target("stream", path)
    kind = "a block device" if stat.S_ISBLK(mode) else "a socket"
    raise OutputError(
        f"cannot write {path}: it is {kind}",
        hint="radar writes to files, FIFOs and character devices such as /dev/null",
    )


def check_writable(path: Path) -> None:
    """Fail before any network use when `path` could not be written later.

    Never opens anything: opening a FIFO would wait for a reader, and closing it would
    tell that reader the output had ended."""
    if is_stdout(path):
        return
    target = resolve_target(path)
    if target.kind == "fd":
        return
    if target.kind == "stream":
        if not os.access(target.path, os.W_OK):
            raise OutputError(
                f"cannot write {path}: permission denied", hint="choose another --output"
            )
        return
    real = target.path
    parent = real.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(
            f"cannot write {path}: {parent} is a file, not a directory",
            hint="choose another --output",
        )
    if not parent.is_dir():
        raise OutputError(
            f"cannot write {path}: the directory {parent} does not exist",
            hint=f"create it first (mkdir -p {parent})",
        )
    if not os.access(parent, os.W_OK | os.X_OK) or (real.exists() and not os.access(real, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied", hint="choose another --output")


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one (even on SIGTERM).

    What is not a regular file is written into (see the module's docstring)."""
    check_writable(path)
    target = resolve_target(path)
    data = text.encode("utf-8")
    if target.kind == "fd":
        _write_fd(path, target.fd, data)
    elif target.kind == "stream":
        _write_stream(path, target.path, data)
    else:
        _replace(path, target.path, data)


def _replace(shown: Path, real: Path, data: bytes) -> None:
    fd, temp_name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(_default_mode(real))
        temp.replace(real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise _failed(shown, exc) from None
        raise


def _write_stream(shown: Path, path: Path, data: bytes) -> None:
    # No O_CREAT, no O_TRUNC: the node exists and is not ours to make or cut. A FIFO's open
    # waits for its reader, as `echo > fifo` does.
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _failed(shown, exc) from None
    try:
        _write_fd(shown, fd, data)
    finally:
        os.close(fd)


def _write_fd(shown: Path, fd: int, data: bytes) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _failed(shown, exc) from None


def _failed(path: Path, exc: OSError) -> OutputError | OutputWriteError:
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL_ERRNOS or exc.errno == errno.EPIPE:
        return OutputWriteError(
            f"cannot write {path}: {reason}", hint="free some space, or choose another --output"
        )
    return OutputError(f"cannot write {path}: {reason}", hint="check the path")


def _unusable(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write {path}: {exc.strerror or exc}", hint="choose another --output"
    )


def _default_mode(path: Path) -> int:
    # mkstemp makes the file 0600; a digest should get the mode a plain `open` would give.
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
