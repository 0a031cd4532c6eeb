"""OpenAlex's works API: watched journals (by ISSN) and watched authors (by ORCID or id)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

from radar.errors import SourceError
from radar.models import Paper
from radar.polite import PageCap
from radar.sources.channel import Channel
from radar.sources.openalex_works import parse_work
from radar.sources.records import Found, guarded, printable_ident, skipped_notice
from radar.watchlist import Journal, WatchedAuthor

log = logging.getLogger("radar.openalex")

SERVICE = "OpenAlex"
# The current API documents 1..100 per page (older docs said 200); 100 is valid under both.
PER_PAGE = 100
VALUES_PER_FILTER = 50  # OpenAlex ORs at most 100 values in one filter; half keeps URLs short
# Pages one run may ask of OpenAlex, journals and authors together: 2,000 works, far
# beyond a few days of a few journals. A server that never ends is stopped there.
MAX_PAGES_PER_RUN = 20
# Only what a card shows: a whole work object is ~40 kB, mostly references and concepts.
SELECT = (
    "id,doi,title,display_name,publication_date,authorships,abstract_inverted_index,"
    "primary_location,locations,type"
)
# Research papers, not editorials, errata, datasets or peer reviews.
TYPES = "article|review|letter|preprint"


def works_url(
    base_url: str, filters: str, cursor: str, *, mailto: str = "", api_key: str = ""
) -> str:
    params = {
        "filter": filters,
        "per_page": str(PER_PAGE),
        "cursor": cursor,
        "select": SELECT,
    }
    if mailto:
        params["mailto"] = mailto  # the polite pool: OpenAlex can write before it throttles
    if api_key:
        params["api_key"] = api_key
    return f"{base_url.rstrip('/')}/works?{urlencode(params, safe=':,|*')}"


def window_filter(since: date, until: date) -> str:
    return f"from_publication_date:{since.isoformat()},to_publication_date:{until.isoformat()}"


class OpenAlex:
    """Reads works from api.openalex.org, following `meta.next_cursor` to the end."""

    def __init__(
        self,
        channel: Channel,
        base_url: str,
        *,
        mailto: str = "",
        api_key: str = "",
        max_pages: int = MAX_PAGES_PER_RUN,
    ) -> None:
        self._channel = channel
        self._base_url = base_url
        self._mailto = mailto
        self._api_key = api_key
        self._pages = PageCap(max_pages)

    def journal_works(self, journals: Sequence[Journal], since: date, until: date) -> Found:
        """Works of the watched journals published in the window: one query for up to 50."""
        by_issn = {j.issn: j for j in journals}
        papers: list[Paper] = []
        notices: list[str] = []
        for chunk in _chunks(list(by_issn), VALUES_PER_FILTER):
            issns = "|".join(chunk)
            filters = f"primary_location.source.issn:{issns},{window_filter(since, until)}"
            names = ", ".join(by_issn[i].name or i for i in chunk)
            what = f"journals ({names})"
            papers += self._works(f"{filters},type:{TYPES}", by_issn, what, notices)
        return self._found(papers, notices)

    def author_works(
        self, authors: Sequence[WatchedAuthor], since: date, until: date
    ) -> Found:
        """Works of authors known by ORCID or OpenAlex id: no name guessing needed."""
        known = {i: a.name for a in authors for i in (a.orcid, a.openalex) if i}
        papers: list[Paper] = []
        notices: list[str] = []
        for field, ids in (
            ("author.orcid", [a.orcid for a in authors if a.orcid]),
            ("author.id", [a.openalex for a in authors if a.openalex and not a.orcid]),
        ):
            for chunk in _chunks(list(dict.fromkeys(i for i in ids if i)), VALUES_PER_FILTER):
                filters = f"{field}:{'|'.join(chunk)},{window_filter(since, until)},type:{TYPES}"
                papers += self._works(filters, {}, "watched authors' works", notices, known)
        return self._found(papers, notices)

    def _found(self, papers: list[Paper], notices: list[str]) -> Found:
        return Found(_distinct(papers), tuple(dict.fromkeys(notices)), not self._pages.reached)

    def works_of(self, orcids: Sequence[str], author_ids: Sequence[str]) -> Found:
        """Every work of these authors, any year: a user's own papers, for their library."""
        papers: list[Paper] = []
        notices: list[str] = []
        for field, ids in (("author.orcid", orcids), ("author.id", author_ids)):
            for chunk in _chunks(list(dict.fromkeys(ids)), VALUES_PER_FILTER):
                filters = f"{field}:{'|'.join(chunk)},type:{TYPES}"
                papers += self._works(filters, {}, "your own works", notices)
        return self._found(papers, notices)

    def _works(
        self,
        filters: str,
        journals: Mapping[str, Journal],
        what: str,
        notices: list[str],
        known: Mapping[str, str] | None = None,
    ) -> list[Paper]:
        papers: list[Paper] = []
        cursor = "*"
        page = 0
        while self._pages.take():
            url = works_url(
                self._base_url, filters, cursor, mailto=self._mailto, api_key=self._api_key
            )
            data = self._channel.get_json(url, service=SERVICE, what=f"reading {SERVICE} {what}")
            results, next_cursor = _page(data, notices)
            for work in results:
                ident = printable_ident(work.get("id") or work.get("doi"))
                paper = guarded(
                    SERVICE, ident, partial(parse_work, work, journals, known), notices
                )
                # A work without a DOI has no identity to merge, cache or mark seen by: skipped.
                if paper is not None and paper.doi:
                    papers.append(paper)
            page += 1
            # The docs: repeat until next_cursor is null (and results empty).
            if not next_cursor or not results:
                log.info("%s %s: %d works in %d page(s)", SERVICE, what, len(papers), page)
                return papers
            cursor = next_cursor
        notices.append(self._pages.notice(SERVICE, f"{what} beyond the first {len(papers)}"))
        return papers


def _page(data: Any, notices: list[str]) -> tuple[list[Mapping[str, Any]], str | None]:
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SourceError(f"{SERVICE} gave an unusable answer (no `results` list)")
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    next_cursor = meta.get("next_cursor") if isinstance(meta, dict) else None
    results: list[Mapping[str, Any]] = [w for w in data["results"] if isinstance(w, dict)]
    if len(results) < len(data["results"]):
        notices.append(skipped_notice(SERVICE, "", "a result that is not a JSON object"))
    return results, next_cursor if isinstance(next_cursor, str) and next_cursor else None


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _distinct(papers: list[Paper]) -> tuple[Paper, ...]:
    # A work of two watched journals (or two watched authors) comes back once per query.
    seen: dict[str, Paper] = {}
    for paper in papers:
        seen.setdefault(paper.key, paper)
    return tuple(seen.values())
