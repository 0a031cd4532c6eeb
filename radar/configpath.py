"""Where the watchlist is (--config, then $RADAR_CONFIG, then ./radar.yaml, then the user's),
and its text: read here, without yaml, for the validator and for the cache's check alike."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from radar.errors import ConfigError

CONFIG_FILENAME = "radar.yaml"


class TooLarge(Exception):
    """The file is larger than the limit it was read with."""


class NotRegularFile(OSError):
    """A FIFO, a device or a socket where a watchlist file should be; `kind` names it."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind}, not a regular file")
        self.kind = kind


def read_watchlist_text(path: Path, max_bytes: int) -> str:
    """The file's text. Raises OSError (a directory and NotRegularFile too), TooLarge, or
    UnicodeDecodeError."""
    # Non-blocking open, then a look at what was opened: a FIFO with no writer would
    # otherwise hang the run in open() or read(), and a device is no watchlist.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise NotRegularFile(_kind(mode))
        # Read one byte past the limit and stop: a huge file costs nothing.
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge
    return data.decode("utf-8-sig")  # -sig: a byte-order mark from a Windows editor is fine


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def find_config(
    explicit: Path | None, env_value: str | None, cwd: Path, user_config_dir: Path
) -> Path:
    """The watchlist to use: --config, then $RADAR_CONFIG, then ./radar.yaml, then the user's."""
    if explicit is not None:
        path = explicit.expanduser()
        if not path.exists():
            raise ConfigError(
                f"watchlist not found: {path}", hint="check the path given to --config"
            )
        return path
    if env_value:
        # The shell leaves "~" alone inside RADAR_CONFIG="~/..."; people still mean home.
        path = Path(env_value).expanduser()
        if not path.exists():
            raise ConfigError(
                f"watchlist not found: {path} (from $RADAR_CONFIG)",
                hint="point RADAR_CONFIG at an existing file, or unset it",
            )
        return path
    candidates = (cwd / CONFIG_FILENAME, user_config_dir / CONFIG_FILENAME)
    for path in candidates:
        if path.exists():
            return path
    raise ConfigError(
        f"no watchlist found (looked in: {', '.join(str(p) for p in candidates)})",
        hint="run `radar init` to write a commented example watchlist, "
        "or `radar today --demo` to see radar on a bundled day",
    )
