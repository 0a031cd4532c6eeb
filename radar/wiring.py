"""Builds the real outside world for the CLI: paths, HTTP clients, cache, clock."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from radar import __version__
from radar.watchlist import Config

# The paths and settings here serve every command; the HTTP stack (httpx and the sources,
# ~40 ms to import) is imported by the functions that build it, so that an offline run
# never loads it.
if TYPE_CHECKING:
    import httpx

    from radar.library.entries import LibraryEntry
    from radar.library.load import LibraryWorld
    from radar.polite import Sleep, WaitBudget
    from radar.report import World
    from radar.sources.others import OtherSources
    from radar.store import Store

PROJECT_URL = "https://github.com/lit-radar/radar"
SOURCE_SPACING_SECONDS = 1.0  # between requests to bioRxiv's, OpenAlex's or Crossref's API
PUBLIC_SOURCE_HOSTS = frozenset({"api.biorxiv.org", "api.openalex.org", "api.crossref.org"})


def user_agent(config: Config) -> str:
    contact = f"; mailto:{config.network.contact}" if config.network.contact else ""
    return f"radar/{__version__} (+{PROJECT_URL}{contact})"


def user_config_dir(env: Mapping[str, str]) -> Path:
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "radar"
    if os.name == "nt":
        return Path(env.get("APPDATA", Path.home())) / "radar"
    return Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "radar"


def default_cache_dir(env: Mapping[str, str]) -> Path:
    if env.get("RADAR_CACHE_DIR"):
        return Path(env["RADAR_CACHE_DIR"]).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "radar"
    if os.name == "nt":
        return Path(env.get("LOCALAPPDATA", Path.home())) / "radar" / "Cache"
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "radar"


def default_data_dir(env: Mapping[str, str]) -> Path:
    """Where the user's own data lives (saved and dismissed papers): not the cache, which
    `radar cache clear` empties, but XDG_DATA_HOME/radar or the platform's equivalent."""
    if env.get("RADAR_DATA_DIR"):
        return Path(env["RADAR_DATA_DIR"]).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "radar" / "data"
    if os.name == "nt":
        return Path(env.get("APPDATA", Path.home())) / "radar" / "data"
    return Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "radar"


# Endpoint -> the variable that overrides it; these win over the watchlist (mirrors, tests).
ENDPOINT_VARIABLES = {
    "arxiv_rss_url": "RADAR_ARXIV_RSS_URL",
    "arxiv_api_url": "RADAR_ARXIV_API_URL",
    "biorxiv_api_url": "RADAR_BIORXIV_API_URL",
    "openalex_api_url": "RADAR_OPENALEX_API_URL",
    "crossref_api_url": "RADAR_CROSSREF_API_URL",
}


def with_env_endpoints(config: Config, env: Mapping[str, str]) -> Config:
    """RADAR_ARXIV_RSS_URL, RADAR_BIORXIV_API_URL ... win over the watchlist."""
    chosen = {field: env[name] for field, name in ENDPOINT_VARIABLES.items() if env.get(name)}
    return replace(config, endpoints=replace(config.endpoints, **chosen))


def online_world(
    config: Config, store: Store, now: Callable[[], datetime], env: Mapping[str, str]
) -> tuple[World, httpx.Client]:
    """The real sources; the caller closes the returned client."""
    import httpx

    from radar.arxivtime import arxiv_today
    from radar.polite import FilePacer, WaitBudget
    from radar.report import World
    from radar.sources.arxiv_api import ArxivApi
    from radar.sources.arxiv_feed import ArxivFeed
    from radar.sources.others import watches_other_sources

    network = config.network
    pacer = FilePacer(store.path / "arxiv-pace.lock", interval=request_spacing(config))
    budget = WaitBudget(network.max_wait)
    client = httpx.Client(
        headers={"User-Agent": user_agent(config)},
        timeout=httpx.Timeout(network.timeout),
        follow_redirects=True,
    )
    feed = ArxivFeed(
        client,
        config.endpoints.arxiv_rss_url,
        pacer=pacer,
        budget=budget,
        retries=network.retries,
        timeout=network.timeout,
        today=lambda: arxiv_today(now()),
    )
    # One client for both arXiv hosts: one User-Agent, one set of certificates loaded.
    api = ArxivApi(
        config.endpoints.arxiv_api_url,
        pacer=pacer,
        budget=budget,
        retries=network.retries,
        timeout=network.timeout,
        user_agent=user_agent(config),
        client=client,
    )
    # Sources beyond arXiv share the client and the run's wait budget, each host paced alone.
    others = (
        other_sources(config, client, store.path, env, budget=budget)
        if watches_other_sources(config)
        else None
    )
    return World(store=store, now=now, feed=feed, api=api, others=others), client


def request_spacing(config: Config) -> float:
    """arXiv's 3-second rule binds whenever an endpoint is an arXiv host; a mirror may set less."""
    hosts = (
        urlsplit(config.endpoints.arxiv_rss_url).hostname or "",
        urlsplit(config.endpoints.arxiv_api_url).hostname or "",
    )
    if any(h == "arxiv.org" or h.endswith(".arxiv.org") for h in hosts):
        from radar.polite import ARXIV_SPACING_SECONDS

        return max(ARXIV_SPACING_SECONDS, config.network.spacing)
    return config.network.spacing


def other_sources(
    config: Config,
    client: httpx.Client,
    pace_dir: Path,
    env: Mapping[str, str],
    *,
    budget: WaitBudget | None = None,
    spacing: float = SOURCE_SPACING_SECONDS,
    sleep: Sleep = time.sleep,
) -> OtherSources:
    """bioRxiv/medRxiv, OpenAlex and Crossref, each host paced on its own (across processes).

    Pass arXiv's `budget` to keep network.max_wait one limit for the whole run. The
    OpenAlex key, if any, comes from OPENALEX_API_KEY (never from the watchlist).
    """
    from radar.biorxiv_taxonomy import SERVERS
    from radar.polite import FilePacer, WaitBudget
    from radar.sources.biorxiv import PreprintServer
    from radar.sources.channel import Channel
    from radar.sources.crossref import Crossref
    from radar.sources.openalex import OpenAlex
    from radar.sources.others import OtherSources

    network = config.network
    budget = budget if budget is not None else WaitBudget(network.max_wait)
    pacers: dict[str, FilePacer] = {}

    def channel(url: str) -> Channel:
        parts = urlsplit(url)
        host = parts.hostname or "unknown"
        name = f"{host}_{parts.port}" if parts.port else host
        if name not in pacers:
            interval = source_spacing(config, host, spacing)
            lock = pace_dir / f"pace-{name}.lock"
            pacers[name] = FilePacer(lock, interval=interval, sleep=sleep)
        return Channel(client, pacers[name], budget, network.retries, network.timeout, sleep)

    urls = config.endpoints
    mailto = network.contact
    return OtherSources(
        preprints={
            server: PreprintServer(channel(urls.biorxiv_api_url), urls.biorxiv_api_url, server)
            for server in SERVERS
        },
        openalex=OpenAlex(
            channel(urls.openalex_api_url),
            urls.openalex_api_url,
            mailto=mailto,
            api_key=env.get("OPENALEX_API_KEY", ""),
        ),
        crossref=Crossref(channel(urls.crossref_api_url), urls.crossref_api_url, mailto=mailto),
    )


def source_spacing(config: Config, host: str, spacing: float = SOURCE_SPACING_SECONDS) -> float:
    """The public services get `spacing`; a mirror (or a test server) may ask for less.

    network.spacing is arXiv's rule (3 s); bioRxiv and OpenAlex publish no such rule, and
    1 s between requests is well inside what both serve.
    """
    if host in PUBLIC_SOURCE_HOSTS:
        return spacing
    return min(config.network.spacing, spacing)


ZOTERO_API_URL = "https://api.zotero.org"


def library_world(
    config: Config,
    store: Store,
    now: Callable[[], datetime],
    env: Mapping[str, str],
    client: httpx.Client | None,
) -> LibraryWorld:
    """What radar.library.load needs; with no `client` (offline) only files and the cache."""
    from radar.library.load import LibraryWorld

    base_dir = config.path.parent if config.path is not None else Path.cwd()
    world = LibraryWorld(cache=store, now=now, base_dir=base_dir)
    if client is None:
        return world
    import httpx

    from radar.polite import FilePacer, WaitBudget
    from radar.sources.channel import Channel

    network = config.network
    budget = WaitBudget(network.max_wait)
    zotero_web = None
    zotero = config.library.zotero
    if zotero is not None and zotero.library_id:
        headers = {"Zotero-API-Version": "3", "User-Agent": user_agent(config)}
        if env.get(zotero.api_key_env):
            headers["Zotero-API-Key"] = env[zotero.api_key_env]
        zotero_client = httpx.Client(
            headers=headers, timeout=httpx.Timeout(network.timeout), follow_redirects=True
        )
        url = env.get("RADAR_ZOTERO_API_URL") or ZOTERO_API_URL
        host = urlsplit(url).hostname or "zotero"
        pacer = FilePacer(store.path / f"pace-{host}.lock", interval=source_spacing(config, host))
        channel = Channel(zotero_client, pacer, budget, network.retries, network.timeout)

        def zotero_web() -> tuple[LibraryEntry, ...]:
            from radar.library.zotero import read_zotero_web

            with zotero_client:
                return read_zotero_web(channel, url, zotero)

    openalex = None
    if config.library.orcid or config.library.openalex:
        from radar.sources.openalex import OpenAlex

        url = config.endpoints.openalex_api_url
        host = urlsplit(url).hostname or "openalex"
        pacer = FilePacer(store.path / f"pace-{host}.lock", interval=source_spacing(config, host))
        openalex = OpenAlex(
            Channel(client, pacer, budget, network.retries, network.timeout),
            url,
            mailto=network.contact,
            api_key=env.get("OPENALEX_API_KEY", ""),
        )
    return replace(world, zotero_web=zotero_web, openalex=openalex)
