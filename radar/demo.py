"""`radar today --demo`: the whole pipeline on a real bundled announcement, with no network.

The bundled day is arXiv's real feed of Thursday 28 November 2024 (all archives,
trimmed to 21 items: 8 new, 7 cross-lists, 6 replacements).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache

from radar.datafiles import data_file
from radar.report import World
from radar.sources.arxiv_feed import FeedDay, parse_feed
from radar.sources.records import Found
from radar.store import Store
from radar.watchlist import WatchedAuthor

# Noon in New York on the bundled day, so "today" is that day.
DEMO_NOW = datetime(2024, 11, 28, 17, 0, tzinfo=UTC)


@cache
def demo_feed() -> FeedDay:
    body = data_file("demo-feed-2024-11-28.xml").read_bytes()
    return parse_feed(body)


class _DemoFeed:
    def fetch(self, categories: tuple[str, ...]) -> FeedDay:
        return demo_feed()


class _DemoApi:
    """Answers id look-ups from the bundled day; author search finds nothing beyond it."""

    def search_authors(
        self, authors: Sequence[WatchedAuthor], since: date, until: date
    ) -> Found:
        return Found()

    def fetch_ids(self, ids: Iterable[str]) -> Found:
        wanted = set(ids)
        return Found(tuple(p for p in demo_feed().papers if p.arxiv_id in wanted))

    def search_categories(
        self, categories: Sequence[str], start: datetime, end: datetime
    ) -> Found:
        return Found()  # the demo knows one day: the others are empty


def demo_world(store: Store) -> World:
    """A world on the bundled day; `store` should be a throwaway one."""
    return World(store=store, now=lambda: DEMO_NOW, feed=_DemoFeed(), api=_DemoApi())
