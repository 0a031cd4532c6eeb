"""A Report as an Atom 1.0 feed (RFC 4287), and a rolling feed merged from dated ones.

Every string is XML-escaped by ElementTree, and characters XML 1.0 cannot carry at all
(C0 controls, U+FFFE/U+FFFF, surrogates) are removed first: ElementTree would write them
and produce a document no reader can parse. Entry ids are stable: the arXiv abs URL with
the version (a new version is a new entry), else `info:doi/` and the lower-cased DOI.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date
from urllib.parse import quote

import radar
from radar.models import ARXIV_ABS_URL, RankedPaper, Report
from radar.render import cardtext
from radar.render.safe import count_parts, day_label, paragraphs, single_line, valid_arxiv_id

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_DAYS = 7  # dated feeds (announcement days) the rolling feed.xml is made of
_NS = "{" + ATOM_NS + "}"
# What XML 1.0 allows in a document (its `Char` production).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (they cannot even be escaped)."""
    return _NOT_XML.sub("", text)


def feed_id(watchlist: str) -> str:
    """The feed's id: the same for every run of one watchlist, different between them."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "radar:watchlist:" + watchlist))


def entry_id(ranked: RankedPaper) -> str:
    paper = ranked.paper
    if paper.arxiv_id:
        return f"{ARXIV_ABS_URL}{quote(paper.arxiv_id, safe='/.')}v{paper.version}"
    if paper.doi and paper.doi.strip():
        return "info:doi/" + quote(paper.doi.strip().lower(), safe="/")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, paper.url or paper.title))


def timestamp(day: date) -> str:
    """An RFC 3339 time for an announcement day: its start, in UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def render_atom(report: Report, *, self_href: str | None = None) -> str:
    """The report's papers as an Atom feed, best first; `self_href` is where it will live."""
    day = report.day if report.day is not None else report.requested_day
    # `updated` is the day radar reported the paper, so a reader sorts it with that day's
    # entries; `published` is the paper's own announcement day (older for a paper found
    # by an author search).
    entries = [_entry(ranked, day) for ranked in report.papers]
    counts = cardtext.SEP.join(f"{n} {noun}" for n, noun in count_parts(report.counts))
    subtitle = f"{day_label(day)}: {counts} — {report.total} matched the watchlist"
    name = xml_text(single_line(report.watchlist)) or "radar"
    head = (feed_id(name), f"radar — {name}", f"{name} (radar)")
    return _feed(head, timestamp(day), entries, self_href, subtitle)


def rolling_feed(documents: Iterable[str], *, self_href: str | None = None) -> str:
    """One feed of the entries of several of radar's dated feeds (texts, newest first),
    each entry once (its newest appearance), newest day first.

    A document that is not an Atom feed raises ValueError.
    """
    head: tuple[str, str, str] | None = None
    seen: set[str] = set()
    dated: list[tuple[str, int, ET.Element]] = []
    for document in documents:
        try:
            root = ET.fromstring(document)
        except ET.ParseError as exc:  # a SyntaxError, not a ValueError
            raise ValueError(f"not XML ({exc})") from None
        if root.tag != _NS + "feed":
            raise ValueError("not an Atom feed")
        if head is None:  # the newest feed names the rolling one
            head = (
                root.findtext(_NS + "id") or feed_id("radar"),
                root.findtext(_NS + "title") or "radar",
                root.findtext(_NS + "author/" + _NS + "name") or "radar",
            )
        for entry in root.iter(_NS + "entry"):
            key = entry.findtext(_NS + "id") or ""
            if key in seen:
                continue
            seen.add(key)
            _strip_namespace(entry)
            dated.append((entry.findtext("updated") or "", -len(dated), entry))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
    entries = [entry for _, _, entry in dated]
    updated = dated[0][0] if dated else timestamp(date(1970, 1, 1))
    head = head or (feed_id("radar"), "radar", "radar")
    return _feed(head, updated, entries, self_href, None)


def _feed(
    head: tuple[str, str, str],  # the feed's id, title and author
    updated: str,
    entries: list[ET.Element],
    self_href: str | None,
    subtitle: str | None,
) -> str:
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _add(feed, "id", head[0])
    _add(feed, "title", head[1])
    if subtitle:
        _add(feed, "subtitle", xml_text(subtitle))
    _add(feed, "updated", updated)
    if self_href:
        ET.SubElement(feed, "link", {"rel": "self", "href": xml_text(self_href)})
    # Required unless every entry has one: a paper may list no authors.
    author = ET.SubElement(feed, "author")
    _add(author, "name", head[2])
    generator = ET.SubElement(feed, "generator", {"version": radar.__version__})
    generator.text = "radar"
    feed.extend(entries)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def _entry(ranked: RankedPaper, day: date) -> ET.Element:
    paper = ranked.paper
    entry = ET.Element("entry")
    _add(entry, "id", entry_id(ranked))
    _add(entry, "title", xml_text(single_line(paper.title)) or "(untitled)")
    _add(entry, "updated", timestamp(day))
    if paper.announced is not None:
        _add(entry, "published", timestamp(paper.announced))
    for name in paper.authors:
        shown = xml_text(single_line(name))
        if shown:
            _add(ET.SubElement(entry, "author"), "name", shown)
    url = cardtext.main_url(ranked)
    if url:
        ET.SubElement(entry, "link", {"rel": "alternate", "href": url})
    if valid_arxiv_id(paper.arxiv_id):
        pdf = {"rel": "related", "type": "application/pdf", "href": paper.pdf_url}
        ET.SubElement(entry, "link", pdf)
    for category in paper.categories:
        term = xml_text(single_line(category))
        if term:
            ET.SubElement(entry, "category", {"term": term})
    why = cardtext.why_line(ranked)
    summary = ([f"Why: {why}"] if why else []) + paragraphs(paper.abstract)
    if summary:
        _add(entry, "summary", xml_text("\n\n".join(summary)), type="text")
    return entry


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attributes)
    child.text = text
    return child


def _strip_namespace(element: ET.Element) -> None:
    # The rolling feed declares Atom as its default namespace, as the dated ones do:
    # serialized with namespaced tags, ElementTree would invent `ns0:` prefixes.
    for node in element.iter():
        if node.tag.startswith(_NS):
            node.tag = node.tag[len(_NS) :]
