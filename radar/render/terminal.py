"""A Report as numbered cards on a rich Console: the human view of `radar today`.

Everything from a paper is put into `Text` objects after `clean_text`, never
into markup strings, so "[bold]" in a title prints as typed and escape
sequences in an abstract cannot reach the terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.style import Style
from rich.text import Text

from radar.models import RankedPaper, Report
from radar.render.safe import (
    RANGE_DASH,
    RECOVERED_BADGE,
    count_parts,
    day_label,
    doi_url,
    elide_authors,
    empty_line,
    has_more,
    report_day_label,
    safe_url,
    single_line,
    status_lines,
    valid_arxiv_id,
)
from radar.render.words import counted
from radar.venues import badge

ABSTRACT_LINES = 3  # lines of abstract on a card unless full=True
WATCHED_MARK = "★ "  # shows a watched author without colour too
SEP = " · "

_NUMBER = Style(bold=True)
_CATEGORY = Style(color="cyan", bold=True)
_ANNOUNCE = {
    "new": Style(color="green"),
    "cross": Style(color="blue"),
    "replace": Style(color="yellow"),
    "replace-cross": Style(color="yellow"),
}
# (singular, plural) for each kind of count_parts.
_COUNT_NOUNS = {
    "new": ("new", "new"),
    "cross": ("cross", "cross"),
    "replacement": ("replacement", "replacements"),
}
_TITLE = Style(bold=True)
_WATCHED = Style(color="yellow", bold=True)
_DIM = Style(dim=True)
_WHY = Style(color="green")
_NOTICE = Style(color="yellow")


def render_terminal(
    report: Report,
    console: Console,
    *,
    full: bool = False,
    show_notices: bool = False,
    more: str | None = None,
) -> None:
    """Print `report` as a header and one card per paper, best first.

    `full` shows whole abstracts instead of the first few lines. `report.notices`
    are people-talk the CLI prints on stderr, so they are shown here only with
    `show_notices`. `more` is the command the "more:" hint tells the user to run (by default
    `radar today --page N`).
    """
    console.print(_indented(_header(report), console, 0, None))
    notes = status_lines(report)
    if show_notices:
        notes += [single_line(notice) for notice in report.notices]
    for note in notes:
        console.print(_indented(Text(note, style=_NOTICE), console, 0, None))
    console.print(Rule(style=_DIM))

    message = empty_line(report)
    if message is not None:
        console.print(_indented(Text(message), console, 0, None))
    offset = report.offset
    number_width = len(f"{offset + len(report.papers)}.")
    for index, ranked in enumerate(report.papers):
        if index:
            console.print()
        console.print(_card(ranked, offset + index + 1, number_width, console, full=full))

    if has_more(report):
        console.print()
        shown = single_line(more or f"radar today --page {report.page + 1}")
        # One line however long (a path in it): a command is copied whole, not as wrapped.
        console.print(Text(f"more: {shown}", style=_DIM), soft_wrap=True)


def _header(report: Report) -> Text:
    header = Text("radar", style=_NUMBER)
    name = single_line(report.watchlist)
    if name != "radar":  # a watchlist without a name is called radar: once is enough
        header.append(SEP + (name or "(unnamed)"))
    header.append(SEP + report_day_label(report))
    if report.day is None:
        return header
    header.append("\n")
    counts = count_parts(report.counts)
    header.append(SEP.join(counted(n, *_COUNT_NOUNS[kind]) for n, kind in counts))
    if report.papers:
        first = report.offset + 1
        last = first + len(report.papers) - 1
        noun = "match" if report.total == 1 else "matches"
        header.append(f"{SEP}{first}{RANGE_DASH}{last} of {report.total} {noun}")
    if report.excluded:
        header.append(f"{SEP}{report.excluded} excluded", style=_DIM)
    if report.hidden_seen:
        header.append(f"{SEP}{report.hidden_seen} hidden as seen", style=_DIM)
    return header


def render_paper_terminal(ranked: RankedPaper, console: Console, *, note: str) -> None:
    """One paper as itself (`radar show`): no rank or score, every author, the whole
    abstract; `note` says where it came from."""
    console.print(_indented(Text(single_line(note), style=_NOTICE), console, 0, None))
    console.print(Rule(style=_DIM))
    console.print(_card(ranked, None, 0, console, full=True))


def _card(
    ranked: RankedPaper, rank: int | None, number_width: int, console: Console, *, full: bool
) -> Text:
    """A ranked paper's card; without a `rank`, the paper alone (no number, no score)."""
    paper = ranked.paper
    indent = number_width + 1 if rank is not None else 0
    card = Text()

    badges = Text()
    if rank is not None:
        badges.append_text(Text.assemble((f"{rank}.".rjust(number_width), _NUMBER), " "))
    badges.append(single_line(badge(paper)) or "?", style=_CATEGORY)
    if rank is not None or paper.announced is not None:
        # (A paper looked up by id has no announcement: "new" would be made up.)
        badges.append(SEP)
        badges.append(paper.announce_type, style=_ANNOUNCE.get(paper.announce_type, _DIM))
    if paper.announced is not None:
        badges.append(SEP + day_label(paper.announced), style=_DIM)
    if paper.source == "recovered":
        badges.append(SEP + RECOVERED_BADGE, style=_NOTICE)
    if rank is not None:
        score = Text(f"score {ranked.score:.2f}", style=_DIM)
        gap = console.width - badges.cell_len - score.cell_len
        # A badge line too long to hold the score right-aligned puts it on a line of its own.
        badges.append_text(
            Text(" " * gap) + score if gap >= 2 else Text("\n" + " " * indent) + score
        )
    card.append_text(badges)

    body: list[tuple[Text, int | None]] = [
        (Text(single_line(paper.title) or "(untitled)", style=_TITLE), None)
    ]
    if paper.authors:
        body.append((_authors(ranked, every=rank is None), None))
    if ranked.reasons:
        why = Text("why: ", style=_DIM)
        why.append(SEP.join(single_line(r.label) for r in ranked.reasons), style=_WHY)
        body.append((why, None))
    abstract = single_line(paper.abstract)
    if abstract:
        body.append((Text(abstract), None if full else ABSTRACT_LINES))
    body.append((_links(ranked), None))
    for text, max_lines in body:
        card.append("\n")
        card.append_text(_indented(text, console, indent, max_lines))
    return card


def _authors(ranked: RankedPaper, *, every: bool = False) -> Text:
    authors = ranked.paper.authors
    limit = len(authors) if every else 10
    head, pulled, hidden = elide_authors(
        authors, ranked.watched_authors, keep=limit, threshold=max(limit, 12)
    )
    text = Text()
    for i, (name, watched) in enumerate(head):
        if i:
            text.append(", ")
        text.append_text(_author(name, watched))
    if pulled:
        text.append(" … ")
        for i, (name, watched) in enumerate(pulled):
            if i:
                text.append(", ")
            text.append_text(_author(name, watched))
    if hidden:
        text.append(f" … and {hidden} more", style=_DIM)
    return text


def _author(name: str, watched: bool) -> Text:
    return Text(WATCHED_MARK + name, style=_WATCHED) if watched else Text(name)


def _links(ranked: RankedPaper) -> Text:
    paper = ranked.paper
    if valid_arxiv_id(paper.arxiv_id):
        links = Text(paper.url, style=Style(color="blue", link=paper.url))
    elif paper.arxiv_id:
        links = Text("arXiv:" + single_line(paper.arxiv_id))
    else:
        links = _web_link(paper.url)
    if paper.doi and single_line(paper.doi):
        doi = single_line(paper.doi)
        url = doi_url(doi)
        links.append(SEP + "doi:" + doi, style=Style(link=url) if url else None)
    if paper.journal_ref and single_line(paper.journal_ref):
        links.append(SEP + single_line(paper.journal_ref), style=_DIM)
    for link in paper.links:
        links.append(SEP + single_line(link.label) + ": ")
        links.append_text(_web_link(link.url))
    return links


def _web_link(url: str) -> Text:
    """A URL from a source: clickable only when it is a plain http(s) URL."""
    shown = single_line(url)
    return Text(shown, style=Style(link=shown) if safe_url(shown) else "")


def _indented(text: Text, console: Console, indent: int, max_lines: int | None) -> Text:
    """`text` wrapped to the console width less `indent`, each line indented.

    Wrapping here (rather than letting rich wrap) gives hanging indents without
    the trailing padding rich's Padding adds, and lets an abstract stop after
    `max_lines` lines with an ellipsis.
    """
    width = max(console.width - indent, 16)
    lines = list(text.wrap(console, width))
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        last.rstrip()
        last.truncate(width - 2)
        last.rstrip()
        last.append(" …", style=_DIM)
    out = Text()
    for i, line in enumerate(lines):
        line.rstrip()
        if i:
            out.append("\n")
        out.append(" " * indent)
        out.append_text(line)
    return out
