"""Politeness toward arXiv: request spacing shared across processes, and a retry budget.

arXiv's terms ask for at most one request every three seconds. Two radar runs
can overlap (cron and an interactive run), so the spacing is kept in a
timestamp file in the cache directory, guarded by an exclusive lock.
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from radar.errors import UsageError

ARXIV_SPACING_SECONDS = 3.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Pacer(Protocol):
    def wait_turn(self) -> None:
        """Block until a request may be sent, and claim that moment."""


class MemoryPacer:
    """Spacing within one process: for the demo and for tests."""

    def __init__(
        self,
        interval: float = ARXIV_SPACING_SECONDS,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait_turn(self) -> None:
        if self._last is not None:
            delay = self._last + self._interval - self._clock()
            if delay > 0:
                self._sleep(delay)
        self._last = self._clock()


class FilePacer:
    """Spacing across processes: the last request time lives in `path`, under flock."""

    def __init__(
        self,
        path: Path,
        interval: float = ARXIV_SPACING_SECONDS,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._path = path
        self._interval = interval
        self._clock = clock
        self._sleep = sleep

    def wait_turn(self) -> None:
        with _locked(self._path) as fd:
            raw = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            try:
                last = float(raw)
            except ValueError:
                last = 0.0  # a new or damaged file: no earlier request to space from
            now = self._clock()
            if last > now + self._interval:
                last = 0.0  # a timestamp from the future (clock change): ignore it
            delay = last + self._interval - now
            if delay > 0:
                self._sleep(delay)
            stamp = f"{self._clock():.3f}".encode("ascii")
            os.ftruncate(fd, 0)
            os.pwrite(fd, stamp, 0)


class PaceFileError(UsageError):
    """The pacing file is not a regular file of radar's, or cannot be opened."""


# Never through a symbolic link (a planted one would have radar overwrite its target), and
# never blocking (a FIFO planted there would hang the open): what opens is then checked.
_PACE_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _open_pace_file(path: Path) -> int:
    hint = f"remove {path} (radar makes it again), or pass --cache-dir"
    try:
        fd = os.open(path, _PACE_FLAGS, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            what = "is a symbolic link"
        elif exc.errno == errno.EISDIR:
            what = "is a directory"
        else:
            what = f"cannot be opened: {exc.strerror or exc}"
        raise PaceFileError(f"the pacing file {path} {what}", hint=hint) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise PaceFileError(f"the pacing file {path} is {kind}, not a regular file", hint=hint)
    if info.st_nlink != 1:
        # A hard link planted there would have radar overwrite the file it shares.
        os.close(fd)
        raise PaceFileError(f"the pacing file {path} has other names (hard links)", hint=hint)
    return fd


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[int]:
    fd = _open_pace_file(path)
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: spacing stays per process
            yield fd
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@dataclass
class WaitBudget:
    """The time one run may lose to failing services: backoff waits and failed tries alike.

    One budget is shared by every source of a run (arXiv, bioRxiv/medRxiv, OpenAlex,
    Crossref). A failed try is charged from the moment it waited for its turn to the
    moment it failed; a retry is allowed only while its wait still fits; and once the
    budget is spent no source starts another request. So whatever the watchlist, the
    failures of one run cost at most `max_wait` plus the one try that was under way
    when the budget ran out (its spacing and its `timeout`).
    """

    seconds: float
    limit: float = field(init=False)

    def __post_init__(self) -> None:
        self.limit = self.seconds

    @property
    def spent(self) -> bool:
        """Whether earlier failures used the whole budget: then no request may start."""
        return self.seconds <= 0

    def refusal(self) -> str:
        """Why a request was not started (for the notice or error line)."""
        return (
            f"not tried: earlier failures used up network.max_wait "
            f"({self.limit:g}s for waits and failed tries in one run)"
        )

    def charge(self, lost: float) -> None:
        """Count `lost` seconds spent on a try that failed (it may overdraw the budget)."""
        self.seconds -= max(0.0, lost)

    def charge_since(self, started: float, seconds_then: float, now: float) -> None:
        """Charge an answer found unusable only after its request returned.

        The time since `started`, less what the request's own failed tries were
        charged meanwhile (`seconds_then` was the budget at `started`).
        """
        self.charge(now - started - max(0.0, seconds_then - self.seconds))

    def take(self, wanted: float) -> bool:
        """Spend `wanted` seconds if the budget allows; False means give up now."""
        if self.spent or wanted > self.seconds:
            return False
        self.seconds -= wanted
        return True


class PageCap:
    """How many more pages one source may ask for in this run.

    A server that answers a few records a page while reporting a huge total would
    otherwise be walked for hundreds of requests; the cap stops that, and the source
    says the results were cut short (`notice`).
    """

    def __init__(self, pages: int) -> None:
        self.limit = pages
        self.left = pages
        self.reached = False

    def take(self) -> bool:
        """Claim one page; False (and `reached`) when the cap is used up."""
        if self.left <= 0:
            self.reached = True
            return False
        self.left -= 1
        return True

    def notice(self, source: str, missing: str) -> str:
        return (
            f"warning: {source}: stopped at radar's cap of {self.limit} pages per run; "
            f"{missing} may be missing from this run"
        )


def pause_before_retry(
    budget: WaitBudget, attempt: int, retry_after: str | None, sleep: Sleep
) -> str | None:
    """Wait before try `attempt + 2` and return None, or say why not (for the error message)."""
    delay = backoff_delay(attempt, retry_after)
    if not budget.take(delay):
        wait = f"{delay:.0f}" if delay >= 1 else f"{delay:.1f}"
        return (
            f"; not retried: waiting {wait}s more would pass network.max_wait "
            f"({budget.limit:g}s for waits and failed tries in one run)"
        )
    sleep(delay)
    return None


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def backoff_delay(attempt: int, retry_after: str | None, now: datetime | None = None) -> float:
    """Seconds to wait before try `attempt + 1`: Retry-After when the server gave one."""
    if retry_after:
        parsed = parse_retry_after(retry_after, now or datetime.now(UTC))
        if parsed is not None:
            return parsed
    return float(min(2.0 * 2**attempt, 30.0))  # 2, 4, 8 ... seconds, capped


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    when: datetime
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def is_arxiv_host(host: str) -> bool:
    """arxiv.org or one of its subdomains: hosts held to ARXIV_SPACING_SECONDS."""
    host = host.lower().rstrip(".")
    return host == "arxiv.org" or host.endswith(".arxiv.org")
