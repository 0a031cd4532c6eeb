"""All sources beyond arXiv in one call, as the orchestrator will make it: one failing source
never hides the others, and each host gets its own pacing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from loopback import Answer, Loopback
from radar.config import parse_config
from radar.merge import merge
from radar.sources.others import source_window
from radar.watchlist import Config
from radar.wiring import other_sources, source_spacing, user_agent, with_env_endpoints
from sources_support import (
    BIORXIV_INTERVAL,
    CROSSREF_LIST,
    OPENALEX_WORK,
    biorxiv_pages,
    json_answer,
    load,
    openalex_pages,
)

WATCHLIST = """\
name: Bench to bedside
authors:
  - Ian H. Stevenson
  - {name: M. Ralser, orcid: 0000-0001-9535-7413}
biorxiv: {categories: [Cancer Biology]}
medrxiv: {categories: [epidemiology]}
journals: [{issn: 1932-6203, name: PLOS ONE}]
network:
  spacing: 0
  max_wait: 5
  retries: 1
  contact: me@example.org
"""
SINCE, UNTIL = date(2018, 8, 21), date(2018, 8, 28)
SLEPT: list[float] = []  # backoff waits asked for: recorded, never slept


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback().start()
    records = load(BIORXIV_INTERVAL)["collection"]
    loopback.route("/bx/details/biorxiv/", biorxiv_pages(records, page_size=10))
    no_posts = {"messages": [{"status": "no posts found"}], "collection": []}
    loopback.route("/bx/details/medrxiv/", json_answer(no_posts))
    loopback.route("/oa/works", openalex_pages([load(OPENALEX_WORK)], per_page=100))
    yield loopback
    loopback.stop()


def configured(server: Loopback) -> Config:
    env = {
        "RADAR_BIORXIV_API_URL": server.url + "/bx",
        "RADAR_OPENALEX_API_URL": server.url + "/oa",
        "RADAR_CROSSREF_API_URL": server.url + "/cr",
    }
    return with_env_endpoints(parse_config(WATCHLIST, None), env)


def fetch(server: Loopback, pace_dir: Path) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    config = configured(server)
    env = {"OPENALEX_API_KEY": "secret"}
    with httpx.Client(headers={"User-Agent": user_agent(config)}) as client:
        sources = other_sources(config, client, pace_dir, env, sleep=SLEPT.append)
        found = sources.fetch(config, SINCE, UNTIL)
        papers, notices = found.papers, found.notices
    return tuple(p.doi for p in papers), notices


@pytest.fixture
def pace_dir(tmp_path: Path) -> Path:
    SLEPT.clear()
    path = tmp_path / "cache"
    path.mkdir()
    return path


def test_every_watched_source_is_read_once_for_the_window(server: Loopback, pace_dir: Path) -> None:
    dois, notices = fetch(server, pace_dir)
    assert notices == ()
    # Cancer biology, plus the watched author's neuroscience preprint; then PLOS ONE's
    # work, found once by journal and once by ORCID (radar.merge makes those one card).
    assert dois == (
        "10.1101/301838",
        "10.1101/312355",
        "10.1101/317511",
        "10.1371/journal.pone.0000030",
        "10.1371/journal.pone.0000030",
    )
    assert server.count("/bx/details/biorxiv/") == 2  # 20 records, 10 a page
    assert server.count("/bx/details/medrxiv/") == 1
    journal, author = (r.query for r in server.requests if r.path == "/oa/works")
    assert journal["filter"][0].startswith("primary_location.source.issn:1932-6203,")
    assert author["filter"][0].startswith("author.orcid:0000-0001-9535-7413,")
    assert journal["mailto"] == ["me@example.org"] and journal["api_key"] == ["secret"]
    assert all("me@example.org" in r.headers["user-agent"] for r in server.requests)
    # Each host is paced on its own, across processes: one lock file per host and port.
    port = server.url.rsplit(":", 1)[1]
    assert [p.name for p in pace_dir.iterdir()] == [f"pace-127.0.0.1_{port}.lock"]


def test_merged_the_journal_work_is_one_card(server: Loopback, pace_dir: Path) -> None:
    config = configured(server)
    with httpx.Client() as client:
        papers = other_sources(config, client, pace_dir, {}).fetch(config, SINCE, UNTIL).papers
    assert len(merge(papers)) == 4


def test_a_failing_server_is_a_notice_and_the_others_still_count(
    server: Loopback, pace_dir: Path
) -> None:
    server.route("/bx/details/biorxiv/", Answer(status=503, headers={"Retry-After": "0"}))
    dois, notices = fetch(server, pace_dir)
    assert dois == ("10.1371/journal.pone.0000030",) * 2
    (notice,) = notices
    assert notice.startswith("reading bioRxiv (2018-08-21 to 2018-08-28, from record 0) failed")
    assert notice.endswith("HTTP 503; bioRxiv papers are missing from this run")
    assert server.count("/bx/details/biorxiv/") == 2  # the first try and one retry


def test_crossref_stands_in_when_openalex_fails(server: Loopback, pace_dir: Path) -> None:
    server.route("/oa/works", Answer(status=500))
    message = load(CROSSREF_LIST)["message"]
    server.route("/cr/journals/", json_answer({"status": "ok", "message": message}))
    dois, notices = fetch(server, pace_dir)
    assert len(dois) == 3 + 20  # bioRxiv's three and Crossref's page
    assert notices[0].startswith("reading OpenAlex journals (PLOS ONE) failed: HTTP 500")
    assert notices[0].endswith("; reading Crossref instead")
    assert notices[1].startswith("reading OpenAlex watched authors' works failed: HTTP 500")
    assert [r.path for r in server.requests if r.path.startswith("/cr/")] == [
        "/cr/journals/1932-6203/works"
    ]


def test_the_window_runs_from_the_last_run_but_never_too_far_back() -> None:
    config = parse_config("journals: [0028-0836]\nsource_window_days: 3\n", None)
    today = date(2024, 11, 28)
    assert source_window(config, today, None) == (date(2024, 11, 25), today)
    assert source_window(config, today, date(2024, 11, 27)) == (date(2024, 11, 27), today)
    assert source_window(config, today, date(2024, 1, 1)) == (date(2024, 11, 25), today)


def test_public_hosts_get_one_second_and_a_mirror_may_get_less() -> None:
    config = parse_config("journals: [0028-0836]\nnetwork: {spacing: 0}\n", None)
    assert source_spacing(config, "api.biorxiv.org") == 1.0
    assert source_spacing(config, "api.openalex.org", spacing=2.5) == 2.5
    assert source_spacing(config, "127.0.0.1") == 0.0
    default = parse_config("journals: [0028-0836]\n", None)  # network.spacing 3 is arXiv's
    assert source_spacing(default, "mirror.example.org") == 1.0
