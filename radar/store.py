"""The on-disk cache (diskcache): each announcement day, author searches, seen-state, and
the last ranking of each watchlist.

Values are zlib-compressed JSON with a format number, never pickles, so a
newer radar can read an older cache and a damaged entry is just a miss; rows radar did not
write are refused unread (radar.safedisk). A damaged database is moved aside and a new one
started; a full disk or a permission problem is one error naming the path. Each record
carries a stamp (a digest of what was written) that names its contents: a ranking is
kept with the stamps of what it was made from, and reused only while they still match.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, get_args, get_type_hints, overload

import diskcache

from radar.cachedir import (
    cache_error,
    is_damage,
    move_aside,
    odd_database_file,
    private_dir,
    remove_damaged,
)
from radar.errors import NoDataError
from radar.models import (
    AnnounceType,
    Counts,
    Link,
    Origin,
    Paper,
    RankedPaper,
    Ranking,
    Reason,
    paper_key,
)
from radar.safedisk import SafeDisk

FORMAT = 1


class StoredPapers(Sequence[Paper]):
    """A held day's papers, decoded when first used: a run whose ranking is cached never
    reads them (a 2,000-paper day takes ~25 ms to decode). Truthiness comes from the
    count stored beside them, so asking whether a day had papers decodes nothing."""

    __slots__ = ("_count", "_load", "_papers")

    def __init__(self, count: int, load: Callable[[], tuple[Paper, ...]]) -> None:
        self._count = count
        self._load = load
        self._papers: tuple[Paper, ...] | None = None

    def _all(self) -> tuple[Paper, ...]:
        if self._papers is None:
            self._papers = self._load()
        return self._papers

    def __bool__(self) -> bool:
        return self._count > 0

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Paper, ...]: ...
    def __getitem__(self, index: int | slice) -> Paper | tuple[Paper, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Paper]:
        return iter(self._all())


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One fetch of the feed: the day it announced, and its papers (none on a skip day).

    `stamp` names the papers' contents ("" when there are none)."""

    day: date | None
    papers: Sequence[Paper]
    fetched_at: datetime
    valid_until: datetime
    stamp: str = ""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    papers: tuple[Paper, ...]
    fetched_at: datetime
    valid_until: datetime
    stamp: str = ""


@dataclass(frozen=True, slots=True)
class StoreInfo:
    path: Path
    size_bytes: int
    entries: int
    days: tuple[date, ...]


class CacheDamagedError(NoDataError):
    """A held day's papers cannot be read back: better said than shown as an empty day."""


Warn = Callable[[str], None]
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _ignore(message: str) -> None:
    pass


def _healing(method: Callable[Concatenate[Store, _P], _R]) -> Callable[Concatenate[Store, _P], _R]:
    """Run a Store method so that damage found on the way is repaired and the call made again
    on a new database; a full disk or a permission problem becomes one error naming the path.
    A failed write leaves no value file behind (its row was rolled back)."""

    @functools.wraps(method)
    def run(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return self._guarded(method, self, *args, **kwargs)
        except (sqlite3.DatabaseError, OSError) as exc:
            if not is_damage(exc):
                raise
            self._rebuild(exc)
        try:
            return self._guarded(method, self, *args, **kwargs)
        except (sqlite3.DatabaseError, OSError) as exc:
            if not is_damage(exc):
                raise
            raise CacheDamagedError(
                f"the cache database in {self.path} is damaged, even after starting anew: {exc}",
                hint=f"check the disk; `rm -r {self.path}` removes the cache, which radar "
                "can fetch again",
            ) from None

    return run


class Store:
    def __init__(self, cache: diskcache.Cache, path: Path, warn: Warn = _ignore) -> None:
        self._cache = cache
        self.path = path
        self._warn = warn
        self._warned: set[str] = set()

    def _guarded(self, method: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        disk = self._disk
        disk.forget_written()
        try:
            return method(*args, **kwargs)
        except BaseException as exc:
            disk.remove_written()  # the write was rolled back: its value files go too
            if isinstance(exc, (sqlite3.Error, OSError, diskcache.Timeout)) and not is_damage(exc):
                error = cache_error(exc, self.path)
                if error is not None:
                    raise error from None
            raise

    @property
    def _disk(self) -> SafeDisk:
        disk = self._cache.disk
        assert isinstance(disk, SafeDisk)
        return disk

    def _rebuild(self, exc: BaseException) -> None:
        with contextlib.suppress(Exception):
            self._cache.close()
        try:
            aside = move_aside(self.path)
            self._cache = _open_cache(self.path)
        except (OSError, sqlite3.Error, diskcache.Timeout) as failed:
            error = cache_error(failed, self.path)
            if error is None:
                raise
            raise error from None
        self._warn(_damaged_notice(exc, aside))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._cache.transact():
            yield
        self._disk.forget_written()  # committed: those value files are the rows' now

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self._warn(message)

    # -- announcement days ---------------------------------------------------

    @_healing
    def put_fetch(self, feed_key: str, record: DayRecord) -> str:
        """Keep what a fetch gave; a day with papers is also kept for --date and fallbacks.

        Returns the papers' stamp ("" for none). A day is two entries: its papers, and
        a small one saying when they were fetched, how many, and their stamp.
        """
        meta = {
            "day": record.day.isoformat() if record.day else None,
            "fetched_at": record.fetched_at.isoformat(),
            "valid_until": record.valid_until.isoformat(),
        }
        stamp = ""
        with self._transaction():
            if record.papers and record.day:
                day_key, papers_key = _day_keys(feed_key, record.day)
                stamp = self._put(papers_key, [_paper_out(p) for p in record.papers])
                self._put(day_key, {**meta, "count": len(record.papers), "stamp": stamp})
                days = {held.isoformat() for held in _dates(self._get(f"days:{feed_key}"))}
                days.add(record.day.isoformat())
                self._put(f"days:{feed_key}", sorted(days))
                for paper in record.papers:
                    self._cache.set(f"where:{paper.key}", papers_key)
            self._put(f"fetch:{feed_key}", meta)
        return stamp

    @_healing
    def last_fetch(self, feed_key: str) -> DayRecord | None:
        """The latest fetch, papers included when that day had any."""
        meta = self._get(f"fetch:{feed_key}")
        if not isinstance(meta, dict):
            return None
        try:
            day = date.fromisoformat(meta["day"]) if meta.get("day") else None
            fetched_at = datetime.fromisoformat(meta["fetched_at"])
            valid_until = datetime.fromisoformat(meta["valid_until"])
        except _MALFORMED:
            return None  # not what radar wrote: as if never fetched
        held = self.day(feed_key, day) if day else None
        return DayRecord(
            day=day,
            papers=held.papers if held else (),
            fetched_at=fetched_at,
            valid_until=valid_until,
            stamp=held.stamp if held else "",
        )

    @_healing
    def day(self, feed_key: str, day: date) -> DayRecord | None:
        day_key, papers_key = _day_keys(feed_key, day)
        value = self._get(day_key)
        if not isinstance(value, dict):
            return None
        papers: Sequence[Paper]
        try:
            if "papers" in value:  # written by radar 0.1.0, papers inline: read as it is
                papers = tuple(_paper_in(p) for p in value["papers"])
                stamp = "inline:" + value["fetched_at"]
            else:
                count = value["count"]
                if type(count) is not int or not isinstance(value["stamp"], str):
                    return None
                papers = StoredPapers(count, lambda: self._papers(papers_key, day))
                stamp = value["stamp"]
            return DayRecord(
                day=day,
                papers=papers,
                fetched_at=datetime.fromisoformat(value["fetched_at"]),
                valid_until=datetime.fromisoformat(value["valid_until"]),
                stamp=stamp,
            )
        except _MALFORMED:
            return None  # not what radar wrote: as if not held

    @_healing
    def _papers(self, key: str, day: date) -> tuple[Paper, ...]:
        value = self._get(key)
        try:
            if isinstance(value, list):
                return tuple(_paper_in(p) for p in value)
        except _MALFORMED:
            pass
        raise CacheDamagedError(
            f"the cached papers of {day.isoformat()} cannot be read back",
            hint="run `radar today --refresh` to fetch the day again "
            "(or `radar cache clear` to start afresh)",
        )

    @_healing
    def days(self, feed_key: str) -> tuple[date, ...]:
        return _dates(self._get(f"days:{feed_key}"))

    def latest_day(self, feed_key: str, before: date | None = None) -> DayRecord | None:
        """The newest held day with papers (strictly before `before`, when given)."""
        for held in reversed(self.days(feed_key)):
            if before is None or held < before:
                return self.day(feed_key, held)
        return None

    @_healing
    def all_days(self) -> tuple[date, ...]:
        found: set[date] = set()
        for key in self._keys("days:"):
            found.update(_dates(self._get(key)))
        return tuple(sorted(found))

    # -- export-API searches ---------------------------------------------------

    @_healing
    def put_search(self, key: str, record: SearchRecord) -> str:
        """Keep a search's answer; returns its stamp."""
        value = {
            "fetched_at": record.fetched_at.isoformat(),
            "valid_until": record.valid_until.isoformat(),
            "papers": [_paper_out(p) for p in record.papers],
        }
        with self._transaction():
            stamp = self._put(f"search:{key}", value)
            for paper in record.papers:
                self._cache.add(f"where:{paper.key}", f"search:{key}")
        return stamp

    @_healing
    def search(self, key: str) -> SearchRecord | None:
        raw = self._raw(f"search:{key}")
        value = _decode(raw)
        if not isinstance(value, dict):
            return None
        assert isinstance(raw, bytes)
        try:
            return SearchRecord(
                papers=tuple(_paper_in(p) for p in value["papers"]),
                fetched_at=datetime.fromisoformat(value["fetched_at"]),
                valid_until=datetime.fromisoformat(value["valid_until"]),
                stamp=_stamp(raw),
            )
        except _MALFORMED:
            return None  # not what radar wrote: search again

    @_healing
    def paper(self, key: str) -> Paper | None:
        """A paper by its key (the arXiv id, or doi:...), from whichever day or search held it."""
        where = self._raw(f"where:{key}")
        value = self._get(where) if isinstance(where, str) else None
        if isinstance(value, dict):  # a search, or a day written by radar 0.1.0
            value = value.get("papers")
        if isinstance(value, list):
            for raw in value:
                # Compare the stored fields: building a Paper for each of a day's
                # thousands of entries to find one would be wasted work.
                try:
                    if paper_key(raw["id"], raw.get("doi")) == key:
                        return _paper_in(raw)
                except _MALFORMED:
                    continue  # one entry radar did not write: look on
        return None

    # -- what radar worked out: rankings, checked watchlists ----------------------
    # Each lives in a slot (one per watchlist) with the stamp of what it was made from,
    # and is given back only for that stamp: a newer one replaces it.

    @_healing
    def ranking(self, slot: str, stamp: str) -> Ranking | None:
        value = self._stamped(f"ranking:{slot}", stamp)
        try:
            return _ranking_in(value) if value is not None else None
        except _MALFORMED:
            return None  # not a ranking this radar wrote: rank again

    @_healing
    def put_ranking(self, slot: str, stamp: str, ranking: Ranking) -> None:
        counts = ranking.counts
        value = {
            "excluded": ranking.excluded,
            "counts": [counts.new, counts.cross, counts.replace, counts.replace_cross],
            "ranked": [
                {
                    "paper": _paper_out(r.paper),
                    "score": r.score,
                    "why": [[reason.kind, reason.label, reason.weight] for reason in r.reasons],
                    "watched": list(r.watched_authors),
                    "topics": list(r.topics),
                }
                for r in ranking.ranked
            ],
        }
        # Stored uncompressed: read on every warm run, it is worth its ~1 MB.
        self._put(f"ranking:{slot}", {"stamp": stamp, "value": value}, level=0)

    @_healing
    def watchlist(self, slot: str, stamp: str) -> Any:
        """A checked watchlist's plain form (radar.watchlist), or None."""
        return self._stamped(f"watchlist:{slot}", stamp)

    @_healing
    def put_watchlist(self, slot: str, stamp: str, plain: Any) -> None:
        self._put(f"watchlist:{slot}", {"stamp": stamp, "value": plain})

    def _stamped(self, key: str, stamp: str) -> Any:
        held = self._get(key)
        if not isinstance(held, dict) or held.get("stamp") != stamp:
            return None
        return held.get("value")

    # -- what a library reader read (radar.library.load): rebuildable, so cache -----

    def library_part(self, key: str) -> Any:
        """What radar.library.load kept under `key` (plain JSON values), or None."""
        return self._get(f"library:{key}")

    def put_library_part(self, key: str, value: Any) -> None:
        self._put(f"library:{key}", value)

    # -- seen-state ------------------------------------------------------------

    @_healing
    def unseen(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if f"seen:{i}" not in self._cache}

    @_healing
    def mark_seen(self, ids: Iterable[str], when: date) -> None:
        """Remember `ids` as shown (first sighting kept). Marks are only ever added, so
        when these are exactly the ids marked last time, as on a rerun, there is nothing
        to do (and a warm run saves a look-up per paper)."""
        ids = list(ids)
        batch = _stamp("\x1f".join(ids).encode("utf-8"))
        if self._raw("seen-batch") == batch:
            return
        with self._transaction():
            for arxiv_id in ids:
                self._cache.add(f"seen:{arxiv_id}", when.isoformat())
            self._cache.set("seen-batch", batch)

    # -- briefings (radar.briefing's BriefingStore protocol) --------------------

    @_healing
    def get(self, key: str) -> str | None:
        value = self._get(f"brief:{key}")
        return value if isinstance(value, str) else None

    @_healing
    def put(self, key: str, value: str) -> None:
        self._put(f"brief:{key}", value)

    # -- housekeeping ------------------------------------------------------------

    @_healing
    def info(self) -> StoreInfo:
        return StoreInfo(
            path=self.path,
            size_bytes=self._cache.volume(),
            entries=len(self._cache),
            days=self.all_days(),
        )

    @_healing
    def clear(self) -> int:
        """Delete every entry; returns how many."""
        return int(self._cache.clear())

    def remove_damaged(self) -> int:
        """Delete the copies of damaged databases moved aside earlier; returns how many."""
        return remove_damaged(self.path)

    def close(self) -> None:
        self._cache.close()

    def _keys(self, prefix: str) -> Iterator[str]:
        for key in self._cache.iterkeys():
            if isinstance(key, str) and key.startswith(prefix):
                yield key
        self._note_refused()

    def _put(self, key: str, value: Any, level: int = 6) -> str:
        """Write `value` (zlib at `level`); returns its stamp."""
        data = json.dumps({"format": FORMAT, "value": value}, ensure_ascii=False)
        raw = zlib.compress(data.encode("utf-8"), level)
        self._cache.set(key, raw)
        return _stamp(raw)

    def _get(self, key: str) -> Any:
        return _decode(self._raw(key))

    def _raw(self, key: str) -> Any:
        """The stored value, or None; a row radar did not write is dropped, never loaded."""
        value = self._cache.get(key)
        if self._note_refused():
            # Best effort: a row that stays is refused again next time, never loaded.
            with contextlib.suppress(sqlite3.Error, OSError, diskcache.Timeout):
                self._cache.delete(key)
            return None
        return value

    def _note_refused(self) -> bool:
        if not self._disk.take_refused():
            return False
        self._warn_once(
            "refused",
            "warning: ignored cache entries radar did not write (pickled, or naming a file "
            f"outside its own) in {self.path}; they count as not cached",
        )
        return True


# What reading an entry that radar did not write (well-formed JSON of another shape) raises.
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)
_ANNOUNCE_TYPES = frozenset(get_args(AnnounceType))
_SOURCES = frozenset(get_args(get_type_hints(Paper)["source"]))
_ORIGINS = frozenset(get_args(Origin))


def _dates(value: Any) -> tuple[date, ...]:
    """A stored list of days, in order; what is not a day is left out."""
    found = []
    for item in value if isinstance(value, list) else ():
        try:
            found.append(date.fromisoformat(item))
        except _MALFORMED:
            continue
    return tuple(found)


def _day_keys(feed_key: str, day: date) -> tuple[str, str]:
    """A held day's two entries: when and how many, and its papers."""
    return f"day:{feed_key}:{day.isoformat()}", f"papers:{feed_key}:{day.isoformat()}"


def _decode(raw: object) -> Any:
    if not isinstance(raw, bytes):
        return None
    try:
        wrapped = json.loads(zlib.decompress(raw))
    except (zlib.error, ValueError):
        return None  # a damaged entry is a cache miss, never a crash
    if not isinstance(wrapped, dict) or wrapped.get("format") != FORMAT:
        return None
    return wrapped.get("value")


def _stamp(raw: bytes) -> str:
    """A name for an entry's contents: equal stamps, equal contents."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def open_store(path: Path, warn: Warn = _ignore) -> Store:
    """Open (creating, readable by the user only) the cache directory.

    A database that is not one, or is damaged, is moved aside (`warn` says where) and a new
    one started: a cache can always be rebuilt, and `radar cache clear` must always work."""
    private_dir(path)
    try:
        return Store(_open_or_rebuild(path, warn), path, warn)
    except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
        error = cache_error(exc, path)  # a full disk, a refused permission: said plainly
        if error is None:
            raise
        raise error from None


def _open_or_rebuild(path: Path, warn: Warn) -> diskcache.Cache:
    odd = odd_database_file(path)
    if odd is not None:
        aside = move_aside(path)
        warn(f"warning: {odd}, not a database; moved it aside to {aside} and started a new one")
    try:
        return _open_cache(path)
    except Exception as exc:
        if not is_damage(exc, opening=True):
            raise
        aside = move_aside(path)
        cache = _open_cache(path)
        warn(_damaged_notice(exc, aside))
        return cache


def _open_cache(path: Path) -> diskcache.Cache:
    # Every setting radar relies on is given here, so a value planted in the database's
    # Settings table cannot change how it behaves (diskcache's own defaults otherwise).
    cache = diskcache.Cache(
        str(path),
        disk=SafeDisk,
        **{
            **diskcache.DEFAULT_SETTINGS,
            "size_limit": 2**30,
            "cull_limit": 0,
        },
    )
    for counter in ("count", "size"):  # diskcache's running totals, kept in Settings
        if type(cache.reset(counter)) is not int:
            cache.close()
            raise ValueError(f"the cache's Settings table holds a {counter} that is no number")
    return cache


def _damaged_notice(exc: BaseException, aside: Path) -> str:
    return (
        f"warning: the cache database was damaged ({exc}); moved it aside to {aside} "
        "and started a new one"
    )


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
    """A stored paper; ValueError (or another of _MALFORMED) when radar did not write it:
    a field of the wrong type would otherwise fail far away, while ranking or rendering."""
    if raw["type"] not in _ANNOUNCE_TYPES or raw["src"] not in _SOURCES:
        raise ValueError("not an announce type or source radar writes")
    origin = raw.get("origin", "arxiv")
    if origin not in _ORIGINS or type(raw["v"]) is not int:
        raise ValueError("not an origin or version radar writes")
    links = raw.get("links", ())
    return Paper(
        arxiv_id=_text(raw["id"]),
        version=raw["v"],
        title=_text(raw["title"]),
        authors=_texts(raw["authors"]),
        abstract=_text(raw["abstract"]),
        categories=_texts(raw["cats"]),
        announce_type=raw["type"],
        announced=date.fromisoformat(raw["day"]) if raw["day"] is not None else None,
        doi=_text_or_none(raw["doi"]),
        journal_ref=_text_or_none(raw["jref"]),
        source=raw["src"],
        origin=origin,
        venue=_text_or_none(raw.get("venue")),
        landing_url=_text_or_none(raw.get("landing")),
        links=tuple(Link(_text(label), _text(url)) for label, url in links),
    )


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not text")
    return value


def _text_or_none(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("not a list")
    return tuple(map(_text, value))


def _ranking_in(value: dict[str, Any]) -> Ranking:
    # A day's papers share a few dozen reasons ("category: cs.LG", "new submission"):
    # each is made once.
    reasons: dict[tuple[Any, ...], Reason] = {}

    def reason(why: list[Any]) -> Reason:
        key = tuple(why)  # kind, label, weight
        held = reasons.get(key)
        if held is None:
            held = reasons[key] = Reason(*key)
        return held

    new, cross, replace, replace_cross = value["counts"]
    return Ranking(
        ranked=tuple(
            RankedPaper(
                paper=_paper_in(item["paper"]),
                score=item["score"],
                reasons=tuple(map(reason, item["why"])),
                watched_authors=tuple(item["watched"]),
                topics=tuple(item["topics"]),
            )
            for item in value["ranked"]
        ),
        excluded=value["excluded"],
        counts=Counts(new, cross, replace, replace_cross),
    )
