"""One GET with arXiv manners: spacing, a deadline, a size cap, checked redirects, retries."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import httpx

from radar.errors import SourceError
from radar.polite import (
    ARXIV_SPACING_SECONDS,
    RETRY_STATUSES,
    Clock,
    Pacer,
    Sleep,
    WaitBudget,
    is_arxiv_host,
    pause_before_retry,
)
from radar.sources.deadline import Deadline
from radar.sources.inflate import (
    ACCEPT_ENCODING,
    BoundedDecoder,
    DecodeError,
    TooLargeError,
    codings,
)

log = logging.getLogger("radar.http")
# Each retry and its wait, as it happens: the CLI shows these on a terminal and in -v.
retry_log = logging.getLogger("radar.retry")

# The largest answer radar reads (after gzip is undone). arXiv's biggest day, every
# archive at once, is about 5,000 items or 10 MB; this only stops a server that
# streams without end from filling memory before the deadline ends it.
MAX_BODY_BYTES = 64 * 2**20
# Real chains are one or two hops (http -> https, a moved path); httpx's 20 would let a
# loop through other addresses run on for a minute of paced requests.
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class Fetched:
    """A whole answer: status, headers and body, read within the deadline."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class FetchFailedError(Exception):
    """No whole answer came: `reason` says why, in words for the user ("timed out").

    `final` means asking again would get the same (a redirect loop, a body over the cap),
    so it is not retried; `timed_out` that the deadline ended it.
    """

    def __init__(self, reason: str, *, final: bool = False, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.final = final
        self.timed_out = timed_out


def fetch(
    client: httpx.Client,
    url: str,
    *,
    timeout: float,
    pacer: Pacer,
    headers: Mapping[str, str] | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
) -> Fetched:
    """GET `url`, following redirects; the whole answer must arrive within `timeout` seconds.

    The caller has waited `pacer`'s turn for the first request; every redirect hop waits
    its turn again, so a redirect loop is paced like any other request, and the deadline
    covers the whole chain (waits included).
    """
    # A fresh connection per request gives the deadline a socket to watch (see
    # radar.sources.deadline); with arXiv's seconds between requests it costs nothing.
    sent = {"Connection": "close", "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
    visited: list[str] = []
    with Deadline(timeout) as deadline:
        for hop in range(MAX_REDIRECTS + 1):
            if hop:
                _wait_for_hop(url, visited[-1], pacer, sleep, deadline)
            visited.append(_normal(url))
            started = clock()
            answer, location = _get_once(client, url, sent, deadline)
            if location is None:
                log.info("GET %s -> %d (%.2fs)", _shown(url), answer.status, clock() - started)
                return answer
            url = _redirect_target(url, location, visited)
            came_from = _shown(visited[-1])
            log.info("GET %s -> %d, redirected to %s", came_from, answer.status, _shown(url))
    last = _shown(url)
    raise FetchFailedError(f"more than {MAX_REDIRECTS} redirects (the last to {last})", final=True)


def _get_once(
    client: httpx.Client, url: str, sent: Mapping[str, str], deadline: Deadline
) -> tuple[Fetched, str | None]:
    """One request: the answer, and where it redirects (None when it is not a redirect)."""
    try:
        # Redirects are followed by fetch(), one paced and checked hop at a time,
        # whatever the client was built with.
        with client.stream(
            "GET", url, headers=sent, follow_redirects=False, extensions={"trace": deadline.trace}
        ) as response:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location is not None:
                # The body of a redirect is not read: the connection closes with it.
                return Fetched(response.status_code, response.headers, b""), location
            body = _read_body(response, deadline)
    except httpx.TimeoutException:
        raise FetchFailedError(_timed_out(deadline.seconds), timed_out=True) from None
    except httpx.TransportError as exc:
        if deadline.expired:
            raise FetchFailedError(_timed_out(deadline.seconds), timed_out=True) from None
        log.info("GET %s -> %s", _shown(url), type(exc).__name__)
        raise FetchFailedError(f"connection failed ({type(exc).__name__})") from None
    except httpx.RequestError as exc:
        log.info("GET %s -> %s", _shown(url), type(exc).__name__)
        raise FetchFailedError(f"an unreadable answer ({type(exc).__name__})") from None
    return Fetched(response.status_code, response.headers, body), None


def _read_body(response: httpx.Response, deadline: Deadline) -> bytes:
    """The decoded body, never more than MAX_BODY_BYTES raw or after any coding is undone.

    The decoder counts what each layer produces, the last layer's output being the body;
    with no coding the body is the raw bytes, counted here.
    """
    limit = MAX_BODY_BYTES
    too_large = f"the answer is larger than {limit // 2**20} MB"
    try:
        decoder = BoundedDecoder(codings(response.headers.get_list("content-encoding")), limit)
        chunks: list[bytes] = []
        raw_size = 0
        # iter_raw, not iter_bytes: httpx would inflate a whole chunk before radar could
        # count it (see radar.sources.inflate).
        for raw in response.iter_raw():
            raw_size += len(raw)
            if raw_size > limit:
                raise FetchFailedError(too_large, final=True)
            for piece in decoder.feed(raw):
                # Checked per piece too: decoding a hostile body is work the deadline bounds.
                if deadline.expired:
                    raise FetchFailedError(_timed_out(deadline.seconds), timed_out=True)
                chunks.append(piece)
            if deadline.expired:  # in case a connection was made without a trace
                raise FetchFailedError(_timed_out(deadline.seconds), timed_out=True)
        chunks.extend(decoder.finish())
    except DecodeError as exc:
        raise FetchFailedError(exc.reason, final=isinstance(exc, TooLargeError)) from None
    return b"".join(chunks)


def _redirect_target(url: str, location: str, visited: Sequence[str]) -> str:
    """Where a redirect from `url` leads; FetchFailedError when radar will not follow it."""
    try:
        target = httpx.URL(url).join(location)
    except (httpx.InvalidURL, ValueError):
        raise FetchFailedError("a redirect to an unusable address", final=True) from None
    shown = _shown(str(target))
    if target.scheme not in ("http", "https"):
        scheme = target.scheme or "relative"
        raise FetchFailedError(f"a redirect to a {scheme} address ({shown})", final=True)
    if httpx.URL(url).scheme == "https" and target.scheme == "http":
        # Refused, not followed: what was asked over TLS must not come back in the clear.
        raise FetchFailedError(f"a redirect from https to http ({shown}) was refused", final=True)
    if str(target) in visited:
        raise FetchFailedError(f"a redirect loop (back to {shown})", final=True)
    return str(target)


def _normal(url: str) -> str:
    """`url` as httpx writes it, so that a loop is seen however its addresses are spelt."""
    try:
        return str(httpx.URL(url))
    except (httpx.InvalidURL, ValueError):
        return url


def _wait_for_hop(
    url: str, previous: str, pacer: Pacer, sleep: Sleep, deadline: Deadline
) -> None:
    """Wait before a redirect hop: the request's pacer, and arXiv's floor for arXiv hosts."""
    pacer.wait_turn()
    # A mirror with a shorter spacing may redirect to arXiv: that hop still keeps 3 s.
    if is_arxiv_host(httpx.URL(url).host) and not is_arxiv_host(httpx.URL(previous).host):
        sleep(ARXIV_SPACING_SECONDS)
    if deadline.expired:
        raise FetchFailedError(_timed_out(deadline.seconds), timed_out=True)


def _timed_out(timeout: float) -> str:
    return f"timed out (no complete answer within {timeout:g}s)"


def get_with_retries(
    client: httpx.Client,
    url: str,
    *,
    what: str,
    pacer: Pacer,
    budget: WaitBudget,
    retries: int,
    timeout: float,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
) -> Fetched:
    """GET `url`; a 2xx answer or SourceError naming `what` and the last failure."""
    failure = ""
    if budget.spent:  # one budget for the whole run: no source starts a request past it
        raise SourceError(f"{what}: {budget.refusal()}", hint=_BUDGET_HINT)
    for attempt in range(retries + 1):
        started = clock()  # a failed try costs its wait for a turn as well
        pacer.wait_turn()
        retry_after: str | None = None
        try:
            answer = fetch(client, url, timeout=timeout, pacer=pacer, sleep=sleep, clock=clock)
        except FetchFailedError as exc:
            failure = exc.reason
            log.info("GET %s -> %s", _shown(url), failure)
            if exc.final:
                break  # a redirect loop or an oversized body: the same again next time
        else:
            if answer.ok:
                return answer
            failure = f"HTTP {answer.status}"
            if answer.status not in RETRY_STATUSES:
                break  # 4xx other than 429: asking again will not help
            retry_after = answer.headers.get("retry-after")
        budget.charge(clock() - started)
        if attempt == retries:
            break
        told = _telling(sleep, f"{what}: {failure}", attempt + 2, retries + 1)
        refusal = pause_before_retry(budget, attempt, retry_after, told)
        if refusal:
            failure += refusal
            break
    raise SourceError(
        f"{what} failed: {failure}",
        hint="arXiv may be busy or unreachable; try again later (cached days stay available "
        "with --offline)",
    )


_BUDGET_HINT = (
    "earlier sources failed or stalled; try again later, or raise network.max_wait "
    "in the watchlist"
)
def _telling(sleep: Sleep, failed: str, attempt: int, attempts: int) -> Sleep:
    """`sleep` that first says why and how long it waits, and which try comes next."""

    def wait(seconds: float) -> None:
        shown = f"{seconds:.0f}" if seconds >= 1 else f"{seconds:.1f}"
        retry_log.warning(
            "%s; retrying in %s s (attempt %d of %d)", failed, shown, attempt, attempts
        )
        sleep(seconds)

    return wait


_SECRET_PARAM = re.compile(r"(?i)([?&](?:api_key|key|token)=)[^&#]*")


def _shown(url: str) -> str:
    """The URL as -v logs it: a key in the query (OpenAlex's api_key) is never printed."""
    return _SECRET_PARAM.sub(r"\1***", url)
