"""bioRxiv and medRxiv through api.biorxiv.org/details: every record of a date window, as Papers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from radar.biorxiv_taxonomy import SERVER_NAMES, Server
from radar.errors import SourceError
from radar.models import Link, Paper
from radar.polite import PageCap
from radar.sources.channel import Channel
from radar.sources.markup import one_line, plain
from radar.sources.records import (
    Found,
    MalformedRecordError,
    guarded,
    printable_ident,
    skipped_notice,
)

log = logging.getLogger("radar.biorxiv")

# The API serves 100 records a page (its help page). Pages one run may ask of one server:
# 30 pages is 3,000 records, about two weeks of bioRxiv; a server that answers a record
# a page, or never says it is done, is stopped there and the run says so.
MAX_PAGES_PER_RUN = 30
JOURNAL_LINK_LABEL = "Journal version"  # /details gives the journal's DOI, not its name


def details_url(base_url: str, server: Server, since: date, until: date, cursor: int) -> str:
    return (
        f"{base_url.rstrip('/')}/details/{server}/{since.isoformat()}/{until.isoformat()}/{cursor}"
    )


def landing_url(server: Server, doi: str, version: int) -> str:
    return f"https://www.{server}.org/content/{doi}v{version}"


def parse_authors(text: str) -> tuple[str, ...]:
    """ "Naka, A.; van der Meer, M.; Cam-CAN,  " -> ("A. Naka", "M. van der Meer", "Cam-CAN").

    Given names come first, as radar.names expects; initials match watched full names
    only weakly, which is all an initial can say.
    """
    names: list[str] = []
    for piece in text.split(";"):
        family, _, given = piece.partition(",")
        name = " ".join(f"{given} {family}".split())
        if name:
            names.append(name)
    return tuple(names)


def parse_record(record: Mapping[str, Any], server: Server) -> Paper | None:
    """One record of the `collection`; None when it has no DOI to identify it by.

    A field of the wrong type or a date that is not one raises (through `_text`,
    `_whole` and `_day`): radar.sources.records.guarded then skips the record.
    """
    doi = _text(record.get("doi"), "doi")
    if not doi:
        return None
    version = _whole(record.get("version"), "version") or 1
    subject = " ".join(_text(record.get("category"), "category").split())
    return Paper(
        arxiv_id="",
        version=version,
        title=one_line(_text(record.get("title"), "title")),
        authors=parse_authors(_text(record.get("authors"), "authors")),
        abstract=plain(_text(record.get("abstract"), "abstract"), literal_breaks=True),
        categories=(subject,) if subject else (),
        announce_type="new" if version == 1 else "replace",
        announced=_day(record.get("date")),
        doi=doi,
        source=server,
        origin=server,
        venue=SERVER_NAMES[server],
        landing_url=landing_url(server, doi, version),
        links=_journal_link(_text(record.get("published"), "published")),
    )


def _journal_link(published: str) -> tuple[Link, ...]:
    # "NA" (or nothing) means no journal version is known yet.
    if not published.startswith("10."):
        return ()
    return (Link(JOURNAL_LINK_LABEL, f"https://doi.org/{published}"),)


def parse_page(
    data: Any, server: Server, notices: list[str] | None = None
) -> tuple[list[Paper], int, int | None]:
    """(papers, records received, total the server reports or None) for one page.

    A malformed record is left out, with a notice added to `notices`.
    """
    name = SERVER_NAMES[server]
    if not isinstance(data, dict):
        raise SourceError(f"{name} gave an unusable answer (not an object)")
    messages = data.get("messages")
    message = messages[0] if isinstance(messages, list) and messages else {}
    message = message if isinstance(message, dict) else {}
    status = _loose_text(message.get("status")).lower()
    collection = data.get("collection")
    records = collection if isinstance(collection, list) else []
    if status and status != "ok":
        if status.startswith("no posts found"):
            return [], 0, 0
        raise SourceError(f"{name} answered {printable_ident(status)!r}")
    notices = [] if notices is None else notices
    papers: list[Paper] = []
    for record in records:
        if not isinstance(record, dict):
            notices.append(skipped_notice(name, "", "a record that is not a JSON object"))
            continue
        ident = printable_ident(record.get("doi"))
        paper = guarded(name, ident, partial(parse_record, record, server), notices)
        if paper is not None:
            papers.append(paper)
    return papers, len(records), _total(message.get("total"))


def latest_versions(papers: list[Paper]) -> tuple[Paper, ...]:
    """One paper per DOI: its newest version, still "new" when v1 came within the window."""
    newest: dict[str, Paper] = {}
    first_posted: set[str] = set()
    for paper in papers:
        key = (paper.doi or "").lower()
        if paper.version == 1:
            first_posted.add(key)
        held = newest.get(key)
        if held is None or paper.version > held.version:
            newest[key] = paper
    # A paper first posted and then revised within the window is new to the reader.
    return tuple(
        replace(p, announce_type="new") if key in first_posted else p for key, p in newest.items()
    )


class PreprintServer:
    """Reads every record of one server (bioRxiv or medRxiv) posted in a date window."""

    def __init__(
        self, channel: Channel, base_url: str, server: Server, *, max_pages: int = MAX_PAGES_PER_RUN
    ) -> None:
        self._channel = channel
        self._base_url = base_url
        self.server = server
        self.name = SERVER_NAMES[server]
        self._pages = PageCap(max_pages)

    def fetch(self, since: date, until: date) -> Found:
        """Every page, cursor by cursor, until the reported total, an empty page or the cap."""
        papers: list[Paper] = []
        notices: list[str] = []
        cursor = 0
        while self._pages.take():
            url = details_url(self._base_url, self.server, since, until, cursor)
            what = f"reading {self.name} ({since} to {until}, from record {cursor})"
            data = self._channel.get_json(url, service=self.name, what=what)
            found, received, total = parse_page(data, self.server, notices)
            papers.extend(found)
            # Step by what came, not by a page size assumed: a shorter page skips nothing.
            cursor += received
            if received == 0 or (total is not None and cursor >= total):
                log.info("%s: %d records in %s..%s", self.name, cursor, since, until)
                return Found(latest_versions(papers), tuple(notices))
        notices.append(self._pages.notice(self.name, f"records after the first {cursor}"))
        return Found(latest_versions(papers), tuple(notices), complete=False)


def _text(value: Any, field: str) -> str:
    """A text field: absent (or null) is "", text is stripped, anything else is malformed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedRecordError(f"its {field} is {type(value).__name__}, not text")
    return value.strip()


def _loose_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _whole(value: Any, field: str) -> int | None:
    # The API writes numbers as numbers or as strings ("version": "2"), depending on the field.
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    raise MalformedRecordError(f"its {field} {printable_ident(str(value), 20)!r} is not a number")


def _total(value: Any) -> int | None:
    # The page's total only decides when to stop: a strange one reads on to an empty page.
    try:
        return _whole(value, "total")
    except MalformedRecordError:
        return None


def _day(value: Any) -> date | None:
    text = _text(value, "date")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MalformedRecordError(
            f"its date {printable_ident(text, 30)!r} is not a date"
        ) from None
