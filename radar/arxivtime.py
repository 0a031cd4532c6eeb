"""arXiv's calendar: its day is the US Eastern date, and its feed changes at Eastern midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache


@cache
def eastern() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except Exception:  # no tz database (e.g. Windows without tzdata): EST all year
        from datetime import timezone

        return timezone(timedelta(hours=-5), "EST")


def arxiv_today(now: datetime) -> date:
    """The announcement day that the feed shows at `now`."""
    return now.astimezone(eastern()).date()


def next_feed_change(now: datetime) -> datetime:
    """When the feed fetched at `now` stops being current: the next Eastern midnight."""
    local = now.astimezone(eastern())
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=eastern())
    return midnight.astimezone(UTC)
