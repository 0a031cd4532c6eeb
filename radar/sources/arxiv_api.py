"""arXiv's export API through the `arxiv` package, with the manners that package lacks.

The package sets no timeout, retries at once without backoff, ignores
Retry-After, returns nothing on an empty first page, and overrides any
User-Agent. Every request therefore goes through `_PoliteSession`, which the
package uses as its `requests` session; retries happen here, not there.
`arxiv` (and with it requests and lxml) is imported only when a query is made.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from radar.config import WatchedAuthor
from radar.errors import SourceError
from radar.models import Paper
from radar.names import decode_tex, normalize_name
from radar.polite import RETRY_STATUSES, Pacer, Sleep, WaitBudget, backoff_delay

if TYPE_CHECKING:
    import requests

log = logging.getLogger("radar.http")

AUTHORS_PER_QUERY = 10  # OR-ed au: terms per request; keeps URLs short and requests few
ID_BATCH = 100  # ids per id_list request
MAX_AUTHOR_RESULTS = 500

_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_TOTAL = re.compile(rb"<opensearch:totalResults[^>]*>\s*(\d+)")


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
        sleep: Sleep = time.sleep,
    ) -> None:
        self._base_url = base_url
        self._pacer = pacer
        self._budget = budget
        self._retries = retries
        self._timeout = timeout
        self._user_agent = user_agent
        self._sleep = sleep

    def search_authors(
        self, authors: Sequence[WatchedAuthor], since: date, until: date
    ) -> tuple[Paper, ...]:
        papers: dict[str, Paper] = {}
        for query in author_queries(authors, since, until):
            for paper in self._run(query=query, id_list=(), max_results=MAX_AUTHOR_RESULTS):
                papers.setdefault(paper.arxiv_id, paper)
        return tuple(papers.values())

    def fetch_ids(self, ids: Iterable[str]) -> tuple[Paper, ...]:
        wanted = list(dict.fromkeys(ids))
        found: list[Paper] = []
        for start in range(0, len(wanted), ID_BATCH):
            batch = tuple(wanted[start : start + ID_BATCH])
            found.extend(self._run(query="", id_list=batch, max_results=len(batch)))
        return tuple(found)

    def _run(self, *, query: str, id_list: tuple[str, ...], max_results: int) -> list[Paper]:
        import arxiv
        import requests

        session = _PoliteSession(self._pacer, self._timeout, self._user_agent)
        client = arxiv.Client(page_size=min(max_results, 2000), delay_seconds=0, num_retries=0)
        client.query_url_format = self._base_url.rstrip("?") + "?{}"
        # The package offers no seam for timeouts or headers; its session is the only one.
        client._session = session
        search = arxiv.Search(
            query=query,
            id_list=list(id_list),
            max_results=max_results,
            sort_by=arxiv.SortCriterion.SubmittedDate,
            sort_order=arxiv.SortOrder.Descending,
        )
        failure = ""
        for attempt in range(self._retries + 1):
            retry_after: str | None = None
            retryable = True
            try:
                results = list(client.results(search))
            except arxiv.HTTPError as exc:
                failure = f"HTTP {exc.status}"
                retryable = exc.status in RETRY_STATUSES
                if session.last_response is not None:
                    retry_after = session.last_response.headers.get("retry-after")
            except arxiv.UnexpectedEmptyPageError:
                failure = "an unexpected empty page"
            except requests.Timeout:
                failure = "timed out"
            except requests.RequestException as exc:
                failure = f"connection failed ({type(exc).__name__})"
            else:
                problem = _check_body(session.last_body, got=len(results))
                if problem is None:
                    return [_to_paper(r) for r in results]
                failure = problem
            if not retryable or attempt == self._retries:
                break
            delay = backoff_delay(attempt, retry_after)
            if not self._budget.take(delay):
                failure += f"; the next retry would wait {delay:.0f}s, over the run's wait budget"
                break
            self._sleep(delay)
        raise SourceError(
            f"searching arXiv's export API failed: {failure}",
            hint="arXiv's API may be busy; try again later",
        )


def _check_body(body: bytes | None, got: int) -> str | None:
    """What the package would swallow: a non-Atom body, or an empty page that should not be."""
    if body is None:
        return None
    if b"<feed" not in body[:4096]:
        return "an answer that is not an Atom feed"
    if got == 0:
        total = _TOTAL.search(body)
        if total and int(total.group(1)) > 0:
            return "an empty page although results exist"
    return None


class _PoliteSession:
    """Stands in for the package's requests.Session: spacing, timeout, our User-Agent."""

    def __init__(self, pacer: Pacer, timeout: float, user_agent: str) -> None:
        import requests

        self._session = requests.Session()
        self._pacer = pacer
        self._timeout = timeout
        self._user_agent = user_agent
        self.last_response: requests.Response | None = None
        self.last_body: bytes | None = None

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        given = kwargs.pop("headers", None) or {}
        headers = {k: v for k, v in given.items() if k.lower() != "user-agent"}
        headers["User-Agent"] = self._user_agent
        self._pacer.wait_turn()
        started = time.monotonic()
        try:
            response = self._session.get(url, headers=headers, timeout=self._timeout, **kwargs)
        except Exception as exc:
            log.info("GET %s -> %s", url, type(exc).__name__)
            raise
        log.info("GET %s -> %d (%.2fs)", url, response.status_code, time.monotonic() - started)
        self.last_response = response
        self.last_body = response.content
        return response


def _to_paper(result: Any) -> Paper:
    match = _ENTRY_ID.search(result.entry_id)
    arxiv_id = match.group("id") if match else result.entry_id
    version = int(match.group("version") or 1) if match else 1
    categories = tuple(dict.fromkeys([result.primary_category, *result.categories]))
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=" ".join(decode_tex(result.title).split()),
        authors=tuple(" ".join(decode_tex(a.name).split()) for a in result.authors),
        abstract=" ".join(decode_tex(result.summary).split()),
        categories=tuple(c for c in categories if c),
        # The API does not say how a paper was announced; its version does.
        announce_type="new" if version == 1 else "replace",
        announced=(result.updated or result.published).date() if result.updated else None,
        doi=result.doi or None,
        journal_ref=" ".join((result.journal_ref or "").split()) or None,
        source="api",
    )


def window(until: date, days: int) -> tuple[date, date]:
    return until - timedelta(days=days), until
