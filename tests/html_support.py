"""Reading radar's HTML pages back in tests with the stdlib parser (an independent oracle)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from radar.models import Counts, Paper, RankedPaper, Reason, Report


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class ParsedPage:
    elements: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # every text node, unescaped
    styles: list[str] = field(default_factory=list)  # inline <style> contents, raw
    scripts: list[str] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def with_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs.get("class", "").split()]


_VOID = {"meta", "link", "br", "img", "input", "hr", "source", "base"}


class _Parser(HTMLParser):
    """Each element's `text` is its textContent: the text of everything inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.page.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        raw = self._open[-1].tag if self._open else ""
        if raw == "style":
            self.page.styles.append(data)
        elif raw == "script":
            self.page.scripts.append(data)
        else:
            self.page.text.append(data)
        for element in self._open:
            element.text += data


def parse_page(html: str) -> ParsedPage:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


# --- reports built by hand -----------------------------------------------------------------

DAY = date(2025, 1, 10)  # a Friday


def ranked(
    n: int,
    *,
    title: str | None = None,
    authors: tuple[str, ...] = ("Alice Smith", "Sijie Wang", "Bob Jones"),
    watched: tuple[str, ...] = ("Sijie Wang",),
    abstract: str = "A short abstract.",
    topics: tuple[str, ...] = ("diagnosis",),
    reasons: tuple[Reason, ...] = (Reason("author", "author: Sijie Wang", 3.0),),
    doi: str | None = None,
    announced: date = DAY,
) -> RankedPaper:
    paper = Paper(
        arxiv_id=f"2501.{n:05d}",
        version=2,
        title=title if title is not None else f"Paper number {n}",
        authors=authors,
        abstract=abstract,
        categories=("cs.LG", "stat.ML"),
        announce_type="new",
        announced=announced,
        doi=doi,
    )
    return RankedPaper(paper, 10.0 - n / 100, reasons, watched_authors=watched, topics=topics)


def report(papers: tuple[RankedPaper, ...], *, watchlist: str = "ml-watch") -> Report:
    return Report(
        watchlist=watchlist,
        day=DAY,
        requested_day=DAY,
        state="fresh",
        papers=papers,
        total=len(papers),
        counts=Counts(new=12, cross=1, replace=2, replace_cross=0),
    )
