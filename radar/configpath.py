"""Where the watchlist is (--config, then $RADAR_CONFIG, then ./radar.yaml, then the user's),
and its text: read here, without yaml, for the validator and for the cache's check alike."""

from __future__ import annotations

from pathlib import Path

from radar.errors import ConfigError

CONFIG_FILENAME = "radar.yaml"


class TooLarge(Exception):
    """The file is larger than the limit it was read with."""


def read_watchlist_text(path: Path, max_bytes: int) -> str:
    """The file's text. Raises OSError (a directory too), TooLarge, or UnicodeDecodeError."""
    # Read one byte past the limit and stop: a huge file, or /dev/zero, costs nothing.
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge
    return data.decode("utf-8-sig")  # -sig: a byte-order mark from a Windows editor is fine


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
