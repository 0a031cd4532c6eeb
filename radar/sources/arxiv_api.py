"""arXiv's export API through the `arxiv` package, with the manners that package lacks.

The package sets no timeout, retries at once without backoff, ignores
Retry-After, returns nothing on an empty first page, recovers silently from a
cut-short page, and overrides any User-Agent. Every request therefore goes
through `_PoliteSession`, which stands in for the package's `requests` session
and fetches with httpx like the feed does; retries happen here, not there.
`arxiv` (and with it requests and lxml) is imported only when a query is made.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from radar.errors import SourceError
from radar.models import Paper
from radar.names import decode_tex, normalize_name
from radar.polite import RETRY_STATUSES, Clock, Pacer, Sleep, WaitBudget, pause_before_retry
from radar.sources.http import FetchFailedError, fetch
from radar.sources.xmlguard import RefusedXmlError, screen
from radar.watchlist import WatchedAuthor

AUTHORS_PER_QUERY = 10  # OR-ed au: terms per request; keeps URLs short and requests few
ID_BATCH = 100  # ids per id_list request
MAX_AUTHOR_RESULTS = 500

_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d{1,6}))?$")
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

    def _http(self) -> httpx.Client:
        if self._client is None:
            # Made once: building a client loads the CA certificates, a tenth of a second.
            self._client = httpx.Client(follow_redirects=True)
        return self._client

    def _run(self, *, query: str, id_list: tuple[str, ...], max_results: int) -> list[Paper]:
        import arxiv

        session = _PoliteSession(self._http(), self._pacer, self._timeout, self._user_agent)
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
            started = self._clock()
            retry_after: str | None = None
            retryable = True
            try:
                results = list(client.results(search))
            except arxiv.HTTPError as exc:
                failure = f"HTTP {exc.status}"
                retryable = exc.status in RETRY_STATUSES
                if session.last is not None:
                    retry_after = session.last.headers.get("retry-after")
            except arxiv.UnexpectedEmptyPageError:
                failure = "an unexpected empty page"
            except (FetchFailedError, UnusableAnswerError) as exc:
                failure = exc.reason
                # A redirect loop or an oversized body would come back the same.
                retryable = not (isinstance(exc, FetchFailedError) and exc.final)
            else:
                if not _wrongly_empty(session.last, got=len(results)):
                    return [_to_paper(r) for r in results]
                failure = "an empty page although results exist"
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


def _unusable(body: bytes) -> str | None:
    """Why a 200 answer cannot be an Atom page, or None when it can.

    Checked before the package parses it: its parser recovers from broken XML, so a
    cut-short page would pass as a page with fewer entries (and make it ask for more).
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


def _wrongly_empty(answer: _Answer | None, got: int) -> bool:
    """An empty page whose header says results exist: the package would return nothing."""
    if answer is None or got:
        return False
    total = _TOTAL.search(answer.content)
    return bool(total and int(total.group(1)) > 0)


@dataclass(frozen=True, slots=True)
class _Answer:
    """The part of a requests.Response that the arxiv package reads."""

    status_code: int
    content: bytes
    headers: httpx.Headers


class _PoliteSession:
    """Stands in for the package's requests.Session: spacing, a deadline, our User-Agent.

    Requests go through radar.sources.http.fetch, so the export API gets the same
    whole-request deadline and size cap as the feed; a 200 answer that is not a
    whole Atom page in plain UTF-8 XML is refused before the package's parser sees it.
    """

    def __init__(self, client: httpx.Client, pacer: Pacer, timeout: float, user_agent: str) -> None:
        self._client = client
        self._pacer = pacer
        self._timeout = timeout
        self._user_agent = user_agent
        self.last: _Answer | None = None

    def get(self, url: str, **kwargs: Any) -> _Answer:
        # The package's own User-Agent header is dropped for ours.
        self._pacer.wait_turn()
        fetched = fetch(
            self._client,
            url,
            timeout=self._timeout,
            pacer=self._pacer,
            headers={"User-Agent": self._user_agent},
        )
        self.last = _Answer(fetched.status, fetched.body, fetched.headers)
        problem = _unusable(fetched.body) if fetched.status == 200 else None
        if problem is not None:
            raise UnusableAnswerError(problem)
        return self.last


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
