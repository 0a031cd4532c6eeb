"""The bundled bioRxiv and medRxiv subject lists: validation, suggestions and display names."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from typing import Literal

from radar.datafiles import data_file

Server = Literal["biorxiv", "medrxiv"]
SERVERS: tuple[Server, ...] = ("biorxiv", "medrxiv")
SERVER_NAMES: dict[Server, str] = {"biorxiv": "bioRxiv", "medrxiv": "medRxiv"}

_DATA_FILE = "biorxiv_categories.json"
_SEPARATORS = re.compile(r"[\s_/]+")


def normalize(subject: str) -> str:
    """A comparison key: case-folded, with `_`, `/` and runs of spaces as one space.

    The servers' pages write "Cell Biology" and "HIV/AIDS", their API "cell biology" and
    "hiv aids", their URLs "cell_biology": all three spellings mean one subject.
    """
    return " ".join(_SEPARATORS.sub(" ", subject).casefold().split())


@cache
def _subjects(server: Server) -> dict[str, str]:
    """API spelling -> display name, in the servers' order; read lazily (no import-time I/O)."""
    text = data_file(_DATA_FILE).read_text(encoding="utf-8")
    return {entry["api"]: entry["name"] for entry in json.loads(text)[server]}


def subjects(server: Server) -> tuple[str, ...]:
    """Every subject of `server`, as the API spells it."""
    return tuple(_subjects(server))


def canonical(server: Server, subject: str) -> str | None:
    """The API's spelling of `subject` ("Cell_Biology" -> "cell biology"), or None if unknown."""
    key = normalize(subject)
    return key if key in _subjects(server) else None


def suggest(server: Server, subject: str) -> str | None:
    """The closest known subject, for a did-you-mean."""
    close = difflib.get_close_matches(normalize(subject), subjects(server), n=1, cutoff=0.6)
    return close[0] if close else None


def display_name(server: Server, subject: str) -> str:
    """How the server itself writes `subject` ("hiv aids" -> "HIV/AIDS"); unknown ones as given."""
    return _subjects(server).get(normalize(subject), subject)
