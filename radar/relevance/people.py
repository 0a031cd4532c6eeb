"""Co-authors: the people the user's library papers were written with, matched by name, and
their co-authors of the day (the colleagues of a co-author, a weaker sign)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from radar.library.entries import LibraryEntry
from radar.names import normalize_name

_NOT_LETTERS = re.compile(r"[^\w]|[\d_]")
# A name on (nearly) every paper of a library is its owner's, not a co-author's. A new paper
# by the user is a strong signal too, but that is the watchlist's `authors` to say (as
# "author: ..."), not "co-author of yours: <the user>" on each of their papers.
OWNER_SHARE = 0.9
OWNER_MIN_ENTRIES = 3


def name_key(name: str) -> str:
    """One key for the spellings of a name: accents, case, dots, hyphens and spaces aside
    ("Jun-Yan Zhu", "Junyan Zhu" and "JUN YAN ZHU" agree; "Zhu Junyan" does not)."""
    return _NOT_LETTERS.sub("", normalize_name(name))


@dataclass(frozen=True, slots=True)
class Shared:
    """A pool paper's author who wrote `papers` of the library's papers with the user."""

    name: str  # as the pool paper spells it
    papers: int


@dataclass(frozen=True, slots=True)
class Colleague:
    """A paper's author `name` who, on the same day's paper `title`, wrote with `coauthor`, a
    co-author of the user's (both as that paper spells them)."""

    name: str
    coauthor: str
    title: str


class Coauthors:
    """The library's authors, counted by how many of its papers each one is on."""

    def __init__(self, entries: Sequence[LibraryEntry]) -> None:
        counts: Counter[str] = Counter()
        for entry in entries:
            counts.update({name_key(a) for a in entry.authors} - {""})
        enough = len(entries) >= OWNER_MIN_ENTRIES
        self.owners = frozenset(
            key for key, n in counts.items() if enough and n >= OWNER_SHARE * len(entries)
        )
        self.counts = {key: n for key, n in counts.items() if key not in self.owners}

    def shared(self, authors: Sequence[str]) -> tuple[Shared, ...]:
        found: dict[str, Shared] = {}
        for author in authors:
            key = name_key(author)
            papers = self.counts.get(key)
            if papers and key not in found:
                found[key] = Shared(author, papers)
        return tuple(found.values())

    def colleagues(self, papers: Sequence[tuple[Sequence[str], str]]) -> dict[int, Colleague]:
        """For each of `papers` (authors, title) with no co-author of the user's but an author
        who wrote another of them with one: the first such author, by the papers' order.
        A new student or collaborator of your co-authors is not in your library yet."""
        known = set(self.counts) | self.owners
        met: dict[str, Colleague] = {}
        for authors, title in papers:
            linked = next((a for a in authors if name_key(a) in self.counts), None)
            if linked is None:
                continue
            for author in authors:
                key = name_key(author)
                if key and key not in known and key not in met:
                    met[key] = Colleague(author, linked, title)
        found: dict[int, Colleague] = {}
        for index, (authors, title) in enumerate(papers):
            keys = [name_key(a) for a in authors]
            if any(key in self.counts for key in keys):
                continue
            for key in keys:
                colleague = met.get(key)
                if colleague is not None and colleague.title != title:
                    found[index] = colleague
                    break
        return found
