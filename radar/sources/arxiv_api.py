"""arXiv's export API: author searches and id look-ups, page by page, with arXiv manners.

Every page goes through radar.sources.http.fetch (spacing, a whole-request deadline,
a size cap) and is checked before it is read: a 200 answer that is not a whole Atom
page in plain UTF-8 XML is a failed try, retried within the run's budget, as is arXiv's
flaky empty page whose header says results exist. Pages are read by
radar.sources.arxiv_atom, one entry at a time, so one malformed entry is skipped with
a notice. The `arxiv` package once did this; it retries without backoff, ignores
Retry-After, fails a whole search on one bad entry and walks any number of pages.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import httpx

from radar.errors import SourceError
from radar.models import Paper
from radar.names import normalize_name
from radar.polite import (
    RETRY_STATUSES,
    Clock,
    Pacer,
    PageCap,
    Sleep,
    WaitBudget,
    pause_before_retry,
)
from radar.sources.arxiv_atom import SOURCE, AtomPage, UnreadablePageError, parse_page
from radar.sources.http import FetchFailedError, fetch
from radar.sources.records import Found
from radar.sources.xmlguard import RefusedXmlError, screen
from radar.watchlist import WatchedAuthor

AUTHORS_PER_QUERY = 10  # OR-ed au: terms per request; keeps URLs short and requests few
ID_BATCH = 100  # ids per id_list request
MAX_AUTHOR_RESULTS = 500
PAGE_SIZE = 500  # entries asked for per page; arXiv serves up to 2,000
# Pages one run may ask of the export API, author searches and look-ups together: one
# page per ten watched authors, or per hundred similar_to ids, fits many times over.
MAX_PAGES_PER_RUN = 10
# Pages one run may ask for to recover missed announcement days (radar.catchup), apart
# from the cap above: a 31-day catch-up asks one query per weekday, ~23, most one page.
MAX_RECOVERY_PAGES = 30
MAX_DAY_RESULTS = 5000  # a day of every category is ~2,000 new papers; more is a runaway

_TOTAL = re.compile(rb"<opensearch:totalResults[^>]*>\s*(\d{1,9})")


def author_queries(authors: Sequence[WatchedAuthor], since: date, until: date) -> list[str]:
    """One search_query per AUTHORS_PER_QUERY authors, each limited to the date window."""
    window = f"submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]"
    queries = []
    for start in range(0, len(authors), AUTHORS_PER_QUERY):
        chunk = authors[start : start + AUTHORS_PER_QUERY]
        names = dict.fromkeys(
            _query_name(name) for author in chunk for name in (author.name, *author.aliases)
        )
        terms = " OR ".join(f'au:"{name}"' for name in names if name)
        queries.append(f"({terms}) AND {window}")
    return queries


def category_query(categories: Sequence[str], start: datetime, end: datetime) -> str:
    """Papers first submitted in [start, end) to any of `categories` (the API's submittedDate
    is the first version's, in UTC, to the minute, both ends included: hence end - 1 min)."""
    last = datetime.fromtimestamp(end.timestamp() - 60, UTC)
    window = f"submittedDate:[{start.astimezone(UTC):%Y%m%d%H%M} TO {last:%Y%m%d%H%M}]"
    terms = " OR ".join(f"cat:{category}" for category in categories)
    return f"({terms}) AND {window}"


def _query_name(name: str) -> str:
    # arXiv's search folds accents; quotes inside a phrase would end it early.
    return normalize_name(name).replace('"', "")


class ArxivApi:
    def __init__(
        self,
        base_url: str,
        *,
        pacer: Pacer,
        budget: WaitBudget,
        retries: int,
        timeout: float,
        user_agent: str,
        client: httpx.Client | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        max_pages: int = MAX_PAGES_PER_RUN,
        max_recovery_pages: int = MAX_RECOVERY_PAGES,
    ) -> None:
        """`client`: an httpx client to share; without one, the first query makes one."""
        self._base_url = base_url
        self._pacer = pacer
        self._budget = budget
        self._retries = retries
        self._timeout = timeout
        self._user_agent = user_agent
        self._client = client
        self._sleep = sleep
        self._clock = clock
        self._pages = PageCap(max_pages)
        self._recovery_pages = PageCap(max_recovery_pages)

    def search_authors(
        self, authors: Sequence[WatchedAuthor], since: date, until: date
    ) -> Found:
        papers: dict[str, Paper] = {}
        notices: list[str] = []
        for query in author_queries(authors, since, until):
            params = {"search_query": query, "sortBy": "submittedDate", "sortOrder": "descending"}
            for paper in self._search(params, MAX_AUTHOR_RESULTS, notices):
                papers.setdefault(paper.arxiv_id, paper)
        return Found(tuple(papers.values()), _once(notices), not self._pages.reached)

    def fetch_ids(self, ids: Iterable[str]) -> Found:
        wanted = list(dict.fromkeys(ids))
        found: list[Paper] = []
        notices: list[str] = []
        for start in range(0, len(wanted), ID_BATCH):
            batch = wanted[start : start + ID_BATCH]
            found += self._search({"id_list": ",".join(batch)}, len(batch), notices)
        return Found(tuple(found), _once(notices), not self._pages.reached)

    def search_categories(
        self, categories: Sequence[str], start: datetime, end: datetime
    ) -> Found:
        """Every paper first submitted in [start, end) to one of `categories`, oldest first.

        `complete` is False when a page cap or MAX_DAY_RESULTS cut this search short;
        SourceError when a page fails (what earlier pages held is then not returned).
        """
        params = {
            "search_query": category_query(categories, start, end),
            "sortBy": "submittedDate",
            "sortOrder": "ascending",
        }
        notices: list[str] = []
        papers, whole = self._walk(params, MAX_DAY_RESULTS, notices, self._recovery_pages)
        return Found(tuple(papers), _once(notices), whole)

    def _http(self) -> httpx.Client:
        if self._client is None:
            # Made once: building a client loads the CA certificates, a tenth of a second.
            self._client = httpx.Client(follow_redirects=True)
        return self._client

    def _search(self, params: dict[str, str], wanted: int, notices: list[str]) -> list[Paper]:
        """Up to `wanted` entries, page by page, until the reported total or the cap."""
        return self._walk(params, wanted, notices, self._pages)[0]

    def _walk(
        self, params: dict[str, str], wanted: int, notices: list[str], cap: PageCap
    ) -> tuple[list[Paper], bool]:
        """Up to `wanted` entries, and whether they are all there are (no cap stopped it)."""
        papers: list[Paper] = []
        start = 0
        while start < wanted:
            if not cap.take():
                notices.append(cap.notice(SOURCE, "papers of later pages"))
                return papers, False
            size = min(wanted - start, PAGE_SIZE)
            url = self._base_url.rstrip("?") + "?" + urlencode(
                {**params, "start": str(start), "max_results": str(size)}
            )
            page = self._page(url)
            papers += page.papers
            notices += page.notices
            start += page.entries
            if page.entries == 0 or start >= (page.total or 0):
                return papers[:wanted], True
        return papers[:wanted], False

    def _page(self, url: str) -> AtomPage:
        """One whole, readable page, retried within the budget; SourceError otherwise."""
        if self._budget.spent:
            raise SourceError(
                f"searching arXiv's export API failed: {self._budget.refusal()}",
                hint="earlier sources failed or stalled; try again later",
            )
        failure = ""
        for attempt in range(self._retries + 1):
            started = self._clock()  # a failed try costs its wait for a turn as well
            retry_after: str | None = None
            retryable = True
            try:
                self._pacer.wait_turn()
                fetched = fetch(
                    self._http(),
                    url,
                    timeout=self._timeout,
                    pacer=self._pacer,
                    headers={"User-Agent": self._user_agent},
                )
                if fetched.status != 200:
                    failure = f"HTTP {fetched.status}"
                    retryable = fetched.status in RETRY_STATUSES
                    retry_after = fetched.headers.get("retry-after")
                else:
                    return _readable(fetched.body)
            except FetchFailedError as exc:
                failure = exc.reason
                # A redirect loop or an oversized body would come back the same.
                retryable = not exc.final
            except UnusableAnswerError as exc:
                failure = exc.reason
            self._budget.charge(self._clock() - started)
            if not retryable or attempt == self._retries:
                break
            refusal = pause_before_retry(self._budget, attempt, retry_after, self._sleep)
            if refusal:
                failure += refusal
                break
        raise SourceError(
            f"searching arXiv's export API failed: {failure}",
            hint="arXiv's API may be busy; try again later",
        )


class UnusableAnswerError(Exception):
    """A 200 answer that cannot be a page of results; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _readable(body: bytes) -> AtomPage:
    """The page, or UnusableAnswerError: a failed try, like an HTTP error."""
    problem = _unusable(body)
    if problem is None:
        try:
            page = parse_page(body)
        except UnreadablePageError as exc:
            problem = str(exc)
        else:
            if page.entries == 0 and _claims_results(body):
                # arXiv's flaky empty page: the header says results exist.
                problem = "an empty page although results exist"
            else:
                return page
    raise UnusableAnswerError(problem)


def _unusable(body: bytes) -> str | None:
    """Why a 200 answer cannot be an Atom page, or None when it can.

    Checked before parsing: the parser recovers from broken XML, so a cut-short
    page would pass as a page with fewer entries.
    """
    try:
        screen(body)
    except RefusedXmlError as exc:
        return str(exc)
    if b"<feed" not in body[:4096]:
        return "the answer is not an Atom feed"
    if not body.rstrip().endswith(b"</feed>"):
        return "the answer was cut short"
    return None


def _claims_results(body: bytes) -> bool:
    total = _TOTAL.search(body)
    return bool(total and int(total.group(1)) > 0)


def _once(notices: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(notices))
