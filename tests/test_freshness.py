"""A cached day stays fresh until the first US Eastern midnight after it was fetched — not a
second earlier, not a day later — including on the days daylight saving starts and ends.

Every instant is written out by hand in UTC: US Eastern is UTC-5 in winter (EST) and UTC-4
in summer (EDT); in 2024 summer time began on 10 March at 02:00 EST and ended on 3 November
at 02:00 EDT, so 10 March was 23 hours long and 3 November 25.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from conftest import DEMO_FEED, Run, frozen_clock
from loopback import Answer, Loopback, fixture
from radar.arxivtime import arxiv_today, next_feed_change


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (fetched at, the feed's next change) in UTC
CHANGES = [
    # A winter weekday: 10:00 EST -> midnight EST, 05:00 UTC.
    ("2024-11-28T15:00:00", "2024-11-29T05:00:00"),
    # One second before midnight EST: the change is one second away.
    ("2024-11-29T04:59:59", "2024-11-29T05:00:00"),
    # At midnight EST exactly: the new day has just begun; it lasts until the next one.
    ("2024-11-29T05:00:00", "2024-11-30T05:00:00"),
    # A summer day: 12:00 EDT -> midnight EDT, 04:00 UTC.
    ("2024-07-01T16:00:00", "2024-07-02T04:00:00"),
    # Saturday 9 March 22:00 EST: the next midnight is still EST (05:00 UTC).
    ("2024-03-10T03:00:00", "2024-03-10T05:00:00"),
    # Sunday 10 March 01:30 EST, before the clocks go forward: next midnight is EDT (04:00).
    ("2024-03-10T06:30:00", "2024-03-11T04:00:00"),
    # Sunday 10 March 03:30 EDT, after: the same midnight.
    ("2024-03-10T07:30:00", "2024-03-11T04:00:00"),
    # Saturday 2 November 22:00 EDT: the next midnight is still EDT (04:00 UTC).
    ("2024-11-03T02:00:00", "2024-11-03T04:00:00"),
    # Sunday 3 November 01:30 EDT (the first 01:30): next midnight is EST (05:00).
    ("2024-11-03T05:30:00", "2024-11-04T05:00:00"),
    # Sunday 3 November 01:30 EST (the second 01:30): the same midnight.
    ("2024-11-03T06:30:00", "2024-11-04T05:00:00"),
]


@pytest.mark.parametrize(("fetched", "change"), CHANGES)
def test_the_feed_changes_at_the_first_eastern_midnight(fetched: str, change: str) -> None:
    found = next_feed_change(utc(fetched))
    assert found == utc(change)
    assert found.utcoffset() == timedelta(0)


# (an instant in UTC, arXiv's day then)
DAYS = [
    ("2024-11-29T04:59:59", date(2024, 11, 28)),
    ("2024-11-29T05:00:00", date(2024, 11, 29)),
    ("2024-07-01T03:59:59", date(2024, 6, 30)),
    ("2024-07-01T04:00:00", date(2024, 7, 1)),
    ("2024-03-11T03:59:59", date(2024, 3, 10)),
    ("2024-03-11T04:00:00", date(2024, 3, 11)),
    ("2024-11-04T04:59:59", date(2024, 11, 3)),
    ("2024-11-04T05:00:00", date(2024, 11, 4)),
]


@pytest.mark.parametrize(("instant", "day"), DAYS)
def test_arxivs_day_is_the_eastern_date(instant: str, day: date) -> None:
    assert arxiv_today(utc(instant)) == day


# -- end to end: the cache of a real run, on a frozen clock -----------------------------

WATCHLIST = "categories: [cs.LG]\nnetwork: {spacing: 0, max_wait: 2}\n"


def feed_dated(day: date) -> bytes:
    """The recorded feed, its dates moved to `day` (what arXiv would serve on it)."""
    stamp = f"{day:%a, %d %b %Y}".encode()
    return re.sub(rb"Thu, 28 Nov 2024", stamp, fixture(DEMO_FEED))


@pytest.mark.parametrize(
    ("fetched", "expires"),
    [
        ("2024-11-28T15:00:00", "2024-11-29T05:00:00"),
        ("2024-03-10T06:30:00", "2024-03-11T04:00:00"),  # the spring-forward day
        ("2024-11-03T05:30:00", "2024-11-04T05:00:00"),  # the fall-back day
    ],
    ids=["winter", "march", "november"],
)
def test_a_cached_day_expires_at_the_first_eastern_midnight(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    isolated_user: Path,
    fetched: str,
    expires: str,
) -> None:
    fetched_at = utc(fetched)
    server = Loopback().start()
    try:
        server.route("/rss/", Answer(body=feed_dated(arxiv_today(fetched_at))))
        monkeypatch.setenv("RADAR_ARXIV_RSS_URL", server.url + "/rss/")
        config = isolated_user / "radar.yaml"
        config.write_text(WATCHLIST, encoding="utf-8")

        def today_at(instant: datetime) -> int:
            frozen_clock(monkeypatch, instant.isoformat())
            outcome = run("today", "-c", str(config), "--format", "json")
            assert outcome.code == 0, outcome.err
            return server.count("/rss/")

        assert today_at(fetched_at) == 1
        assert today_at(fetched_at + timedelta(hours=1)) == 1
        assert today_at(utc(expires) - timedelta(seconds=1)) == 1  # still the cached day
        assert today_at(utc(expires)) == 2  # the feed has changed: fetched again
        assert today_at(utc(expires) + timedelta(hours=1)) == 2  # and cached again
    finally:
        server.stop()
