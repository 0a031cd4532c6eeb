"""Crossref's /journals/{issn}/works: watched journals straight from publishers' deposits.

OpenAlex is asked first (one query covers every journal, abstracts included more
often); Crossref stands in when OpenAlex fails, and is a day or so fresher, since
OpenAlex itself ingests Crossref.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

from radar.errors import SourceError
from radar.models import Paper
from radar.polite import PageCap
from radar.sources.channel import Channel
from radar.sources.markup import one_line, plain
from radar.sources.records import (
    Found,
    MalformedRecordError,
    guarded,
    plausible_day,
    printable_ident,
    skipped_notice,
)
from radar.watchlist import Journal

log = logging.getLogger("radar.crossref")

SERVICE = "Crossref"
ROWS = 100
# Pages one run may ask of Crossref, every watched journal together (2,000 works).
MAX_PAGES_PER_RUN = 20
# The first full date wins: the online date is when readers could first see the paper.
_DATE_FIELDS = ("published-online", "published-print", "published", "issued")


def works_url(base_url: str, issn: str, since: date, until: date, cursor: str, mailto: str) -> str:
    window = f"from-pub-date:{since.isoformat()},until-pub-date:{until.isoformat()}"
    params = {"filter": f"{window},type:journal-article", "rows": str(ROWS), "cursor": cursor}
    if mailto:
        params["mailto"] = mailto  # Crossref's polite pool
    path = f"/journals/{quote(issn)}/works"
    return f"{base_url.rstrip('/')}{path}?{urlencode(params, safe=':,*')}"


def parse_item(item: Mapping[str, Any], journal: Journal | None = None) -> Paper | None:
    doi = _text(item.get("DOI"))
    title = one_line(_first(item.get("title")))
    if not doi or not title:
        return None
    venue = (journal.name if journal else "") or _first(item.get("container-title")) or None
    return Paper(
        arxiv_id="",
        version=1,
        title=title,
        authors=_authors(item.get("author")),
        abstract=plain(_text(item.get("abstract"))),
        categories=(journal.issn,) if journal else (),  # the watched ISSN, as watched
        announce_type="new",
        announced=_published(item),
        doi=doi,
        source="crossref",
        origin="journal",
        venue=venue,
        landing_url=f"https://doi.org/{doi}",
    )


def _authors(authors: Any) -> tuple[str, ...]:
    names: list[str] = []
    if authors is not None and not isinstance(authors, list):
        raise MalformedRecordError(f"its author is {type(authors).__name__}, not a list")
    for author in authors or []:
        if not isinstance(author, Mapping):
            raise MalformedRecordError("an author that is not an object")
        # A person has given/family (sometimes family alone); a group has `name`.
        joined = f"{_text(author.get('given'))} {_text(author.get('family'))}"
        name = " ".join((joined if joined.strip() else _text(author.get("name"))).split())
        if name:
            names.append(name)
    return tuple(names)


def _published(item: Mapping[str, Any]) -> date | None:
    """The first full publication date; else a partial one (2024-04 -> 1 April); else `created`."""
    partial: date | None = None
    for key in _DATE_FIELDS:
        day, full = _date_parts(item.get(key))
        if day is not None and full:
            return day
        partial = partial or day
    return partial or _date_parts(item.get("created"))[0]


def _date_parts(held: Any) -> tuple[date | None, bool]:
    """A date field's first date-parts; absent is (None, False), malformed raises."""
    if held is None:
        return None, False
    parts = held.get("date-parts") if isinstance(held, Mapping) else None
    if not isinstance(parts, list):
        raise MalformedRecordError("a date without a date-parts list")
    first = parts[0] if parts else None
    # Crossref writes [[null]] for a date it does not know.
    if first is None or first == [None]:
        return None, False
    if not isinstance(first, list) or not all(
        isinstance(p, int) and not isinstance(p, bool) for p in first
    ):
        raise MalformedRecordError(f"date-parts {printable_ident(repr(first), 40)} are not numbers")
    try:
        day = date(*[*first, 1, 1][:3])
    except (ValueError, OverflowError, TypeError):
        shown = printable_ident(repr(first), 40)
        raise MalformedRecordError(f"date-parts {shown} are not a date") from None
    return plausible_day(day, "date"), len(first) >= 3


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedRecordError(f"text was expected, not {type(value).__name__}")
    return value.strip()


class Crossref:
    """Reads each watched journal's works published in a window, cursor by cursor."""

    def __init__(
        self,
        channel: Channel,
        base_url: str,
        *,
        mailto: str = "",
        max_pages: int = MAX_PAGES_PER_RUN,
    ) -> None:
        self._channel = channel
        self._base_url = base_url
        self._mailto = mailto
        self._pages = PageCap(max_pages)

    def journal_works(self, journals: Sequence[Journal], since: date, until: date) -> Found:
        papers: dict[str, Paper] = {}
        notices: list[str] = []
        for journal in journals:
            for paper in self._journal(journal, since, until, notices):
                papers.setdefault(paper.key, paper)
        return Found(tuple(papers.values()), tuple(notices), not self._pages.reached)

    def _journal(
        self, journal: Journal, since: date, until: date, notices: list[str]
    ) -> list[Paper]:
        papers: list[Paper] = []
        cursor = "*"
        what = f"reading {SERVICE} works of {journal.name or journal.issn}"
        page = 0
        while self._pages.take():
            url = works_url(self._base_url, journal.issn, since, until, cursor, self._mailto)
            items, received, next_cursor = _page(
                self._channel.get_json(url, service=SERVICE, what=what), notices
            )
            for item in items:
                ident = printable_ident(item.get("DOI"))
                paper = guarded(SERVICE, ident, partial(parse_item, item, journal), notices)
                if paper is not None:
                    papers.append(paper)
            page += 1
            # Crossref hands out a next cursor even on the last page: a short page ends it.
            if not next_cursor or received < ROWS:
                log.info("%s: %d works in %d page(s)", what, len(papers), page)
                return papers
            cursor = next_cursor
        missing = f"works of {journal.name or journal.issn} beyond the first {len(papers)}"
        notices.append(self._pages.notice(SERVICE, missing))
        return papers


def _page(data: Any, notices: list[str]) -> tuple[list[Mapping[str, Any]], int, str | None]:
    """(the page's items, how many came, the next cursor or None)."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("items"), list):
        raise SourceError(f"{SERVICE} gave an unusable answer (no `message.items` list)")
    items: list[Mapping[str, Any]] = [i for i in message["items"] if isinstance(i, dict)]
    if len(items) < len(message["items"]):
        notices.append(skipped_notice(SERVICE, "", "an item that is not a JSON object"))
    cursor = message.get("next-cursor")
    received = len(message["items"])
    return items, received, cursor if isinstance(cursor, str) and cursor else None
