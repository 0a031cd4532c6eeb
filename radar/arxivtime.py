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


# arXiv's daily cutoff: what is submitted before 14:00 Eastern on a weekday is announced
# that evening, and the feed shows it from the next Eastern midnight on.
CUTOFF = time(14, 0)


def announcement_days(first: date, last: date) -> tuple[date, ...]:
    """The days from `first` to `last` (both included) that the feed has an announcement:
    Monday to Friday. arXiv's holidays are not known here, so a holiday counts as a day."""
    count = (last - first).days + 1
    days = (first + timedelta(days=n) for n in range(max(count, 0)))
    return tuple(day for day in days if day.weekday() < 5)


def submission_window(day: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the submissions that announcement day `day` (a weekday)
    shows: from the cutoff before the previous day's to the cutoff of the weekday before
    `day`. An approximation: a holiday's submissions roll over, and a paper put on hold
    is announced later; both are counted on the day their submission window names."""
    end = _cutoff(_weekday_before(day))
    start = _cutoff(_weekday_before(_weekday_before(day)))
    return start, end


def _weekday_before(day: date) -> date:
    back = 3 if day.weekday() == 0 else 2 if day.weekday() == 6 else 1
    return day - timedelta(days=back)


def _cutoff(day: date) -> datetime:
    return datetime.combine(day, CUTOFF, tzinfo=eastern()).astimezone(UTC)
