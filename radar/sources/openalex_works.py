"""OpenAlex work objects -> Papers: the abstract rebuilt from its inverted index, DOIs bare."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from radar.models import Link, Paper
from radar.sources.markup import one_line
from radar.sources.records import MalformedRecordError, printable_ident
from radar.watchlist import Journal

_DOI_URL = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ARXIV_ABS = re.compile(r"arxiv\.org/abs/([^\s?#]+?)(?:v\d+)?$", re.IGNORECASE)
# Positions past this are not a real abstract (the longest run to a few thousand words).
MAX_ABSTRACT_WORDS = 20_000


def bare_doi(value: Any) -> str | None:
    """ "https://doi.org/10.1371/journal.pone.0000030" -> "10.1371/journal.pone.0000030"."""
    if value is not None and not isinstance(value, str):
        raise MalformedRecordError(f"its doi is {type(value).__name__}, not text")
    if not value or not value.strip():
        return None
    doi = _DOI_URL.sub("", value.strip())
    return doi if doi.startswith("10.") else None


def rebuild_abstract(index: Any) -> str:
    """The abstract, word for word, from {word: [positions]} (OpenAlex may not ship the text)."""
    if not isinstance(index, Mapping):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            continue
        for position in positions:
            if isinstance(position, int) and 0 <= position < MAX_ABSTRACT_WORDS:
                placed[position] = str(word)
    return " ".join(placed[p] for p in sorted(placed))


def parse_work(
    work: Mapping[str, Any],
    journals: Mapping[str, Journal] | None = None,
    known: Mapping[str, str] | None = None,
) -> Paper | None:
    """One work; `journals` (by ISSN) gives a watched journal's own name as the venue.

    `known` maps ORCIDs and OpenAlex author ids to watched authors' names: an author
    found by id is that person whatever the spelling, so the card carries the watched
    name and name matching downstream cannot miss them.
    """
    title = one_line(_text(work.get("title")) or _text(work.get("display_name")))
    if not title:
        return None
    doi = bare_doi(work.get("doi"))
    location = _mapping(work.get("primary_location"))
    source = _mapping(location.get("source"))
    landing = f"https://doi.org/{doi}" if doi else _text(location.get("landing_page_url"))
    watched = _watched_journal(source, journals or {})
    return Paper(
        arxiv_id="",
        version=1,
        title=title,
        authors=_authors(work.get("authorships"), known or {}),
        abstract=rebuild_abstract(work.get("abstract_inverted_index")),
        # A watched journal's ISSN, as watched: what tells a topic the paper is its own.
        categories=(watched.issn,) if watched else (),
        announce_type="new",
        announced=_day(work.get("publication_date")),
        doi=doi,
        source="openalex",
        origin="journal",
        venue=(watched.name if watched else "") or _text(source.get("display_name")) or None,
        landing_url=landing or _text(work.get("id")) or None,
        links=_preprint_links(work.get("locations"), landing),
    )


def _authors(authorships: Any, known: Mapping[str, str]) -> tuple[str, ...]:
    names: list[str] = []
    for authorship in _list(authorships, "authorships"):
        author = _mapping(_mapping(authorship).get("author"))
        ids = (author_key(author.get("orcid")), author_key(author.get("id")))
        watched = next((known[i] for i in ids if i and i in known), None)
        name = watched or " ".join(_text(author.get("display_name")).split())
        if name:
            names.append(name)
    return tuple(names)


def author_key(value: Any) -> str:
    """ "https://orcid.org/0000-0001-9535-7413" -> "0000-0001-9535-7413"; ids alike -> "A123"."""
    return _text(value).rsplit("/", 1)[-1].upper()


def _watched_journal(source: Mapping[str, Any], journals: Mapping[str, Journal]) -> Journal | None:
    """The watched journal the work's source is, by any of its ISSNs (print, online, linking)."""
    issns = _list(source.get("issn"), "issn")
    for issn in [source.get("issn_l"), *issns]:
        watched = journals.get(issn.upper()) if isinstance(issn, str) else None
        if watched is not None:
            return watched
    return None


def _preprint_links(locations: Any, landing: str) -> tuple[Link, ...]:
    """The work's arXiv/bioRxiv/medRxiv copies, which let radar.merge join it to them."""
    links: dict[str, Link] = {}
    for location in _list(locations, "locations"):
        url = _text(_mapping(location).get("landing_page_url"))
        name = _text(_mapping(_mapping(location).get("source")).get("display_name")).casefold()
        arxiv = _ARXIV_ABS.search(url)
        doi = bare_doi(url)
        if arxiv:
            link = Link("arXiv", f"https://arxiv.org/abs/{arxiv.group(1)}")
        elif doi and doi.startswith("10.1101/") and ("biorxiv" in name or "medrxiv" in name):
            label = "medRxiv" if "medrxiv" in name else "bioRxiv"
            link = Link(label, f"https://doi.org/{doi}")
        else:
            continue
        if link.url.casefold() != landing.casefold():
            links.setdefault(link.url.casefold(), link)
    return tuple(links.values())


# A field of the wrong JSON type raises MalformedRecordError: the caller's guard
# (radar.sources.records.guarded) skips that work. null means "not known", as in the API.


def _mapping(value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise MalformedRecordError(f"an object was expected, not {type(value).__name__}")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedRecordError(f"its {field} is {type(value).__name__}, not a list")
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedRecordError(f"text was expected, not {type(value).__name__}")
    return value.strip()


def _day(value: Any) -> date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        shown = printable_ident(text, 30)
        raise MalformedRecordError(f"its publication_date {shown!r} is not a date") from None
