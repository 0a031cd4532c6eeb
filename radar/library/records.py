"""What radar keeps of a paper the user judged or was shown: enough to list it, export it as
BibTeX and rebuild a LibraryEntry, without the cache (which may be cleared)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from radar.library.entries import LibraryEntry
from radar.models import Paper, paper_key


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """One paper as far as it is known; `key` is radar's identity (the arXiv id, else doi:...)."""

    key: str
    arxiv_id: str = ""
    doi: str | None = None
    title: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # the primary category first, as on a card
    year: int | None = None
    url: str = ""
    venue: str = ""  # the journal, for a paper that is not (only) on arXiv


def record_of(paper: Paper) -> PaperRecord:
    return PaperRecord(
        key=paper.key,
        arxiv_id=paper.arxiv_id,
        doi=paper.doi,
        title=paper.title,
        abstract=paper.abstract,
        authors=paper.authors,
        categories=paper.categories if paper.origin == "arxiv" else (),
        year=paper.announced.year if paper.announced else None,
        url=paper.url,
        venue=paper.venue or "",
    )


def bare_record(arxiv_id: str = "", doi: str | None = None) -> PaperRecord:
    """A paper known only by its id: radar saves what it knows rather than refuse."""
    return PaperRecord(key=paper_key(arxiv_id, doi), arxiv_id=arxiv_id, doi=doi)


def entry_of(record: PaperRecord, source: str) -> LibraryEntry:
    return LibraryEntry(
        title=record.title,
        abstract=record.abstract,
        authors=record.authors,
        arxiv_id=record.arxiv_id,
        doi=record.doi,
        year=record.year,
        source=source,
    )


def record_to_plain(record: PaperRecord) -> dict[str, Any]:
    return {
        "key": record.key,
        "arxiv_id": record.arxiv_id,
        "doi": record.doi,
        "title": record.title,
        "abstract": record.abstract,
        "authors": list(record.authors),
        "categories": list(record.categories),
        "year": record.year,
        "url": record.url,
        "venue": record.venue,
    }


def record_from_plain(plain: Mapping[str, Any]) -> PaperRecord:
    """The record record_to_plain() made; KeyError/TypeError if `plain` is not one."""
    return PaperRecord(
        key=str(plain["key"]),
        arxiv_id=str(plain["arxiv_id"]),
        doi=plain["doi"],
        title=str(plain["title"]),
        abstract=str(plain["abstract"]),
        authors=tuple(str(a) for a in plain["authors"]),
        categories=tuple(str(c) for c in plain["categories"]),
        year=plain["year"],
        url=str(plain["url"]),
        venue=str(plain["venue"]),
    )
