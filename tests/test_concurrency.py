"""radar as separate processes, as cron runs it: two runs at once share the cache and arXiv's
request spacing; a run killed while it waits on arXiv leaves the cache usable and no digest.
"""

from __future__ import annotations

import itertools
import json
import signal
import time
from pathlib import Path

import pytest

from conftest import Run
from faults_support import (
    CATEGORIES,
    finish,
    only_files,
    radar_env,
    start_radar,
    wait_until,
    write_watchlist,
)
from loopback import Answer, Loopback

pytestmark = pytest.mark.timeout(60)

SPACING = 1.0
# Both sources (a watched author brings in the export API); one second between requests.
WATCHLIST = (
    "name: Together\n"
    + CATEGORIES
    + "authors: [Aurora Ramirez]\n"
    + f"network: {{timeout: 20, retries: 1, max_wait: 2, spacing: {SPACING:g}}}\n"
)
# The spacing is claimed just before a request is sent; the server notes it on arrival.
# Two processes' send paths differ by a little; more than this would be a real overlap.
JITTER = 0.05


@pytest.fixture
def env(arxiv: Loopback, isolated_user: Path) -> dict[str, str]:
    config = write_watchlist(isolated_user, WATCHLIST)
    return radar_env(
        isolated_user.parent / "home",
        config=str(config),
        cache_dir=str(isolated_user / "cache"),
        arxiv_rss_url=arxiv.url + "/rss/",
        arxiv_api_url=arxiv.url + "/api/query",
    )


def test_two_runs_at_once_share_the_cache_and_the_spacing(
    arxiv: Loopback, env: dict[str, str], isolated_user: Path
) -> None:
    started = time.monotonic()
    both = [start_radar(["today", "--format", "json"], env, isolated_user) for _ in range(2)]
    first, second = (finish(p, started) for p in both)
    assert (first.code, second.code) == (0, 0), first.err + second.err
    papers = json.loads(first.out)["papers"]
    assert papers, "the watchlist should catch papers"
    assert json.loads(second.out)["papers"] == papers

    times = sorted(r.at for r in arxiv.requests)
    assert len(times) >= 3  # the feed once or twice, the author search once or twice
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= SPACING - JITTER, gaps

    third = finish(start_radar(["today", "--offline", "--format", "json"], env, isolated_user),
                   time.monotonic())  # fmt: skip
    assert third.code == 0, third.err
    assert json.loads(third.out)["papers"] == papers


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_killed_while_waiting_on_arxiv_leaves_the_cache_and_no_digest(
    signum: int, run: Run, arxiv: Loopback, env: dict[str, str], isolated_user: Path
) -> None:
    cache = env["RADAR_CACHE_DIR"]
    first = run("today", "--format", "json", "--cache-dir", cache, "--config", env["RADAR_CONFIG"])
    assert first.code == 0, first.err
    papers = json.loads(first.out)["papers"]
    arxiv.requests.clear()
    arxiv.route("/rss/", Answer(stall=60))
    digest = isolated_user / "digest.md"

    started = time.monotonic()
    process = start_radar(["today", "--refresh", "--output", str(digest)], env, isolated_user)
    wait_until(lambda: arxiv.count("/rss/") == 1)
    process.send_signal(signum)
    killed = finish(process, started)

    assert killed.code == 130, killed.err
    assert "interrupted" in killed.err
    assert "Traceback" not in killed.err
    assert not digest.exists()
    only_files(isolated_user, "cache", "radar.yaml")
    after = run("today", "--offline", "--format", "json", "--cache-dir", cache)
    assert after.code == 0, after.err
    assert json.loads(after.out)["papers"] == papers


def test_killed_before_anything_was_cached(
    arxiv: Loopback, env: dict[str, str], isolated_user: Path, run: Run
) -> None:
    arxiv.route("/rss/", Answer(stall=60))
    process = start_radar(["today"], env, isolated_user)
    wait_until(lambda: arxiv.count("/rss/") == 1)
    process.send_signal(signal.SIGTERM)
    assert finish(process, time.monotonic()).code == 130
    after = run("today", "--offline", "--cache-dir", env["RADAR_CACHE_DIR"])
    assert after.code == 3
    assert after.err.startswith("error: offline, and no announcement is cached yet")


def test_the_cache_directory_is_private(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    write_watchlist(isolated_user, WATCHLIST.replace(f"spacing: {SPACING:g}", "spacing: 0"))
    cache = isolated_user / "new" / "cache"
    assert run("today", "--cache-dir", str(cache)).code == 0
    assert cache.stat().st_mode & 0o777 == 0o700
