"""The one orchestrator: config + sources + cache + rank -> Report. Nothing here prints."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from radar.arxivtime import announcement_days, arxiv_today, next_feed_change
from radar.codestamp import code_stamp, digest
from radar.errors import NoDataError, SourceError
from radar.models import DataState, Paper, Ranking, Report
from radar.render.words import counted
from radar.sources.others import other_sources_key, source_window, watches_other_sources
from radar.store import DayRecord, SearchRecord, Store
from radar.watchlist import Config, WatchedAuthor

if TYPE_CHECKING:  # types only; the modules bring in httpx, which offline runs never need
    from radar.library.entries import Library
    from radar.sources.arxiv_feed import FeedDay
    from radar.sources.records import Found

FOREVER = timedelta(days=3650)

log = logging.getLogger("radar.cache")


class FeedSource(Protocol):
    def fetch(self, categories: tuple[str, ...]) -> FeedDay: ...


class ApiSource(Protocol):
    def search_authors(
        self, authors: Sequence[WatchedAuthor], since: date, until: date
    ) -> Found: ...

    def fetch_ids(self, ids: Iterable[str]) -> Found: ...

    def search_categories(
        self, categories: Sequence[str], start: datetime, end: datetime
    ) -> Found: ...


class OtherSource(Protocol):
    def fetch(self, config: Config, since: date, until: date) -> Found: ...


@dataclass(frozen=True, slots=True)
class World:
    """The outside world a run may touch; the sources are None when offline."""

    store: Store
    now: Callable[[], datetime]
    feed: FeedSource | None = None
    api: ApiSource | None = None
    others: OtherSource | None = None  # bioRxiv/medRxiv, journals (radar.sources.others)
    # What the user reads, saved and dismissed: ranks by the learned relevance when not empty.
    library: Library | None = None


@dataclass(frozen=True, slots=True)
class TodayOptions:
    day: date | None = None  # a past day, from the cache
    refresh: bool = False
    unseen: bool = False
    limit: int = 20  # 0: all
    page: int = 1
    mark_seen: bool = True
    hidden: frozenset[str] = frozenset()  # keys of papers the user dismissed: not shown
    since: date | None = None  # every announcement day from this one to today (radar.catchup)


@dataclass(frozen=True, slots=True)
class _Pool:
    """Papers from one place (the day's announcement, an author search, ...)."""

    papers: Sequence[Paper]
    day: date | None
    state: DataState
    no_announcement: bool = False
    notices: tuple[str, ...] = field(default=())
    stamp: str = ""  # names the papers' contents (radar.store): "" for none


def feed_key(config: Config) -> str:
    return "+".join(sorted(config.categories))


def build_today(config: Config, options: TodayOptions, world: World) -> Report:
    now = world.now()
    today = arxiv_today(now)
    since = _span_start(config, options, world, today)
    span_days: tuple[date, ...] = ()
    incomplete: tuple[date, ...] = ()
    if options.day is not None:
        pools = [_past_day(config, options.day, world)]
    else:
        pools = [
            _announcement(config, options, world, now, today),
            _author_papers(config, options, world, now, today),
            _other_papers(config, options, world, now, today),
        ]
    if since is not None:
        span_days = announcement_days(since, today)
        days, incomplete = _span_pools(config, world, pools[0], span_days, now)
        pools[1:1] = days
    seeds = _seeds(config, world)
    ranking = _ranking(config, pools, seeds, world)
    ranked = ranking.ranked
    notices = tuple(n for pool in (*pools, seeds) for n in pool.notices)
    if world.library is not None:  # a library problem is said, and the day shown without it
        notices += world.library.warnings
    hidden_seen = 0
    if options.unseen:
        fresh = world.store.unseen(r.paper.key for r in ranked)
        hidden_seen = len(ranked) - len(fresh)  # said on the report itself, by each renderer
        ranked = tuple(r for r in ranked if r.paper.key in fresh)
    if options.hidden:
        kept = tuple(r for r in ranked if r.paper.key not in options.hidden)
        if len(kept) < len(ranked):
            hidden = counted(len(ranked) - len(kept), "dismissed paper")
            notices += (f"{hidden} hidden (--all shows them)",)
        ranked = kept
    start = (options.page - 1) * options.limit if options.limit else 0
    page = ranked[start : start + options.limit] if options.limit else ranked
    if options.mark_seen and page:
        world.store.mark_seen((r.paper.key for r in page), today)
    day = pools[0]  # the announcement (or the --date day) says which day this is
    return Report(
        watchlist=config.name,
        day=day.day,
        requested_day=options.day or today,
        state=day.state,
        papers=page,
        total=len(ranked),
        counts=ranking.counts,
        excluded=ranking.excluded,
        page=options.page,
        limit=options.limit,
        no_announcement=day.no_announcement,
        hidden_seen=hidden_seen,
        notices=notices,
        ranking=ranked,
        since=since,
        days=span_days,
        incomplete_days=incomplete,
    )


def _span_start(config: Config, options: TodayOptions, world: World, today: date) -> date | None:
    """The first day of a report over several days: --since, else the days a `catch_up`
    run missed; None for one day (and always with --date)."""
    if options.day is not None:
        return None
    if options.since is not None:
        return options.since
    if config.catch_up <= 0 or not config.categories:
        return None
    from radar.catchup import catch_up_start

    return catch_up_start(config.catch_up, world.store.days(feed_key(config)), today)


def _span_pools(
    config: Config, world: World, shown: _Pool, days: tuple[date, ...], now: datetime
) -> tuple[list[_Pool], tuple[date, ...]]:
    """The span's days other than the one `shown` (the announcement), one pool each, and
    the days whose papers may be missing in part."""
    if not config.categories:
        return [], ()
    from radar.catchup import gather

    wanted = tuple(day for day in days if day != shown.day)
    span = gather(world.store, world.api, config.categories, feed_key(config), wanted, now)
    pools = [_Pool(part.papers, part.day, "cached", stamp=part.stamp) for part in span.parts]
    if pools:
        pools[0] = replace(pools[0], notices=span.notices)
    elif span.notices:
        pools = [_Pool((), None, "cached", notices=span.notices)]
    return pools, span.incomplete


def _ranking(config: Config, pools: Sequence[_Pool], seeds: _Pool, world: World) -> Ranking:
    """The pools' papers ranked: kept in the cache, and taken from it while the papers,
    the config and the scoring code are the same as when it was made."""
    slot = digest([str(config.path or ""), config.name])
    library = world.library if world.library is not None and not world.library.empty else None
    stamp = digest(
        [
            code_stamp(_SCORING_CODE),
            repr(config),
            *(pool.stamp for pool in pools),
            seeds.stamp,
            # What the model learns from: a changed library or verdict makes a new ranking.
            *((digest([repr(library.positives), repr(library.negatives)]),) if library else ()),
        ]
    )
    held = world.store.ranking(slot, stamp)
    if held is not None:
        log.info("cache hit: ranking (%d papers)", len(held.ranked))
        return held
    # Imported here: a run that finds its ranking cached needs none of the scoring code.
    from radar.merge import merge
    from radar.rank import rank
    from radar.similarity import similar_to_seeds

    # One paper, one card: a preprint and its journal version, the same DOI twice.
    papers = merge(tuple(paper for pool in pools for paper in pool.papers))
    similarity = similar_to_seeds(papers, seeds.papers) if seeds.papers else None
    learned = None
    if library is not None:
        from radar.relevance.model import learn  # numpy: only when a model is fitted

        learned = learn(library, papers, config.weights)
    ranking = rank(papers, config, similarity, learned)
    world.store.put_ranking(slot, stamp, ranking)
    return ranking


# The code (and data) that decides a ranking: radar.rank and what it imports, and merge,
# similarity and the learned relevance (radar.codestamp).
_SCORING_CODE = (
    "relevance/model.py",
    "relevance/people.py",
    "relevance/text.py",
    "relevance/stopwords.py",
    "relevance/sparse.py",
    "library/entries.py",
    "rank.py",
    "keywords.py",
    "names.py",
    "merge.py",
    "similarity.py",
    "venues.py",
    "biorxiv_taxonomy.py",
    "models.py",
    "watchlist.py",
    "briefing/settings.py",
    "data/biorxiv_categories.json",
)


def _past_day(config: Config, day: date, world: World) -> _Pool:
    record = world.store.day(feed_key(config), day)
    if record is None:
        held = ", ".join(d.isoformat() for d in world.store.days(feed_key(config))[-5:])
        raise NoDataError(
            f"no announcement of {day.isoformat()} is cached for your categories",
            hint=f"cached days: {held}"
            if held
            else "radar keeps the days it has fetched; none is cached yet",
        )
    return _Pool(papers=record.papers, day=day, state="cached", stamp=record.stamp)


def _announcement(
    config: Config, options: TodayOptions, world: World, now: datetime, today: date
) -> _Pool:
    if not config.categories:
        return _Pool(papers=(), day=today, state="fresh")
    key = feed_key(config)
    last = world.store.last_fetch(key)
    notices: tuple[str, ...] = ()
    if last is not None and not options.refresh and last.valid_until > now:
        record, state = last, "cached"
        log.info("cache hit: announcement feed %s (day %s)", key, last.day)
    elif world.feed is None:
        if last is None:
            raise NoDataError(
                "offline, and no announcement is cached yet",
                hint="run `radar today` once with a network, or try `radar today --demo`",
            )
        record, state = last, "offline"
        notices = (_held_from(last, "offline: showing"),)
    else:
        try:
            day = world.feed.fetch(config.categories)
        except SourceError as exc:
            if last is None:
                raise
            record, state = last, "stale"
            notices = (_held_from(last, f"{exc.message}; showing"),)
        else:
            record = DayRecord(
                day=day.announced or today,
                papers=day.papers,
                fetched_at=now,
                valid_until=next_feed_change(now),
            )
            record = replace(record, stamp=world.store.put_fetch(key, record))
            state = "fresh"
            notices = day.notices
    if record.papers:
        return _Pool(record.papers, record.day, state, notices=notices, stamp=record.stamp)  # type: ignore[arg-type]
    # A skip day (weekend, holiday): show the last day that had an announcement.
    # (An empty fetch never stores a day, so the newest held day is the one.)
    previous = world.store.latest_day(key)
    return _Pool(
        papers=previous.papers if previous else (),
        day=previous.day if previous else None,
        state=state,  # type: ignore[arg-type]
        no_announcement=True,
        notices=notices,
        stamp=previous.stamp if previous else "",
    )


def _held_from(record: DayRecord, prefix: str) -> str:
    day = record.day.isoformat() if record.day else "an empty day"
    return f"{prefix} the announcement of {day}, fetched {record.fetched_at:%Y-%m-%d %H:%M} UTC"


def _author_papers(
    config: Config, options: TodayOptions, world: World, now: datetime, today: date
) -> _Pool:
    authors = config.authors
    if not authors:
        return _Pool(papers=(), day=None, state="fresh")
    names = sorted(n for a in authors for n in (a.name, *a.aliases))
    key = digest([*names, str(config.author_window_days)])
    held = world.store.search(key)
    if held is not None and not options.refresh and held.valid_until > now:
        log.info("cache hit: author search (%d papers)", len(held.papers))
        return _held(held, "cached")
    if world.api is None:
        return _held(held, "offline")
    since = today - timedelta(days=config.author_window_days)
    try:
        found = world.api.search_authors(authors, since, today)
    except SourceError as exc:
        if not config.categories and held is None:
            raise
        note = f"{exc.message}; watched authors' papers outside your categories may be missing"
        return _held(held, "stale", notices=(note,))
    record = SearchRecord(found.papers, now, _valid_until(now, found.complete))
    return _searched(world, key, record, found.notices)


def _valid_until(now: datetime, complete: bool) -> datetime:
    """Kept for the day; but a search a page cap cut short is asked again next run, so
    no later run passes the partial answer off as the whole one."""
    return next_feed_change(now) if complete else now


def _other_papers(
    config: Config, options: TodayOptions, world: World, now: datetime, today: date
) -> _Pool:
    """bioRxiv/medRxiv subjects, journals, authors by ORCID: cached for the day like the rest."""
    if not watches_other_sources(config):
        return _Pool(papers=(), day=None, state="fresh")
    key = "others-" + digest(other_sources_key(config))
    held = world.store.search(key)
    if held is not None and not options.refresh and held.valid_until > now:
        log.info("cache hit: other sources (%d papers)", len(held.papers))
        return _held(held, "cached")
    if world.others is None:
        return _held(held, "offline")
    last_run = arxiv_today(held.fetched_at) if held is not None else None
    since, until = source_window(config, today, last_run)
    fetched = world.others.fetch(config, since, until)
    found, notices = fetched.papers, fetched.notices
    if notices and held is not None:
        from radar.merge import merge  # only here: most runs need no merging code this early

        # A source failed: keep what the last run found rather than show less.
        found = merge(found + held.papers)
    record = SearchRecord(found, now, _valid_until(now, fetched.complete))
    return _searched(world, key, record, notices)


def _searched(world: World, key: str, record: SearchRecord, notices: tuple[str, ...] = ()) -> _Pool:
    """What a search just found, kept under `key` for the runs to come."""
    stamp = world.store.put_search(key, record)
    return _Pool(record.papers, None, "fresh", notices=notices, stamp=stamp)


def _held(record: SearchRecord | None, state: DataState, notices: tuple[str, ...] = ()) -> _Pool:
    """What an earlier search kept (nothing, if none)."""
    if record is None:
        return _Pool((), None, state, notices=notices)
    return _Pool(record.papers, None, state, notices=notices, stamp=record.stamp)


def _seeds(config: Config, world: World) -> _Pool:
    """The `similar_to` papers: from the cache, else fetched once by id and kept."""
    if not config.similar_to:
        return _Pool((), None, "fresh")
    key = "seeds-" + digest(sorted(config.similar_to))
    held = world.store.search(key)
    if held is not None:
        log.info("cache hit: similar_to papers")
        return _held(held, "cached")
    if world.api is None:
        note = "similar_to: the seed papers are not cached yet (offline); skipped"
        return _Pool((), None, "offline", notices=(note,))
    try:
        seeds = world.api.fetch_ids(config.similar_to)
    except SourceError as exc:
        return _Pool((), None, "stale", notices=(f"similar_to skipped: {exc.message}",))
    now = world.now()
    until = now + FOREVER if seeds.complete else now  # cut-short seeds are asked again
    return _searched(world, key, SearchRecord(seeds.papers, now, until), seeds.notices)


@dataclass(frozen=True, slots=True)
class FoundPaper:
    paper: Paper
    from_cache: bool  # False: fetched from the export API by this call (and now cached)


def find_paper(arxiv_id: str, world: World) -> FoundPaper:
    """One paper by id: from the cache, else from the export API (and kept in the cache)."""
    held = world.store.paper(arxiv_id)
    if held is not None:
        return FoundPaper(held, from_cache=True)
    if world.api is None:
        raise NoDataError(f"{arxiv_id} is not in the cache", hint="run without --offline")
    looked_up = world.api.fetch_ids([arxiv_id])
    found = [p for p in looked_up.papers if p.arxiv_id == arxiv_id]
    if not found:
        if looked_up.notices:  # arXiv answered, but its record was malformed: say so
            raise NoDataError(
                f"arXiv's record of {arxiv_id} could not be read",
                hint=looked_up.notices[0].removeprefix("warning: "),
            )
        raise NoDataError(f"arXiv has no paper {arxiv_id}", hint="check the id")
    now = world.now()
    # Kept like a similar_to seed: a second look (or --offline) needs no request.
    _searched(world, "shown-" + arxiv_id, SearchRecord(tuple(found[:1]), now, now + FOREVER))
    return FoundPaper(found[0], from_cache=False)
