"""One time budget for the whole run, and a page cap per source (issue 11, item 9).

Every source shares network.max_wait: once failures have used it, no source starts
another request, so a run ends within `max_wait + timeout` (plus the spacing before
the last try) whatever the watchlist holds. And a server that answers a few records
a page while reporting a huge total is read for at most a fixed number of pages, with
a warning that the results were cut short.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from faults_support import (
    MAX_WAIT,
    TIMEOUT,
    api_page,
    lines_matching,
    write_watchlist,
)
from loopback import Answer, Loopback, Seen
from radar.errors import SourceError
from radar.polite import MemoryPacer, WaitBudget, pause_before_retry
from radar.sources.arxiv_api import MAX_PAGES_PER_RUN as API_PAGES
from radar.sources.arxiv_api import ArxivApi
from radar.sources.arxiv_feed import ArxivFeed
from radar.sources.biorxiv import MAX_PAGES_PER_RUN as BIORXIV_PAGES
from radar.sources.biorxiv import PreprintServer
from radar.sources.crossref import MAX_PAGES_PER_RUN as CROSSREF_PAGES
from radar.sources.crossref import Crossref
from radar.sources.openalex import MAX_PAGES_PER_RUN as OPENALEX_PAGES
from radar.sources.openalex import OpenAlex
from radar.watchlist import Journal
from sources_support import (
    BIORXIV_INTERVAL,
    CROSSREF_LIST,
    OPENALEX_WORK,
    channel,
    json_answer,
    load,
    work_variant,
)

ATOM = "application/atom+xml"
WINDOW = (date(2024, 1, 1), date(2024, 1, 2))

# Everything a watchlist can ask beyond the feed: names, an ORCID, similar_to, bioRxiv,
# medRxiv and two journals.
FULL = f"""\
name: Everything
categories: [eess.SP, cs.LG, quant-ph]
keywords: [EEG]
authors:
  - Olga Fink
  - Aurora Ramirez
  - {{name: M. Ralser, orcid: 0000-0001-9535-7413}}
similar_to: [2411.17705]
biorxiv: {{categories: [neuroscience]}}
medrxiv: {{categories: [epidemiology]}}
journals: [{{issn: 1932-6203, name: PLOS ONE}}, {{issn: 0028-0836, name: Nature}}]
network: {{timeout: {TIMEOUT:g}, retries: 3, max_wait: {MAX_WAIT:g}, spacing: 0}}
"""
# The documented bound (docs/reliability.md): max_wait + timeout (no spacing here), plus
# generous slack for start-up and a loaded machine. Before one budget for the run, every
# source spent its own timeout: about 7 s here.
RUN_BOUND = MAX_WAIT + TIMEOUT + 2.0


def _point_everything_at(server: Loopback, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_BIORXIV_API_URL", server.url + "/bx")
    monkeypatch.setenv("RADAR_OPENALEX_API_URL", server.url + "/oa")
    monkeypatch.setenv("RADAR_CROSSREF_API_URL", server.url + "/cr")


def test_every_source_but_the_feed_hanging_ends_within_the_bound(
    run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_watchlist(isolated_user, FULL)
    _point_everything_at(arxiv, monkeypatch)
    hang = Answer(stall=60)
    for route in ("/api/query", "/bx/", "/oa/", "/cr/"):
        arxiv.route(route, hang)
    started = time.monotonic()
    result = run("today", "--format", "json")
    took = time.monotonic() - started
    assert result.code == 0, result.err  # the feed answered: its day is shown
    assert json.loads(result.out)["papers"]
    assert took < RUN_BOUND, f"{took:.1f}s"
    # Sources reached after the budget ran out say so, instead of trying.
    refused = lines_matching(result.err, "not tried: earlier failures used up network.max_wait")
    assert refused, result.err
    assert "Traceback" not in result.err


# -- page caps --------------------------------------------------------------------------------


def _endless_api_pages(seen: Seen) -> Answer:
    """The captured page again and again, its header claiming a huge total (the attack)."""
    start = int(seen.query.get("start", ["0"])[0])
    body = re.sub(
        rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>214881<", api_page()
    )
    # Each page's entries get ids of their own, so the run sees new papers on every page.
    body = re.sub(
        rb"(<id>http://arxiv\.org/abs/)(\d{4})\.(\d{5})",
        lambda m: m.group(1) + b"%s.%05d" % (m.group(2), (int(m.group(3)) + start) % 100000),
        body,
    )
    return Answer(body=body, content_type=ATOM)


def test_the_export_api_is_read_for_at_most_its_page_cap(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(
        isolated_user,
        f"name: Authors\nauthors: [Olga Fink, Aurora Ramirez]\n"
        f"network: {{timeout: {TIMEOUT:g}, retries: 0, max_wait: {MAX_WAIT:g}, spacing: 0}}\n",
    )
    arxiv.route("/api/query", _endless_api_pages)
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    assert arxiv.count("/api/query") == API_PAGES == 10
    (cut,) = lines_matching(result.err, "^warning: arXiv export API: stopped at radar's cap")
    assert "10 pages per run" in cut
    assert any("stopped at radar's cap" in n for n in json.loads(result.out)["notices"])
    # A search cut short is not kept as the day's answer: the next run asks again.
    again = run("today", "--format", "json")
    assert again.code == 0 and arxiv.count("/api/query") == 2 * API_PAGES


def _one_record_a_page(records: list[dict[str, Any]]) -> Any:
    message = load(BIORXIV_INTERVAL)["messages"][0]

    def route(seen: Seen) -> Answer:
        cursor = int(seen.path.rstrip("/").rsplit("/", 1)[1])
        page = [records[cursor % len(records)]] if cursor < 100_000 else []
        # Each record its own DOI, so none is folded into another.
        page = [{**r, "doi": f"{r['doi']}.{cursor}"} for r in page]
        meta = {**message, "cursor": str(cursor), "count": len(page), "total": 100_000}
        return json_answer({"messages": [meta], "collection": page})

    return route


def test_biorxiv_at_one_record_a_page_is_read_for_at_most_its_cap(
    run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_watchlist(
        isolated_user,
        "name: Cells\nbiorxiv: {categories: [neuroscience]}\n"
        "announce_types: [new, cross, replace]\nnetwork: {spacing: 0, max_wait: 2}\n",
    )
    _point_everything_at(arxiv, monkeypatch)
    arxiv.route("/bx/details/biorxiv/", _one_record_a_page(load(BIORXIV_INTERVAL)["collection"]))
    result = run("today", "--format", "json", "--limit", "0")
    assert result.code == 0, result.err
    assert arxiv.count("/bx/details/biorxiv/") == BIORXIV_PAGES == 30
    (cut,) = lines_matching(result.err, "^warning: bioRxiv: stopped at radar's cap of 30 pages")
    assert "records after the first 30" in cut
    assert json.loads(result.out)["papers"], "what was read is shown"


def _endless_openalex(work: dict[str, Any]) -> Any:
    def route(seen: Seen) -> Answer:
        cursor = seen.query.get("cursor", ["*"])[0]
        n = 0 if cursor == "*" else int(cursor)
        body = {
            "meta": {"count": 10**6, "per_page": 1, "next_cursor": str(n + 1)},
            "results": [work_variant(work, n)],
        }
        return json_answer(body)

    return route


def test_openalex_and_crossref_are_read_for_at_most_their_caps(
    run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_watchlist(
        isolated_user,
        "name: Journals\njournals: [{issn: 1932-6203, name: PLOS ONE}]\n"
        "network: {spacing: 0, max_wait: 2}\n",
    )
    _point_everything_at(arxiv, monkeypatch)
    arxiv.route("/oa/works", _endless_openalex(load(OPENALEX_WORK)))
    result = run("today", "--format", "json", "--limit", "0")
    assert result.code == 0, result.err
    assert arxiv.count("/oa/works") == OPENALEX_PAGES == 20
    assert lines_matching(result.err, "^warning: OpenAlex: stopped at radar's cap of 20 pages")

    # Crossref, standing in for a failing OpenAlex, with a next cursor on every full page.
    items = load(CROSSREF_LIST)["message"]["items"]
    full_page = {"message": {"items": (items * 5)[:100], "next-cursor": "again"}}
    arxiv.route("/oa/works", Answer(status=404))
    arxiv.route("/cr/journals/", json_answer(full_page))
    crossref = run("today", "--refresh", "--format", "json", "--limit", "0")
    assert crossref.code == 0, crossref.err
    assert arxiv.count("/cr/journals/") == CROSSREF_PAGES == 20
    assert lines_matching(crossref.err, "^warning: Crossref: stopped at radar's cap of 20 pages")


# -- the budget itself, with no clock involved -------------------------------------------------


def test_a_spent_budget_allows_no_retry_not_even_a_free_one() -> None:
    budget = WaitBudget(1.0)
    budget.charge(1.0)  # exactly used up
    slept: list[float] = []
    refusal = pause_before_retry(budget, 0, "0", slept.append)  # Retry-After: 0
    assert refusal is not None and "network.max_wait" in refusal
    assert slept == []


def test_no_source_starts_a_request_once_the_budget_is_spent() -> None:
    server = Loopback().start()
    try:
        server.route("/", Answer(body=b"{}", content_type="application/json"))
        with channel(max_wait=1.0) as (chan, _):
            chan.budget.charge(1.5)
            with pytest.raises(SourceError, match="not tried: earlier failures used up"):
                PreprintServer(chan, server.url, "biorxiv").fetch(*WINDOW)
            with pytest.raises(SourceError, match="not tried: earlier failures used up"):
                OpenAlex(chan, server.url).journal_works([Journal("1932-6203")], *WINDOW)
            with pytest.raises(SourceError, match="not tried: earlier failures used up"):
                Crossref(chan, server.url).journal_works([Journal("1932-6203")], *WINDOW)
            api = ArxivApi(
                server.url + "/api/query",
                pacer=MemoryPacer(interval=0),
                budget=chan.budget,
                retries=3,
                timeout=1.0,
                user_agent="radar-tests",
            )
            with pytest.raises(SourceError, match="not tried: earlier failures used up"):
                api.fetch_ids(["2411.17705"])
        assert server.requests == []
    finally:
        server.stop()


def test_an_answer_that_cannot_be_used_costs_the_budget() -> None:
    ticks = iter(range(1000))  # a clock that moves one second each time it is read

    def clock() -> float:
        return float(next(ticks))

    server = Loopback().start()
    try:
        server.route("/bx/", Answer(body=b"<html>maintenance</html>", content_type="text/html"))
        server.route("/rss/", Answer(body=b"<html>maintenance</html>", content_type="text/html"))
        with channel(max_wait=60.0) as (chan, _):
            chan = replace(chan, clock=clock)
            with pytest.raises(SourceError, match="not JSON"):
                PreprintServer(chan, server.url + "/bx", "biorxiv").fetch(*WINDOW)
            assert chan.budget.seconds < 60.0
            left = chan.budget.seconds
            feed = ArxivFeed(
                chan.client,
                server.url + "/rss/",
                pacer=MemoryPacer(interval=0),
                budget=chan.budget,
                retries=0,
                timeout=1.0,
                clock=clock,
            )
            with pytest.raises(SourceError, match="unusable answer"):
                feed.fetch(("cs.LG",))
            assert chan.budget.seconds < left
    finally:
        server.stop()
