"""A Report as one self-contained HTML page: no external CSS, script, font or image.

The page is built as frozen values here and drawn by a Jinja2 template with autoescape on,
so every title, abstract, name and briefing line is text, never markup. The only links are
the ones `cardtext` builds. The inline style and script are radar's own files, allowed by
their sha256 hashes in a Content-Security-Policy that forbids everything else (no network
at all), so the page works from file:// and as a mail attachment.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import quote

import radar
from radar.models import RankedPaper, Report
from radar.render import cardtext
from radar.render.cardtext import Anchor
from radar.render.htmlbrief import BriefingView, briefing_view
from radar.render.labels import Labels, labels_for, plural
from radar.render.safe import (
    count_parts,
    day_label,
    elide_authors,
    empty_line,
    has_more,
    paragraphs,
    single_line,
    status_lines,
)
from radar.venues import badge

if TYPE_CHECKING:
    import jinja2

    from radar.briefing.values import Briefing

BATCH = 10  # cards shown at first, and added by each "another batch"
_FILTER_KINDS = (("author", "a"), ("topic", "t"), ("source", "s"))


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    watched: bool


@dataclass(frozen=True, slots=True)
class Chip:
    kind: str  # "author", "topic", "source": the fragment's name (#author=...)
    key: str  # "a0": what a card's data-keys lists
    label: str
    href: str  # "#author=Olga%20Fink": a shareable filter
    count: int


@dataclass(frozen=True, slots=True)
class Card:
    rank: int
    title: str
    badges: tuple[str, ...]
    score: str
    why: str
    authors: tuple[Author, ...]
    pulled: tuple[Author, ...]  # watched authors from past the elided middle
    hidden: int
    abstract: tuple[str, ...]  # paragraphs
    links: tuple[Anchor, ...]
    keys: str  # the chips this card matches, space-separated


@dataclass(frozen=True, slots=True)
class Page:
    labels: Labels
    title: str
    heading: str
    counts: str
    notes: tuple[str, ...]
    empty: str | None
    briefing: BriefingView | None
    chip_groups: tuple[tuple[str, tuple[Chip, ...]], ...]
    cards: tuple[Card, ...]
    batch: int
    more: str | None
    day: str  # ISO day or "" (for the index of a folder of pages)
    total: int
    generator: str


def render_html(
    report: Report,
    *,
    briefing: Briefing | None = None,
    language: str = "en",
    more: str | None = None,
    batch: int = BATCH,
) -> str:
    """The whole page as text; `language` picks radar's own labels (English fallback);
    `more` is the command for the next page (radar.cli.nextpage), when there is one."""
    page = page_for(report, briefing=briefing, labels=labels_for(language), more=more)
    return _draw("page.html.j2", page=page if batch == BATCH else _with_batch(page, batch))


def page_for(
    report: Report, *, briefing: Briefing | None, labels: Labels, more: str | None
) -> Page:
    """The page as values: everything the template shows, already plain text."""
    day = report.day if report.day is not None else report.requested_day
    watchlist = single_line(report.watchlist) or "radar"
    cards, groups = _cards_and_chips(report, labels)
    notes = [n for n in status_lines(report) + [single_line(n) for n in report.notices] if n]
    return Page(
        labels=labels,
        title=f"radar — {watchlist} — {day.isoformat()}",
        heading=f"{watchlist} — {day_label(day)}",
        counts=_counts(report, labels) if report.day is not None else "",
        notes=tuple(notes),
        empty=empty_line(report),
        briefing=briefing_view(briefing) if briefing is not None else None,
        chip_groups=groups,
        cards=cards,
        batch=BATCH,
        more=labels.more.format(command=more) if more and has_more(report) else None,
        day=report.day.isoformat() if report.day is not None else "",
        total=report.total,
        generator=f"radar {radar.__version__}",
    )


def _with_batch(page: Page, batch: int) -> Page:
    return replace(page, batch=max(batch, 1))


def _counts(report: Report, labels: Labels) -> str:
    pairs = {"new": labels.new, "cross": labels.cross, "replacement": labels.replacements}
    line = cardtext.SEP.join(plural(pairs[noun], n) for n, noun in count_parts(report.counts))
    line += " — " + plural(labels.matched, report.total)
    if report.papers and report.limit > 0 and report.total > len(report.papers):
        first = report.offset + 1
        line += f" ({labels.showing.format(first=first, last=first + len(report.papers) - 1)})"
    if report.excluded:
        line += cardtext.SEP + labels.excluded.format(n=report.excluded)
    return line


def _cards_and_chips(
    report: Report, labels: Labels
) -> tuple[tuple[Card, ...], tuple[tuple[str, tuple[Chip, ...]], ...]]:
    # Per kind, each value's chip key and how many cards have it, in first-seen order.
    keys_of: dict[str, dict[str, str]] = {kind: {} for kind, _ in _FILTER_KINDS}
    counts: Counter[str] = Counter()
    prefixes = dict(_FILTER_KINDS)
    cards = []
    for index, ranked in enumerate(report.papers):
        values = {
            "author": [single_line(a) for a in ranked.watched_authors],
            "topic": [single_line(t) for t in ranked.topics],
            "source": [cardtext.source_name(ranked)],
        }
        keys = []
        for kind, names in values.items():
            known = keys_of[kind]
            for name in dict.fromkeys(n for n in names if n):
                key = known.setdefault(name, f"{prefixes[kind]}{len(known)}")
                counts[key] += 1
                keys.append(key)
        cards.append(_card(ranked, report.offset + index + 1, " ".join(keys), labels))
    titles = {"author": labels.authors, "topic": labels.topics, "source": labels.sources}
    groups = []
    for kind, _ in _FILTER_KINDS:
        # A chip every card matches filters nothing: left out.
        chips = tuple(
            Chip(kind, key, name, f"#{kind}={quote(name, safe='')}", counts[key])
            for name, key in keys_of[kind].items()
            if counts[key] < len(cards)
        )
        if chips:
            groups.append((titles[kind], chips))
    return tuple(cards), tuple(groups)


def _card(ranked: RankedPaper, rank: int, keys: str, labels: Labels) -> Card:
    paper = ranked.paper
    badges = [single_line(badge(paper)) or "?", paper.announce_type]
    if paper.announce_type in ("cross", "replace-cross"):
        badges.append(labels.cross_list)
    if paper.announced is not None:
        badges.append(day_label(paper.announced))
    head, pulled, hidden = elide_authors(paper.authors, ranked.watched_authors)
    return Card(
        rank=rank,
        title=single_line(paper.title) or labels.untitled,
        badges=tuple(badges),
        score=f"{ranked.score:.2f}",
        why=cardtext.why_line(ranked),
        authors=tuple(Author(*a) for a in head),
        pulled=tuple(Author(*a) for a in pulled),
        hidden=hidden,
        abstract=tuple(paragraphs(paper.abstract)),
        links=cardtext.links(ranked),
        keys=keys,
    )


# --- drawing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One dated page in a folder's index.html."""

    day: date
    href: str
    summary: str


def render_index(entries: list[IndexEntry], *, language: str = "en") -> str:
    """index.html for a folder of dated pages, newest first."""
    labels = labels_for(language)
    rows = sorted(entries, key=lambda e: e.day, reverse=True)
    return _draw(
        "index.html.j2",
        labels=labels,
        rows=[(day_label(e.day), e.href, single_line(e.summary)) for e in rows],
        generator=f"radar {radar.__version__}",
    )


def _draw(template: str, **values: object) -> str:
    style, script = _asset("page.css"), _asset("page.js")
    csp = (
        "default-src 'none'; "
        f"style-src '{_sha256(style)}'; script-src '{_sha256(script)}'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _environment().get_template(template).render(
        style=style, script=script, csp=csp, **values
    )


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # only a page needs it

    return jinja2.Environment(
        loader=jinja2.PackageLoader("radar.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _asset(name: str) -> str:
    return resources.files("radar.render").joinpath("templates", name).read_text("utf-8")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
