"""Renderers: what a reader sees in the terminal, in a Markdown digest and in JSON."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.cells import cell_len
from rich.console import Console

import radar
from radar.models import AnnounceType, Counts, DataState, Paper, RankedPaper, Reason, Report
from radar.render.json import render_json, render_jsonl, report_to_dict
from radar.render.markdown import render_markdown
from radar.render.safe import clean_text, escape_markdown, paragraphs, single_line
from radar.render.terminal import render_terminal

EN_DASH = "\u2013"
DAY = date(2025, 1, 10)  # a Friday
SATURDAY = date(2025, 1, 11)
LONG_ABSTRACT = " ".join(f"word{i}" for i in range(200)) + " ZEBRA_END"
HOSTILE = (
    "[bold red]boom[/] \x1b[31mred\x1b[0m "
    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ "
    "\x1b]0;pwned-title\x07 \u202eevil\u202c \x9b31m"
)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# --- building reports by hand ------------------------------------------------


def make_ranked(
    n: int = 1,
    *,
    title: str | None = None,
    authors: tuple[str, ...] = ("Alice Smith", "Sijie Wang", "Bob Jones"),
    watched: tuple[str, ...] = ("Sijie Wang",),
    abstract: str = "A short abstract.",
    announce_type: AnnounceType = "new",
    categories: tuple[str, ...] = ("cs.LG", "stat.ML"),
    score: float = 4.5,
    reasons: tuple[Reason, ...] | None = None,
    arxiv_id: str | None = None,
    doi: str | None = None,
    journal_ref: str | None = None,
) -> RankedPaper:
    paper = Paper(
        arxiv_id=arxiv_id if arxiv_id is not None else f"2501.{n:05d}",
        version=2,
        title=title if title is not None else f"Paper number {n}",
        authors=authors,
        abstract=abstract,
        categories=categories,
        announce_type=announce_type,
        announced=DAY,
        doi=doi,
        journal_ref=journal_ref,
    )
    if reasons is None:
        reasons = (
            Reason("author", "author: Sijie Wang", 3.0),
            Reason("keyword-title", "keyword in title: fault diagnosis", 1.5),
        )
    return RankedPaper(paper, score, reasons, watched_authors=watched, topics=("diagnosis",))


def make_report(
    papers: tuple[RankedPaper, ...] = (),
    *,
    total: int | None = None,
    page: int = 1,
    limit: int = 0,
    day: date | None = DAY,
    requested_day: date = DAY,
    state: DataState = "fresh",
    no_announcement: bool = False,
    counts: Counts | None = None,
    watchlist: str = "ml-watch",
    notices: tuple[str, ...] = (),
) -> Report:
    return Report(
        watchlist=watchlist,
        day=day,
        requested_day=requested_day,
        state=state,
        papers=papers,
        total=len(papers) if total is None else total,
        counts=counts
        if counts is not None
        else Counts(new=12, cross=5, replace=2, replace_cross=1),
        page=page,
        limit=limit,
        no_announcement=no_announcement,
        notices=notices,
    )


def terminal(report: Report, *, width: int = 80, full: bool = False, **kw: Any) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    render_terminal(report, console, full=full, **kw)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def card_numbers(out: str) -> list[int]:
    return [int(m) for m in re.findall(r"^\s*(\d+)\. ", out, re.MULTILINE)]


# --- terminal ----------------------------------------------------------------


def test_cards_are_numbered_in_order_and_continue_across_pages() -> None:
    papers = tuple(make_ranked(n, score=10 - n) for n in (1, 2, 3))
    out = terminal(make_report(papers, total=43, page=2, limit=20))

    assert card_numbers(out) == [21, 22, 23]
    positions = [out.index(f"Paper number {n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert f"21{EN_DASH}23 of 43 matches" in out
    assert "more: radar today --page 3" in out


def test_single_page_has_no_more_hint() -> None:
    out = terminal(make_report((make_ranked(1), make_ranked(2)), limit=20))
    assert card_numbers(out) == [1, 2]
    assert "more:" not in out
    assert f"1{EN_DASH}2 of 2 matches" in out


def test_header_names_watchlist_day_and_counts() -> None:
    out = terminal(make_report((make_ranked(),)))
    first, second = out.splitlines()[:2]
    assert first == "radar · ml-watch · Fri 2025-01-10"
    assert second.startswith("12 new · 5 cross · 3 replacements")


def test_card_shows_badges_reasons_score_and_links() -> None:
    ranked = make_ranked(
        7,
        announce_type="replace-cross",
        categories=("eess.SP", "cs.LG"),
        doi="10.1109/TII.2025.1234",
        journal_ref="IEEE Trans. Ind. Inf. 21 (2025)",
        reasons=(
            Reason("author", "author: Sijie Wang", 3.0),
            Reason("keyword-title", "keyword in title: fault diagnosis", 1.5),
            Reason("cross-list", "cross-list from cs.LG", 0.5),
        ),
    )
    out = terminal(make_report((ranked,)))
    badge_line = next(line for line in out.splitlines() if line.startswith("1. "))
    assert "arXiv (eess.SP) · replace-cross · Fri 2025-01-10" in badge_line
    assert badge_line.endswith("score 4.50")
    joined = " ".join(out.split())  # reasons may wrap at 80 columns
    assert (
        "why: author: Sijie Wang · keyword in title: fault diagnosis · cross-list from cs.LG"
        in joined
    )
    assert "https://arxiv.org/abs/2501.00007" in out
    assert "doi:10.1109/TII.2025.1234" in out
    assert "IEEE Trans. Ind. Inf. 21 (2025)" in joined


def test_watched_authors_are_marked_without_colour() -> None:
    out = terminal(make_report((make_ranked(),)))
    assert "Alice Smith, ★ Sijie Wang, Bob Jones" in out
    assert "★ Alice" not in out


def test_long_author_list_is_elided_but_keeps_watched_authors() -> None:
    authors = (*(f"Member {i}" for i in range(40)), "Sijie Wang")
    out = " ".join(terminal(make_report((make_ranked(authors=authors),))).split())
    assert "Member 9" in out
    assert "Member 10," not in out and "Member 39" not in out
    assert "… ★ Sijie Wang … and 30 more" in out


def test_abstract_is_trimmed_to_three_lines_unless_full() -> None:
    report = make_report((make_ranked(abstract=LONG_ABSTRACT),))
    short, full = terminal(report), terminal(report, full=True)

    assert "ZEBRA_END" not in short
    short_abstract = [line for line in short.splitlines() if re.search(r"\bword\d", line)]
    assert len(short_abstract) == 3
    assert short_abstract[-1].endswith(" …")
    assert "ZEBRA_END" in full
    assert len([line for line in full.splitlines() if re.search(r"\bword\d", line)]) > 10


def test_lines_fit_the_console_without_trailing_blanks() -> None:
    authors = tuple(f"Author Number {i}" for i in range(30))
    report = make_report(
        (make_ranked(1, title="T " * 80, authors=authors, abstract=LONG_ABSTRACT),),
        no_announcement=True,
        requested_day=SATURDAY,
    )
    for width in (80, 50):
        for line in terminal(report, width=width, full=True).splitlines():
            assert cell_len(line) <= width
            assert line == line.rstrip()


def test_no_announcement_says_which_day_is_shown() -> None:
    report = make_report(
        (make_ranked(),), requested_day=SATURDAY, no_announcement=True, state="cached"
    )
    out = " ".join(terminal(report).split())
    assert (
        "no arXiv announcement on Sat 2025-01-11 (weekend or holiday); "
        "showing the last announcement, Fri 2025-01-10" in out
    )
    assert "from the cache" not in out  # said once is enough


def test_nothing_cached_yet() -> None:
    report = make_report((), day=None, requested_day=SATURDAY, no_announcement=True)
    out = " ".join(terminal(report).split())
    assert "no arXiv announcement on Sat 2025-01-11" in out
    assert "nothing cached yet" in out
    assert card_numbers(out) == []


@pytest.mark.parametrize("state", ["stale", "offline"])
def test_stale_and_offline_data_name_their_day(state: DataState) -> None:
    out = " ".join(terminal(make_report((make_ranked(),), state=state)).split())
    assert f"{state}:" in out and "cached announcement of Fri 2025-01-10" in out


def test_zero_matches_is_never_a_bare_no_papers() -> None:
    report = make_report((), total=0, counts=Counts(new=15, cross=4, replace=1))
    out = " ".join(terminal(report).split())
    assert (
        "no papers matched your watchlist on Fri 2025-01-10 (20 announced in your categories)"
        in out
    )
    assert all(line.strip().lower() != "no papers" for line in terminal(report).splitlines())


def test_page_past_the_end_says_so() -> None:
    out = terminal(make_report((), total=25, page=4, limit=20))
    assert "page 4 is past the end: 25 matching papers fill 2 pages" in out


def test_notices_only_on_request() -> None:
    report = make_report((make_ranked(),), notices=("cache is 3 days old",))
    assert "cache is 3 days old" not in terminal(report)
    assert "cache is 3 days old" in terminal(report, show_notices=True)


def test_hostile_text_prints_literally_and_without_escapes() -> None:
    ranked = make_ranked(
        title="Title " + HOSTILE,
        authors=("Author " + HOSTILE, "Sijie Wang"),
        abstract="Abstract " + HOSTILE,
        journal_ref=HOSTILE,
        reasons=(Reason("keyword-title", "keyword in title: " + HOSTILE, 1.0),),
    )
    out = terminal(make_report((ranked,), watchlist="[blink]list[/]"), full=True)

    assert out.count("[bold red]boom[/]") == 5
    assert "[blink]list[/]" in out
    for bad in ("\x1b", "\x07", "\x9b", "http://evil", "pwned-title", *BIDI):
        assert bad not in out
    assert "click" in out  # the OSC 8 link's visible text stays, its target goes


def test_hostile_text_on_a_colour_terminal_emits_only_our_own_sequences() -> None:
    console = Console(file=io.StringIO(), width=80, color_system="truecolor", force_terminal=True)
    ranked = make_ranked(title=HOSTILE, authors=(HOSTILE,), abstract=HOSTILE)
    render_terminal(make_report((ranked,)), console, full=True)
    out = console.file.getvalue()  # type: ignore[attr-defined]

    assert "\x1b[" in out  # colour is on
    links = re.findall(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\", out)
    assert links and all(url in ("", "https://arxiv.org/abs/2501.00001") for url in links)
    without_ours = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^;]*;[^\x1b]*\x1b\\", "", out)
    assert "\x1b" not in without_ours
    assert "\x07" not in out and "\u202e" not in out
    assert "[bold red]boom[/]" in without_ours


# --- safe text ---------------------------------------------------------------


def test_clean_text_removes_sequences_keeps_scripts_and_emoji() -> None:
    assert clean_text("a\x1b[1;31mb\x1b[0mc") == "abc"
    assert clean_text("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert clean_text("x\x1b]0;title\x07y") == "xy"
    assert clean_text("abc\u202edef\u2066g") == "abcdefg"
    assert clean_text("a\x9d0;title\x07b\x9b1mc") == "abc"  # 8-bit OSC and CSI
    assert clean_text("a\x1bcb\x1b(Bc") == "abc"  # reset, charset switch
    assert clean_text("a\ud800b") == "a\ufffdb"  # unencodable lone surrogate
    assert clean_text("Schrödinger 🐈 模型 نموذج") == "Schrödinger 🐈 模型 نموذج"
    assert clean_text("a\r\nb\tc") == "a\nb c"
    assert clean_text("a\tb", keep_tabs=True) == "a\tb"
    assert single_line("  A\n  title\u2028with\t gaps ") == "A title with gaps"
    assert paragraphs("one\n two\n\n  three\n") == ["one two", "three"]


def test_escape_markdown_neutralises_syntax() -> None:
    assert escape_markdown("a|b *c* _d_") == r"a\|b \*c\* \_d\_"
    assert escape_markdown("[x](javascript:alert(1))") == r"\[x\](javascript:alert(1))"
    assert escape_markdown("<script>") == r"\<script\>"
    assert escape_markdown("# Heading") == r"\# Heading"
    assert escape_markdown("1. one") == r"1\. one"


# Every character that means something in Markdown, plus controls and bidi.
_SPICY = st.sampled_from(list("\\`*_{}[]<>()#+-.!|~$&:=%^@ \n\t\r\x1b\x9b\x9d\x07\u202e\u2028"))
# A list of one_of, not text(alphabet=one_of): hypothesis merges a one_of of
# characters into one huge alphabet, and the spicy ones would almost never appear.
_TEXT = st.lists(st.one_of(st.characters(), _SPICY), max_size=80).map("".join)
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _unescaped(s: str, chars: str) -> list[int]:
    """Positions of `chars` in `s` not preceded by an odd run of backslashes."""
    bad = []
    for i, c in enumerate(s):
        if c in chars:
            run = len(s[:i]) - len(s[:i].rstrip("\\"))
            if run % 2 == 0:
                bad.append(i)
    return bad


@given(_TEXT)
def test_escape_markdown_leaves_nothing_unescaped(s: str) -> None:
    escaped = escape_markdown(s)
    assert _unescaped(escaped, "[]<>*_`|") == []
    assert "\n" not in escaped


@given(_TEXT)
def test_escaped_markdown_renders_as_the_literal_text(s: str) -> None:
    escaped = escape_markdown(s)
    tokens = _MD.parse(escaped)
    if not single_line(s):
        assert tokens == []
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert {c.type for c in children} <= {"text"}
    assert "".join(c.content for c in children) == single_line(s)


@given(_TEXT)
def test_clean_text_never_leaves_controls(s: str) -> None:
    for kwargs in ({}, {"keep_newlines": False}, {"keep_tabs": True}):
        cleaned = clean_text(s, **kwargs)
        allowed = {"\n", "\t"} if kwargs.get("keep_tabs") else {"\n"}
        if kwargs.get("keep_newlines") is False:
            allowed.discard("\n")
        for c in cleaned:
            assert not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) or c in allowed
            assert c not in BIDI
        assert clean_text(cleaned, **kwargs) == cleaned


@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs"),
            blacklist_characters=BIDI + "\u2028\u2029",
        )
    )
)
def test_clean_text_keeps_printable_text_intact(s: str) -> None:
    assert clean_text(s) == s


# --- Markdown ----------------------------------------------------------------


def split_front_matter(md: str) -> tuple[dict[str, Any], str]:
    assert md.startswith("---\n")
    front, body = md[4:].split("\n---\n", 1)
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data, body


def test_markdown_front_matter_parses_with_the_right_values() -> None:
    md = render_markdown(make_report((make_ranked(1), make_ranked(2)), total=2))
    data, _ = split_front_matter(md)
    assert data["date"] == "2025-01-10"
    assert data["watchlist"] == "ml-watch"
    assert data["counts"] == {"new": 12, "cross": 5, "replace": 2, "replace_cross": 1}
    assert data["total"] == 2
    assert data["generated_by"] == f"radar {radar.__version__}"
    assert data["no_announcement"] is False


def test_markdown_front_matter_survives_hostile_watchlist_names() -> None:
    name = 'ml: "watch"\n---\n# x \x85\x9f\x7f\ufffe 🚀 {a: [b]}'
    data, body = split_front_matter(render_markdown(make_report(watchlist=name)))
    assert data["watchlist"] == single_line(name).replace("\ufffe", "\ufffe")
    assert body.lstrip().startswith("# radar — ")


def test_markdown_layout_and_links() -> None:
    papers = (
        make_ranked(1, doi="10.1109/TII.2025.1234", journal_ref="J. Phys. A 1 (2025)"),
        make_ranked(2, announce_type="cross", categories=("eess.SP", "cs.LG"), score=1.0),
    )
    md = render_markdown(make_report(papers))
    _, body = split_front_matter(md)

    assert "\n# radar — ml-watch — 2025-01-10\n" in body
    assert "**12** new · **5** cross-lists · **3** replacements" in body
    assert "\n## 1. Paper number 1\n" in body and "\n## 2. Paper number 2\n" in body
    assert body.index("## 1.") < body.index("## 2.")
    assert "`arXiv (cs.LG)` `new` · Fri 2025-01-10 · score 4.50" in body
    assert "`arXiv (eess.SP)` `cross` · " in body
    assert "Alice Smith, **Sijie Wang**, Bob Jones" in body
    assert "**Why:** author: Sijie Wang · keyword in title: fault diagnosis" in body
    assert (
        "[abs](https://arxiv.org/abs/2501.00001) · [pdf](https://arxiv.org/pdf/2501.00001v2)"
        in body
    )
    assert "(https://doi.org/10.1109/TII.2025.1234)" in body
    assert md == render_markdown(make_report(papers))  # deterministic
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_markdown_full_abstract_keeps_paragraphs() -> None:
    md = render_markdown(make_report((make_ranked(abstract=LONG_ABSTRACT + "\n\nSecond para."),)))
    assert "ZEBRA\\_END\n\nSecond para.\n" in md


def test_markdown_notices_are_a_blockquote() -> None:
    report = make_report(
        (make_ranked(),),
        requested_day=SATURDAY,
        no_announcement=True,
        notices=("cache is *old*",),
    )
    md = render_markdown(report)
    assert "> no arXiv announcement on Sat 2025-01-11" in md
    assert "\n>\n> cache is \\*old\\*\n" in md


def test_markdown_hostile_text_is_inert() -> None:
    hostile = "# Big <script>alert(1)</script> [x](javascript:alert(1)) *em* _u_ a|b ~~s~~"
    ranked = make_ranked(
        title=hostile,
        authors=(hostile, "Sijie Wang"),
        abstract=f"{hostile}\n\n- item\n\n1. one\n\n> quote\n\n    code\n\n---\n\n<div>x</div>",
        journal_ref=hostile,
        doi="10.1/x) [y](javascript:alert(1)",
        reasons=(Reason("keyword-title", hostile, 1.0),),
    )
    html = _MD.render(
        render_markdown(make_report((ranked,), watchlist=hostile)).split("\n---\n")[1]
    )

    assert "<script" not in html and "<div" not in html
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only as visible text
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert sorted(hrefs) == sorted(
        ["https://arxiv.org/abs/2501.00001", "https://arxiv.org/pdf/2501.00001v2"]
    )
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    for tag in ("<em>", "<ul>", "<ol>", "<blockquote>", "<pre>", "<hr", "<table>", "<s>"):
        assert tag not in html
    strong = re.findall(r"<strong>(.*?)</strong>", html)
    assert [s for s in strong if not s.isdigit()] == ["Sijie Wang", "Why:"]
    assert "[x](javascript:alert(1))" in html  # shown literally


def test_markdown_with_an_invalid_id_makes_no_link() -> None:
    ranked = make_ranked(arxiv_id="2501.00001)](javascript:alert(1)")
    md = render_markdown(make_report((ranked,)))
    assert "[abs]" not in md and not re.search(r"(?<!\\)\]\(", md)  # no link at all
    assert "arXiv: 2501\\.00001)\\](javascript:alert(1)" in md


def test_markdown_empty_day_and_more_pages() -> None:
    empty = render_markdown(make_report((), total=0))
    assert "no papers matched your watchlist" in empty
    paged = render_markdown(make_report((make_ranked(),), total=5, limit=1))
    assert "_More: `radar today --page 2`_" in paged
    assert f"(showing 1{EN_DASH}1)" in paged


# --- JSON --------------------------------------------------------------------

TOP_LEVEL_TYPES: dict[str, type | tuple[type, ...]] = {
    "schema_version": int,
    "generator": str,
    "watchlist": str,
    "day": (str, type(None)),
    "requested_day": str,
    "state": str,
    "no_announcement": bool,
    "counts": dict,
    "total": int,
    "page": int,
    "limit": int,
    "excluded": int,
    "hidden_seen": int,
    "notices": list,
    "papers": list,
}
PAPER_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "version": int,
    "url": str,
    "pdf_url": str,
    "title": str,
    "authors": list,
    "watched_authors": list,
    "categories": list,
    "primary_category": str,
    "announce_type": str,
    "announced": (str, type(None)),
    "abstract": str,
    "doi": (str, type(None)),
    "journal_ref": (str, type(None)),
    "score": float,
    "reasons": list,
    "topics": list,
    "rank": int,
    "source": str,
    "origin": str,
    "venue": (str, type(None)),
    "links": list,
}


def json_report() -> Report:
    return make_report(
        (
            make_ranked(1, title="Über 🚀 模型 \x1b[31m", score=4.56789, doi="10.1/x"),
            make_ranked(2, title="line\u2028sep", score=1.0),
        ),
        total=22,
        page=2,
        limit=20,
        notices=("stale cache",),
    )


def test_json_document_has_the_documented_fields_and_types() -> None:
    text = render_json(json_report())
    assert text.endswith("}\n")
    doc = json.loads(text)

    assert list(doc) == list(TOP_LEVEL_TYPES)
    for key, kind in TOP_LEVEL_TYPES.items():
        assert isinstance(doc[key], kind), key
    assert doc["schema_version"] == 1
    assert doc["generator"] == f"radar {radar.__version__}"
    assert doc["day"] == "2025-01-10" and doc["requested_day"] == "2025-01-10"
    assert doc["counts"] == {"new": 12, "cross": 5, "replace": 2, "replace_cross": 1}
    assert (doc["total"], doc["page"], doc["limit"]) == (22, 2, 20)
    assert doc["notices"] == ["stale cache"]

    first = doc["papers"][0]
    assert list(first) == list(PAPER_TYPES)
    for key, kind in PAPER_TYPES.items():
        assert isinstance(first[key], kind), key
    assert first["id"] == "2501.00001" and first["version"] == 2
    assert first["url"] == "https://arxiv.org/abs/2501.00001"
    assert first["pdf_url"] == "https://arxiv.org/pdf/2501.00001v2"
    assert first["score"] == 4.568
    assert first["rank"] == 21 and doc["papers"][1]["rank"] == 22
    assert first["reasons"][0] == {"kind": "author", "label": "author: Sijie Wang", "weight": 3.0}
    assert first["watched_authors"] == ["Sijie Wang"]
    assert first["announced"] == "2025-01-10" and first["source"] == "feed"


def test_json_keeps_text_exactly() -> None:
    text = render_json(json_report())
    assert "Über 🚀 模型" in text  # not \u-escaped
    doc = json.loads(text)
    assert doc["papers"][0]["title"] == "Über 🚀 模型 \x1b[31m"
    assert doc["papers"][1]["title"] == "line\u2028sep"
    assert "\u2028" not in text


def test_json_extra_keys_are_merged_but_never_replace_fields() -> None:
    doc = report_to_dict(json_report(), extra={"briefing": {"text": "hi"}})
    assert doc["briefing"] == {"text": "hi"}
    assert json.loads(render_json(json_report(), extra={"briefing": None}))["briefing"] is None
    with pytest.raises(ValueError, match="papers"):
        report_to_dict(json_report(), extra={"papers": []})


def test_jsonl_has_one_complete_paper_per_line() -> None:
    text = render_jsonl(json_report())
    lines = text.splitlines()  # splits on U+2028 too: it must not appear raw
    assert len(lines) == 2 and text.endswith("\n")
    records = [json.loads(line) for line in lines]
    assert [r["schema"] for r in records] == ["radar.paper/1"] * 2
    assert [r["rank"] for r in records] == [21, 22]
    assert records[0]["title"] == "Über 🚀 模型 \x1b[31m"
    assert set(records[0]) == {"schema", *PAPER_TYPES}


def test_empty_report_in_every_format() -> None:
    report = make_report((), day=None, no_announcement=True)
    assert render_jsonl(report) == ""
    doc = json.loads(render_json(report))
    assert doc["day"] is None and doc["papers"] == [] and doc["no_announcement"] is True
    data, body = split_front_matter(render_markdown(report))
    assert data["date"] is None and data["no_announcement"] is True
    assert "nothing cached yet" in body and "##" not in body


def test_markdown_count_line_speaks_in_the_singular_for_one() -> None:
    body = render_markdown(make_report(counts=Counts(new=1, cross=1, replace=1)))
    assert "**1** new · **1** cross-list · **1** replacement —" in body
