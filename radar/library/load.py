"""The user's library, from every place the watchlist's `library:` names plus their verdicts.

Each source is read once per change and kept in the cache: a file by its path, size, mtime
and (when those moved) a digest of its bytes; the Zotero web API and OpenAlex for a day.
Every problem becomes one warning line in Library.warnings and the source is left out:
a library problem never hides the day's cards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from radar.errors import RadarError
from radar.library.entries import Library, LibraryEntry
from radar.library.records import entry_of
from radar.library.verdicts import Judged, Verdict
from radar.models import Paper
from radar.watchlist import LibrarySettings

if TYPE_CHECKING:
    from radar.sources.records import Found

MAX_BIBTEX_BYTES = 20 * 2**20  # a personal library's export is a few MB; beyond this, skipped
WEB_TTL = timedelta(days=1)  # the Zotero web API and OpenAlex are asked again once a day

BibtexReader = Callable[[Path], tuple[tuple[LibraryEntry, ...], tuple[str, ...]]]


class PartCache(Protocol):
    def library_part(self, key: str) -> Any: ...
    def put_library_part(self, key: str, value: Any) -> None: ...


class VerdictSource(Protocol):
    def judged(self, verdict: Verdict | None = None) -> tuple[Judged, ...]: ...


class ZoteroWeb(Protocol):
    def __call__(self) -> tuple[LibraryEntry, ...]: ...


class OwnWorks(Protocol):
    def works_of(self, orcids: Sequence[str], author_ids: Sequence[str]) -> Found: ...


@dataclass(frozen=True, slots=True)
class LibraryWorld:
    """What loading a library may touch; a reader left None is not available (offline)."""

    cache: PartCache
    now: Callable[[], datetime]
    base_dir: Path  # relative paths in the watchlist are read from here (its folder)
    zotero_web: ZoteroWeb | None = None
    openalex: OwnWorks | None = None
    read_bibtex: BibtexReader | None = None  # default: radar.library.bibtex.read_bibtex


def load_library(
    settings: LibrarySettings, verdicts: VerdictSource | None, world: LibraryWorld
) -> Library:
    positives: list[LibraryEntry] = []
    warnings: list[str] = []
    for written in settings.bibtex:
        found, said = _bibtex(_path(written, world.base_dir), world)
        positives += found
        warnings += said
    if settings.zotero is not None:
        found, said = _zotero(settings, world)
        positives += found
        warnings += said
    if settings.orcid or settings.openalex:
        found, said = _own_works(settings, world)
        positives += found
        warnings += said
    negatives: list[LibraryEntry] = []
    for judged in verdicts.judged() if verdicts is not None else ():
        if judged.verdict == "saved":
            positives.append(entry_of(judged.record, "saved"))
        else:
            negatives.append(entry_of(judged.record, "dismissed"))
    return Library(tuple(_distinct(positives)), tuple(_distinct(negatives)), tuple(warnings))


def _path(written: str, base_dir: Path) -> Path:
    path = Path(written).expanduser()
    return path if path.is_absolute() else base_dir / path


# -- BibTeX files ---------------------------------------------------------------------------


def _bibtex(path: Path, world: LibraryWorld) -> tuple[list[LibraryEntry], list[str]]:
    try:
        status = path.stat()
    except FileNotFoundError:
        return [], [f"library: {path} does not exist; left out"]
    except OSError as exc:
        return [], [f"library: {path} cannot be read ({exc.strerror or exc}); left out"]
    if status.st_size > MAX_BIBTEX_BYTES:
        size = f"{status.st_size / 2**20:.0f} MB"
        limit = f"{MAX_BIBTEX_BYTES // 2**20} MB"
        return [], [f"library: {path} is {size}, over radar's {limit} limit; left out "
                    "(export one collection instead)"]
    key = f"bibtex:{path.resolve()}"
    held = world.cache.library_part(key)
    stat = [status.st_size, status.st_mtime_ns]
    if isinstance(held, dict) and held.get("stat") == stat:
        return _held(held)
    try:
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError as exc:
        return [], [f"library: {path} cannot be read ({exc.strerror or exc}); left out"]
    if isinstance(held, dict) and held.get("digest") == digest:
        world.cache.put_library_part(key, {**held, "stat": stat})  # touched, not changed
        return _held(held)
    read = world.read_bibtex or _default_reader()
    try:
        entries, warnings = read(path)
    except Exception as exc:  # a third-party parser: whatever it raises, the day goes on
        return [], [f"library: {path} could not be read ({type(exc).__name__}: {exc}); left out"]
    world.cache.put_library_part(
        key,
        {
            "stat": stat,
            "digest": digest,
            "entries": [asdict(e) for e in entries],
            "warnings": list(warnings),
        },
    )
    return list(entries), list(warnings)


def _default_reader() -> BibtexReader:
    # helper `model`'s reader (bibtexparser), imported only when a file changed.
    from radar.library.bibtex import read_bibtex  # type: ignore[import-not-found,unused-ignore]

    reader: BibtexReader = read_bibtex
    return reader


# -- Zotero -------------------------------------------------------------------------------


def _zotero(
    settings: LibrarySettings, world: LibraryWorld
) -> tuple[list[LibraryEntry], list[str]]:
    zotero = settings.zotero
    assert zotero is not None
    if zotero.path:
        from radar.library.zotero import ZoteroProblem, read_zotero_sqlite

        path = _path(zotero.path, world.base_dir)
        try:
            status = path.stat()
        except OSError:
            return [], [f"library: Zotero database {path} does not exist; left out"]
        key = f"zotero-sqlite:{path.resolve()}:{zotero.collection}"
        stat = [status.st_size, status.st_mtime_ns]
        held = world.cache.library_part(key)
        if isinstance(held, dict) and held.get("stat") == stat:
            return _held(held)
        try:
            entries = read_zotero_sqlite(path, zotero.collection)
        except ZoteroProblem as exc:
            return [], [f"library: Zotero: {exc}; left out"]
        world.cache.put_library_part(key, {"stat": stat, "entries": [asdict(e) for e in entries]})
        return list(entries), []
    key = f"zotero-web:{zotero.library_type}:{zotero.library_id}:{zotero.collection}"
    return _daily(key, world, world.zotero_web, "Zotero")


def _own_works(
    settings: LibrarySettings, world: LibraryWorld
) -> tuple[list[LibraryEntry], list[str]]:
    key = "openalex:" + ",".join((*settings.orcid, *settings.openalex))
    openalex = world.openalex

    def read() -> tuple[LibraryEntry, ...]:
        assert openalex is not None
        # A record OpenAlex garbled is left out of the library (the day's run warns of its own).
        found = openalex.works_of(settings.orcid, settings.openalex)
        return tuple(_paper_entry(p) for p in found.papers)

    return _daily(key, world, read if openalex is not None else None, "your papers (OpenAlex)")


def _daily(
    key: str, world: LibraryWorld, read: Callable[[], tuple[LibraryEntry, ...]] | None, what: str
) -> tuple[list[LibraryEntry], list[str]]:
    """A web source, asked at most once a day; what it gave last is kept when it fails."""
    now = world.now()
    held = world.cache.library_part(key)
    fresh = isinstance(held, dict) and held.get("valid_until", "") > now.isoformat()
    if fresh or read is None:
        if isinstance(held, dict):
            return _held(held)
        return [], [f"library: {what} not read (offline) and not cached yet; left out"]
    assert read is not None
    try:
        entries = read()
    except RadarError as exc:
        kept = _held(held)[0] if isinstance(held, dict) else []
        also = f"; using the {len(kept)} entries read before" if kept else "; left out"
        return kept, [f"library: {what}: {exc.message}{also}"]
    until = (now + WEB_TTL).isoformat()
    plain = [asdict(e) for e in entries]
    world.cache.put_library_part(key, {"valid_until": until, "entries": plain})
    return list(entries), []


def _paper_entry(paper: Paper) -> LibraryEntry:
    return LibraryEntry(
        title=paper.title,
        abstract=paper.abstract,
        authors=paper.authors,
        arxiv_id=paper.arxiv_id,
        doi=paper.doi,
        year=paper.announced.year if paper.announced else None,
        source="openalex",
    )


# -- helpers ------------------------------------------------------------------------------


def _held(held: Mapping[str, Any]) -> tuple[list[LibraryEntry], list[str]]:
    try:
        entries = [
            LibraryEntry(**{**e, "authors": tuple(e["authors"]), "keywords": tuple(e["keywords"])})
            for e in held["entries"]
        ]
    except (KeyError, TypeError):
        return [], []  # not what this radar wrote: read again next time
    return entries, [str(w) for w in held.get("warnings", [])]


def _distinct(entries: list[LibraryEntry]) -> list[LibraryEntry]:
    """One entry per paper (arXiv id, else DOI, else title), the first one kept."""
    seen: dict[str, LibraryEntry] = {}
    for entry in entries:
        title = " ".join(entry.title.casefold().split())
        ident = entry.arxiv_id or (entry.doi or "").lower() or title
        seen.setdefault(ident, entry)
    return list(seen.values())
