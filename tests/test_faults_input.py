"""Odd and hostile input, run as cron would: arXiv items that are huge, incomplete, repeated,
old-style or full of unusual characters, and watchlists and flags a user got wrong.

Each case checks what the user sees (exit code, stdout, one clear `error:` line naming the
file and line) and what is left on disk (the digest, the cache).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import Run
from faults_support import (
    EEG_ID,
    FEED_CAUGHT,
    FEED_WATCHLIST,
    OLD_DIGEST,
    REAL_FEED,
    build_feed,
    feed_items,
    huge_feed,
    item_id,
    lines_matching,
    only_files,
    renumber,
    timed,
    write_watchlist,
    xml_text,
)
from loopback import Answer, Loopback

pytestmark = pytest.mark.timeout(30)


def _eeg_item() -> bytes:
    _, items, _ = feed_items()
    return next(item for item in items if item_id(item) == EEG_ID)


def _drop(item: bytes, *tags: str) -> bytes:
    for tag in tags:
        item = re.sub(rf"\s*<{tag}[^>]*>.*?</{tag}>".encode(), b"", item, flags=re.S)
    return item


def _retitle(item: bytes, title: str) -> bytes:
    return re.sub(rb"<title>.*?</title>", b"<title>" + xml_text(title) + b"</title>", item)


# A title with the characters XML 1.0 allows that a terminal could trip on (tab, the C1
# controls NEL and CSI), and right-to-left scripts and emoji (ZWJ sequence, flag).
CONTROLS_TITLE = "EEG\tcontrols: NEL\x85 CSI\x9b31m red"
WORLD_TITLE = "EEG نموذج للتعلّم العميق 🧠 עברית 👩‍🔬 🇩🇪 — Ünïcödé"


def _odd_feed() -> bytes:
    eeg = _eeg_item()
    items = [
        _drop(renumber(eeg, "2411.30001"), "title"),
        _drop(renumber(eeg, "2411.30002"), "description"),
        _drop(renumber(eeg, "2411.30003"), "dc:creator"),
        _drop(renumber(eeg, "2411.30004"), "category"),
        # No link, guid or description: nothing says which paper it is.
        _retitle(_drop(renumber(eeg, "2411.30005"), "link", "guid", "description"), "ORPHAN"),
        renumber(eeg, "2411.30006"),
        _retitle(renumber(eeg, "2411.30006"), "EEG SECOND COPY"),
        renumber(eeg, "hep-th/9901001"),
        _retitle(renumber(eeg, "2411.30007"), CONTROLS_TITLE),
        _retitle(renumber(eeg, "2411.30008"), WORLD_TITLE),
    ]
    return build_feed(items)


def test_items_with_missing_repeated_and_unusual_parts(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    arxiv.route("/rss/", Answer(body=_odd_feed()))
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    papers = {p["id"]: p for p in json.loads(result.out)["papers"]}
    kept = ["2411.30001", "2411.30002", "2411.30003", "2411.30004", "2411.30006"]
    assert sorted(papers) == sorted([*kept, "hep-th/9901001", "2411.30007", "2411.30008"])
    assert papers["2411.30001"]["title"] == ""
    assert papers["2411.30002"]["abstract"] == ""
    assert papers["2411.30002"]["version"] == 1  # from the guid
    assert papers["2411.30003"]["authors"] == []
    assert papers["2411.30004"]["categories"] == []
    assert papers["2411.30006"]["title"].startswith("EEG-DCNet")  # the first of the two
    assert "ORPHAN" not in result.out and "SECOND COPY" not in result.out
    assert papers["hep-th/9901001"]["url"] == "https://arxiv.org/abs/hep-th/9901001"
    # JSON carries the text as arXiv sent it, each run of whitespace (tab, NEL) one space.
    assert papers["2411.30007"]["title"] == "EEG controls: NEL CSI\x9b31m red"
    assert papers["2411.30008"]["title"] == WORLD_TITLE

    terminal = run("today", "--offline", "--limit", "0")
    assert terminal.code == 0, terminal.err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", terminal.out)
    assert "EEG controls: NEL CSI red" in terminal.out  # the CSI sequence is removed whole
    assert "(untitled)" in terminal.out
    for word in ("نموذج", "עברית", "🧠", "👩\u200d🔬", "🇩🇪", "Ünïcödé"):
        assert word in terminal.out

    digest = isolated_user / "digest.md"
    written = run("today", "--offline", "--output", str(digest))
    assert written.code == 0, written.err
    markdown = digest.read_text(encoding="utf-8")
    assert "https://arxiv.org/abs/hep-th/9901001" in markdown
    assert "\\(untitled\\)" in markdown
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", markdown)
    assert "نموذج" in markdown and "🇩🇪" in markdown

    shown = run("show", "hep-th/9901001", "--offline", "--format", "json")
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["papers"][0]["id"] == "hep-th/9901001"


def test_a_5000_item_feed(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    # arXiv's biggest days, every archive at once, come close to this.
    write_watchlist(isolated_user, FEED_WATCHLIST)
    arxiv.route("/rss/", Answer(body=huge_feed(5000)))
    result, seconds = timed(run, "today", "--format", "json", "--limit", "5")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["state"] == "fresh"
    assert len(doc["papers"]) == 5
    # 21 real items cycled: every copy of a caught item is caught again.
    caught_per_cycle = len(FEED_CAUGHT)
    assert doc["total"] > caught_per_cycle * 200
    assert seconds < 20  # about 5 s here; the budget is for slow CI machines
    offline = run("today", "--offline", "--format", "json", "--limit", "0")
    assert offline.code == 0, offline.err
    assert json.loads(offline.out)["total"] == doc["total"]
    shown = run("show", "2411.24999", "--offline", "--format", "json")
    assert shown.code == 0, shown.err


# What XML 1.0 cannot carry at all: a raw C0 control, ESC even as a character reference.
UNCARRIABLE = {
    "raw control character": b"EEG \x01 title",
    "ESC as a character reference": b"EEG &#27;]0;pwned&#7; title",
    "raw ESC sequence": b"EEG \x1b[31m red",
}


@pytest.mark.parametrize("title", UNCARRIABLE.values(), ids=UNCARRIABLE.keys())
def test_a_feed_xml_cannot_carry_is_refused_whole(
    title: bytes, run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    eeg = _eeg_item()
    broken = build_feed([re.sub(rb"<title>.*?</title>", b"<title>" + title + b"</title>", eeg)])
    arxiv.route("/rss/", Answer(body=broken))
    cold = run("today")
    assert cold.code == 3
    errors = lines_matching(cold.err, "^error:")
    assert len(errors) == 1
    assert errors[0].startswith(
        "error: arXiv's announcement feed gave an unusable answer: the answer is not valid XML"
    )
    assert "pwned" not in cold.err and "\x1b" not in cold.err

    arxiv.route("/rss/", Answer(body=REAL_FEED))
    assert run("today").code == 0
    arxiv.route("/rss/", Answer(body=broken))
    warm = run("today", "--refresh", "--format", "json")
    assert warm.code == 0
    assert [p["id"] for p in json.loads(warm.out)["papers"]] == FEED_CAUGHT


# -- a watchlist the user got wrong -------------------------------------------------------------

# Nine levels of nine aliases each: 9**9 items if a loader expanded it.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

BAD_WATCHLISTS = {
    "YAML syntax error": (
        "categories: [cs.LG\nkeywords: [EEG]\n",
        ":2: YAML syntax error: did not find expected ',' or ']'",
    ),
    "tabs": ("categories:\n\t- cs.LG\n", ":2: a tab is used for indentation; YAML needs spaces"),
    "wrong types": (
        "categories: [cs.LG]\nauthor_window_days: seven\n",
        ":2: author_window_days: expected a whole number, got text 'seven'",
    ),
    "unknown key": (
        "categories: [cs.LG]\nkeywrds: [EEG]\n",
        ":2: unknown key 'keywrds' (did you mean 'keywords'?)",
    ),
    "duplicate key": (
        "categories: [cs.LG]\ncategories: [cs.AI]\n",
        ":2: duplicate key 'categories' (first at line 1)",
    ),
    "empty file": ("", ":1: the watchlist is empty"),
    "alias bomb": (ALIAS_BOMB, ":1: anchors and aliases are not supported in a watchlist"),
    "10 MB file": ("# " + "x" * 10_000_000 + "\n", ": is larger than 1 MB"),
}


@pytest.mark.parametrize("case", BAD_WATCHLISTS.values(), ids=BAD_WATCHLISTS.keys())
def test_a_bad_watchlist_is_named_with_its_line(
    case: tuple[str, str], run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    text, says = case
    path = write_watchlist(isolated_user, text, name="watch.yaml")
    digest = isolated_user / "digest.md"
    digest.write_text(OLD_DIGEST, encoding="utf-8")
    result, seconds = timed(run, "today", "--config", str(path), "--output", str(digest))
    assert result.code == 2
    assert seconds < 1.5  # about 0.1 s here
    assert result.out == ""
    errors = lines_matching(result.err, "^error:")
    assert errors and errors[0].startswith(f"error: {path}{says}"), result.err
    assert "hint:" in result.err and "Traceback" not in result.err
    assert arxiv.requests == []  # found before any request
    assert digest.read_text(encoding="utf-8") == OLD_DIGEST
    only_files(isolated_user, "digest.md", "watch.yaml")


def test_a_directory_given_as_the_watchlist(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    folder = isolated_user / "watch.yaml"
    folder.mkdir()
    result = run("today", "--config", str(folder))
    assert result.code == 2
    assert lines_matching(result.err, "^error:") == [
        f"error: {folder}: is a directory, not a watchlist file"
    ]
    assert arxiv.requests == []


# -- flags the user got wrong ---------------------------------------------------------------------


def _unwritable_dir(root: Path) -> Path:
    locked = root / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return locked / "digest.md"


BAD_FLAGS = {
    "malformed --date": (
        lambda root: ("--date", "28/11/2024"),
        "error: --date '28/11/2024' is not a date",
    ),
    "negative --limit": (lambda root: ("--limit", "-3"), "error: --limit must be 0 or more"),
    "--output under a regular file": (
        lambda root: ("--output", str(root / "radar.yaml" / "digest.md")),
        "radar.yaml is a file, not a directory",
    ),
    "--output in a missing directory": (
        lambda root: ("--output", str(root / "missing" / "digest.md")),
        "does not exist",
    ),
    "--output is a directory": (lambda root: ("--output", str(root)), "is a directory"),
}


@pytest.mark.parametrize("case", BAD_FLAGS.values(), ids=BAD_FLAGS.keys())
def test_a_bad_flag_fails_before_any_request(
    case: tuple[object, str], run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    make_args, says = case
    write_watchlist(isolated_user, FEED_WATCHLIST)
    args = make_args(isolated_user)  # type: ignore[operator]
    result = run("today", *args)
    assert result.code == 2, result.err
    errors = lines_matching(result.err, "^error:")
    assert len(errors) == 1 and says in errors[0], result.err
    assert arxiv.requests == []
    only_files(isolated_user, "radar.yaml")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_output_directory(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    target = _unwritable_dir(isolated_user)
    try:
        result = run("today", "--output", str(target))
    finally:
        target.parent.chmod(0o700)
    assert result.code == 2
    assert f"error: cannot write {target}: permission denied" in result.err
    assert arxiv.requests == []
    assert not target.exists()
