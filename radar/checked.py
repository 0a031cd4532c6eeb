"""A watchlist is checked once per change: the cache remembers the Config a file's bytes
made, so a run with an unchanged watchlist skips yaml and the validator (~20 ms)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from radar.codestamp import code_stamp, digest
from radar.configpath import TooLarge, read_watchlist_text
from radar.watchlist import MAX_BYTES, Config, config_from_plain, config_to_plain

if TYPE_CHECKING:
    from radar.store import Store

# What decides whether a watchlist is valid and what Config it makes.
_CHECKING_CODE = (
    "config.py",
    "sourcekeys.py",
    "yamlnodes.py",
    "configpath.py",
    "taxonomy.py",
    "biorxiv_taxonomy.py",
    "ids.py",
    "watchlist.py",
    "models.py",
    "briefing/settings.py",
    "data/arxiv_taxonomy.json",
    "data/biorxiv_categories.json",
)


def load_checked(path: Path, store: Store) -> Config:
    """radar.config.load_config(path), remembered in `store` for the file's exact bytes."""
    try:
        text = read_watchlist_text(path, MAX_BYTES)
    except (OSError, TooLarge, UnicodeDecodeError):  # load_config words each of these
        from radar.config import load_config

        return load_config(path)
    slot = digest([str(path.resolve())])
    stamp = digest([code_stamp(_CHECKING_CODE), text])
    held = store.watchlist(slot, stamp)
    if held is not None:
        try:
            # As parse_config would make it: the path is this load's spelling of it.
            return replace(config_from_plain(held), path=path)
        except (KeyError, TypeError, ValueError):
            pass  # not what this radar wrote: check the file again
    from radar.config import parse_config

    # Parsed from the same bytes the stamp names, so an edit racing this run can't
    # leave one file's Config under another's stamp.
    config = parse_config(text, path)
    store.put_watchlist(slot, stamp, config_to_plain(config))
    return config
