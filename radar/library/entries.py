"""The frozen values a library reader makes and the relevance model learns from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One paper its user has read, written or saved (or dismissed), as far as it is known.

    Readers fill what their source has: a BibTeX entry may lack an abstract (then title and
    keywords carry the text), a Zotero item may lack an arXiv id. `source` says where the
    entry came from, for messages and reasons ("refs.bib:12", "zotero", "saved", "orcid").
    """

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    arxiv_id: str = ""  # without version
    doi: str | None = None
    year: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Library:
    """What relevance learns from: the user's papers (library and saved ones) as positives,
    dismissed papers as negatives; `warnings` are one line each, for stderr."""

    positives: tuple[LibraryEntry, ...] = ()
    negatives: tuple[LibraryEntry, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.positives and not self.negatives
