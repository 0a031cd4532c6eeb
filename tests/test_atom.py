"""`--format atom`: a valid Atom 1.0 feed (RFC 4287), checked with the stdlib XML parser,
and the rolling feed.xml that `--output-dir` keeps of the newest dated feeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from conftest import Run
from html_support import ranked, report
from loopback import Loopback
from radar.render.atom import render_atom

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
IRI = re.compile(r"[a-z][a-z0-9+.-]*:\S+")


def check_feed(text: str) -> ET.Element:
    """The feed, after checking what RFC 4287 requires of a feed and of each entry."""
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == A + "feed"
    for name in ("id", "title", "updated"):  # exactly one each (4.1.1)
        assert len(feed.findall(A + name)) == 1, name
    assert IRI.fullmatch(feed.findtext(A + "id") or "")
    assert RFC3339.fullmatch(feed.findtext(A + "updated") or "")
    entries = feed.findall(A + "entry")
    feed_has_author = bool(feed.findall(A + "author/" + A + "name"))
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(A + name)) == 1, name
        ids.append(entry.findtext(A + "id"))
        assert IRI.fullmatch(ids[-1] or "")
        assert RFC3339.fullmatch(entry.findtext(A + "updated") or "")
        assert feed_has_author or entry.findall(A + "author/" + A + "name")
        # An entry without content must have an alternate link (4.1.2).
        rels = [link.get("rel", "alternate") for link in entry.findall(A + "link")]
        alternates = [rel for rel in rels if rel == "alternate"]
        assert len(alternates) <= 1 and (alternates or entry.find(A + "content") is not None)
    assert len(ids) == len(set(ids))
    return feed


def test_the_demo_day_as_a_feed(run: Run) -> None:
    result = run("today", "--demo", "--format", "atom")
    assert result.code == 0, result.err
    feed = check_feed(result.out)
    assert feed.findtext(A + "title") == "radar — Machine learning for monitoring"
    assert feed.findtext(A + "updated") == "2024-11-28T00:00:00Z"
    entries = feed.findall(A + "entry")
    assert len(entries) == 8
    first = entries[0]
    assert first.findtext(A + "id") == "https://arxiv.org/abs/2312.02826v2"
    assert first.findtext(A + "title") == (
        "Calibrated Adaptive Teacher for Domain Adaptive Intelligent Fault Diagnosis"
    )
    assert [a.findtext(A + "name") for a in first.findall(A + "author")] == [
        "Florent Forest",
        "Olga Fink",
    ]
    links = {link.get("rel"): link.get("href") for link in first.findall(A + "link")}
    assert links == {
        "alternate": "https://arxiv.org/abs/2312.02826",
        "related": "https://arxiv.org/pdf/2312.02826v2",
    }
    summary = first.find(A + "summary")
    assert summary is not None and summary.get("type") == "text"
    assert (summary.text or "").startswith("Why: author: Olga Fink · ")
    assert "\n\nIntelligent Fault Diagnosis (IFD) based on deep learning" in (summary.text or "")


def test_text_xml_cannot_carry_is_removed_and_the_rest_escaped() -> None:
    title = "a\x00b\x01c\x0bd\x1fe\ufffef\uffffg <h>&amp; ]]> \"q\" 'q' \u00e9\U0001f600"
    paper = ranked(1, title=title, authors=("N\x02ame <x>",), abstract="x\x08y & z")
    feed = check_feed(render_atom(report((paper,), watchlist="w\x07<l>")))
    entry = feed.findall(A + "entry")[0]
    # \x0b (vertical tab) is a line break, which a title shows as a space.
    assert entry.findtext(A + "title") == "abc defg <h>&amp; ]]> \"q\" 'q' \u00e9\U0001f600"
    assert [a.findtext(A + "name") for a in entry.findall(A + "author")] == ["Name <x>"]
    assert (entry.findtext(A + "summary") or "").endswith("\n\nxy & z")
    assert feed.findtext(A + "title") == "radar — w<l>"


def test_entry_ids_are_stable_and_say_the_version_or_the_doi() -> None:
    arxiv = ranked(1)
    journal = replace(
        ranked(2),
        paper=replace(ranked(2).paper, arxiv_id="", doi="10.1101/2024.11.27.ABC", origin="journal"),
    )
    newer = replace(arxiv, paper=replace(arxiv.paper, version=3))
    feed = check_feed(render_atom(report((arxiv, journal))))
    ids = [e.findtext(A + "id") for e in feed.findall(A + "entry")]
    assert ids == ["https://arxiv.org/abs/2501.00001v2", "info:doi/10.1101/2024.11.27.abc"]
    again = check_feed(render_atom(report((newer, journal))))
    assert [e.findtext(A + "id") for e in again.findall(A + "entry")] == [
        "https://arxiv.org/abs/2501.00001v3",
        "info:doi/10.1101/2024.11.27.abc",
    ]
    assert feed.findtext(A + "id") == again.findtext(A + "id")  # the same watchlist's feed
    assert feed.findtext(A + "id") != check_feed(
        render_atom(report((arxiv,), watchlist="other"))
    ).findtext(A + "id")
    links = [link.get("href") for link in feed.findall(A + "entry")[1].findall(A + "link")]
    assert links == ["https://doi.org/10.1101/2024.11.27.ABC"]


def test_output_suffix_picks_atom_and_names_itself(run: Run, isolated_user: Path) -> None:
    for name in ("day.atom", "day.xml"):
        result = run("today", "--demo", "--output", name)
        assert result.code == 0, result.err
        feed = check_feed((isolated_user / name).read_text(encoding="utf-8"))
        assert [link.get("href") for link in feed.findall(A + "link")] == [name]


def dated_feed(day: date, numbers: range) -> str:
    papers = tuple(ranked(n, announced=day) for n in numbers)
    return render_atom(replace(report(papers), day=day, requested_day=day))


def test_output_dir_keeps_a_rolling_feed_of_the_newest_seven_days(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    folder = isolated_user / "feed"
    folder.mkdir()
    # Eight earlier days: 2024-11-19 .. 2024-11-26, paper n on the day n days back...
    for back in range(2, 10):
        day = date(2024, 11, 28) - timedelta(days=back)
        (folder / f"{day.isoformat()}.atom").write_text(
            dated_feed(day, range(back, back + 2)), encoding="utf-8"
        )
    (folder / "2024-11-27.atom").write_text("<feed>broken", encoding="utf-8")
    result = run("today", "--output-dir", str(folder), "--format", "atom")
    assert result.code == 0, result.err
    assert (folder / "2024-11-28.atom").exists()
    assert "2024-11-27.atom is left out of feed.xml" in result.err
    feed = check_feed((folder / "feed.xml").read_text(encoding="utf-8"))
    assert feed.findtext(A + "updated") == "2024-11-28T00:00:00Z"
    days = [(e.findtext(A + "updated") or "")[:10] for e in feed.findall(A + "entry")]
    # The newest seven readable days: 28 (6 papers), then 26 back to 21 (the 27th is
    # broken); each paper once, where it appeared last (2501.00003 was on the 26th and
    # the 25th). An entry's `updated` is the day radar reported it; a paper an author
    # search found keeps its own day in `published`.
    assert days == ["2024-11-28"] * 6 + [
        "2024-11-26",
        "2024-11-26",
        "2024-11-25",
        "2024-11-24",
        "2024-11-23",
        "2024-11-22",
        "2024-11-21",
    ]
    assert [link.get("href") for link in feed.findall(A + "link")] == ["feed.xml"]
    published = {e.findtext(A + "published") for e in feed.findall(A + "entry")[:6]}
    assert published == {"2024-11-28T00:00:00Z", "2024-05-22T00:00:00Z"}
