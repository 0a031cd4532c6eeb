"""bioRxiv and medRxiv through api.biorxiv.org/details: every record of a date window, as Papers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from radar.biorxiv_taxonomy import SERVER_NAMES, Server
from radar.errors import SourceError
from radar.models import Link, Paper
from radar.sources.channel import Channel
from radar.sources.markup import one_line, plain

log = logging.getLogger("radar.biorxiv")

# The API serves 100 records a page (its help page); 300 pages is a month of bioRxiv with
# room to spare, and stops a server that never says it is done.
MAX_PAGES = 300
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
    """One record of the `collection`; None when it has no DOI to identify it by."""
    doi = _text(record.get("doi"))
    if not doi:
        return None
    version = _whole(record.get("version")) or 1
    subject = " ".join(_text(record.get("category")).split())
    return Paper(
        arxiv_id="",
        version=version,
        title=one_line(_text(record.get("title"))),
        authors=parse_authors(_text(record.get("authors"))),
        abstract=plain(_text(record.get("abstract")), literal_breaks=True),
        categories=(subject,) if subject else (),
        announce_type="new" if version == 1 else "replace",
        announced=_day(record.get("date")),
        doi=doi,
        source=server,
        origin=server,
        venue=SERVER_NAMES[server],
        landing_url=landing_url(server, doi, version),
        links=_journal_link(_text(record.get("published"))),
    )


def _journal_link(published: str) -> tuple[Link, ...]:
    # "NA" (or nothing) means no journal version is known yet.
    if not published.startswith("10."):
        return ()
    return (Link(JOURNAL_LINK_LABEL, f"https://doi.org/{published}"),)


def parse_page(data: Any, server: Server) -> tuple[list[Paper], int, int | None]:
    """(papers, records received, total the server reports or None) for one page."""
    if not isinstance(data, dict):
        raise SourceError(f"{SERVER_NAMES[server]} gave an unusable answer (not an object)")
    messages = data.get("messages")
    message = messages[0] if isinstance(messages, list) and messages else {}
    message = message if isinstance(message, dict) else {}
    status = _text(message.get("status")).lower()
    collection = data.get("collection")
    records = collection if isinstance(collection, list) else []
    if status and status != "ok":
        if status.startswith("no posts found"):
            return [], 0, 0
        raise SourceError(f"{SERVER_NAMES[server]} answered {status!r}")
    papers = [p for r in records if isinstance(r, dict) and (p := parse_record(r, server))]
    return papers, len(records), _whole(message.get("total"))


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

    def __init__(self, channel: Channel, base_url: str, server: Server) -> None:
        self._channel = channel
        self._base_url = base_url
        self.server = server
        self.name = SERVER_NAMES[server]

    def fetch(self, since: date, until: date) -> tuple[Paper, ...]:
        """Every page, cursor by cursor, until the reported total (or an empty page)."""
        papers: list[Paper] = []
        cursor = 0
        for _ in range(MAX_PAGES):
            url = details_url(self._base_url, self.server, since, until, cursor)
            what = f"reading {self.name} ({since} to {until}, from record {cursor})"
            data = self._channel.get_json(url, service=self.name, what=what)
            found, received, total = parse_page(data, self.server)
            papers.extend(found)
            # Step by what came, not by a page size assumed: a shorter page skips nothing.
            cursor += received
            if received == 0 or (total is not None and cursor >= total):
                log.info("%s: %d records in %s..%s", self.name, cursor, since, until)
                return latest_versions(papers)
        raise SourceError(
            f"reading {self.name} stopped after {MAX_PAGES} pages without reaching the end",
            hint="shorten source_window_days in the watchlist",
        )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _whole(value: Any) -> int | None:
    # The API writes numbers as numbers or as strings ("cursor": "45"), depending on the field.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _text(value)
    return int(text) if text.isdigit() and len(text) < 10 else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None
