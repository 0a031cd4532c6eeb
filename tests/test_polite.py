"""Politeness toward arXiv: the spacing shared through the pace file, and the 3-second floor
that binds on every arXiv host whatever the watchlist says.

The pacers run on an injected clock and sleep, so the assertions are exact numbers and no
test waits; one test runs the CLI through a loopback proxy standing in for arXiv's hosts.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import DEMO_FEED, Run
from faults_support import api_page
from loopback import Answer, Loopback, fixture
from radar.config import parse_config
from radar.polite import FilePacer, MemoryPacer
from radar.watchlist import Endpoints, NetworkSettings
from radar.wiring import request_spacing, source_spacing


class FakeTime:
    """A clock that moves only when slept on (or when the test says so)."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_two_pacers_on_one_file_share_the_spacing(tmp_path: Path) -> None:
    time = FakeTime()
    lock = tmp_path / "arxiv-pace.lock"
    cron = FilePacer(lock, interval=3.0, clock=time.clock, sleep=time.sleep)
    interactive = FilePacer(lock, interval=3.0, clock=time.clock, sleep=time.sleep)

    cron.wait_turn()  # the first request of all: no wait
    assert time.slept == []
    time.now += 1.0
    interactive.wait_turn()  # 1 s after cron's request: 2 s more
    assert time.slept == [2.0]
    time.now += 0.5
    cron.wait_turn()  # 0.5 s after the other pacer's request: 2.5 s more
    assert time.slept == [2.0, 2.5]
    time.now += 10.0
    interactive.wait_turn()  # long enough ago: no wait
    assert time.slept == [2.0, 2.5]


def test_a_new_pacer_reads_the_last_request_from_the_file(tmp_path: Path) -> None:
    time = FakeTime()
    lock = tmp_path / "arxiv-pace.lock"
    FilePacer(lock, interval=3.0, clock=time.clock, sleep=time.sleep).wait_turn()
    time.now += 0.25
    # A later process: its pacer is new, the file remembers.
    FilePacer(lock, interval=3.0, clock=time.clock, sleep=time.sleep).wait_turn()
    assert time.slept == [2.75]


def test_pacers_on_different_files_do_not_wait_for_each_other(tmp_path: Path) -> None:
    time = FakeTime()
    FilePacer(tmp_path / "a.lock", interval=3.0, clock=time.clock, sleep=time.sleep).wait_turn()
    FilePacer(tmp_path / "b.lock", interval=3.0, clock=time.clock, sleep=time.sleep).wait_turn()
    assert time.slept == []


def test_a_memory_pacer_spaces_its_own_requests() -> None:
    time = FakeTime()
    pacer = MemoryPacer(interval=3.0, clock=time.clock, sleep=time.sleep)
    pacer.wait_turn()
    time.now += 1.0
    pacer.wait_turn()
    pacer.wait_turn()
    assert time.slept == [2.0, 3.0]


# -- the floor for arXiv's hosts --------------------------------------------------------


def test_the_default_spacing_is_three_seconds() -> None:
    # README ("network"): spacing defaults to 3.
    assert NetworkSettings().spacing == 3.0
    assert parse_config("categories: [cs.LG]\n", None).network.spacing == 3.0


ARXIV_ENDPOINTS = [
    Endpoints(),  # arXiv's own: rss.arxiv.org and export.arxiv.org
    Endpoints(arxiv_rss_url="https://rss.arxiv.org/rss/", arxiv_api_url="http://127.0.0.1:9/"),
    Endpoints(arxiv_rss_url="http://127.0.0.1:9/", arxiv_api_url="https://export.arxiv.org/api/query"),
    Endpoints(arxiv_rss_url="https://arxiv.org/rss/", arxiv_api_url="http://127.0.0.1:9/"),
    Endpoints(arxiv_rss_url="http://RSS.arXiv.org:80/rss/", arxiv_api_url="http://127.0.0.1:9/"),
]


@pytest.mark.parametrize("endpoints", ARXIV_ENDPOINTS, ids=lambda e: e.arxiv_rss_url)
@pytest.mark.parametrize("asked", [0.0, 0.5, 1.0, 2.999])
def test_arxiv_hosts_get_three_seconds_whatever_the_watchlist_says(
    endpoints: Endpoints, asked: float
) -> None:
    config = parse_config(f"categories: [cs.LG]\nnetwork: {{spacing: {asked}}}\n", None)
    assert request_spacing(replace(config, endpoints=endpoints)) == 3.0


@pytest.mark.parametrize("endpoints", ARXIV_ENDPOINTS[:1])
def test_arxiv_hosts_get_more_when_asked(endpoints: Endpoints) -> None:
    config = parse_config("categories: [cs.LG]\nnetwork: {spacing: 7.5}\n", None)
    assert request_spacing(replace(config, endpoints=endpoints)) == 7.5


@pytest.mark.parametrize("asked", [0.0, 1.0, 5.0])
@pytest.mark.parametrize("host", ["127.0.0.1:9", "arxiv.example.org", "notarxiv.org"])
def test_other_hosts_honour_the_watchlist(asked: float, host: str) -> None:
    config = parse_config(f"categories: [cs.LG]\nnetwork: {{spacing: {asked}}}\n", None)
    mirror = Endpoints(arxiv_rss_url=f"http://{host}/rss/", arxiv_api_url=f"http://{host}/api")
    assert request_spacing(replace(config, endpoints=mirror)) == asked


def test_sources_beyond_arxiv_keep_one_second_on_public_hosts() -> None:
    # README: each host beyond arXiv gets its own polite pace (1 s); a mirror may ask less.
    config = parse_config("categories: [cs.LG]\nnetwork: {spacing: 0}\n", None)
    for host in ("api.biorxiv.org", "api.openalex.org", "api.crossref.org"):
        assert source_spacing(config, host) == 1.0
    assert source_spacing(config, "127.0.0.1") == 0.0


# -- end to end: the CLI against "arXiv" through a proxy ------------------------------


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Loopback:
    """A loopback server that answers as a forward proxy for rss.arxiv.org and
    export.arxiv.org: radar talks to arXiv's host names, and no request leaves the machine."""
    server = Loopback().start()
    server.route("/rss/", Answer(body=fixture(DEMO_FEED)))
    server.route("/api/query", Answer(body=api_page(), content_type="application/atom+xml"))
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.setenv("http_proxy", server.url)
    monkeypatch.setenv("RADAR_ARXIV_RSS_URL", "http://rss.arxiv.org/rss/")
    monkeypatch.setenv("RADAR_ARXIV_API_URL", "http://export.arxiv.org/api/query")
    yield server
    server.stop()


def test_spacing_zero_is_not_honoured_against_arxiv(
    run: Run, proxy: Loopback, isolated_user: Path
) -> None:
    config = isolated_user / "radar.yaml"
    config.write_text(
        "categories: [cs.LG]\nauthors: [Aurora Ramirez]\n"
        "network: {spacing: 0, timeout: 10, max_wait: 2}\n",
        encoding="utf-8",
    )
    outcome = run("today", "-c", str(config), "--format", "json")
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["papers"]
    # The feed, then the author search: two requests to arXiv, 3 s apart at least.
    assert [seen.path for seen in proxy.requests] == ["/rss/cs.LG", "/api/query"]
    assert all(seen.headers.get("host", "").endswith("arxiv.org") for seen in proxy.requests)
    gap = proxy.requests[1].at - proxy.requests[0].at
    assert gap >= 2.9, gap
