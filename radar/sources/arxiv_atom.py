"""One page of arXiv's export API (Atom 1.0) -> Papers, each entry read on its own.

The page is parsed as the `arxiv` package (4.x) parses it, with lxml in recovering
mode, no entities resolved and no network: arXiv's answers carry text that strict
XML refuses (a `&#27;` in a title), and a reader of arXiv expects to see it. Every
entry then goes through radar.sources.records.guarded, so an entry with a date that
is not a date, or text that cannot be encoded, is skipped with a notice instead of
failing the page (the package would fail the whole search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from radar.models import Paper
from radar.names import decode_tex
from radar.sources.records import MalformedRecordError, guarded, plausible_day, printable_ident

SOURCE = "arXiv export API"
_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
# Versions are bounded like the feed's: no paper has a v1000000.
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>[^\s?#]+?)(?:v(?P<version>\d{1,6}))?$")
_DIGITS = re.compile(r"\s*(\d{1,9})\s*$")


class UnreadablePageError(ValueError):
    """The page as a whole cannot be read (not XML at all); the message says why."""


@dataclass(frozen=True, slots=True)
class AtomPage:
    """One page: its entries as Papers, the total the header reports, what was skipped."""

    papers: tuple[Paper, ...]
    entries: int  # <entry> elements on the page, read or skipped
    total: int | None  # opensearch:totalResults; None when absent or not a number
    notices: tuple[str, ...] = ()


def parse_page(body: bytes) -> AtomPage:
    """The page's papers; UnreadablePageError when there is no document to read."""
    from lxml import etree  # imported here: only a run that searches arXiv needs lxml

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadablePageError(f"the answer is not valid XML ({exc})") from None
    if root is None:
        raise UnreadablePageError("the answer is empty")
    notices: list[str] = []
    papers: list[Paper] = []
    entries = root.findall("atom:entry", _NS)
    for entry in entries:
        ident = printable_ident(_safe_text(entry, "atom:id"))
        paper = guarded(SOURCE, ident, partial(_paper, entry), notices)
        if paper is not None:
            papers.append(paper)
    return AtomPage(tuple(papers), len(entries), _total(root), tuple(notices))


def _paper(entry: Any) -> Paper:
    match = _ENTRY_ID.search((_text(entry, "atom:id") or "").strip())
    if match is None:
        raise MalformedRecordError("its <id> is not an arXiv abstract link")
    version = int(match.group("version") or 1)
    updated = _moment(_text(entry, "atom:updated"), "updated")
    published = _moment(_text(entry, "atom:published"), "published")
    primary = entry.find("arxiv:primary_category", _NS)
    terms = [primary.get("term") if primary is not None else None]
    terms += [c.get("term") for c in entry.iterfind("atom:category", _NS)]
    return Paper(
        arxiv_id=match.group("id"),
        version=version,
        title=_line(_text(entry, "atom:title")),
        authors=tuple(
            name
            for author in entry.iterfind("atom:author", _NS)
            if (name := _line(_text(author, "atom:name")))
        ),
        abstract=_line(_text(entry, "atom:summary")),
        categories=tuple(dict.fromkeys(t.strip() for t in terms if t and t.strip())),
        # The API does not say how a paper was announced; its version does.
        announce_type="new" if version == 1 else "replace",
        announced=updated or published,
        doi=_line(_text(entry, "arxiv:doi")) or None,
        journal_ref=_line(_text(entry, "arxiv:journal_ref")) or None,
        source="api",
    )


def _text(element: Any, path: str) -> str | None:
    """An element's text; lxml raises UnicodeDecodeError for text that is not Unicode."""
    found = element.find(path, _NS)
    return None if found is None else found.text


def _safe_text(element: Any, path: str) -> str:
    try:
        return _text(element, path) or ""
    except ValueError:
        return ""


def _line(text: str | None) -> str:
    return " ".join(decode_tex(text or "").split())


def _moment(value: str | None, what: str) -> date | None:
    """An RFC 3339 timestamp's day in UTC; absent is None, anything else malformed."""
    if value is None or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        day = moment.astimezone(UTC).date()
    except (ValueError, OverflowError):
        shown = printable_ident(value, limit=40)
        raise MalformedRecordError(f"its <{what}> {shown!r} is not a timestamp") from None
    return plausible_day(day, f"<{what}>")


def _total(root: Any) -> int | None:
    try:
        found = _DIGITS.match(_text(root, "opensearch:totalResults") or "")
    except ValueError:
        return None
    return int(found.group(1)) if found else None
