"""radar's bundled data files: the taxonomies, the example watchlist, the demo feed.

Read straight from the package directory: radar is always installed as files, and
importlib.resources would add ~3 ms of imports to every run that validates a watchlist.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_file(name: str) -> Path:
    return DATA_DIR / name
