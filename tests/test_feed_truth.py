"""The feed tells the truth about the day (issue 11, item 10, the feed's part).

A feed whose items exist but none can be read is an error, never "no announcement
(weekend or holiday)": a format change at arXiv would otherwise look like a holiday
for ever, cached as fresh. A feed dated after tomorrow by the run's clock, or before
arXiv existed, is refused. Neither is cached; a cached day is shown instead when
there is one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import EMPTY_FEED, Run, frozen_clock
from faults_support import (
    FEED_CAUGHT,
    FEED_WATCHLIST,
    REAL_FEED,
    feed_items,
    lines_matching,
    write_watchlist,
)
from loopback import Answer, Loopback, fixture


def _without_ids(feed: bytes) -> bytes:
    """Every item stripped of what carries its id: link, guid and the description's prefix."""
    head, items, tail = feed_items(feed)
    stripped = [
        re.sub(
            rb"<link>[^<]*</link>|<guid[^>]*>[^<]*</guid>|arXiv:\d{4}\.\d{5}v\d+ ", b"", item
        )
        for item in items
    ]
    return head + b"".join(stripped) + tail


def _dated(pub_date: bytes) -> bytes:
    """The real feed with its channel's and every item's pubDate set to `pub_date`."""
    return re.sub(rb"<pubDate>[^<]*</pubDate>", b"<pubDate>" + pub_date + b"</pubDate>", REAL_FEED)


UNTRUTHFUL = {
    "items without ids": (_without_ids(REAL_FEED), "none of its 21 items could be read"),
    "dated 9999-12-31": (
        _dated(b"Fri, 31 Dec 9999 00:00:00 -0500"),
        "pubDate 9999-12-31 is not a plausible date",
    ),
    "dated 2099, beyond tomorrow": (
        _dated(b"Thu, 01 Jan 2099 00:00:00 -0500"),
        r"the feed is dated 2099-01-01, after today \(",
    ),
    "dated 1970, before arXiv": (
        _dated(b"Thu, 01 Jan 1970 00:00:00 -0500"),
        "the feed is dated 1970-01-01, before arXiv began",
    ),
    "a channel date that is no date": (_dated(b"tomorrow"), "pubDate 'tomorrow' is not a date"),
}


@pytest.mark.parametrize(("feed", "says"), UNTRUTHFUL.values(), ids=UNTRUTHFUL.keys())
def test_an_untruthful_feed_is_an_error_and_never_cached(
    feed: bytes, says: str, run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    arxiv.route("/rss/", Answer(body=feed))
    cold = run("today")
    assert cold.code == 3, cold.err
    (error,) = lines_matching(cold.err, "^error:")
    assert error.startswith("error: arXiv's announcement feed gave an unusable answer: ")
    assert re.search(says, error), error
    assert "weekend or holiday" not in cold.err + cold.out
    # Nothing was cached: offline there is still no day.
    offline = run("today", "--offline")
    assert offline.code == 3
    assert "no announcement is cached yet" in offline.err

    # With a day cached, that day is shown, stale, and the error is one line about it.
    arxiv.route("/rss/", Answer(body=REAL_FEED))
    assert run("today").code == 0
    arxiv.route("/rss/", Answer(body=feed))
    warm = run("today", "--refresh", "--format", "json")
    assert warm.code == 0, warm.err
    doc = json.loads(warm.out)
    assert doc["state"] == "stale" and doc["day"] == "2024-11-28"
    assert [p["id"] for p in doc["papers"]] == FEED_CAUGHT


def test_a_feed_dated_tomorrow_is_accepted_one_dated_the_day_after_is_not(
    run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The captured feed is dated Thursday 2024-11-28 (US Eastern).
    write_watchlist(isolated_user, FEED_WATCHLIST)
    frozen_clock(monkeypatch, "2024-11-26T17:00:00+00:00")  # Tuesday noon in New York
    early = run("today")
    assert early.code == 3
    assert "the feed is dated 2024-11-28, after today (2024-11-26)" in early.err
    frozen_clock(monkeypatch, "2024-11-27T17:00:00+00:00")  # Wednesday: the 28th is tomorrow
    assert run("today").code == 0


def test_a_feed_with_no_items_is_still_a_skip_day(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    arxiv.route("/rss/", Answer(body=fixture(EMPTY_FEED)))
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["papers"] == []
