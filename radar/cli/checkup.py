"""The checks behind `radar doctor`: watchlist, cache, arXiv's feed and API, the Anthropic key."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from radar.errors import ConfigError, RadarError, SourceError, UsageError

if TYPE_CHECKING:
    import httpx

    from radar.polite import Pacer
    from radar.store import Store
    from radar.watchlist import Config

Status = Literal["ok", "warn", "FAIL", "skip"]

# One try, not today's retries: doctor says how arXiv answers now, and says it quickly.
TIMEOUT_SECONDS = 10.0
# A query from the export API's own manual: cheap, and always has an answer.
API_PROBE = {"search_query": "all:electron", "max_results": "1"}


@dataclass(frozen=True, slots=True)
class Check:
    status: Status
    name: str
    detail: str
    more: tuple[str, ...] = ()
    # The error a FAIL of this check stands for (its exit code is doctor's exit code).
    error: type[RadarError] = UsageError


def checkup(config_path: Path | None, cache_dir: Path | None, *, offline: bool) -> None:
    """Print one line per check; raise the first FAIL's error when any check failed."""
    from radar.cli.app import say
    from radar.cli.world import cache_path, load_watchlist
    from radar.render.safe import single_line
    from radar.store import open_store

    checks: list[Check] = []
    config: Config | None = None
    try:
        config = load_watchlist(config_path)
    except ConfigError as exc:
        more = exc.problems if exc.problems != (exc.message,) else ()
        checks.append(Check("FAIL", "watchlist", exc.message, more, ConfigError))
    else:
        checks.append(Check("ok", "watchlist", _describe(config)))
    cache = cache_path(cache_dir)
    store: Store | None = None
    try:
        store = open_store(cache, warn=say)
    except RadarError as exc:
        checks.append(Check("FAIL", "cache", exc.message))
    try:
        if store is not None:
            checks.append(_cache_check(store))
        _print_paths(config_path, cache)
        if offline:
            checks += [Check("skip", n, "not checked (--offline)") for n in ("feed", "api")]
        elif config is None:
            checks += [Check("skip", n, "needs a valid watchlist") for n in ("feed", "api")]
        else:
            checks += _network_checks(config, store)
        checks.append(_key_check())
    finally:
        if store is not None:
            store.close()
    # Details quote servers (an error page, a redirect's address) and the watchlist: each
    # is printed as one inert line, as errors are.
    for check in checks:
        print(f"{check.status:<5} {check.name:<10} {single_line(check.detail)}")
        for line in check.more:
            print(f"{'':16}{single_line(line)}")
    failed = [c for c in checks if c.status == "FAIL"]
    if failed:
        names = ", ".join(c.name for c in failed)
        raise failed[0].error(
            f"`radar today` would not work: {names} failed",
            hint="fix the FAIL lines above; warn lines only limit extras, such as briefings",
        )


def _describe(config: Config) -> str:
    parts = [
        _count(len(config.categories), "category", "categories"),
        _count(len(config.authors), "author", "authors"),
        _count(len({k for t in config.topics for k in t.keywords}), "keyword", "keywords"),
    ]
    named = [t for t in config.topics if t.name != config.name]
    if named:
        parts.append(_count(len(named), "topic", "topics"))
    return "valid: " + ", ".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _print_paths(given: Path | None, cache: Path) -> None:
    from radar.configpath import find_config
    from radar.wiring import user_config_dir

    env = os.environ
    try:
        where = str(find_config(given, env.get("RADAR_CONFIG"), Path.cwd(), user_config_dir(env)))
    except ConfigError:
        where = "none found"
    print(f"config:  {where}")
    print(f"cache:   {cache}")
    print("digests: stdout unless --output FILE or --output-dir DIR")
    print()


def _cache_check(store: Store) -> Check:
    if not os.access(store.path, os.W_OK | os.X_OK):
        return Check("FAIL", "cache", f"{store.path} is not writable")
    info = store.info()
    days = info.days
    if not days:
        held = "no days held yet"
    elif len(days) == 1:
        held = f"1 day held ({days[0]})"
    else:
        held = f"{len(days)} days held ({days[0]} … {days[-1]})"
    return Check("ok", "cache", f"usable: {_size(info.size_bytes)}, {held}")


def _size(size: int) -> str:
    # "0.0 MB" reads as "empty or broken"; a young cache is a few kB.
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1e3))} kB"


def _network_checks(config: Config, store: Store | None) -> list[Check]:
    import httpx

    from radar.polite import FilePacer, MemoryPacer
    from radar.sources.arxiv_feed import feed_url, parse_feed
    from radar.wiring import request_spacing, user_agent

    spacing = request_spacing(config)
    # The shared pace file keeps arXiv's spacing across processes, a cron run included.
    pacer: Pacer = (
        FilePacer(store.path / "arxiv-pace.lock", interval=spacing)
        if store is not None
        else MemoryPacer(interval=spacing)
    )
    timeout = min(config.network.timeout, TIMEOUT_SECONDS)
    checks: list[Check] = []
    # Redirects are followed by radar.sources.http.fetch, hop by hop, as for `radar today`.
    with httpx.Client(
        headers={"User-Agent": user_agent(config)}, timeout=httpx.Timeout(timeout)
    ) as client:
        probe = _Probe(client, pacer, timeout)
        if config.categories:
            url = feed_url(config.endpoints.arxiv_rss_url, config.categories)

            def feed_body(body: bytes) -> str:
                day = parse_feed(body)  # ValueError: an unusable feed
                return f"{len(day.papers)} papers" if day.papers else "no announcement today"

            checks.append(probe("feed", url, feed_body, required=True))
        else:
            checks.append(Check("skip", "feed", "no categories watched"))
        api_url = str(httpx.URL(config.endpoints.arxiv_api_url).copy_merge_params(API_PROBE))
        needed = bool(config.authors)
        check = probe("api", api_url, _atom_body, required=needed)
        if check.status == "warn":
            check = replace(
                check, detail=check.detail + " (only similar_to and `radar show` use it)"
            )
        elif check.status == "FAIL":
            check = replace(check, detail=check.detail + " (watched authors are searched there)")
        checks.append(check)
    return checks


def _atom_body(body: bytes) -> str:
    if b"<feed" not in body[:2000]:
        raise ValueError("the answer is not an Atom feed")
    return "an Atom feed"


@dataclass(frozen=True, slots=True)
class _Probe:
    """One GET per check through `radar today`'s fetch: its deadline, size cap and redirects."""

    client: httpx.Client
    pacer: Pacer
    timeout: float

    def __call__(
        self, name: str, url: str, judge: Callable[[bytes], str], *, required: bool
    ) -> Check:
        """ok with the answer's time, else FAIL (`required`) or warn."""
        from radar.sources.http import FetchFailedError, fetch

        bad: Status = "FAIL" if required else "warn"
        shown = _without_query(url)
        self.pacer.wait_turn()
        started = time.monotonic()
        try:
            answer = fetch(self.client, url, timeout=self.timeout, pacer=self.pacer)
        except FetchFailedError as exc:
            if exc.timed_out:
                detail = f"{shown} did not answer within {self.timeout:g}s"
            else:
                detail = f"{shown}: {exc.reason}"
            return Check(bad, name, detail, (), SourceError)
        took = f"answered {answer.status} in {time.monotonic() - started:.2f}s"
        if not answer.ok:
            return Check(bad, name, f"{shown} {took}", (), SourceError)
        try:
            what = judge(answer.body)
        except ValueError as exc:
            from radar.sources.arxiv_feed import FeedQueryError

            # A category the feed does not know is the watchlist's fault, as in `radar today`.
            error = ConfigError if isinstance(exc, FeedQueryError) else SourceError
            return Check(bad, name, f"{shown} {took}, but unusably: {exc}", (), error)
        return Check("ok", name, f"{shown} {took} ({what})")


def _without_query(url: str) -> str:
    # The check line names the endpoint, as the watchlist does; -v logs the whole request.
    return url.split("?", 1)[0]


def _key_check() -> Check:
    # Only whether it is set: not its length, not its first characters, nothing of it.
    if os.environ.get("ANTHROPIC_API_KEY", "").strip():
        return Check("ok", "anthropic", "ANTHROPIC_API_KEY is set")
    return Check(
        "warn",
        "anthropic",
        "ANTHROPIC_API_KEY is not set: briefings are written without an LLM",
    )
