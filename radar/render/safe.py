"""Untrusted text made safe to show, and the plain wording every renderer shares.

Titles, abstracts, author names, journal refs and DOIs come from arXiv feeds
that anyone can submit to, so they are treated as hostile: terminal escape
sequences are removed, bidi controls are stripped, Markdown syntax is escaped,
and only URLs built from validated identifiers become links.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from radar.models import Counts, Report
from radar.render.words import counted

# Escape sequences are removed whole, not just their ESC byte, so that e.g. an
# OSC 8 hyperlink leaves only its visible text behind. Both the 7-bit (ESC x)
# and 8-bit (C1) introducers are handled; some terminals honour the latter.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                         # CSI: colours, cursor
    | (?:\x1b\]|\x9d) [^\x07\x1b\n\x80-\x9f]* (?:\x07|\x1b\\|\x9c)  # OSC: titles, OSC 8 links
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]) [^\x1b\n\x80-\x9f]* (?:\x1b\\|\x9c)  # DCS SOS PM APC
    | \x1b [ -/]* [0-~]                                           # other ESC sequences
    """,
    re.VERBOSE,
)

# Bidi embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069)
# reorder how the surrounding text is displayed, so a title could show one
# thing while containing another ("Trojan Source", CVE-2021-42574). They are
# stripped; the plain marks LRM/RLM/ALM only nudge neutral characters and are
# kept for right-to-left scripts. (_CONTROLS below holds them.)
_LINE_BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029\x0b\x0c]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Every character the four patterns above could change: text without any (nearly all) is
# left alone after one fast scan instead of four substitutions.
_TOUCHED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean_text(s: str, *, keep_newlines: bool = True, keep_tabs: bool = False) -> str:
    """Remove escape sequences, C0/C1 controls and bidi controls; keep everything printable.

    Line breaks of every kind become "\\n" (kept only when `keep_newlines`); tabs
    are kept only when `keep_tabs`, else they become a space. Emoji, accents and
    non-Latin scripts pass through untouched.
    """
    if _TOUCHED.search(s) is None:
        if not keep_newlines:
            s = s.replace("\n", " ")
        return s if keep_tabs else s.replace("\t", " ")
    s = _ESCAPE_SEQUENCE.sub("", s)
    s = _LINE_BREAKS.sub("\n", s)
    if not keep_newlines:
        s = s.replace("\n", " ")
    if not keep_tabs:
        s = s.replace("\t", " ")
    s = _CONTROLS.sub("", s)
    # Lone surrogates cannot be encoded to UTF-8 and would crash the writer.
    return _SURROGATES.sub("\ufffd", s)


def single_line(s: str) -> str:
    """`clean_text` with every run of whitespace (newlines too) collapsed to one space."""
    return " ".join(clean_text(s, keep_newlines=False).split())


def paragraphs(s: str) -> list[str]:
    """The blank-line separated paragraphs of `s`, each made `single_line`."""
    parts = re.split(r"\n[^\S\n]*\n", clean_text(s))
    return [p for p in (single_line(part) for part in parts) if p]


# Escaped wherever they appear: inline syntax of CommonMark (backslash escapes, code,
# emphasis, links, HTML), GitHub (tables, strikethrough, math) and Obsidian (tags, block
# refs, attributes); all rare in a title or abstract.
_ALWAYS = "\\`*_{}[]<>#|~$^@"
_MARKDOWN_SYNTAX = re.compile(
    "[" + re.escape(_ALWAYS) + "]"
    r"|&(?=#?\w+;)"  # an entity (&amp; &#169;) would render as its character
    r"|:(?=//|[\w+-]+:)"  # a URL (GitHub autolinks it) or an emoji :shortcode:
    r"|(?<=[wW][wW][wW])\."  # www. (GitHub autolinks it, even after a _ or *)
    r"|=(?==)|%(?=%)"  # Obsidian's ==highlight== and %%comment%%
    r"|^[-+=]"  # where a line starts: never a list, a rule or an underline
)
# Where a line starts, a number and `.` or `)` make an ordered list.
_ORDERED = re.compile(r"^(\d+)([.)])")


def escape_markdown(s: str) -> str:
    """`s` as one line of Markdown that renders as exactly `single_line(s)`.

    Backslashes go only where a character could mean something, so the raw digest
    stays readable (`end-to-end (IFD).` is left as it is): no link, image, HTML,
    entity, emphasis, code span, table cell, math, heading, list, quote, autolinked
    URL, emoji shortcode, highlight or comment can start.
    """
    text = _MARKDOWN_SYNTAX.sub(_backslashed, single_line(s))
    return _ORDERED.sub(r"\1\\\2", text) if text[:1].isdigit() else text


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match[0]


_NEW_ID = re.compile(r"\d{4}\.\d{4,5}")
_OLD_ID = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def valid_arxiv_id(arxiv_id: str) -> bool:
    """Whether `arxiv_id` is a well-formed versionless arXiv id, safe to put in a URL."""
    return bool(_NEW_ID.fullmatch(arxiv_id) or _OLD_ID.fullmatch(arxiv_id))


_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%!$&'*+,;=:@/?#-]*)?")


def safe_url(url: str) -> bool:
    """Whether `url` is a plain http(s) URL that cannot break out of a Markdown link or
    carry a script: no spaces, parentheses, angle brackets, quotes or controls."""
    return bool(_SAFE_URL.fullmatch(url)) and "'" not in url


def doi_url(doi: str) -> str | None:
    """The doi.org URL for a well-formed DOI, percent-encoded; None for anything else."""
    doi = doi.strip()
    if not _DOI.fullmatch(doi):
        return None
    return "https://doi.org/" + quote(doi, safe="/")


# --- wording shared by the terminal and Markdown renderers ------------------

RANGE_DASH = "\u2013"  # en dash, as in "21\u201340 of 87"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_label(day: date) -> str:
    """The day as "Fri 2025-01-10", with English weekday names whatever the locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.isoformat()}"


# A card's badge for a paper found by the export API's search for a day radar missed.
RECOVERED_BADGE = "recovered by search (not announced)"


def report_day_label(report: Report) -> str:
    """The report's day, or its span of days: "Mon 2024-11-25", RANGE_DASH, "Thu 2024-11-28"."""
    day = report.day if report.day is not None else report.requested_day
    if report.since is None or report.since >= day:
        return day_label(day)
    return f"{day_label(report.since)}{RANGE_DASH}{day_label(day)}"


def span_lines(report: Report) -> list[str]:
    """What a report over several days covers, and which of its days may be incomplete."""
    if report.since is None:
        return []
    count = len(report.days)
    lines = [
        f"{count} announcement day{'s' if count != 1 else ''} from {day_label(report.since)}; "
        "each card says its day"
    ]
    if report.incomplete_days:
        listed = ", ".join(day_label(day) for day in report.incomplete_days)
        lines.append(
            f"incomplete: {listed}: arXiv's export API stopped or failed, "
            "so papers of these days may be missing (a later run asks again)"
        )
    return lines


def has_more(report: Report) -> bool:
    """Whether a later page holds more papers."""
    return report.limit > 0 and report.offset + len(report.papers) < report.total


def count_parts(counts: Counts) -> tuple[tuple[int, str], ...]:
    """(number, kind) for new papers, cross-lists and replacements (both kinds); the kinds
    are "new", "cross" and "replacement", each renderer's nouns agree with the number."""
    return (
        (counts.new, "new"),
        (counts.cross, "cross"),
        (counts.replace + counts.replace_cross, "replacement"),
    )


def status_lines(report: Report) -> list[str]:
    """Plain sentences about where the data comes from; empty for a fresh, normal day."""
    lines: list[str] = span_lines(report)
    requested = day_label(report.requested_day)
    if report.day is None:
        if report.no_announcement:
            lines.append(
                f"no arXiv announcement on {requested} (weekend or holiday), and nothing cached yet"
            )
        else:
            lines.append(f"no announcement data for {requested}, and nothing cached yet")
        return lines
    day = day_label(report.day)
    if report.no_announcement:
        lines.append(
            f"no arXiv announcement on {requested} (weekend or holiday); "
            f"showing the last announcement, {day}"
        )
    if report.state == "cached" and not report.no_announcement:
        lines.append(f"from the cache: the announcement of {day}")
    elif report.state == "stale":
        lines.append(f"stale: arXiv could not be reached; showing the cached announcement of {day}")
    elif report.state == "offline":
        lines.append(f"offline: showing the cached announcement of {day}")
    elif report.state == "demo":
        lines.append("demo data: built-in sample papers, not a live arXiv announcement")
    return lines


def empty_line(report: Report) -> str | None:
    """Why this page shows no papers, or None when it shows some (never a bare "no papers")."""
    if report.papers or report.day is None:
        return None
    day = day_label(report.day)
    if report.total == 0 and report.hidden_seen:
        matched = counted(report.hidden_seen, "paper")
        were = "was" if report.hidden_seen == 1 else "were"
        return (
            f"nothing new: the {matched} matching your watchlist on {day} {were} shown by "
            "earlier runs (--unseen hides them)"
        )
    if report.total == 0:
        announced = report.counts.total
        return (
            f"no papers matched your watchlist on {report_day_label(report)} "
            f"({announced} announced in your categories)"
        )
    pages = -(-report.total // report.limit) if report.limit > 0 else 1
    matching = counted(report.total, "matching paper")
    fill = "fills" if report.total == 1 else "fill"
    return f"page {report.page} is past the end: {matching} {fill} {counted(pages, 'page')}"


AuthorList = list[tuple[str, bool]]


def elide_authors(
    authors: tuple[str, ...], watched: tuple[str, ...], *, keep: int = 10, threshold: int = 12
) -> tuple[AuthorList, AuthorList, int]:
    """(leading authors, watched authors pulled from the elided tail, number left out).

    Names come as (single_line(name), is_watched). Lists longer than `threshold`
    keep the first `keep` names plus every watched author from the rest, so a
    watched name is never hidden behind "and N more".
    """
    watched_set = {single_line(w) for w in watched}
    names = [(name, name in watched_set) for name in map(single_line, authors) if name]
    if len(names) <= threshold:
        return names, [], 0
    pulled = [n for n in names[keep:] if n[1]]
    return names[:keep], pulled, len(names) - keep - len(pulled)
