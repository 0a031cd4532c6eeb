"""A Report as a Markdown digest for cron jobs: GitHub- and Obsidian-friendly, deterministic.

All text from papers goes through `escape_markdown`, so it renders literally;
the only links are the ones built here from validated arXiv ids and DOIs.
"""

from __future__ import annotations

import json
import re

import radar
from radar.models import RankedPaper, Report
from radar.render.safe import (
    RANGE_DASH,
    RECOVERED_BADGE,
    count_parts,
    day_label,
    doi_url,
    elide_authors,
    empty_line,
    escape_markdown,
    has_more,
    paragraphs,
    safe_url,
    single_line,
    status_lines,
    valid_arxiv_id,
)
from radar.venues import badge

SEP = " · "
# (singular, plural) for each announce-type count.
_COUNT_NOUNS = {
    "new": ("new", "new"),
    "cross": ("cross-list", "cross-lists"),
    "replacement": ("replacement", "replacements"),
}

# Characters a YAML stream may not contain literally (YAML 1.1 "printable"); JSON
# leaves some of them (DEL, C1, U+FFFE/U+FFFF) unescaped, so they get \u escapes.
_YAML_UNPRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def render_markdown(report: Report, *, more: str | None = None, preamble: str = "") -> str:
    """The whole digest, ending in a newline; `more` is the command the "more" hint names
    (by default `radar today --page N`).

    `preamble` is trusted, already-escaped Markdown (the briefing) placed before the papers.
    """
    out: list[str] = [_front_matter(report), ""]
    day = report.day if report.day is not None else report.requested_day
    # A watchlist without a name is called radar: the heading says it once.
    name = single_line(report.watchlist)
    named = f" — {escape_markdown(name)}" if name != "radar" else ""
    days = day.isoformat() if report.since is None else f"{report.since}{RANGE_DASH}{day}"
    out += [f"# radar{named} — {days}", ""]
    if report.day is not None:
        out += [_count_line(report), ""]

    notes = status_lines(report) + [single_line(n) for n in report.notices]
    notes = [n for n in notes if n]
    if notes:
        out += ["\n>\n".join("> " + escape_markdown(n) for n in notes), ""]
    message = empty_line(report)
    if message is not None:
        out += [escape_markdown(message), ""]
    if preamble:
        out += [preamble.strip(), ""]

    offset = report.offset
    for index, ranked in enumerate(report.papers):
        out += _section(ranked, offset + index + 1)

    if has_more(report):
        out += [f"_More: {_code(more or f'radar today --page {report.page + 1}')}_", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _code(text: str) -> str:
    """`text` as an inline code span, fenced with more backticks than any run inside it."""
    text = single_line(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def yaml_string(value: str) -> str:
    """`value` as a double-quoted scalar that is valid JSON and valid YAML."""
    quoted = json.dumps(single_line(value), ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _front_matter(report: Report) -> str:
    counts = report.counts
    lines = [
        "---",
        f"date: {yaml_string(report.day.isoformat()) if report.day else 'null'}",
        f"requested_day: {yaml_string(report.requested_day.isoformat())}",
        f"watchlist: {yaml_string(report.watchlist)}",
        f"state: {yaml_string(report.state)}",
        f"no_announcement: {'true' if report.no_announcement else 'false'}",
        "counts:",
        f"  new: {counts.new}",
        f"  cross: {counts.cross}",
        f"  replace: {counts.replace}",
        f"  replace_cross: {counts.replace_cross}",
        f"total: {report.total}",
        f"excluded: {report.excluded}",
        f"hidden_seen: {report.hidden_seen}",
        f"page: {report.page}",
        f"limit: {report.limit}",
        f"generated_by: {yaml_string('radar ' + radar.__version__)}",
    ]
    if report.since is not None:  # a digest over several days (--since, catch_up)
        lines += [
            f"since: {yaml_string(report.since.isoformat())}",
            f"days: [{', '.join(yaml_string(d.isoformat()) for d in report.days)}]",
            "incomplete_days: "
            f"[{', '.join(yaml_string(d.isoformat()) for d in report.incomplete_days)}]",
        ]
    lines.append("---")
    return "\n".join(lines)


def _count_line(report: Report) -> str:
    parts = [f"**{n}** {_COUNT_NOUNS[kind][n != 1]}" for n, kind in count_parts(report.counts)]
    line = SEP.join(parts) + f" — **{report.total}** matched your watchlist"
    if report.papers and (report.limit > 0 and report.total > len(report.papers)):
        first = report.offset + 1
        line += f" (showing {first}{RANGE_DASH}{first + len(report.papers) - 1})"
    if report.excluded:
        line += f"{SEP}{report.excluded} excluded"
    if report.hidden_seen:
        line += f"{SEP}{report.hidden_seen} hidden as seen (`--unseen`)"
    return line


def render_paper_markdown(ranked: RankedPaper, *, note: str) -> str:
    """One paper as itself (`radar show`): no rank or score, every author; `note` says
    where it came from."""
    out = [f"> {escape_markdown(note)}", "", *_section(ranked, None)]
    return "\n".join(out).rstrip("\n") + "\n"


def _section(ranked: RankedPaper, rank: int | None) -> list[str]:
    """A ranked paper's section; without a `rank`, the paper alone (no number, no score)."""
    paper = ranked.paper
    title = escape_markdown(paper.title) or "\\(untitled\\)"
    out = [f"## {rank}. {title}" if rank is not None else f"# {title}", ""]

    place = single_line(badge(paper))
    badges = [f"`{place}`" if "`" not in place else escape_markdown(place)]
    if rank is not None or paper.announced is not None:
        # (A paper looked up by id has no announcement: "new" would be made up.)
        badges[0] += f" `{paper.announce_type}`"
    if paper.announced is not None:
        badges.append(day_label(paper.announced))
    if paper.source == "recovered":
        badges.append(escape_markdown(RECOVERED_BADGE))
    if rank is not None:
        badges.append(f"score {ranked.score:.2f}")
    out += [SEP.join(badges), ""]

    if paper.authors:
        out += [_authors(ranked, every=rank is None), ""]
    if ranked.reasons:
        why = SEP.join(escape_markdown(r.label) for r in ranked.reasons)
        out += [f"**Why:** {why}", ""]
    for paragraph in paragraphs(paper.abstract):
        out += [escape_markdown(paragraph), ""]
    out += [_links(ranked), ""]
    return out


def _authors(ranked: RankedPaper, *, every: bool = False) -> str:
    authors = ranked.paper.authors
    keep = len(authors) if every else 25
    head, pulled, hidden = elide_authors(
        authors, ranked.watched_authors, keep=keep, threshold=max(keep, 30)
    )

    def one(name: str, watched: bool) -> str:
        return f"**{escape_markdown(name)}**" if watched else escape_markdown(name)

    line = ", ".join(one(*a) for a in head)
    if pulled:
        line += " … " + ", ".join(one(*a) for a in pulled)
    if hidden:
        line += f" … and {hidden} more"
    return line


def _links(ranked: RankedPaper) -> str:
    paper = ranked.paper
    if valid_arxiv_id(paper.arxiv_id):
        links = [f"[abs]({paper.url})", f"[pdf]({paper.pdf_url})"]
    elif paper.arxiv_id:
        links = ["arXiv: " + escape_markdown(paper.arxiv_id)]
    else:
        links = [_web_link("read", paper.url)] if paper.url else []
    doi = single_line(paper.doi or "")
    if doi:
        url = doi_url(doi)
        text = escape_markdown("doi:" + doi)
        links.append(f"[{text}]({url})" if url else text)
    journal = single_line(paper.journal_ref or "")
    if journal:
        links.append(escape_markdown(journal))
    links += [_web_link(link.label, link.url) for link in paper.links]
    return SEP.join(links)


def _web_link(label: str, url: str) -> str:
    """A link from a source's data: a real link only for a plain http(s) URL."""
    shown = single_line(url)
    if safe_url(shown):
        return f"[{escape_markdown(label)}]({shown})"
    return escape_markdown(f"{label}: {shown}")
