"""The user's verdicts (saved, dismissed) and the last page radar showed, in one SQLite file
in the user data directory.

This is the user's data, not cache: `radar cache clear` never sees it. SQLite (stdlib) in
WAL mode with a busy timeout lets two radar processes write at once without losing either
write: each change is one short IMMEDIATE transaction, and a second writer waits its turn.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from radar.errors import UsageError
from radar.library.lastpage import ShownPage
from radar.library.records import PaperRecord, record_from_plain, record_to_plain

Verdict = Literal["saved", "dismissed"]
VERDICTS: tuple[Verdict, ...] = ("saved", "dismissed")
FILE_NAME = "verdicts.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    key TEXT PRIMARY KEY,            -- the arXiv id, else doi:<lower-cased DOI>
    verdict TEXT NOT NULL CHECK (verdict IN ('saved', 'dismissed')),
    decided_at TEXT NOT NULL,        -- ISO 8601, UTC
    arxiv_id TEXT NOT NULL DEFAULT '',
    doi TEXT,
    title TEXT NOT NULL DEFAULT '',
    abstract TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',     -- a JSON list of names
    categories TEXT NOT NULL DEFAULT '[]',  -- a JSON list, primary first
    year INTEGER,
    url TEXT NOT NULL DEFAULT '',
    venue TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS verdicts_by_kind ON verdicts (verdict, decided_at);
CREATE TABLE IF NOT EXISTS last_page (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- one page: the last one shown
    shown_at TEXT NOT NULL,
    first INTEGER NOT NULL,
    papers TEXT NOT NULL                    -- a JSON list of records, in card order
);
"""


class UserDataError(UsageError):
    """The user data directory or its database cannot be used (exit 2: the user can fix it)."""


@dataclass(frozen=True, slots=True)
class Judged:
    record: PaperRecord
    verdict: Verdict
    decided_at: datetime


class VerdictStore:
    """Verdicts and the last shown page; `now` is the clock verdicts are stamped with."""

    def __init__(self, path: Path, now: Callable[[], datetime]) -> None:
        self.path = path
        self._now = now
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise _unusable(path, exc) from None
        try:
            self._setup()
        except sqlite3.Error as exc:
            self._db.close()
            raise _unusable(path, exc) from None

    def _setup(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return  # made before (WAL mode stays with the file): a read-only open stays one
        # The first switch to WAL needs a moment alone with the file; two first runs at
        # once may find it locked, so the switch is tried again briefly.
        for attempt in range(50):
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.05)
        with self._write():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> VerdictStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- verdicts ------------------------------------------------------------------

    def judge(self, records: Sequence[PaperRecord], verdict: Verdict) -> None:
        """Give each of `records` `verdict` (a later verdict replaces an earlier one); what
        was known of a paper before is kept where the new record knows less."""
        when = self._now().isoformat()
        with self._write():
            for record in records:
                held = self._find(record.key)
                merged = _fuller(record, held.record) if held is not None else record
                self._db.execute(
                    "INSERT OR REPLACE INTO verdicts (key, verdict, decided_at, arxiv_id, doi,"
                    " title, abstract, authors, categories, year, url, venue)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        merged.key,
                        verdict,
                        when,
                        merged.arxiv_id,
                        merged.doi,
                        merged.title,
                        merged.abstract,
                        json.dumps(list(merged.authors), ensure_ascii=False),
                        json.dumps(list(merged.categories), ensure_ascii=False),
                        merged.year,
                        merged.url,
                        merged.venue,
                    ),
                )

    def forget(self, keys: Iterable[str]) -> tuple[Judged, ...]:
        """Take the verdicts on `keys` back; returns the ones that were there."""
        removed: list[Judged] = []
        with self._write():
            for key in keys:
                held = self._find(key)
                if held is not None:
                    self._db.execute("DELETE FROM verdicts WHERE key = ?", (key,))
                    removed.append(held)
        return tuple(removed)

    def judged(self, verdict: Verdict | None = None) -> tuple[Judged, ...]:
        """Verdicts, oldest first (all of them, or those of one kind)."""
        query = f"SELECT {_COLUMNS} FROM verdicts"
        args: tuple[str, ...] = ()
        if verdict is not None:
            query += " WHERE verdict = ?"
            args = (verdict,)
        rows = self._read(query + " ORDER BY decided_at, rowid", args)
        return tuple(_judged(row) for row in rows)

    def keys(self, verdict: Verdict) -> frozenset[str]:
        rows = self._read("SELECT key FROM verdicts WHERE verdict = ?", (verdict,))
        return frozenset(str(row[0]) for row in rows)

    def find(self, key: str) -> Judged | None:
        return self._find(key)

    def _find(self, key: str) -> Judged | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM verdicts WHERE key = ?", (key,))
        return _judged(rows[0]) if rows else None

    # -- the last page shown -----------------------------------------------------------

    def remember_page(self, page: ShownPage) -> None:
        papers = json.dumps([record_to_plain(p) for p in page.papers], ensure_ascii=False)
        with self._write():
            self._db.execute(
                "INSERT OR REPLACE INTO last_page (id, shown_at, first, papers)"
                " VALUES (1, ?, ?, ?)",
                (page.shown_at.isoformat(), page.first, papers),
            )

    def last_page(self) -> ShownPage | None:
        rows = self._read("SELECT shown_at, first, papers FROM last_page WHERE id = 1", ())
        if not rows:
            return None
        shown_at, first, papers = rows[0]
        try:
            records = tuple(record_from_plain(p) for p in json.loads(str(papers)))
            return ShownPage(datetime.fromisoformat(str(shown_at)), int(str(first)), records)
        except (KeyError, TypeError, ValueError):
            return None  # not a page this radar wrote: as if none was shown

    # -- transactions --------------------------------------------------------------

    def _write(self) -> _Transaction:
        return _Transaction(self._db, self.path)

    def _read(self, query: str, args: tuple[object, ...]) -> list[tuple[object, ...]]:
        try:
            return self._db.execute(query, args).fetchall()
        except sqlite3.Error as exc:
            raise _unusable(self.path, exc) from None


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT: the write lock is taken first, so a concurrent writer
    waits (busy timeout) instead of failing halfway; any error rolls the whole change back."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _unusable(self._path, exc) from None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.Error as error:
                self._db.execute("ROLLBACK")
                raise _unusable(self._path, error) from None
        self._db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise _unusable(self._path, exc) from None


_COLUMNS = (
    "key, verdict, decided_at, arxiv_id, doi, title, abstract, authors, categories, year, url,"
    " venue"
)


def _judged(row: tuple[object, ...]) -> Judged:
    (key, verdict, decided_at, arxiv_id, doi, title, abstract, authors, categories, year, url,
     venue) = row
    record = PaperRecord(
        key=str(key),
        arxiv_id=str(arxiv_id),
        doi=str(doi) if doi else None,
        title=str(title),
        abstract=str(abstract),
        authors=tuple(str(a) for a in json.loads(str(authors))),
        categories=tuple(str(c) for c in json.loads(str(categories))),
        year=int(year) if isinstance(year, int) else None,
        url=str(url),
        venue=str(venue),
    )
    kind: Verdict = "saved" if verdict == "saved" else "dismissed"
    return Judged(record, kind, datetime.fromisoformat(str(decided_at)))


def _fuller(new: PaperRecord, old: PaperRecord) -> PaperRecord:
    """`new`, with what only `old` knew filled in (a bare id saved over a full record)."""
    return replace(
        new,
        arxiv_id=new.arxiv_id or old.arxiv_id,
        doi=new.doi or old.doi,
        title=new.title or old.title,
        abstract=new.abstract or old.abstract,
        authors=new.authors or old.authors,
        categories=new.categories or old.categories,
        year=new.year if new.year is not None else old.year,
        url=new.url or old.url,
        venue=new.venue or old.venue,
    )


def _unusable(path: Path, exc: BaseException) -> UserDataError:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return UserDataError(
        f"cannot use radar's data file {path}: {reason}",
        hint="set RADAR_DATA_DIR to a writable directory (the file holds your saved and "
        "dismissed papers; move a damaged one aside rather than delete it)",
    )


def open_verdicts(data_dir: Path, now: Callable[[], datetime]) -> VerdictStore:
    return VerdictStore(data_dir / FILE_NAME, now)
