"""Builds what a command runs on: the watchlist, the cache, the clock and the sources."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from radar.errors import RadarError, UsageError

if TYPE_CHECKING:
    import httpx

    from radar.report import World
    from radar.store import Store
    from radar.watchlist import Config


def utcnow() -> datetime:
    """The CLI's clock (tests replace this one function)."""
    return datetime.now(UTC)


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--date {value!r} is not a date", hint="use YYYY-MM-DD, e.g. 2024-11-28"
        ) from None


def parse_span_start(since: str | None, day: str | None) -> date | None:
    """`--since` as its first day, checked against arXiv's today by the CLI's clock."""
    if since is None:
        return None
    if day is not None:
        raise UsageError(
            "--since and --date cannot be used together",
            hint="--date shows one cached day; --since shows every day from DATE to today",
        )
    from radar.arxivtime import arxiv_today
    from radar.catchup import parse_since

    return parse_since(since, arxiv_today(utcnow()))


def cache_path(cache_dir: Path | None) -> Path:
    from radar.wiring import default_cache_dir

    return cache_dir.expanduser() if cache_dir else default_cache_dir(os.environ)


def load_watchlist(
    config_path: Path | None, *, required: bool = True, store: Store | None = None
) -> Config:
    """The user's watchlist (the example when not `required` and none is found); with a
    `store`, remembered there once checked, so yaml is imported only for a changed file."""
    from radar.configpath import find_config
    from radar.wiring import user_config_dir, with_env_endpoints

    env = os.environ
    try:
        path = find_config(config_path, env.get("RADAR_CONFIG"), Path.cwd(), user_config_dir(env))
    except RadarError:
        if required:
            raise
        from radar.config import example_config_text, parse_config

        return parse_config(example_config_text(), None)
    if store is None:
        from radar.config import load_config

        return with_env_endpoints(load_config(path), env)
    from radar.checked import load_checked

    return with_env_endpoints(load_checked(path, store), env)


def select_topic(config: Config, topic: str | None) -> Config:
    if topic is None:
        return config
    chosen = tuple(t for t in config.topics if t.name == topic)
    if not chosen:
        # The top-level categories/authors/keywords form a topic named after the watchlist:
        # it is no topic the user wrote, so a watchlist of it alone "has no topics".
        declared = [t.name for t in config.topics if t.name != config.name]
        if not declared:
            raise UsageError(
                f"no topic named {topic!r}: this watchlist has no topics",
                hint="drop --topic, or add a `topics:` list to the watchlist "
                "(radar.example.yaml shows one)",
            )
        names = ", ".join(t.name for t in config.topics)
        raise UsageError(f"no topic named {topic!r} in the watchlist", hint=f"topics: {names}")
    return replace(config, topics=chosen)


@contextmanager
def open_cache(cache_dir: Path | None) -> Iterator[Store]:
    from radar.cli.app import say
    from radar.store import open_store

    store = open_store(cache_path(cache_dir), warn=say)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def world_for(
    config_path: Path | None,
    cache_dir: Path | None,
    *,
    offline: bool,
    demo: bool,
    topic: str | None,
    required: bool = True,
    library: bool = False,
) -> Iterator[tuple[Config, World]]:
    """The watchlist and the world a command runs in; closes what it opened. With
    `library`, the world carries the user's library and verdicts (for ranking)."""
    from radar.report import World

    if demo:
        import tempfile

        from radar.config import example_config_text, parse_config
        from radar.demo import demo_world
        from radar.store import open_store

        example = parse_config(example_config_text(), Path("radar.example.yaml"))
        # The demo writes nothing to the user's cache: its cache lives and dies here.
        with tempfile.TemporaryDirectory(prefix="radar-demo-") as scratch:
            store = open_store(Path(scratch))
            try:
                yield select_topic(example, topic), demo_world(store)
            finally:
                store.close()
        return
    with open_cache(cache_dir) as store:
        config = select_topic(load_watchlist(config_path, required=required, store=store), topic)
        if offline:
            world = World(store=store, now=utcnow)
            yield config, _with_library(config, world, None) if library else world
            return
        from radar.wiring import online_world

        world, client = online_world(config, store, now=utcnow, env=os.environ)
        with client:
            yield config, _with_library(config, world, client) if library else world


def _with_library(config: Config, world: World, client: httpx.Client | None) -> World:
    """`world` with the user's library (the watchlist's `library:`) and their verdicts."""
    from radar.cli.triage import user_data
    from radar.library.load import load_library
    from radar.wiring import library_world

    readers = library_world(config, world.store, utcnow, os.environ, client)
    try:
        with user_data() as verdicts:
            found = load_library(config.library, verdicts, readers)
    except RadarError as exc:  # the verdicts can't be read: the library alone, and a warning
        found = load_library(config.library, None, readers)
        said = f"your verdicts are left out: {exc.message}"
        found = replace(found, warnings=(*found.warnings, said))
    return replace(world, library=found)
