"""One GET with arXiv manners: spacing, timeout, bounded retries that honour Retry-After."""

from __future__ import annotations

import logging
import time

import httpx

from radar.errors import SourceError
from radar.polite import RETRY_STATUSES, Pacer, Sleep, WaitBudget, backoff_delay

log = logging.getLogger("radar.http")


def get_with_retries(
    client: httpx.Client,
    url: str,
    *,
    what: str,
    pacer: Pacer,
    budget: WaitBudget,
    retries: int,
    sleep: Sleep = time.sleep,
) -> httpx.Response:
    """GET `url`; a 2xx response or SourceError naming `what` and the last failure."""
    failure = ""
    for attempt in range(retries + 1):
        pacer.wait_turn()
        started = time.monotonic()
        retry_after: str | None = None
        try:
            response = client.get(url)
        except httpx.TimeoutException:
            failure = "timed out"
        except httpx.TransportError as exc:
            failure = f"connection failed ({type(exc).__name__})"
        else:
            elapsed = time.monotonic() - started
            log.info("GET %s -> %d (%.2fs)", url, response.status_code, elapsed)
            if response.is_success:
                return response
            failure = f"HTTP {response.status_code}"
            if response.status_code not in RETRY_STATUSES:
                break  # 4xx other than 429: asking again will not help
            retry_after = response.headers.get("retry-after")
        if failure and "HTTP" not in failure:
            log.info("GET %s -> %s", url, failure)
        if attempt == retries:
            break
        delay = backoff_delay(attempt, retry_after)
        if not budget.take(delay):
            failure += f"; the next retry would wait {delay:.0f}s, over the run's wait budget"
            break
        sleep(delay)
    raise SourceError(
        f"{what} failed: {failure}",
        hint="arXiv may be busy or unreachable; try again later (cached days stay available "
        "with --offline)",
    )
