"""`radar today` end to end against a loopback arXiv serving the captured feed of 2024-11-28."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EMPTY_FEED, ERROR_FEED, WATCHLIST, Run, frozen_clock
from loopback import Answer, Loopback, Seen, fixture, refused_url

ID_ANSWER = "arxiv-api/api-2026-id_list-1605.08386-math.CO-two-categories.xml"
BAD_ID_ANSWER = "arxiv-api/api-2026-error-id_list-abc-http400.xml"

# What WATCHLIST must catch on the captured day, best first (ties broken by id).
EXPECTED_ORDER = [
    "2405.13786",  # by Aurora Ramírez, found by the export-API author search (cs.SE)
    "2411.17705",  # EEG in the title, primary eess.SP, new
    "2411.17707",  # "Fault Diagnosis" in the title, primary eess.SP, new
    "2411.17702",  # primary eess.SP, new
    "2411.17703",  # primary physics.space-ph, cross-listed to cs.LG, new
    "2411.16552",  # primary stat.AP, cross-listed to cs.LG, a cross-list
]


def today_json(run: Run, *args: str) -> dict:
    result = run("today", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_cold_run_ranks_the_day_with_reasons(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    doc = today_json(run)
    ids = [p["id"] for p in doc["papers"]]
    assert ids == EXPECTED_ORDER
    by_id = {p["id"]: p for p in doc["papers"]}
    assert "keyword in title: EEG" in [r["label"] for r in by_id["2411.17705"]["reasons"]]
    assert "category: eess.SP" in [r["label"] for r in by_id["2411.17705"]["reasons"]]
    assert "cross-list from stat.AP" in [r["label"] for r in by_id["2411.16552"]["reasons"]]
    ramirez = by_id["2405.13786"]
    assert "author: Aurora Ramirez" in [r["label"] for r in ramirez["reasons"]]
    assert ramirez["watched_authors"] == ["Aurora Ramírez"]
    assert ramirez["source"] == "api"
    assert doc["day"] == "2024-11-28"
    # Only new and cross-lists by default: the replacement by Olga Fink stays out.
    assert "2312.02826" not in ids
    # One feed request for every category, plus one API request for the authors.
    assert arxiv.count("/rss/") == 1
    assert arxiv.count("/api/query") == 1
    feed = next(r for r in arxiv.requests if r.path.startswith("/rss/"))
    assert feed.path == "/rss/eess.SP+cs.LG+quant-ph"
    assert feed.headers["user-agent"].startswith("radar/")
    query = next(r for r in arxiv.requests if r.path == "/api/query").query["search_query"][0]
    assert 'au:"olga fink" OR au:"sebastian pokutta"' in query
    assert "submittedDate:[" in query


def test_second_run_same_day_makes_no_request(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    first = today_json(run)
    second = today_json(run)
    assert [p["id"] for p in second["papers"]] == [p["id"] for p in first["papers"]]
    assert len(arxiv.requests) == 2  # the first run's only
    assert second["state"] == "cached"


def test_refresh_fetches_again(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    doc = today_json(run, "--refresh")
    assert doc["state"] == "fresh"
    assert arxiv.count("/rss/") == 2


def test_offline_never_touches_the_network(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock(monkeypatch, "2024-11-28T12:00:00+00:00")
    today_json(run)
    arxiv.requests.clear()
    # Two days on, the cached day is out of date: offline, radar shows it without asking.
    frozen_clock(monkeypatch, "2024-11-30T12:00:00+00:00")
    result = run("today", "--offline", "--format", "json")
    assert result.code == 0, result.err
    assert arxiv.requests == []
    assert "offline: showing the announcement of 2024-11-28" in result.err
    assert json.loads(result.out)["state"] == "offline"


def test_offline_with_nothing_cached_is_an_error(run: Run, watchlist: Path) -> None:
    result = run("today", "--offline")
    assert result.code == 3
    assert result.err.startswith("error: offline, and no announcement is cached yet")
    assert "hint:" in result.err
    assert result.out == ""


def test_past_day_comes_from_the_cache(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    arxiv.requests.clear()
    doc = today_json(run, "--date", "2024-11-28")
    assert doc["day"] == "2024-11-28"
    # A past day holds the feed's papers only; the author search belongs to its run.
    assert [p["id"] for p in doc["papers"]] == EXPECTED_ORDER[1:]
    assert arxiv.requests == []
    missing = run("today", "--date", "2024-11-27")
    assert missing.code == 3
    assert "no announcement of 2024-11-27 is cached" in missing.err
    assert "cached days: 2024-11-28" in missing.err


def test_unseen_hides_papers_shown_before(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    first = today_json(run, "--limit", "2")
    assert [p["id"] for p in first["papers"]] == EXPECTED_ORDER[:2]
    rest = today_json(run, "--unseen")
    assert [p["id"] for p in rest["papers"]] == EXPECTED_ORDER[2:]
    assert today_json(run, "--unseen")["papers"] == []


def test_exclude_drops_a_paper(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    watchlist.write_text(WATCHLIST + "announce_types: [new, cross, replace]\n", encoding="utf-8")
    doc = today_json(run)
    ids = [p["id"] for p in doc["papers"]]
    # 2312.04398 (a replacement about lane rendering) is caught, then excluded.
    assert "2312.04398" not in ids
    assert doc["excluded"] == 1
    # With replacements on, Olga Fink's replacement ranks first: author + keyword.
    assert ids[0] == "2312.02826"
    assert "author: Olga Fink" in [r["label"] for r in doc["papers"][0]["reasons"]]


def test_weekend_shows_the_last_announcement(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock(monkeypatch, "2024-11-28T17:00:00+00:00")
    today_json(run)
    # Saturday: arXiv's feed is empty (the captured empty feed, with skipDays).
    frozen_clock(monkeypatch, "2024-11-30T17:00:00+00:00")
    arxiv.route("/rss/", Answer(body=fixture(EMPTY_FEED)))
    result = run("today")
    assert result.code == 0, result.err
    assert "no arXiv announcement" in result.out
    assert "2024-11-28" in result.out
    assert "EEG-DCNet" in result.out
    doc = today_json(run, "--refresh")
    assert doc["no_announcement"] is True
    assert doc["day"] == "2024-11-28"


def test_empty_feed_with_nothing_cached_says_so(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    arxiv.route("/rss/", Answer(body=fixture(EMPTY_FEED)))
    result = run("today")
    assert result.code == 0, result.err
    assert "no arXiv announcement" in result.out
    assert "nothing cached" in result.out


def test_unknown_category_feed_error_is_a_config_error(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    arxiv.route("/rss/", Answer(body=fixture(ERROR_FEED)))
    result = run("today")
    assert result.code == 2
    assert "error: arXiv's feed does not know the category astroph" in result.err
    assert "hint:" in result.err


def test_network_down_with_nothing_cached_fails_loudly(
    run: Run, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = refused_url()
    monkeypatch.setenv("RADAR_ARXIV_RSS_URL", url + "/rss/")
    monkeypatch.setenv("RADAR_ARXIV_API_URL", url + "/api/query")
    result = run("today", "--format", "json")
    assert result.code == 3
    assert "error: fetching arXiv's announcement feed failed: connection failed" in result.err
    assert result.out == ""  # never an empty "no papers" document


def test_network_down_falls_back_to_the_cache(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    arxiv.route("/rss/", Answer(status=503, headers={"Retry-After": "0"}))
    arxiv.route("/api/query", Answer(status=503, headers={"Retry-After": "0"}))
    result = run("today", "--refresh", "--format", "json")
    assert result.code == 0, result.err
    assert "HTTP 503" in result.err
    assert "showing the announcement of 2024-11-28" in result.err
    doc = json.loads(result.out)
    assert doc["state"] == "stale"
    assert [p["id"] for p in doc["papers"]] == EXPECTED_ORDER


def test_retry_after_is_honoured_then_succeeds(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    arxiv.route(
        "/rss/",
        Answer(status=429, headers={"Retry-After": "1"}),
        Answer(
            body=fixture("arxiv-rss/rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml")
        ),
    )
    doc = today_json(run)
    assert [p["id"] for p in doc["papers"]] == EXPECTED_ORDER
    feeds = [r for r in arxiv.requests if r.path.startswith("/rss/")]
    assert len(feeds) == 2
    assert feeds[1].at - feeds[0].at >= 0.9


def test_markdown_digest_is_written_atomically(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    target = isolated_user / "digest.md"
    result = run("today", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    text = target.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert str(front["date"]) == "2024-11-28"
    assert "EEG-DCNet: A Fast and Accurate MI-EEG" in text  # no escape it does not need
    assert "https://arxiv.org/abs/2411.17705" in text
    assert [p.name for p in isolated_user.iterdir() if p.name.endswith(".tmp")] == []


def test_output_dir_must_exist_before_any_fetch(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    result = run("today", "--output", str(isolated_user / "nope" / "digest.md"))
    assert result.code == 2
    assert "does not exist" in result.err
    assert arxiv.requests == []


def test_jsonl_gives_one_paper_per_line(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    result = run("today", "--format", "jsonl")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == EXPECTED_ORDER


def test_terminal_cards_are_plain_when_piped(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    result = run("today", "--limit", "2")
    assert result.code == 0, result.err
    assert "\x1b[" not in result.out
    assert "Explainable Test Case Prioritisation" in result.out
    assert "EEG-DCNet" in result.out
    assert "keyword in title: EEG" in result.out
    assert "Composite Fault Diagnosis" not in result.out
    assert "more: radar today --limit 2 --page 2" in result.out


def test_page_two_continues_numbering(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    doc = today_json(run, "--limit", "2", "--page", "2")
    assert [p["id"] for p in doc["papers"]] == EXPECTED_ORDER[2:4]
    assert [p["rank"] for p in doc["papers"]] == [3, 4]
    assert doc["total"] == len(EXPECTED_ORDER)


def test_topic_narrows_the_watchlist(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    (isolated_user / "radar.yaml").write_text(
        "categories: [cs.SE]\n"
        "topics:\n"
        "  signals:\n"
        "    categories: [eess.SP]\n"
        "    keywords: [EEG]\n"
        "network: {spacing: 0, max_wait: 2}\n",
        encoding="utf-8",
    )
    doc = today_json(run, "--topic", "signals")
    assert doc["papers"][0]["id"] == "2411.17705"
    assert all(p["topics"] == ["signals"] for p in doc["papers"])
    bad = run("today", "--topic", "nope")
    assert bad.code == 2
    assert "no topic named 'nope'" in bad.err


def test_show_prints_a_cached_paper(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    arxiv.requests.clear()
    result = run("show", "arXiv:2411.17705v1", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["papers"][0]["title"].startswith("EEG-DCNet")
    assert arxiv.requests == []


def test_show_fetches_an_unknown_paper_from_the_api(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    def by_id(seen: Seen) -> Answer:
        if seen.query.get("id_list") == ["1605.08386"]:
            return Answer(body=fixture(ID_ANSWER), content_type="application/atom+xml")
        return Answer(status=400, body=fixture(BAD_ID_ANSWER))

    arxiv.route("/api/query", by_id)
    result = run("show", "1605.08386")
    assert result.code == 0, result.err
    assert "Heat-bath random walks with Markov bases" in result.out
    assert "math.CO" in result.out
    assert arxiv.count("/api/query") == 1
    missing = run("show", "abc/1234567")
    assert missing.code == 3
    assert "HTTP 400" in missing.err


def test_bad_flags_are_one_clear_line(run: Run, watchlist: Path) -> None:
    for args, text in [
        (("today", "--date", "28/11/2024"), "--date '28/11/2024' is not a date"),
        (("today", "--limit", "-1"), "--limit must be 0 or more"),
        (("today", "--format", "pdf"), "error:"),
        (("today", "--bogus"), "No such option"),
        (("show", "not-an-id"), "is not an arXiv id"),
    ]:
        result = run(*args)
        assert result.code == 2, args
        assert text in result.err, (args, result.err)
        assert "hint:" in result.err
        assert "Traceback" not in result.err


def test_demo_needs_no_network_and_writes_no_cache(run: Run, isolated_user: Path) -> None:
    result = run("today", "--demo", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["state"] == "demo"
    assert doc["day"] == "2024-11-28"
    assert doc["papers"], "the example watchlist should catch papers on the demo day"
    assert not (isolated_user.parent / "home" / ".cache" / "radar").exists()


def test_cache_info_and_clear(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    info = run("cache", "info")
    assert info.code == 0
    assert "days:    1 (2024-11-28" in info.out
    cleared = run("cache", "clear", "--yes")
    assert cleared.code == 0
    assert "days:    none" in run("cache", "info").out


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_a_reader_that_leaves_early_is_not_an_error(fmt: str, isolated_user: Path) -> None:
    """`radar today | head`: the reader has gone before radar writes; exit 0, say nothing."""
    radar = subprocess.Popen(
        [sys.executable, "-m", "radar", "today", "--demo", "--full", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert radar.stdout is not None and radar.stderr is not None
    radar.stdout.close()  # before radar, still importing, has written a byte
    err = radar.stderr.read()
    assert radar.wait(timeout=60) == 0
    assert err == b""
