"""The on-disk cache (diskcache): each announcement day, author searches, seen-state.

Values are zlib-compressed JSON with a format number, never pickles, so a
newer radar can read an older cache and a damaged entry is just a miss.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import diskcache

from radar.errors import UsageError
from radar.models import Link, Paper, paper_key

FORMAT = 1


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One fetch of the feed: the day it announced, and its papers (none on a skip day)."""

    day: date | None
    papers: tuple[Paper, ...]
    fetched_at: datetime
    valid_until: datetime


@dataclass(frozen=True, slots=True)
class SearchRecord:
    papers: tuple[Paper, ...]
    fetched_at: datetime
    valid_until: datetime


@dataclass(frozen=True, slots=True)
class StoreInfo:
    path: Path
    size_bytes: int
    entries: int
    days: tuple[date, ...]


class CacheUnusableError(UsageError):
    """The cache directory cannot be created or opened."""


class Store:
    def __init__(self, cache: diskcache.Cache, path: Path) -> None:
        self._cache = cache
        self.path = path

    # -- announcement days ---------------------------------------------------

    def put_fetch(self, feed_key: str, record: DayRecord) -> None:
        """Keep what a fetch gave; a day with papers is also kept for --date and fallbacks."""
        meta = {
            "day": record.day.isoformat() if record.day else None,
            "fetched_at": record.fetched_at.isoformat(),
            "valid_until": record.valid_until.isoformat(),
        }
        with self._cache.transact():
            if record.papers and record.day:
                day_key = f"day:{feed_key}:{record.day.isoformat()}"
                self._put(day_key, {**meta, "papers": [_paper_out(p) for p in record.papers]})
                days = set(self._get(f"days:{feed_key}") or [])
                days.add(record.day.isoformat())
                self._put(f"days:{feed_key}", sorted(days))
                for paper in record.papers:
                    self._cache.set(f"where:{paper.key}", day_key)
            self._put(f"fetch:{feed_key}", meta)

    def last_fetch(self, feed_key: str) -> DayRecord | None:
        """The latest fetch, papers included when that day had any."""
        meta = self._get(f"fetch:{feed_key}")
        if not isinstance(meta, dict):
            return None
        day = date.fromisoformat(meta["day"]) if meta.get("day") else None
        held = self.day(feed_key, day) if day else None
        return DayRecord(
            day=day,
            papers=held.papers if held else (),
            fetched_at=datetime.fromisoformat(meta["fetched_at"]),
            valid_until=datetime.fromisoformat(meta["valid_until"]),
        )

    def day(self, feed_key: str, day: date) -> DayRecord | None:
        value = self._get(f"day:{feed_key}:{day.isoformat()}")
        if not isinstance(value, dict):
            return None
        return DayRecord(
            day=day,
            papers=tuple(_paper_in(p) for p in value["papers"]),
            fetched_at=datetime.fromisoformat(value["fetched_at"]),
            valid_until=datetime.fromisoformat(value["valid_until"]),
        )

    def days(self, feed_key: str) -> tuple[date, ...]:
        return tuple(date.fromisoformat(d) for d in self._get(f"days:{feed_key}") or [])

    def latest_day(self, feed_key: str, before: date | None = None) -> DayRecord | None:
        """The newest held day with papers (strictly before `before`, when given)."""
        for held in reversed(self.days(feed_key)):
            if before is None or held < before:
                return self.day(feed_key, held)
        return None

    def all_days(self) -> tuple[date, ...]:
        found: set[date] = set()
        for key in self._keys("days:"):
            found.update(date.fromisoformat(d) for d in self._get(key) or [])
        return tuple(sorted(found))

    # -- export-API searches ---------------------------------------------------

    def put_search(self, key: str, record: SearchRecord) -> None:
        value = {
            "fetched_at": record.fetched_at.isoformat(),
            "valid_until": record.valid_until.isoformat(),
            "papers": [_paper_out(p) for p in record.papers],
        }
        with self._cache.transact():
            self._put(f"search:{key}", value)
            for paper in record.papers:
                self._cache.add(f"where:{paper.key}", f"search:{key}")

    def search(self, key: str) -> SearchRecord | None:
        value = self._get(f"search:{key}")
        if not isinstance(value, dict):
            return None
        return SearchRecord(
            papers=tuple(_paper_in(p) for p in value["papers"]),
            fetched_at=datetime.fromisoformat(value["fetched_at"]),
            valid_until=datetime.fromisoformat(value["valid_until"]),
        )

    def paper(self, key: str) -> Paper | None:
        """A paper by its key (the arXiv id, or doi:...), from whichever day or search held it."""
        where = self._cache.get(f"where:{key}")
        value = self._get(where) if isinstance(where, str) else None
        if isinstance(value, dict):
            for raw in value["papers"]:
                # Compare the stored fields: building a Paper for each of a day's
                # thousands of entries to find one would be wasted work.
                if paper_key(raw["id"], raw.get("doi")) == key:
                    return _paper_in(raw)
        return None

    # -- seen-state ------------------------------------------------------------

    def unseen(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if f"seen:{i}" not in self._cache}

    def mark_seen(self, ids: Iterable[str], when: date) -> None:
        with self._cache.transact():
            for arxiv_id in ids:
                self._cache.add(f"seen:{arxiv_id}", when.isoformat())

    # -- briefings (radar.briefing's BriefingStore protocol) --------------------

    def get(self, key: str) -> str | None:
        value = self._get(f"brief:{key}")
        return value if isinstance(value, str) else None

    def put(self, key: str, value: str) -> None:
        self._put(f"brief:{key}", value)

    # -- housekeeping ------------------------------------------------------------

    def info(self) -> StoreInfo:
        return StoreInfo(
            path=self.path,
            size_bytes=self._cache.volume(),
            entries=len(self._cache),
            days=self.all_days(),
        )

    def clear(self) -> int:
        return int(self._cache.clear())

    def close(self) -> None:
        self._cache.close()

    def _keys(self, prefix: str) -> Iterator[str]:
        for key in self._cache.iterkeys():
            if isinstance(key, str) and key.startswith(prefix):
                yield key

    def _put(self, key: str, value: Any) -> None:
        data = json.dumps({"format": FORMAT, "value": value}, ensure_ascii=False)
        self._cache.set(key, zlib.compress(data.encode("utf-8"), 6))

    def _get(self, key: str) -> Any:
        raw = self._cache.get(key)
        if not isinstance(raw, bytes):
            return None
        try:
            wrapped = json.loads(zlib.decompress(raw))
        except (zlib.error, ValueError):
            return None  # a damaged entry is a cache miss, never a crash
        if not isinstance(wrapped, dict) or wrapped.get("format") != FORMAT:
            return None
        return wrapped.get("value")


def open_store(path: Path) -> Store:
    """Open (creating, readable by the user only) the cache directory."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask; the cache is private
        cache = diskcache.Cache(str(path), size_limit=2**30, cull_limit=0)
    except (OSError, diskcache.Timeout) as exc:
        raise CacheUnusableError(
            f"cannot use the cache directory {path}: {exc.strerror or exc}",
            hint="pass --cache-dir or set RADAR_CACHE_DIR to a writable directory",
        ) from None
    return Store(cache, path)


def _paper_out(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.arxiv_id,
        "v": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "cats": list(paper.categories),
        "type": paper.announce_type,
        "day": paper.announced.isoformat() if paper.announced else None,
        "doi": paper.doi,
        "jref": paper.journal_ref,
        "src": paper.source,
        # Papers from beyond arXiv only: arXiv's days stay as compact as before.
        **({"origin": paper.origin} if paper.origin != "arxiv" else {}),
        **({"venue": paper.venue} if paper.venue else {}),
        **({"landing": paper.landing_url} if paper.landing_url else {}),
        **({"links": [[k.label, k.url] for k in paper.links]} if paper.links else {}),
    }


def _paper_in(raw: dict[str, Any]) -> Paper:
    return Paper(
        arxiv_id=raw["id"],
        version=raw["v"],
        title=raw["title"],
        authors=tuple(raw["authors"]),
        abstract=raw["abstract"],
        categories=tuple(raw["cats"]),
        announce_type=raw["type"],
        announced=date.fromisoformat(raw["day"]) if raw["day"] else None,
        doi=raw["doi"],
        journal_ref=raw["jref"],
        source=raw["src"],
        origin=raw.get("origin", "arxiv"),
        venue=raw.get("venue"),
        landing_url=raw.get("landing"),
        links=tuple(Link(label, url) for label, url in raw.get("links", ())),
    )
