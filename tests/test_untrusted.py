"""Text nobody controls, end to end through the CLI: titles, abstracts and author names that
carry Rich markup, terminal escape sequences, Markdown, HTML and bidi overrides are shown
literally on the terminal (no escape sequence of theirs reaches it), escaped in Markdown and
kept exactly in JSON.

Three ways in. The announcement feed (XML 1.0) can carry markup, HTML, bidi controls and the
8-bit C1 controls (CSI U+009B, OSC U+009D, ST U+009C) but never ESC, not even as `&#27;`
(such a feed is refused whole: tests/test_faults_input.py). The export API can carry ESC:
the arxiv package's lxml parser recovers from `&#27;` by keeping the character. And any
paper already in the cache reaches the renderers whatever it holds.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from conftest import ERROR_FEED, Run
from faults_support import (
    AUTHORS_WATCHLIST,
    EEG_ID,
    FEED_WATCHLIST,
    RAMIREZ_ID,
    api_page_with_title,
    rewrite_item,
    write_watchlist,
    xml_text,
)
from loopback import Answer, Loopback, fixture
from radar.config import parse_config
from radar.models import Paper
from radar.report import feed_key
from radar.store import DayRecord, open_store

MARKUP = "[bold red]x[/] [link=http://evil]click[/link]"
HTML = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
MARKDOWN = "[x](javascript:alert(1)) ![i](http://evil/i.png) **b** `c` | d |"
BIDI = "\u202eevil\u202c \u2066iso\u2069"  # RIGHT-TO-LEFT OVERRIDE, an isolate
C1 = "\x9b2J \x9d0;pwned-title\x9c \x9d8;;http://evil\x9cC1-link\x9d8;;\x9c"
EEG_TITLE = f"EEG {MARKUP} {HTML} {MARKDOWN} {BIDI} {C1}"
ABSTRACT = f"Abstract {HTML} {MARKDOWN}\n\n# heading\n> quote\n{C1}"
CREATOR = "[red]Mallory[/red], <b>Eve</b>, Trudy \u202eeviL"

# What must never reach a terminal: 7-bit escapes, C1 controls, bidi controls.
_UNSAFE = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")
# radar's own escape sequences on a colour terminal: SGR styles and OSC 8 links to arXiv.
_OURS = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^;\x1b]*;(?:https://arxiv\.org/[^\x1b]*)?\x1b\\")


@pytest.fixture
def hostile_feed(arxiv: Loopback, isolated_user: Path) -> Loopback:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    body = rewrite_item(
        EEG_ID, title=xml_text(EEG_TITLE), abstract=xml_text(ABSTRACT), creator=xml_text(CREATOR)
    )
    arxiv.route("/rss/", Answer(body=body))
    return arxiv


def test_the_feed_text_is_kept_exactly_in_json(run: Run, hostile_feed: Loopback) -> None:
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    paper = json.loads(result.out)["papers"][0]
    assert paper["id"] == EEG_ID
    assert paper["title"] == EEG_TITLE
    assert paper["abstract"] == ABSTRACT
    assert paper["authors"] == ["[red]Mallory[/red]", "<b>Eve</b>", "Trudy \u202eeviL"]


def test_the_feed_text_is_literal_on_a_plain_terminal(run: Run, hostile_feed: Loopback) -> None:
    result = run("today", "--full")
    assert result.code == 0, result.err
    out = result.out
    assert not _UNSAFE.search(out)
    # Markup, HTML and Markdown show as typed.
    for literal in ("[bold red]x[/]", "[link=http://evil]click[/link]", "<script>alert(1)</script>",
                    "[x](javascript:alert(1))", "[red]Mallory[/red]", "<b>Eve</b>"):  # fmt: skip
        assert literal in out, literal
    # C1 sequences are removed whole: an OSC title or link leaves only its visible text.
    assert "pwned-title" not in out and "http://evil\x9c" not in out
    assert "C1-link" in out
    assert "evil" in out and "eviL" in out  # the bidi override is gone, the letters are not


def test_the_feed_text_cannot_style_a_colour_terminal(
    run: Run, hostile_feed: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then styles as on a terminal
    result = run("today", "--full")
    assert result.code == 0, result.err
    assert "\x1b[" in result.out, "expected a styled terminal"
    leftover = _OURS.sub("", result.out)
    assert not _UNSAFE.search(leftover), repr(_UNSAFE.findall(leftover))
    assert "[bold red]x[/]" in leftover  # printed, not interpreted


def test_the_feed_text_is_escaped_in_markdown(
    run: Run, hostile_feed: Loopback, isolated_user: Path
) -> None:
    digest = isolated_user / "digest.md"
    result = run("today", "--output", str(digest))
    assert result.code == 0, result.err
    md = digest.read_text(encoding="utf-8")
    assert not _UNSAFE.search(md)
    assert r"\[bold red\]x\[/\]" in md
    assert r"\<script\>alert(1)\</script\>" in md
    assert r"\[x\](javascript:alert(1))" in md
    assert r"\*\*b\*\* \`c\` \| d \|" in md
    assert not re.search(r"(?<!\\)<(script|img|/?b>)", md)  # every < is escaped
    for raw in (r"\]\(javascript:", r"!\[i\]"):  # as syntax: not after a backslash
        assert not re.search(r"(?<!\\)" + raw, md), raw
    assert "\n# heading" not in md and "\n> quote" not in md


# -- the export API: ESC itself can arrive ---------------------------------------------------

ESCAPES = (
    b"EVIL &#27;]0;pwned-title&#7; &#27;]2;pwned-again&#27;\\ "
    b"&#27;]8;;http://evil&#27;\\esc-link&#27;]8;;&#27;\\ &#27;[31mred&#27;[0m &#27;[2J"
)


def test_escape_sequences_from_the_api_never_reach_the_terminal(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, AUTHORS_WATCHLIST)
    arxiv.route(
        "/api/query", Answer(body=api_page_with_title(ESCAPES), content_type="application/atom+xml")
    )
    as_json = run("today", "--format", "json")
    assert as_json.code == 0, as_json.err
    paper = json.loads(as_json.out)["papers"][0]
    assert paper["id"] == RAMIREZ_ID
    assert paper["title"].startswith("EVIL \x1b]0;pwned-title\x07 ")  # kept exactly
    assert "\x1b" not in as_json.out  # JSON's own escaping: \u001b

    terminal = run("today", "--offline")
    assert terminal.code == 0, terminal.err
    assert not _UNSAFE.search(terminal.out)
    assert "pwned" not in terminal.out and "http://evil" not in terminal.out
    assert "EVIL" in terminal.out and "esc-link" in terminal.out and "red" in terminal.out

    digest = isolated_user / "digest.md"
    assert run("today", "--offline", "--output", str(digest)).code == 0
    md = digest.read_text(encoding="utf-8")
    assert not _UNSAFE.search(md) and "pwned" not in md


# -- a paper already in the cache ---------------------------------------------------------------

RAW = {
    "title": "EEG \x1b]0;pwned-title\x07 \x1b]8;;http://evil\x1b\\cached-link\x1b]8;;\x1b\\ "
    "\x1b[1;31mloud\x1b[0m \x1b[2J\x1bc",
    "author": "Eve \x1b]2;pwned-author\x07 \x1b[8mhidden\x1b[0m",
    "abstract": "Abstract \x1bP+q544e\x1b\\ \x1b_apc\x1b\\ \x07\x08\x00 done",
}


def _cache_a_hostile_day(cache: Path, watchlist: str) -> None:
    config = parse_config(watchlist, None)
    paper = Paper(
        arxiv_id="2411.99999",
        version=1,
        title=RAW["title"],
        authors=(RAW["author"],),
        abstract=RAW["abstract"],
        categories=("eess.SP",),
        announce_type="new",
        announced=date(2024, 11, 28),
    )
    now = datetime.now(UTC)
    store = open_store(cache)
    try:
        record = DayRecord(
            day=date(2024, 11, 28), papers=(paper,), fetched_at=now, valid_until=now + timedelta(1)
        )
        store.put_fetch(feed_key(config), record)
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_escape_sequences_in_a_cached_paper_never_reach_the_output(
    fmt: str, run: Run, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    cache = isolated_user / "cache"
    _cache_a_hostile_day(cache, FEED_WATCHLIST)
    result = run("today", "--offline", "--full", "--cache-dir", str(cache), "--format", fmt)
    assert result.code == 0, result.err
    assert not _UNSAFE.search(result.out)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", result.out)
    assert "pwned" not in result.out and "http://evil" not in result.out
    for visible in ("cached", "link", "loud", "Eve", "hidden", "Abstract", "done"):
        assert visible in result.out, visible


def test_escape_sequences_in_a_cached_paper_are_kept_in_json(run: Run, isolated_user: Path) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    cache = isolated_user / "cache"
    _cache_a_hostile_day(cache, FEED_WATCHLIST)
    result = run("today", "--offline", "--cache-dir", str(cache), "--format", "json")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    paper = json.loads(result.out)["papers"][0]
    assert paper["title"] == RAW["title"]
    assert paper["authors"] == [RAW["author"]]


def test_json_printed_on_a_terminal_carries_no_raw_c1_or_bidi_controls(
    run: Run, hostile_feed: Loopback
) -> None:
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    assert not _UNSAFE.search(result.out)
    assert json.loads(result.out)["papers"][0]["title"] == EEG_TITLE


def test_a_feed_error_message_cannot_reach_the_terminal_with_controls(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    # The "Feed error for query" answer's description is quoted in the error line.
    write_watchlist(isolated_user, FEED_WATCHLIST)
    hostile = xml_text("\x9b2J\x9d0;pwned\x9c \u202eevil")
    body = fixture(ERROR_FEED).replace(
        b"Bad archive 'astroph'.", b"Bad archive 'astro" + hostile + b"'."
    )
    arxiv.route("/rss/", Answer(body=body))
    result = run("today")
    assert result.code == 2
    assert "error: arXiv's feed does not know the category astro" in result.err
    assert not _UNSAFE.search(result.err), repr(result.err)
    assert "pwned" not in result.err
