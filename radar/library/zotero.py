"""Zotero libraries as LibraryEntry values: the web API (v3 JSON) and a local zotero.sqlite.

The local database is opened read-only and immutable (`?mode=ro&immutable=1`): Zotero holds
it open and locked while it runs, and radar must never write to it. Immutable means SQLite
reads the main file only, so changes Zotero has not yet checkpointed show up a little later.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from radar.ids import parse_arxiv_id
from radar.library.entries import LibraryEntry
from radar.sources.channel import Channel
from radar.watchlist import ZoteroSettings

PAGE = 100  # the most items the web API gives per request
MAX_PAGES = 200  # 20,000 items: more than a personal library holds
SKIPPED_TYPES = frozenset({"attachment", "note", "annotation"})
_ARXIV_IN_TEXT = re.compile(r"arxiv[:/ ]\s*(?:abs/)?([a-z.-]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


class ZoteroProblem(Exception):
    """The local database cannot be read; the message is one line for a warning."""


def entry_of_item(
    fields: Mapping[str, str], creators: Iterable[str], tags: Iterable[str], source: str
) -> LibraryEntry | None:
    """One Zotero item (its field values by Zotero's field names) as an entry; None when
    it has no title (nothing to learn from)."""
    title = " ".join(fields.get("title", "").split())
    if not title:
        return None
    doi = fields.get("DOI", "").strip().lower() or None
    arxiv_id = _arxiv_id(fields, doi)
    if doi and doi.startswith("10.48550/arxiv."):
        doi = None  # arXiv's own DOI names the preprint: the arXiv id says it already
    year = _YEAR.search(fields.get("date", ""))
    return LibraryEntry(
        title=title,
        abstract=fields.get("abstractNote", "").strip(),
        authors=tuple(c for c in creators if c),
        keywords=tuple(t for t in tags if t),
        arxiv_id=arxiv_id,
        doi=doi,
        year=int(year.group(1)) if year else None,
        source=source,
    )


def _arxiv_id(fields: Mapping[str, str], doi: str | None) -> str:
    """Zotero keeps an arXiv id in archiveID ("arXiv:2411.17700"), the URL, the DOI
    (10.48550/arXiv.2411.17700) or Extra ("arXiv: 2411.17700"), depending on the translator."""
    candidates = [fields.get("archiveID", ""), fields.get("url", "")]
    if doi and doi.startswith("10.48550/arxiv."):
        candidates.append(doi.removeprefix("10.48550/arxiv."))
    candidates += [m.group(1) for m in _ARXIV_IN_TEXT.finditer(fields.get("extra", ""))]
    for text in candidates:
        parsed = parse_arxiv_id(text.strip())
        if parsed is not None:
            return parsed[0]
    return ""


# -- the web API --------------------------------------------------------------------------


def items_url(base_url: str, settings: ZoteroSettings, start: int) -> str:
    library = f"{settings.library_type}s/{quote(settings.library_id, safe='')}"
    where = f"/collections/{quote(settings.collection, safe='')}" if settings.collection else ""
    # items/top: the papers themselves, not their attachments and notes.
    return (
        f"{base_url.rstrip('/')}/{library}{where}/items/top"
        f"?format=json&include=data&limit={PAGE}&start={start}"
    )


def read_zotero_web(
    channel: Channel, base_url: str, settings: ZoteroSettings
) -> tuple[LibraryEntry, ...]:
    """Every top-level item of the library (or collection); SourceError when it fails. The
    channel's client carries the Zotero-API-Key and Zotero-API-Version headers."""
    entries: list[LibraryEntry] = []
    for page in range(MAX_PAGES):
        data = channel.get_json(
            items_url(base_url, settings, page * PAGE), service="Zotero", what="reading Zotero"
        )
        items = [i for i in data if isinstance(i, dict)] if isinstance(data, list) else []
        for item in items:
            entry = _web_entry(item)
            if entry is not None:
                entries.append(entry)
        if len(items) < PAGE:
            break
    return tuple(entries)


def _web_entry(item: Mapping[str, Any]) -> LibraryEntry | None:
    data = item.get("data")
    if not isinstance(data, dict) or data.get("itemType") in SKIPPED_TYPES:
        return None
    fields = {k: v for k, v in data.items() if isinstance(v, str)}
    creators = [_web_creator(c) for c in data.get("creators") or () if isinstance(c, dict)]
    tags = [str(t.get("tag", "")) for t in data.get("tags") or () if isinstance(t, dict)]
    return entry_of_item(fields, creators, tags, "zotero")


def _web_creator(creator: Mapping[str, Any]) -> str:
    if creator.get("name"):
        return str(creator["name"]).strip()
    return " ".join(f"{creator.get('firstName', '')} {creator.get('lastName', '')}".split())


# -- the local database -------------------------------------------------------------------


def read_zotero_sqlite(path: Path, collection: str = "") -> tuple[LibraryEntry, ...]:
    """The items of a local zotero.sqlite (not in the trash, not attachments or notes)."""
    if not path.is_file():
        why = "is not a file" if path.exists() else "does not exist"
        raise ZoteroProblem(f"{path} {why}")
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ZoteroProblem(f"{path} cannot be opened ({exc})") from None
    try:
        return _read(db, collection, path)
    except sqlite3.Error as exc:
        raise ZoteroProblem(f"{path} is not a Zotero database radar can read ({exc})") from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, collection: str, path: Path) -> tuple[LibraryEntry, ...]:
    where = ""
    args: tuple[str, ...] = ()
    if collection:
        found = db.execute(
            "SELECT collectionID FROM collections WHERE key = ? OR collectionName = ?",
            (collection, collection),
        ).fetchall()
        if not found:
            raise ZoteroProblem(f"{path} has no collection {collection!r}")
        where = " AND i.itemID IN (SELECT itemID FROM collectionItems WHERE collectionID = ?)"
        args = (str(found[0][0]),)
    ids = [
        row[0]
        for row in db.execute(
            "SELECT i.itemID FROM items i JOIN itemTypes t ON t.itemTypeID = i.itemTypeID"
            " WHERE t.typeName NOT IN ('attachment', 'note', 'annotation')"
            " AND i.itemID NOT IN (SELECT itemID FROM deletedItems)" + where + " ORDER BY i.itemID",
            args,
        )
    ]
    fields: dict[int, dict[str, str]] = {i: {} for i in ids}
    for item_id, name, value in db.execute(
        "SELECT d.itemID, f.fieldName, v.value FROM itemData d"
        " JOIN fieldsCombined f ON f.fieldID = d.fieldID"
        " JOIN itemDataValues v ON v.valueID = d.valueID"
    ):
        if item_id in fields:
            fields[item_id][str(name)] = str(value)
    creators: dict[int, list[str]] = {i: [] for i in ids}
    for item_id, first, last in db.execute(
        "SELECT ic.itemID, c.firstName, c.lastName FROM itemCreators ic"
        " JOIN creators c ON c.creatorID = ic.creatorID ORDER BY ic.itemID, ic.orderIndex"
    ):
        if item_id in creators:
            creators[item_id].append(" ".join(f"{first or ''} {last or ''}".split()))
    entries = (entry_of_item(fields[i], creators[i], (), "zotero.sqlite") for i in ids)
    return tuple(e for e in entries if e is not None)
