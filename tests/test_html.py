"""`--format html`: one self-contained page, locked down by its CSP, that shows untrusted
text only as text. Read back with the stdlib HTML parser, not with radar's own code."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from conftest import Run
from html_support import parse_page, ranked, report
from loopback import Loopback
from radar.briefing.values import Briefing
from radar.models import Reason
from radar.render.html import render_html

# Every tag radar's page may contain: nothing that loads anything (img, link, iframe,
# object, embed, source, video, audio, base, form).
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section",
    "nav", "h1", "h2", "h3", "p", "small", "a", "span", "strong", "ol", "ul", "li", "details",
    "summary", "button", "script",
}  # fmt: skip
ARXIV_LINK = re.compile(r"https://arxiv\.org/(abs|pdf)/[0-9]{4}\.[0-9]{5}(v[0-9]+)?")
DOI_LINK = re.compile(r"https://doi\.org/10\.[0-9]{4,9}/[A-Za-z0-9./;:_()%-]+")
EVIL = (
    '<script>alert(1)</script><img src="http://evil.example/x.png" onerror="alert(2)">'
    "</details></li><a href='javascript:alert(3)'>x</a> &amp; {{ 7*7 }} [y](http://evil.example)"
)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_locked_down(html: str) -> None:
    page = parse_page(html)
    assert {e.tag for e in page.elements} <= PAGE_TAGS
    for element in page.elements:
        assert "src" not in element.attrs and "style" not in element.attrs, element
        assert not any(name.startswith("on") for name in element.attrs), element
        href = element.attrs.get("href")
        if href is not None:
            assert (
                href.startswith("#")
                or ARXIV_LINK.fullmatch(href)
                or DOI_LINK.fullmatch(href)
                or re.fullmatch(r"\d{4}-\d{2}-\d{2}\.html", href)
            ), href
    # Nothing in the style or the script that could load anything.
    for code in page.styles + page.scripts:
        for needle in ("url(", "@import", "http", "fetch(", "XMLHttpRequest", "import(", "src"):
            assert needle not in code, needle
    (csp,) = [
        e.attrs["content"]
        for e in page.all("meta")
        if e.attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    policy = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == [sha256(s) for s in page.styles]
    assert policy["script-src"] == [sha256(s) for s in page.scripts] or not page.scripts
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]


def test_the_demo_page_is_self_contained_and_locked_down(run: Run) -> None:
    result = run("today", "--demo", "--format", "html")
    assert result.code == 0, result.err
    html = result.out
    assert html.startswith("<!DOCTYPE html>")
    assert_locked_down(html)
    page = parse_page(html)
    cards = page.with_class("card")
    assert len(cards) == 8  # every matched paper is in the page: nothing needs a script
    assert [c.attrs["id"] for c in cards] == [f"p{n}" for n in range(1, 9)]
    assert not any("hidden" in c.attrs for c in cards)
    assert page.all("ol")[0].attrs["data-batch"] == "10"  # "another batch" adds ten
    texts = " ".join(page.text)
    assert "Machine learning for monitoring — Thu 2024-11-28" in texts
    assert "4 new · 1 cross-list · 3 replacements — 8 matched your watchlist" in texts
    assert "Calibrated Adaptive Teacher for Domain Adaptive Intelligent Fault Diagnosis" in texts


def test_untrusted_text_stays_text_everywhere() -> None:
    paper = ranked(
        1,
        title=EVIL,
        authors=(EVIL, "Sijie Wang"),
        watched=("Sijie Wang",),
        abstract=EVIL + "\n\nsecond paragraph",
        topics=(EVIL,),
        reasons=(Reason("keyword-title", "keyword in title: " + EVIL, 1.0),),
        doi='10.1234/x"><img src=x>',
    )
    briefing = Briefing(
        headline="",
        themes=(),
        connections=(),
        read_first=(),
        text="## Theme " + EVIL + "\n- read [arXiv:2501.00001] first, not [arXiv:2501.99999]\n",
        model="claude-x<script>",
        made_with_llm=True,
        paper_ids=("2501.00001",),
    )
    html = render_html(report((paper, ranked(2)), watchlist=EVIL), briefing=briefing)
    assert_locked_down(html)
    page = parse_page(html)
    # The hostile string arrives as text, whole, wherever it was put.
    assert page.all("title")[0].text == f"radar — {EVIL} — 2025-01-10"
    assert page.all("h1")[0].text == f"{EVIL} — Fri 2025-01-10"
    assert page.with_class("title")[0].text == EVIL
    assert page.with_class("authors")[0].text.startswith(EVIL + ", ")
    assert page.with_class("why")[0].text == "Why: keyword in title: " + EVIL
    assert [e.text for e in page.all("p") if e.text in (EVIL, "second paragraph")] == [
        EVIL,
        "second paragraph",
    ]
    assert page.with_class("topic")[0].text == EVIL + " 1"
    assert page.with_class("heading")[0].text == "Theme " + EVIL
    assert any(e.attrs.get("href") == "#topic=" + _quoted(EVIL) for e in page.all("a"))
    links = [e for e in page.all("a") if not e.attrs["href"].startswith("#")]
    hrefs = [e.attrs["href"] for e in links]
    # The briefing's only link is its citation of a paper that was sent (the card links
    # to it too).
    assert hrefs.count("https://arxiv.org/abs/2501.00001") == 2
    assert not any("99999" in h for h in hrefs)
    assert "claude-x<script>" not in "".join(page.text)  # the model name is reduced


def _quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_cards_carry_badges_stars_folded_abstracts_and_links() -> None:
    paper = ranked(
        3, abstract="First paragraph.\n\nSecond paragraph.", doi="10.1103/PhysRevLett.1.2"
    )
    page = parse_page(render_html(report((paper,))))
    assert len(page.with_class("card")) == 1
    badges = [e.text for e in page.with_class("badge")]
    assert badges == ["arXiv (cs.LG)", "new", "Fri 2025-01-10"]
    assert [e.text for e in page.with_class("watched")] == ["★ Sijie Wang"]
    assert [e.text for e in page.all("summary")] == ["Abstract"]
    assert [e.text for e in page.all("p") if e.text.endswith("paragraph.")] == [
        "First paragraph.",
        "Second paragraph.",
    ]
    hrefs = [e.attrs["href"] for e in page.all("a")]
    assert "https://arxiv.org/abs/2501.00003" in hrefs
    assert "https://arxiv.org/pdf/2501.00003v2" in hrefs
    assert "https://doi.org/10.1103/PhysRevLett.1.2" in hrefs
    assert [e.text for e in page.with_class("num")] == ["1."]


def test_chips_name_watched_authors_topics_and_sources_as_shareable_fragments() -> None:
    papers = (
        ranked(1, watched=("Sijie Wang",), topics=("diagnosis",)),
        ranked(2, authors=("Chen Li",), watched=("Chen Li",), topics=("quantum",)),
        ranked(3, watched=(), topics=("quantum",)),
    )
    page = parse_page(render_html(report(papers)))
    chips = {e.attrs["href"]: e.attrs["data-key"] for e in page.with_class("chip")}
    assert set(chips) == {
        "#",
        "#author=Sijie%20Wang",
        "#author=Chen%20Li",
        "#topic=diagnosis",
        "#topic=quantum",
    }  # one source (arXiv) for every card: a chip that filters nothing is left out
    cards = {e.attrs["id"]: e.attrs["data-keys"].split() for e in page.with_class("card")}
    assert chips["#author=Sijie%20Wang"] in cards["p1"]
    assert chips["#author=Sijie%20Wang"] not in cards["p2"] + cards["p3"]
    assert chips["#topic=quantum"] in cards["p2"] and chips["#topic=quantum"] in cards["p3"]


def test_labels_follow_the_language() -> None:
    page = parse_page(render_html(report((ranked(1),)), language="zh-CN"))
    assert page.all("html")[0].attrs["lang"] == "zh"
    assert "再来一批" in page.text
    assert [e.text for e in page.all("summary")] == ["摘要"]
    english = parse_page(render_html(report((ranked(1),)), language="fr"))
    assert english.all("html")[0].attrs["lang"] == "en"
    assert "Another batch" in english.text


def test_the_watchlist_language_reaches_the_page(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    watchlist.write_text(watchlist.read_text() + "language: zh\n", encoding="utf-8")
    result = run("today", "--format", "html")
    assert result.code == 0, result.err
    assert '<html lang="zh">' in result.out
    assert "符合关注列表" in result.out


@pytest.mark.parametrize("value", ["3", "[zh]", '""'])
def test_a_bad_language_is_a_config_error(
    run: Run, arxiv: Loopback, watchlist: Path, value: str
) -> None:
    watchlist.write_text(watchlist.read_text() + f"language: {value}\n", encoding="utf-8")
    result = run("today", "--format", "html")
    assert result.code == 2
    assert "language:" in result.err
    assert arxiv.count() == 0


def test_the_briefing_goes_on_top(run: Run) -> None:
    result = run("today", "--demo", "--brief", "--format", "html")
    assert result.code == 0, result.err
    assert_locked_down(result.out)
    assert result.out.index('class="briefing"') < result.out.index('class="card"')


def test_output_suffix_picks_html(run: Run, isolated_user: Path) -> None:
    result = run("today", "--demo", "--output", "day.html")
    assert result.code == 0, result.err
    assert (isolated_user / "day.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_output_dir_keeps_dated_pages_and_an_index(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    folder = isolated_user / "site"
    folder.mkdir()
    (folder / "2024-11-27.html").write_text(
        '<meta name="radar-counts" content="3 new &lt;b&gt;">', encoding="utf-8"
    )
    (folder / "notes.html").write_text("not a page", encoding="utf-8")
    result = run("today", "--output-dir", str(folder), "--format", "html")
    assert result.code == 0, result.err
    assert sorted(p.name for p in folder.iterdir()) == [
        "2024-11-27.html",
        "2024-11-28.html",
        "index.html",
        "notes.html",
    ]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert_locked_down(index)
    rows = parse_page(index).all("li")
    assert [r.text for r in rows] == [
        "Thu 2024-11-28 — 5 new · 1 cross-list · 0 replacements — 6 matched your watchlist",
        "Wed 2024-11-27 — 3 new <b>",
    ]
    links = [e.attrs["href"] for e in parse_page(index).all("a")]
    assert links == ["2024-11-28.html", "2024-11-27.html"]


def test_output_dir_refuses_formats_it_cannot_keep(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    result = run("today", "--output-dir", str(isolated_user / "d"), "--format", "json")
    assert result.code == 2
    assert "error: --output-dir writes Markdown, HTML or Atom digests, not json" in result.err
    assert arxiv.count() == 0


def test_brief_alone_does_not_pretend_to_write_html(run: Run) -> None:
    result = run("brief", "--demo", "--format", "html")
    assert result.code == 2
    assert "error: radar brief does not write html" in result.err
    assert "radar today --brief --format html" in result.err
