"""Writing output files whole or not at all: a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from radar.errors import OutputError


def check_writable(path: Path) -> None:
    """Fail before any network use when `path` could not be written later."""
    parent = path.parent
    if path.is_dir():
        raise OutputError(f"{path} is a directory", hint="give a file name for --output")
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
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied", hint="choose another --output")


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one (even on SIGTERM)."""
    check_writable(path)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(_default_mode(path))
        temp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write {path}: {exc.strerror}", hint="check the path"
            ) from None
        raise


def _default_mode(path: Path) -> int:
    # mkstemp makes the file 0600; a digest should get the mode a plain `open` would give.
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
