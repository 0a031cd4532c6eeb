"""One GET with arXiv manners: spacing, a deadline for the whole request, bounded retries."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from radar.errors import SourceError
from radar.polite import RETRY_STATUSES, Clock, Pacer, Sleep, WaitBudget, pause_before_retry
from radar.sources.deadline import Deadline

log = logging.getLogger("radar.http")
# Each retry and its wait, as it happens: the CLI shows these on a terminal and in -v.
retry_log = logging.getLogger("radar.retry")

# The largest answer radar reads (after gzip is undone). arXiv's biggest day, every
# archive at once, is about 5,000 items or 10 MB; this only stops a server that
# streams without end from filling memory before the deadline ends it.
MAX_BODY_BYTES = 64 * 2**20


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
    """No whole answer came: `reason` says why, in words for the user ("timed out")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fetch(
    client: httpx.Client, url: str, *, timeout: float, headers: Mapping[str, str] | None = None
) -> Fetched:
    """GET `url` once; the whole answer must arrive within `timeout` seconds of the start."""
    # A fresh connection per request gives the deadline a socket to watch (see
    # radar.sources.deadline); with arXiv's seconds between requests it costs nothing.
    sent = {"Connection": "close", **(headers or {})}
    started = time.monotonic()
    with Deadline(timeout) as deadline:
        try:
            with client.stream(
                "GET", url, headers=sent, extensions={"trace": deadline.trace}
            ) as response:
                body = _read_body(response, deadline)
        except httpx.TimeoutException:
            raise FetchFailedError(_timed_out(timeout)) from None
        except httpx.TransportError as exc:
            if deadline.expired:
                raise FetchFailedError(_timed_out(timeout)) from None
            log.info("GET %s -> %s", _shown(url), type(exc).__name__)
            raise FetchFailedError(f"connection failed ({type(exc).__name__})") from None
        except httpx.RequestError as exc:  # e.g. a gzip body that does not decode
            log.info("GET %s -> %s", _shown(url), type(exc).__name__)
            raise FetchFailedError(f"an unreadable answer ({type(exc).__name__})") from None
    log.info("GET %s -> %d (%.2fs)", _shown(url), response.status_code, time.monotonic() - started)
    return Fetched(status=response.status_code, headers=response.headers, body=body)


def _read_body(response: httpx.Response, deadline: Deadline) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        # Checked between chunks too, in case a connection was made without a trace.
        if deadline.expired:
            raise FetchFailedError(_timed_out(deadline.seconds))
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise FetchFailedError(f"the answer is larger than {MAX_BODY_BYTES // 2**20} MB")
        chunks.append(chunk)
    return b"".join(chunks)


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
    for attempt in range(retries + 1):
        pacer.wait_turn()
        started = clock()
        retry_after: str | None = None
        try:
            answer = fetch(client, url, timeout=timeout)
        except FetchFailedError as exc:
            failure = exc.reason
            log.info("GET %s -> %s", _shown(url), failure)
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
