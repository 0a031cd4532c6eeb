"""`radar doctor` against a loopback arXiv: what it prints, what it asks arXiv, its exit code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ERROR_FEED, WATCHLIST, Run
from loopback import Answer, Loopback, fixture, refused_url

KEY = "sk-ant-api03-TOPSECRETvalue-0123456789"


def line(out: str, name: str) -> str:
    """The check line for `name` (status first)."""
    found = [x for x in out.splitlines() if re.match(rf"(ok|warn|FAIL|skip)\s+{name}\s", x)]
    assert len(found) == 1, out
    return found[0]


def test_all_well_is_exit_0_with_one_line_per_check(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    result = run("doctor")
    assert result.code == 0, result.out + result.err
    out = result.out
    assert f"config:  {watchlist}" in out
    cache = isolated_user.parent / "home" / ".cache" / "radar"
    assert f"cache:   {cache}" in out
    assert "digests: stdout unless --output" in out
    assert line(out, "watchlist").startswith("ok")
    assert "3 categories, 3 authors, 3 keywords" in line(out, "watchlist")
    assert line(out, "cache").startswith("ok")
    assert "no days held yet" in line(out, "cache")
    feed = line(out, "feed")
    assert feed.startswith("ok")
    assert f"{arxiv.url}/rss/eess.SP+cs.LG+quant-ph answered 200 in" in feed
    assert re.search(r"answered 200 in \d+\.\d\ds \(21 papers\)", feed), feed
    api = line(out, "api")
    assert api.startswith("ok")
    assert f"{arxiv.url}/api/query answered 200 in" in api
    assert line(out, "anthropic").startswith("warn")
    assert "ANTHROPIC_API_KEY is not set" in line(out, "anthropic")
    # One GET to each endpoint, with radar's User-Agent.
    assert [r.path for r in arxiv.requests] == ["/rss/eess.SP+cs.LG+quant-ph", "/api/query"]
    assert all(r.headers["user-agent"].startswith("radar/") for r in arxiv.requests)
    assert result.err == ""


def test_reports_days_held_after_a_run(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    assert run("today", "--format", "json").code == 0
    result = run("doctor", "--offline")
    assert "1 day held (2024-11-28)" in line(result.out, "cache")


def test_offline_asks_nothing(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    result = run("doctor", "--offline")
    assert result.code == 0, result.err
    assert arxiv.requests == []
    assert line(result.out, "feed") == "skip  feed       not checked (--offline)"
    assert line(result.out, "api").startswith("skip")


def test_feed_down_fails_with_exit_3(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    arxiv.route("/rss/", Answer(status=503, headers={"Retry-After": "0"}))
    result = run("doctor")
    assert result.code == 3
    feed = line(result.out, "feed")
    assert feed.startswith("FAIL")
    assert "answered 503" in feed
    assert arxiv.count("/rss/") == 1  # doctor reports; it does not retry
    assert result.err.startswith("error: `radar today` would not work: feed failed\nhint:")


def test_feed_that_is_not_a_feed_fails(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    arxiv.route("/rss/", Answer(body=b"<html>maintenance</html>", content_type="text/html"))
    result = run("doctor")
    assert result.code == 3
    assert "answered 200 in" in line(result.out, "feed")
    assert ", but unusably: " in line(result.out, "feed")


def test_unreachable_arxiv(run: Run, watchlist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = refused_url()
    monkeypatch.setenv("RADAR_ARXIV_RSS_URL", url + "/rss/")
    monkeypatch.setenv("RADAR_ARXIV_API_URL", url + "/api/query")
    result = run("doctor")
    assert result.code == 3
    assert "connection failed" in line(result.out, "feed")
    assert line(result.out, "api").startswith("FAIL")  # authors are watched
    assert "feed, api failed" in result.err


def test_slow_feed_hits_the_short_timeout(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    watchlist.write_text(WATCHLIST + "  timeout: 0.3\n", encoding="utf-8")
    arxiv.route("/rss/", Answer(stall=1.5))
    result = run("doctor")
    assert result.code == 3
    assert "did not answer within 0.3s" in line(result.out, "feed")


def test_api_down_is_a_failure_only_when_authors_are_watched(
    run: Run, arxiv: Loopback, isolated_user: Path, watchlist: Path
) -> None:
    arxiv.route("/api/query", Answer(status=503, headers={"Retry-After": "0"}))
    with_authors = run("doctor")
    assert with_authors.code == 3
    assert line(with_authors.out, "api").startswith("FAIL")
    assert "watched authors are searched there" in line(with_authors.out, "api")
    watchlist.write_text(
        "categories: [eess.SP]\nnetwork: {spacing: 0, max_wait: 2}\n", encoding="utf-8"
    )
    without = run("doctor")
    assert without.code == 0, without.out + without.err
    assert line(without.out, "api").startswith("warn")
    assert line(without.out, "feed").startswith("ok")


def test_authors_only_watchlist_skips_the_feed(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    watchlist.write_text(
        "authors: [Olga Fink]\nnetwork: {spacing: 0, max_wait: 2}\n", encoding="utf-8"
    )
    result = run("doctor")
    assert result.code == 0, result.out + result.err
    assert line(result.out, "feed") == "skip  feed       no categories watched"
    assert [r.path for r in arxiv.requests] == ["/api/query"]


def test_requests_keep_the_configured_spacing(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    watchlist.write_text(WATCHLIST.replace("spacing: 0", "spacing: 0.8"), encoding="utf-8")
    result = run("doctor")
    assert result.code == 0, result.out + result.err
    first, second = arxiv.requests
    assert second.at - first.at >= 0.75


def test_invalid_watchlist_fails_with_exit_2_and_its_problems(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    watchlist.write_text("categories: [cs.ML]\nauthors: Olga\n", encoding="utf-8")
    result = run("doctor")
    assert result.code == 2
    assert line(result.out, "watchlist").startswith("FAIL")
    assert "unknown arXiv category 'cs.ML' (did you mean 'cs.LG'?)" in result.out
    assert f"config:  {watchlist}" in result.out
    assert line(result.out, "feed") == "skip  feed       needs a valid watchlist"
    assert arxiv.requests == []
    assert "error: `radar today` would not work: watchlist failed" in result.err


def test_no_watchlist_at_all(run: Run, arxiv: Loopback) -> None:
    result = run("doctor")
    assert result.code == 2
    assert "config:  none found" in result.out
    assert "no watchlist found" in line(result.out, "watchlist")


def test_unusable_cache_fails(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    blocker = isolated_user / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    result = run("doctor", "--cache-dir", str(blocker / "cache"))
    assert result.code == 2
    assert line(result.out, "cache").startswith("FAIL")
    assert "cache failed" in result.err
    # The network is still checked, without the shared pace file.
    assert line(result.out, "feed").startswith("ok")


def test_key_is_reported_but_never_shown(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    result = run("-v", "doctor")
    assert result.code == 0, result.out + result.err
    assert line(result.out, "anthropic") == "ok    anthropic  ANTHROPIC_API_KEY is set"
    shown = result.out + result.err
    for piece in (KEY, KEY[:12], KEY[-6:], "TOPSECRET", "sk-ant"):
        assert piece not in shown


def test_verbose_logs_doctors_requests(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    result = run("-v", "doctor")
    assert f"radar: GET {arxiv.url}/rss/eess.SP+cs.LG+quant-ph -> 200" in result.err
    assert f"radar: GET {arxiv.url}/api/query?search_query=all" in result.err


def test_category_the_feed_rejects_is_the_watchlists_fault(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    arxiv.route("/rss/", Answer(body=fixture(ERROR_FEED)))
    result = run("doctor")
    assert result.code == 2  # as `radar today` says of it
    assert "but unusably:" in line(result.out, "feed")
    assert "astroph" in line(result.out, "feed")
