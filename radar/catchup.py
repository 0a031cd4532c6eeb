"""Catch-up: the announcement days from a start day to today, each from the cache or, for a
day radar never saw, recovered through the export API's category search.

arXiv's feed only ever holds today, so a missed day is searched for by submission time
instead: `cat:` terms of the watched categories OR-ed, within the submission window
that the day's announcement showed (radar.arxivtime.submission_window). Such papers are
marked `source="recovered"`: found by search, not announced. A day recovered whole is
kept in the cache; a day the export API cut short or failed on is shown as far as it
got, named in `incomplete`, and never kept, so a later run asks again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from radar.arxivtime import announcement_days, submission_window
from radar.codestamp import digest
from radar.errors import SourceError, UsageError
from radar.models import AnnounceType, Paper
from radar.render.safe import day_label
from radar.store import SearchRecord, Store

if TYPE_CHECKING:
    from radar.sources.records import Found

MAX_SPAN_DAYS = 31  # how far back --since and catch_up reach
ARXIV_FIRST_DAY = date(1991, 8, 14)  # arXiv's first paper, hep-th/9108001
KEPT_FOR = timedelta(days=3650)  # a past day's submissions do not change

_DAYS_BACK = re.compile(r"(\d+)d")


class CategorySearch(Protocol):
    def search_categories(
        self, categories: Sequence[str], start: datetime, end: datetime
    ) -> Found: ...


@dataclass(frozen=True, slots=True)
class DayPapers:
    """One announcement day's papers; `stamp` names their contents (radar.store)."""

    day: date
    papers: Sequence[Paper]
    stamp: str


@dataclass(frozen=True, slots=True)
class Span:
    parts: tuple[DayPapers, ...]  # newest day first
    incomplete: tuple[date, ...]  # oldest first
    notices: tuple[str, ...]


def parse_since(text: str, today: date) -> date:
    """`--since` as a day: YYYY-MM-DD, or Nd for N days before `today` (arXiv's today)."""
    back = _DAYS_BACK.fullmatch(text.strip())
    if back is not None:
        days = int(back.group(1))
        if days > MAX_SPAN_DAYS:
            raise _too_far(f"--since {text} reaches {days} days back", today)
        return today - timedelta(days=days)
    try:
        since = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since {text!r} is neither a date nor a number of days",
            hint="use YYYY-MM-DD or Nd, e.g. --since 2024-11-25 or --since 3d",
        ) from None
    if since > today:
        raise UsageError(
            f"--since {since.isoformat()} is in the future (arXiv's today is {today.isoformat()})",
            hint="give a day up to today, e.g. --since 3d",
        )
    if since < ARXIV_FIRST_DAY:
        raise UsageError(
            f"--since {since.isoformat()} is before arXiv's first day, "
            f"{ARXIV_FIRST_DAY.isoformat()}",
            hint=f"radar catches up at most {MAX_SPAN_DAYS} days: "
            f"use a day from {(today - timedelta(days=MAX_SPAN_DAYS)).isoformat()} on",
        )
    if (today - since).days > MAX_SPAN_DAYS:
        raise _too_far(f"--since {since.isoformat()} is {(today - since).days} days back", today)
    return since


def _too_far(what: str, today: date) -> UsageError:
    earliest = today - timedelta(days=MAX_SPAN_DAYS)
    return UsageError(
        f"{what}; radar catches up at most {MAX_SPAN_DAYS} days",
        hint=f"use a day from {earliest.isoformat()} on (or --since {MAX_SPAN_DAYS}d)",
    )


def catch_up_start(days: int, held: Sequence[date], today: date) -> date | None:
    """For `catch_up: days`: the first announcement day missed since the newest `held` day
    before today (the last run's), at most `days` back; None when none was missed or radar
    never ran (a first run has missed nothing)."""
    last = max((day for day in held if day < today), default=None)
    if days <= 0 or last is None:
        return None
    first = max(last + timedelta(days=1), today - timedelta(days=days))
    missed = announcement_days(first, today - timedelta(days=1))
    return missed[0] if missed else None


def gather(
    store: Store,
    api: CategorySearch | None,
    categories: tuple[str, ...],
    feed_key: str,
    days: Sequence[date],
    now: datetime,
) -> Span:
    """The papers of each of `days`, newest first (so the newest copy of a paper makes
    its card): held days from the cache, the others recovered while the export API answers."""
    parts: list[DayPapers] = []
    incomplete: list[date] = []
    notices: list[str] = []
    failure = "offline" if api is None else ""
    for day in sorted(days, reverse=True):
        held = store.day(feed_key, day) or store.search(_recovered_key(feed_key, day))
        if held is not None:
            parts.append(DayPapers(day, held.papers, held.stamp))
            continue
        if api is None or failure:
            incomplete.append(day)
            continue
        start, end = submission_window(day)
        try:
            found = api.search_categories(categories, start, end)
        except SourceError as exc:  # asking again for the older days would fail the same
            failure = exc.message
            incomplete.append(day)
            continue
        papers = tuple(_recovered(paper, day, categories) for paper in found.papers)
        notices += found.notices
        if found.complete:
            record = SearchRecord(papers, now, now + KEPT_FOR)
            stamp = store.put_search(_recovered_key(feed_key, day), record)
        else:
            incomplete.append(day)
            stamp = "partial:" + digest([p.versioned_id for p in papers])
        parts.append(DayPapers(day, papers, stamp))
    if incomplete:
        missing = ", ".join(day_label(day) for day in sorted(incomplete))
        why = failure or "arXiv's export API stopped early"
        notices.append(f"warning: papers of {missing} may be missing ({why})")
    return Span(tuple(parts), tuple(sorted(incomplete)), tuple(dict.fromkeys(notices)))


def _recovered_key(feed_key: str, day: date) -> str:
    return f"recovered-{feed_key}-{day.isoformat()}"


def _recovered(paper: Paper, day: date, watched: tuple[str, ...]) -> Paper:
    """A searched paper as that day's announcement would have listed it: new in its primary
    category, a cross-list in another; its first version was submitted in the window."""
    primary = paper.primary_category
    own = any(primary == cat or primary.startswith(cat + ".") for cat in watched)
    kind: AnnounceType = "new" if own else "cross"
    return replace(paper, source="recovered", announced=day, announce_type=kind)
