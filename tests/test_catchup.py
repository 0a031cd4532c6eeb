"""`radar today --since DATE|Nd` and `catch_up: N`: a span of announcement days in one report.

A loopback arXiv serves the captured feed of Thu 2024-11-28 and, for the days radar did not
see, the captured export-API search page with its ids and dates adapted per day (the format
as arXiv wrote it). The clock is frozen on that Thursday.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conftest import Run, frozen_clock
from loopback import Answer, Loopback, Seen, fixture

API_PAGE = "arxiv-api/api-2026-search-all_testing-10-entries-doi-journal_ref.xml"
THURSDAY = "2024-11-28T17:00:00+00:00"  # noon in New York: arXiv's today is Thu 28 Nov
RECOVERED = "recovered by search (not announced)"

# Categories only: every request to the export API is then a day's category search.
SPAN_WATCHLIST = """\
name: Span radar
categories: [cs.SE, eess.SP, cs.LG]
network:
  spacing: 0
  max_wait: 2
"""

# Each recovered day's submission window as sent (UTC, minutes, both ends included):
# 14:00 New York time is 19:00 UTC in November.
WINDOWS = {
    "submittedDate:[202411211900 TO 202411221859]": "2024-11-25",  # Mon: Thu..Fri cutoff
    "submittedDate:[202411221900 TO 202411251859]": "2024-11-26",  # Tue: Fri..Mon cutoff
    "submittedDate:[202411251900 TO 202411261859]": "2024-11-27",  # Wed: Mon..Tue cutoff
}
# The captured page's ids, each made a day's own (the first one is kept on every day:
# one paper found in two days makes one card).
PAGE_IDS = [
    "2202.12139", "2405.13786", "2005.14124", "2204.08348", "2302.03287",
    "1202.4527", "2503.05378", "1205.1866", "2502.07719", "1812.11470",
]  # fmt: skip


def day_page(day: str, total: int | None = 10) -> bytes:
    """The captured search page with ids of `day` (2411.25NNN for the 25th) and the
    submission date moved into that day's window."""
    body = fixture(API_PAGE)
    for n, old in enumerate(PAGE_IDS[1:], start=1):
        body = body.replace(old.encode(), f"2411.{day[-2:]}{n:03d}".encode())
    body = re.sub(rb"<published>[^<]*<", f"<published>{day}T02:00:00Z<".encode(), body)
    body = re.sub(rb"<updated>[^<]*<", f"<updated>{day}T02:00:00Z<".encode(), body)
    if total is not None:
        found = f"<opensearch:totalResults>{total}<".encode()
        body = re.sub(rb"<opensearch:totalResults>\d+<", found, body)
    return body


def search_query(seen: Seen) -> str:
    return seen.query["search_query"][0]


def by_window(seen: Seen) -> Answer:
    """The page of the day whose submission window the query names."""
    query = search_query(seen)
    day = next(d for window, d in WINDOWS.items() if window in query)
    return Answer(body=day_page(day), content_type="application/atom+xml")


@pytest.fixture
def span_watchlist(isolated_user: Path) -> Path:
    path = isolated_user / "radar.yaml"
    path.write_text(SPAN_WATCHLIST, encoding="utf-8")
    return path


@pytest.fixture
def thursday(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen_clock(monkeypatch, THURSDAY)


def api_requests(server: Loopback) -> list[Seen]:
    return [seen for seen in server.requests if seen.path.startswith("/api/")]


def today_json(run: Run, *args: str) -> dict[str, object]:
    outcome = run("today", *args, "--format", "json", "--limit", "0")
    assert outcome.code == 0, outcome.err
    doc: dict[str, object] = json.loads(outcome.out)
    return doc


def papers_of(doc: dict[str, object]) -> list[dict[str, object]]:
    papers = doc["papers"]
    assert isinstance(papers, list)
    return papers


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_since_recovers_each_missed_day_by_category_search(arxiv: Loopback, run: Run) -> None:
    arxiv.route("/api/query", by_window)
    doc = today_json(run, "--since", "2024-11-25")

    sent = [search_query(seen) for seen in api_requests(arxiv)]
    assert len(sent) == 3  # Mon, Tue, Wed; Thursday is the feed's
    for query in sent:
        assert query.startswith("(cat:cs.SE OR cat:eess.SP OR cat:cs.LG) AND submittedDate:[")
    assert sorted(q.split(" AND ")[1] for q in sent) == sorted(WINDOWS)
    assert doc["since"] == "2024-11-25" and doc["day"] == "2024-11-28"
    assert doc["days"] == ["2024-11-25", "2024-11-26", "2024-11-27", "2024-11-28"]
    assert doc["incomplete_days"] == []

    papers = papers_of(doc)
    ids = [p["id"] for p in papers]
    assert len(ids) == len(set(ids))  # one card per paper
    recovered = {p["id"]: p for p in papers if p["source"] == "recovered"}
    # 8 papers of each recovered day (the 8th entry, in cs.AR alone, is outside the
    # watchlist), plus the one all three days share, once.
    assert len(recovered) == 25
    assert "2411.25007" not in recovered
    assert recovered["2411.25001"]["announced"] == "2024-11-25"
    assert recovered["2411.27009"]["announced"] == "2024-11-27"
    # The shared paper's card is its newest day's.
    assert recovered["2202.12139"]["announced"] == "2024-11-27"
    assert recovered["2411.26005"]["announce_type"] == "new"  # primary cs.SE is watched
    announced = [p for p in papers if p["source"] == "feed"]
    assert announced and all(p["announced"] == "2024-11-28" for p in announced)


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_recovered_days_are_kept_and_not_asked_again(arxiv: Loopback, run: Run) -> None:
    arxiv.route("/api/query", by_window)
    first = today_json(run, "--since", "3d")
    assert len(api_requests(arxiv)) == 3
    again = today_json(run, "--since", "3d")
    assert len(api_requests(arxiv)) == 3  # every day is cached now
    assert [p["id"] for p in papers_of(again)] == [p["id"] for p in papers_of(first)]


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_the_terminal_names_the_span_and_marks_recovered_cards(arxiv: Loopback, run: Run) -> None:
    arxiv.route("/api/query", by_window)
    outcome = run("today", "--since", "2024-11-27", "--limit", "0")
    assert outcome.code == 0, outcome.err
    first_line = outcome.out.splitlines()[0]
    assert first_line.endswith("Wed 2024-11-27\u2013Thu 2024-11-28")
    assert RECOVERED in outcome.out
    assert "Wed 2024-11-27" in outcome.out.split("2411.27001")[0].rsplit("\n\n", 1)[-1]


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_one_markdown_digest_named_by_the_span(
    arxiv: Loopback, run: Run, isolated_user: Path
) -> None:
    arxiv.route("/api/query", by_window)
    folder = isolated_user / "digests"
    outcome = run("today", "--since", "2024-11-25", "--output-dir", str(folder))
    assert outcome.code == 0, outcome.err
    assert sorted(p.name for p in folder.iterdir()) == ["2024-11-25--2024-11-28.md", "index.md"]
    text = (folder / "2024-11-25--2024-11-28.md").read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert 'since: "2024-11-25"\n' in front
    assert 'days: ["2024-11-25", "2024-11-26", "2024-11-27", "2024-11-28"]\n' in front
    assert "incomplete_days: []\n" in front
    assert "# radar — Span radar — 2024-11-25\u20132024-11-28" in text
    assert RECOVERED in text
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "- [Mon 2024-11-25\u2013Thu 2024-11-28](2024-11-25--2024-11-28.md)" in index


@pytest.mark.usefixtures("span_watchlist", "thursday")
@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--since", "2024-11-29"), "error: --since 2024-11-29 is in the future"),
        (("--since", "1991-08-13"), "error: --since 1991-08-13 is before arXiv's first day"),
        (("--since", "2024-10-27"), "error: --since 2024-10-27 is 32 days back"),
        (("--since", "32d"), "error: --since 32d reaches 32 days back"),
        (("--since", "last week"), "error: --since 'last week' is neither a date nor"),
        (("--since", "3d", "--date", "2024-11-27"), "error: --since and --date cannot be used"),
    ],
)
def test_bad_since_is_a_usage_error(
    arxiv: Loopback, run: Run, args: tuple[str, ...], error: str
) -> None:
    outcome = run("today", *args)
    assert outcome.code == 2
    lines = outcome.err.strip().splitlines()
    assert lines[0].startswith(error), outcome.err
    assert lines[1].startswith("hint: ")
    assert "Traceback" not in outcome.err and arxiv.requests == []


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_the_longest_span_is_accepted(arxiv: Loopback, run: Run) -> None:
    arxiv.route("/api/query", Answer(body=day_page("2024-10-28", total=10)))
    doc = today_json(run, "--since", "31d")
    assert doc["since"] == "2024-10-28"
    # The weekdays from Mon 28 Oct to Wed 27 Nov: 4 + 1 + 5 + 5 + 5 + 3.
    assert len(api_requests(arxiv)) == 23


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_an_api_failing_midway_leaves_days_incomplete_not_cached(
    arxiv: Loopback, run: Run
) -> None:
    def wednesday_only(seen: Seen) -> Answer:
        if "202411251900 TO 202411261859" in search_query(seen):
            return by_window(seen)
        return Answer(status=503, body=b"busy")

    arxiv.route("/api/query", wednesday_only)
    outcome = run("today", "--since", "2024-11-25", "--format", "json", "--limit", "0")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    assert doc["incomplete_days"] == ["2024-11-25", "2024-11-26"]
    sources = {p["source"] for p in doc["papers"]}
    assert sources == {"feed", "recovered"}  # the announcement and Wednesday still show
    assert "warning: papers of Mon 2024-11-25, Tue 2024-11-26 may be missing" in outcome.err
    assert "HTTP 503" in outcome.err
    # Tuesday failed: Monday was not asked (its answer would fail the same).
    asked = [search_query(s) for s in api_requests(arxiv)]
    assert not any("202411211900" in q for q in asked)

    arxiv.route("/api/query", by_window)
    before = len(api_requests(arxiv))
    healed = today_json(run, "--since", "2024-11-25")
    assert healed["incomplete_days"] == []
    # Wednesday was kept; the incomplete days were not, so only they are asked again.
    again = [search_query(s) for s in api_requests(arxiv)[before:]]
    assert sorted(q.split(" AND ")[1] for q in again) == [
        "submittedDate:[202411211900 TO 202411221859]",
        "submittedDate:[202411221900 TO 202411251859]",
    ]


@pytest.mark.usefixtures("span_watchlist", "thursday")
def test_an_api_that_pages_forever_stops_at_the_cap(arxiv: Loopback, run: Run) -> None:
    endless = day_page("2024-11-27", total=99_999)
    arxiv.route("/api/query", Answer(body=endless, content_type="application/atom+xml"))
    outcome = run("today", "--since", "2024-11-25", "--format", "json", "--limit", "0")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    assert doc["incomplete_days"] == ["2024-11-25", "2024-11-26", "2024-11-27"]
    assert len(api_requests(arxiv)) == 30  # radar's cap of recovery pages per run
    assert "cap of 30 pages per run" in outcome.err
    assert any(p["source"] == "feed" for p in doc["papers"])


def test_the_pacer_spaces_the_searches(
    arxiv: Loopback, run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock(monkeypatch, THURSDAY)
    paced = SPAN_WATCHLIST.replace("spacing: 0", "spacing: 0.4").replace("wait: 2", "wait: 20")
    (isolated_user / "radar.yaml").write_text(paced, encoding="utf-8")
    arxiv.route("/api/query", by_window)
    today_json(run, "--since", "2024-11-25")
    times = [seen.at for seen in arxiv.requests]  # the feed and the searches share arXiv's pace
    assert len(times) == 4
    assert all(later - earlier >= 0.35 for earlier, later in itertools.pairwise(times))


def test_catch_up_fills_the_days_missed_since_the_last_run(
    arxiv: Loopback, run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = isolated_user / "radar.yaml"
    path.write_text(SPAN_WATCHLIST + "catch_up: 7\n", encoding="utf-8")
    frozen_clock(monkeypatch, THURSDAY)
    first = today_json(run)  # caches Thursday's announcement; nothing was missed before it
    assert "since" not in first and api_requests(arxiv) == []

    windows = {
        "submittedDate:[202411271900 TO 202411281859]": "2024-11-29",  # Fri
        "submittedDate:[202411281900 TO 202411291859]": "2024-12-02",  # Mon
        "submittedDate:[202411291900 TO 202412021859]": "2024-12-03",  # Tue
    }

    def later_days(seen: Seen) -> Answer:
        day = next(d for w, d in windows.items() if w in search_query(seen))
        return Answer(body=day_page(day), content_type="application/atom+xml")

    arxiv.route("/api/query", later_days)
    frozen_clock(monkeypatch, "2024-12-03T17:00:00+00:00")  # the cron missed Fri and Mon
    doc = today_json(run)
    assert doc["since"] == "2024-11-29"
    assert doc["days"] == ["2024-11-29", "2024-12-02", "2024-12-03"]
    assert len(api_requests(arxiv)) == 3
    days = {p["announced"] for p in papers_of(doc) if p["source"] == "recovered"}
    assert days == {"2024-11-29", "2024-12-02", "2024-12-03"}


def test_catch_up_is_off_by_default(
    arxiv: Loopback, run: Run, span_watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock(monkeypatch, THURSDAY)
    today_json(run)
    frozen_clock(monkeypatch, "2024-12-03T17:00:00+00:00")
    doc = today_json(run)
    assert "since" not in doc and api_requests(arxiv) == []


def test_catch_up_reaches_back_at_most_n_days() -> None:
    from radar.catchup import catch_up_start

    today = date(2024, 12, 3)
    # Last run on Thu 21 Nov; catch_up: 3 looks back to Sat 30 Nov: the first missed is Mon 2.
    assert catch_up_start(3, (date(2024, 11, 21),), today) == date(2024, 12, 2)
    assert catch_up_start(30, (date(2024, 11, 21),), today) == date(2024, 11, 22)
    assert catch_up_start(0, (date(2024, 11, 21),), today) is None
    assert catch_up_start(7, (), today) is None  # never ran: nothing was missed
    assert catch_up_start(7, (date(2024, 12, 2),), today) is None  # ran yesterday


def test_submission_windows_follow_new_york_time() -> None:
    from radar.arxivtime import submission_window

    # Summer: 14:00 EDT is 18:00 UTC. Monday's announcement holds Thursday..Friday.
    assert submission_window(date(2024, 7, 1)) == (
        datetime(2024, 6, 27, 18, 0, tzinfo=UTC),
        datetime(2024, 6, 28, 18, 0, tzinfo=UTC),
    )
    # Tuesday's holds Friday..Monday (the weekend's submissions).
    assert submission_window(date(2024, 11, 26)) == (
        datetime(2024, 11, 22, 19, 0, tzinfo=UTC),
        datetime(2024, 11, 25, 19, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("catch_up: 32\n", "catch_up: must be between 0 and 31 (got 32)"),
        ("catch_up: -1\n", "catch_up: must be between 0 and 31 (got -1)"),
        ("catch_up: 2.5\n", "catch_up: expected a whole number"),
    ],
)
def test_catch_up_is_checked(text: str, problem: str) -> None:
    from radar.config import parse_config
    from radar.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config("categories: [cs.LG]\n" + text, None)
    assert any(problem in line for line in caught.value.problems), caught.value.problems


def test_catch_up_survives_the_watchlist_codec() -> None:
    from radar.config import parse_config
    from radar.watchlist import config_from_plain, config_to_plain

    config = parse_config("categories: [cs.LG]\ncatch_up: 5\n", None)
    assert config.catch_up == 5
    assert config_from_plain(json.loads(json.dumps(config_to_plain(config)))) == config
