"""Builds the real outside world for the CLI: paths, HTTP clients, cache, clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from radar import __version__
from radar.config import Config
from radar.polite import ARXIV_SPACING_SECONDS, FilePacer, WaitBudget
from radar.report import World
from radar.sources.arxiv_api import ArxivApi
from radar.sources.arxiv_feed import ArxivFeed
from radar.store import Store

PROJECT_URL = "https://github.com/lit-radar/radar"


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


def with_env_endpoints(config: Config, env: Mapping[str, str]) -> Config:
    """RADAR_ARXIV_RSS_URL / RADAR_ARXIV_API_URL win over the watchlist (mirrors, tests)."""
    endpoints = config.endpoints
    if env.get("RADAR_ARXIV_RSS_URL"):
        endpoints = replace(endpoints, arxiv_rss_url=env["RADAR_ARXIV_RSS_URL"])
    if env.get("RADAR_ARXIV_API_URL"):
        endpoints = replace(endpoints, arxiv_api_url=env["RADAR_ARXIV_API_URL"])
    return replace(config, endpoints=endpoints)


def online_world(
    config: Config, store: Store, now: Callable[[], datetime]
) -> tuple[World, httpx.Client]:
    """The real sources; the caller closes the returned client."""
    network = config.network
    pacer = FilePacer(store.path / "arxiv-pace.lock", interval=request_spacing(config))
    budget = WaitBudget(network.max_wait)
    client = httpx.Client(
        headers={"User-Agent": user_agent(config)},
        timeout=httpx.Timeout(network.timeout),
        follow_redirects=True,
    )
    feed = ArxivFeed(
        client, config.endpoints.arxiv_rss_url, pacer=pacer, budget=budget, retries=network.retries
    )
    api = ArxivApi(
        config.endpoints.arxiv_api_url,
        pacer=pacer,
        budget=budget,
        retries=network.retries,
        timeout=network.timeout,
        user_agent=user_agent(config),
    )
    return World(store=store, now=now, feed=feed, api=api), client


def request_spacing(config: Config) -> float:
    """arXiv's 3-second rule binds whenever an endpoint is an arXiv host; a mirror may set less."""
    hosts = (
        urlsplit(config.endpoints.arxiv_rss_url).hostname or "",
        urlsplit(config.endpoints.arxiv_api_url).hostname or "",
    )
    if any(h == "arxiv.org" or h.endswith(".arxiv.org") for h in hosts):
        return max(ARXIV_SPACING_SECONDS, config.network.spacing)
    return config.network.spacing
