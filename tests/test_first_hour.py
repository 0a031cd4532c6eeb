"""A new user's first hour (issue 11, item 12): the rough edges someone meets with the README
alone, each run through the CLI (or the public renderer) and checked as the user sees it."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from test_examples import bare_env, cron_jobs, sh, watchlist_text

import radar.cli.setup
from conftest import WATCHLIST, Run
from loopback import Answer, Loopback, Seen, fixture
from radar.config import parse_config
from radar.models import Counts, Paper, RankedPaper, Reason, Report
from radar.names import decode_tex
from radar.rank import rank
from radar.render.markdown import render_markdown
from radar.render.terminal import render_terminal

ID_ANSWER = "arxiv-api/api-2026-id_list-1605.08386-math.CO-two-categories.xml"
DAY = date(2025, 1, 10)


def today_json(run: Run, *args: str) -> dict:
    result = run("today", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def more_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(("more:", "_More:"))]
    assert len(lines) == 1, text
    return lines[0]


# --- more: the next page is the same run, one page on ---------------------------------


def test_more_keeps_the_flags_that_made_the_page(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    folder = isolated_user / "my lists"
    folder.mkdir()
    config = folder / "radar.yaml"
    config.write_text(WATCHLIST, encoding="utf-8")
    result = run("today", "-c", str(config), "--limit", "2", "--full", "--offline")
    # --offline: nothing is cached yet, so the first run needs the network; run it so.
    assert result.code == 3
    result = run("today", "-c", str(config), "--limit", "2", "--full")
    assert result.code == 0, result.err
    assert more_line(result.out) == (
        f"more: radar today --config '{config}' --limit 2 --full --page 2"
    )
    offline = run("today", "-c", str(config), "--offline", "--limit", "2", "--page", "2")
    assert more_line(offline.out) == (
        f"more: radar today --config '{config}' --offline --limit 2 --page 3"
    )
    past = run("today", "-c", str(config), "--date", "2024-11-28", "--limit", "2", "--full")
    assert more_line(past.out) == (
        f"more: radar today --config '{config}' --date 2024-11-28 --limit 2 --full --page 2"
    )
    md = run("today", "-c", str(config), "-f", "markdown", "--limit", "3", "--brief")
    assert md.code == 0, md.err
    assert more_line(md.out) == (
        f"_More: `radar today --config '{config}' --format markdown --limit 3 --brief"
        " --page 2`_"
    )


def test_more_in_a_file_keeps_the_format_its_suffix_chose(run: Run, isolated_user: Path) -> None:
    result = run("today", "--demo", "--limit", "2", "--output", "digest.md")
    assert result.code == 0, result.err
    written = (isolated_user / "digest.md").read_text(encoding="utf-8")
    assert more_line(written) == "_More: `radar today --demo --format markdown --limit 2 --page 2`_"


def test_more_on_the_demo_keeps_demo_and_topic(run: Run) -> None:
    result = run("today", "--demo", "--limit", "1", "--topic", "Machine learning for monitoring")
    assert result.code == 0, result.err
    assert more_line(result.out) == (
        "more: radar today --demo --topic 'Machine learning for monitoring' --limit 1 --page 2"
    )


def test_more_with_unseen_names_the_same_page(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    # --unseen marks the shown papers seen: the next ones are on the same page number.
    first = run("today", "--unseen", "--limit", "2")
    assert more_line(first.out) == "more: radar today --unseen --limit 2"
    shown_first = {p["id"] for p in today_json(run, "--limit", "0", "--unseen")["papers"]}
    assert len(shown_first) == 4  # 6 match, 2 were shown by the first run


def test_more_quotes_a_backtick_in_markdown(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    folder = isolated_user / "a`b"
    folder.mkdir()
    config = folder / "radar.yaml"
    config.write_text(WATCHLIST, encoding="utf-8")
    md = run("today", "-c", str(config), "-f", "markdown", "--limit", "2")
    line = more_line(md.out)
    assert line.startswith("_More: `` radar today --config ") and line.endswith(" ``_"), line


# --- --unseen says how many it hid, on the report ---------------------------------------


def test_unseen_with_everything_seen_says_how_many_were_hidden(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    assert len(today_json(run)["papers"]) == 6
    doc = today_json(run, "--unseen")
    assert doc["papers"] == [] and doc["total"] == 0
    assert doc["hidden_seen"] == 6
    terminal = run("today", "--unseen")
    assert "6 hidden as seen" in terminal.out
    assert "the 6 papers matching your watchlist on Thu 2024-11-28 were shown by earlier" in (
        terminal.out.replace("\n", " ")
    )
    assert "no papers matched" not in terminal.out
    md = run("today", "--unseen", "-f", "markdown")
    assert "\nhidden_seen: 6\n" in md.out
    assert "6 hidden as seen" in md.out


def test_unseen_that_hides_nothing_says_nothing(run: Run) -> None:
    result = run("today", "--demo", "--unseen")
    assert result.code == 0, result.err
    assert "hidden" not in result.out + result.err
    assert json.loads(run("today", "--demo", "--unseen", "-f", "json").out)["hidden_seen"] == 0


# --- radar show ---------------------------------------------------------------------------


def test_show_prints_the_paper_as_a_paper(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    arxiv.requests.clear()
    result = run("show", "2312.02826")
    assert result.code == 0, result.err
    assert "score" not in result.out and "why:" not in result.out
    assert "★ Olga Fink" in result.out  # watched in WATCHLIST
    assert "from radar's cache" in result.out
    assert arxiv.requests == []
    doc = json.loads(run("show", "2312.02826", "-f", "json").out)
    assert doc["found_in"] == "cache"
    assert doc["papers"][0]["watched_authors"] == ["Olga Fink"]
    assert "score" not in doc["papers"][0] and "reasons" not in doc["papers"][0]


def test_show_says_it_fetched_and_keeps_what_it_fetched(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    def by_id(seen: Seen) -> Answer:
        return Answer(body=fixture(ID_ANSWER), content_type="application/atom+xml")

    arxiv.route("/api/query", by_id)
    fetched = run("show", "1605.08386")
    assert fetched.code == 0, fetched.err
    assert "fetched from arXiv's API just now" in fetched.out
    assert "from radar's cache" not in fetched.out
    assert "replace" not in fetched.out.split("\n")[2]  # no made-up announce type
    again = run("show", "1605.08386", "--offline", "-f", "json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["found_in"] == "cache"
    assert arxiv.count("/api/query") == 1


def test_show_without_a_watchlist_stars_nobody(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    today_json(run)
    watchlist.unlink()  # the example watchlist stands in: its authors are not the user's
    result = run("show", "2312.02826")
    assert result.code == 0, result.err
    assert "Olga Fink" in result.out and "★" not in result.out


def test_show_lists_every_author_with_watched_ones_starred() -> None:
    from radar.render.terminal import render_paper_terminal

    authors = tuple(f"Author{n} Person" for n in range(1, 16))
    paper = Paper("2501.00001", 1, "T", authors, "A.", ("cs.LG",), "new", None, source="api")
    console = Console(file=io.StringIO(), width=100, color_system=None)
    render_paper_terminal(
        RankedPaper(paper, 0.0, (), watched_authors=("Author14 Person",)), console, note="n"
    )
    out = console.file.getvalue()  # type: ignore[attr-defined]
    for n in range(1, 16):
        assert f"Author{n} Person" in out
    assert "★ Author14 Person" in out
    assert "more" not in out and "score" not in out


@pytest.mark.parametrize(
    "paper_id",
    [
        "2411.17705v" + "9" * 5000,
        "2411.17705v0",
        "2411.17705v1234567",
        "x" * 10_000,
        "2411.17705 2411.17706",
    ],
)
def test_a_malformed_id_is_one_usage_error(run: Run, paper_id: str) -> None:
    result = run("show", paper_id, "--offline")
    assert result.code == 2
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: ") and len(lines) == 2
    assert len(result.err) < 400


# --- initials-only watched names ------------------------------------------------------------


def _config(authors: str) -> object:
    return parse_config(
        f"categories: [math.CO]\nauthors: {authors}\nweights: {{author: 10, author_initials: 3,"
        " primary_category: 0, new: 0}\n",
        None,
    )


@pytest.mark.parametrize("spelled", ["J. Moldón", "J Moldon", "J. Moldon"])
def test_an_initials_only_watched_name_scores_the_initials_weight(spelled: str) -> None:
    paper = Paper("2501.00001", 1, "T", (spelled, "X Y"), "A.", ("hep-th",), "new", DAY)
    ranked = rank((paper,), _config("['J. Moldón']"), None).ranked  # type: ignore[arg-type]
    assert [(r.kind, r.weight) for r in ranked[0].reasons] == [("author-initials", 3.0)]
    assert ranked[0].score == 3.0


def test_a_full_watched_name_still_scores_the_author_weight() -> None:
    paper = Paper("2501.00001", 1, "T", ("Javier Moldón",), "A.", ("hep-th",), "new", DAY)
    ranked = rank((paper,), _config("['Javier Moldón']"), None).ranked  # type: ignore[arg-type]
    assert [(r.kind, r.weight) for r in ranked[0].reasons] == [("author", 10.0)]


# --- contradictory flags ----------------------------------------------------------------------

CONFLICTS = [
    ("today", "--offline", "--refresh"),
    ("today", "--date", "2024-11-28", "--refresh"),
    ("today", "--demo", "-c", "radar.yaml"),
    ("today", "--demo", "--cache-dir", "c"),
    ("today", "--demo", "--date", "2024-11-28"),
    ("today", "--demo", "--refresh"),
    ("today", "--brief", "--format", "jsonl"),
    ("today", "--brief", "--output", "papers.jsonl"),
    ("brief", "--offline", "--refresh"),
    ("brief", "--date", "2024-11-28", "--refresh"),
    ("brief", "--date", "2024-11-28", "--dry-run"),
    ("brief", "--date", "2024-11-28", "--model", "m"),
    ("brief", "--date", "2024-11-28", "--topic", "t"),
    ("brief", "--demo", "-c", "radar.yaml"),
    ("brief", "--dry-run", "--output", "b.md"),
    ("brief", "--dry-run", "--refresh"),
]


@pytest.mark.parametrize("args", CONFLICTS, ids=" ".join)
def test_contradictory_flags_are_refused(
    run: Run, arxiv: Loopback, watchlist: Path, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.code == 2, result.err
    assert "cannot be used together" in result.err.splitlines()[0]
    assert result.err.splitlines()[1].startswith("hint: ")
    assert arxiv.requests == []


@pytest.mark.parametrize(
    "args",
    [("--page", "2", "--limit", "0"), ("--page", "2", "-f", "json"), ("-p", "3", "-o", "d.md")],
)
def test_a_page_without_a_page_size_is_refused(
    run: Run, isolated_user: Path, args: tuple[str, ...]
) -> None:
    result = run("today", "--demo", *args)
    assert result.code == 2
    assert "--limit" in result.err
    assert not (isolated_user / "d.md").exists()
    assert run("today", "--demo", *args, "--limit", "2").code == 0


def test_demo_offline_is_allowed(run: Run) -> None:
    assert run("today", "--demo", "--offline").code == 0


# --- hints that name the right thing ----------------------------------------------------------


def test_init_hints_name_path_not_output(run: Run, isolated_user: Path) -> None:
    folder = isolated_user / "already-a-folder"
    folder.mkdir()
    result = run("init", "--yes", "--force", "--path", str(folder))
    assert result.code == 2
    assert "--path" in result.err and "--output" not in result.err


def test_init_into_an_unmakeable_config_dir_is_one_error(run: Run, isolated_user: Path) -> None:
    home = isolated_user.parent / "home"
    (home / ".config").write_text("a file where the config folder would go", encoding="utf-8")
    result = run("init", "--yes")
    assert result.code == 2
    assert result.err.startswith("error: cannot write ")
    assert "Traceback" not in result.err and "--path" in result.err


def test_a_yaml_syntax_error_points_at_line_and_column(run: Run, isolated_user: Path) -> None:
    path = isolated_user / "radar.yaml"
    path.write_text("name: x\ncategories: [cs.LG\nauthors: [Olga Fink]\n", encoding="utf-8")
    result = run("today", "--offline")
    assert result.code == 2
    first, hint = result.err.splitlines()
    assert first.startswith(f"error: {path}:3: YAML syntax error: ")
    assert "at column 8" in first and "starts at line 2, column 13" in first
    assert hint.startswith("hint: fix the YAML syntax")
    assert "radar.example.yaml" not in hint


def test_topic_on_a_watchlist_without_topics_names_no_topic(run: Run, watchlist: Path) -> None:
    result = run("today", "--topic", "nope", "--offline")
    assert result.code == 2
    assert "has no topics" in result.err
    assert "Test radar" not in result.err  # the watchlist's name is no topic


def test_a_fifo_as_config_is_refused_not_waited_on(run: Run, isolated_user: Path) -> None:
    fifo = isolated_user / "radar.yaml"
    os.mkfifo(fifo)
    result = run("today", "-c", str(fifo), "--offline")
    assert result.code == 2
    first = result.err.splitlines()[0]
    assert first == f"error: {fifo}: is a FIFO (named pipe), not a watchlist file"
    devnull = run("today", "-c", os.devnull, "--offline")
    assert devnull.code == 2 and "is a device" in devnull.err


# --- slow failures: each retry said as it happens; stale data a warning --------------------


def _busy_then_fine(arxiv: Loopback) -> None:
    arxiv.route(
        "/rss/",
        Answer(status=503, headers={"Retry-After": "1"}),
        Answer(body=fixture("arxiv-rss/rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml")),
    )


# The loopback watchlist keeps the default network.retries: 3, so 4 tries in all.
RETRY_LINE = "fetching arXiv's announcement feed: HTTP 503; retrying in 1 s (attempt 2 of 4)"


def test_a_retry_is_said_on_a_terminal(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich: stderr is a terminal
    _busy_then_fine(arxiv)
    result = run("today", "-f", "json")
    assert result.code == 0, result.err
    assert f"warning: {RETRY_LINE}" in result.err


def test_a_retry_is_said_in_verbose_mode(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    _busy_then_fine(arxiv)
    result = run("today", "-f", "json", "-v")
    assert f"radar: {RETRY_LINE}" in result.err


def test_a_retry_is_not_said_to_a_script(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    _busy_then_fine(arxiv)
    result = run("today", "-f", "json")
    assert result.code == 0 and "retrying" not in result.err


def test_stale_data_is_a_warning(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    today_json(run)
    arxiv.route("/rss/", Answer(status=404))
    arxiv.route("/api/query", Answer(status=404))
    result = run("today", "--refresh", "-f", "json")
    assert result.code == 0, result.err
    notices = [line for line in result.err.splitlines() if "showing the announcement" in line]
    assert notices and all(line.startswith("warning: ") for line in notices)


# --- global flags anywhere ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("today", "--demo", "-q"),
        ("today", "-q", "--demo"),
        ("-q", "today", "--demo"),
        ("today", "--demo", "--quiet", "--limit", "1"),
    ],
)
def test_quiet_works_after_the_command(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "Calibrated Adaptive Teacher" in result.out


@pytest.mark.parametrize("args", [("cache", "info", "-v"), ("cache", "-q", "info")])
def test_global_flags_around_a_nested_command(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 0, result.err
    assert result.out.startswith("path:")


def test_a_flag_value_that_looks_global_stays_a_value(run: Run) -> None:
    result = run("today", "--demo", "--topic", "-q")
    assert result.code == 2
    assert "no topic named '-q'" in result.err


@pytest.mark.parametrize("args", [("-h",), ("today", "-h"), ("cache", "clear", "-h")])
def test_dash_h_is_help(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 0, result.err
    assert result.out.startswith("Usage: radar")


@pytest.mark.parametrize("command", ["today", "brief", "show", "init", "cache clear"])
def test_help_names_what_each_value_is(run: Run, command: str) -> None:
    help_text = run(*command.split(), "--help").out
    for vague in ("<str>", "<path>", "<int>", " TEXT ", " PATH "):
        assert vague not in help_text, (command, vague)
    if command in ("today", "brief"):
        assert "--date YYYY-MM-DD" in help_text


# --- output and the cache, as promised ------------------------------------------------------


@pytest.mark.parametrize("name", ["digest.txt", "digest", "digest.pdf"])
def test_an_output_suffix_naming_no_format_is_refused(
    run: Run, isolated_user: Path, name: str
) -> None:
    result = run("today", "--demo", "--output", name)
    assert result.code == 2
    assert "--format" in result.err
    assert not (isolated_user / name).exists()
    ok = run("today", "--demo", "--output", name, "--format", "markdown")
    assert ok.code == 0, ok.err
    assert (isolated_user / name).read_text(encoding="utf-8").startswith("---\n")


def test_cache_clear_without_a_terminal_needs_yes(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    today_json(run)
    refused = run("cache", "clear")
    assert refused.code == 2
    assert "--yes" in refused.err.splitlines()[1]
    assert "days:    1 (2024-11-28" in run("cache", "info").out
    assert run("cache", "clear", "--yes").code == 0
    assert "days:    none" in run("cache", "info").out


@pytest.mark.parametrize(("answer", "kept"), [("n", True), ("", True), ("y", False)])
def test_cache_clear_asks_on_a_terminal(
    run: Run,
    arxiv: Loopback,
    watchlist: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    kept: bool,
) -> None:
    today_json(run)
    monkeypatch.setattr(radar.cli.setup, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer + "\n"))
    result = run("cache", "clear")
    assert result.code == 0, result.err
    assert "seen-state" in result.err
    info = run("cache", "info").out
    assert ("days:    1 (2024-11-28" in info) is kept


# --- small things ----------------------------------------------------------------------------


def _paper(arxiv_id: str, announce: str = "new", categories: tuple[str, ...] = ("cs.LG",)) -> Paper:
    return Paper(arxiv_id, 1, "A title", ("A Person",), "An abstract.", categories, announce, DAY)  # type: ignore[arg-type]


def _report(papers: tuple[RankedPaper, ...], counts: Counts, **kw: object) -> Report:
    return Report(
        watchlist=kw.pop("watchlist", "ml-watch"),  # type: ignore[arg-type]
        day=DAY,
        requested_day=DAY,
        state="fresh",
        papers=papers,
        total=kw.pop("total", len(papers)),  # type: ignore[arg-type]
        counts=counts,
        **kw,  # type: ignore[arg-type]
    )


def _terminal(report: Report) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    render_terminal(report, console)
    return console.file.getvalue()  # type: ignore[no-any-return, attr-defined]


def test_counts_of_one_are_singular() -> None:
    report = _report((), Counts(new=1, cross=1, replace=1), total=1, page=2, limit=1)
    out = _terminal(report)
    assert "1 new · 1 cross · 1 replacement ·" in out or out.split("\n")[1].endswith(
        "1 replacement"
    )
    assert "replacements" not in out
    assert "1 matching paper fills 1 page" in out
    md = render_markdown(report)
    assert "**1** cross-list · **1** replacement —" in md


def test_an_unnamed_watchlist_is_not_named_twice() -> None:
    report = _report((), Counts(new=2), watchlist="radar")
    assert _terminal(report).startswith("radar · Fri 2025-01-10\n")
    assert "\n# radar — 2025-01-10\n" in render_markdown(report)


def test_a_cross_list_card_says_cross_list_once() -> None:
    reason = Reason("cross-list", "cross-list from cs.CV", 1.0)
    ranked = RankedPaper(_paper("2501.00001", "cross", ("cs.CV", "cs.LG")), 1.0, (reason,))
    report = _report((ranked,), Counts(cross=1))
    assert _terminal(report).count("cross-list") == 1
    card = render_markdown(report).split("\n## 1. ", 1)[1]
    assert card.count("cross-list") == 1


def test_a_new_paper_outside_the_watched_primary_is_not_called_a_cross_list() -> None:
    config = parse_config("categories: [cs.LG]\n", None)
    paper = _paper("2501.00001", "new", ("cs.CV", "cs.LG"))
    (ranked,) = rank((paper,), config, None).ranked
    labels = [r.label for r in ranked.reasons if r.kind == "cross-list"]
    assert labels == ["also listed in cs.LG (primary: cs.CV)"]
    cross = rank((_paper("2501.00002", "cross", ("cs.CV", "cs.LG")),), config, None).ranked[0]
    assert "cross-list from cs.CV" in [r.label for r in cross.reasons]


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        ("Fig.~3", "Fig.\u00a03"),
        ("Ref.~\\cite{x}", "Ref.\u00a0\\cite{x}"),
        ("costs $a~b$ at most", "costs $a~b$ at most"),  # math keeps its tilde
        ("see https://example.org/~user", "see https://example.org/~user"),
        ("about ~5 K and ~/dir", "about ~5 K and ~/dir"),
    ],
)
def test_a_tex_tie_is_a_no_break_space(tex: str, shown: str) -> None:
    assert decode_tex(tex) == shown


def test_the_offline_briefing_is_not_announced_on_stderr_too(run: Run) -> None:
    result = run("today", "--demo", "--brief", "--limit", "1")
    assert result.code == 0, result.err
    assert "made without an LLM" not in result.err
    assert "made without an LLM" in result.out


def test_columns_zero_still_prints_cards(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in ("0", "-3", "abc", "5"):
        monkeypatch.setenv("COLUMNS", columns)
        result = run("today", "--demo", "--limit", "1")
        assert result.code == 0, result.err
        assert "Calibrated Adaptive Teacher for Domain Adaptive" in result.out, columns


def test_an_ascii_only_stdout_gets_question_marks_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "HOME": str(tmp_path), "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "radar", "today", "--demo", "--limit", "1"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.startswith(b"radar ? Machine learning for monitoring ? Thu 2024-11-28")
    assert b"PYTHONIOENCODING=utf-8" in done.stderr
    quiet = subprocess.run(
        [sys.executable, "-m", "radar", "today", "--demo", "-q"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert quiet.returncode == 0 and quiet.stderr == b""  # -q: cron mails nothing


# --- the README, as a new user reads it ------------------------------------------------------

README = Path(__file__).parent.parent / "README.md"


def test_readme_first_example_is_what_the_demo_prints(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("```\n$ radar today --demo --limit 3\n", 1)[1].split("```\n", 1)[0]
    monkeypatch.setenv("COLUMNS", "90")  # the README's example is 90 columns wide
    result = run("today", "--demo", "--limit", "3")
    assert result.code == 0, result.err
    assert block == result.out


def test_readme_cron_line_works_on_the_first_run(tmp_path: Path, arxiv: Loopback) -> None:
    # A home as cron sees it: radar in ~/.local/bin, a watchlist for the loopback arXiv.
    home = tmp_path / "you"
    shim = home / ".local" / "bin" / "radar"
    shim.parent.mkdir(parents=True)
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -P -m radar "$@"\n')
    shim.chmod(0o755)
    config = home / ".config" / "radar" / "radar.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(watchlist_text(arxiv), encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    cron = text.split("```cron\n", 1)[1].split("```", 1)[0]
    (job,) = cron_jobs(cron)
    command = job.replace("\\%", "%")
    assert not (home / "radar").exists()  # the first run: no folder yet
    result = sh(command, bare_env(home, "/usr/bin:/bin"), cwd=home)
    assert result.returncode == 0, result.stderr
    assert len(list((home / "radar").glob("*.md"))) == 1


def test_init_with_an_ascii_only_terminal_and_a_non_ascii_home(tmp_path: Path) -> None:
    home = tmp_path / "Jörg"
    home.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "HOME": str(home)}
    env.pop("XDG_CONFIG_HOME", None)
    done = subprocess.run(
        [sys.executable, "-m", "radar", "init", "--yes"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert (home / ".config" / "radar" / "radar.yaml").is_file()
