"""Every source beyond arXiv in one call: bioRxiv, medRxiv, watched journals, authors by ORCID.

One failing source never hides the others: each failure becomes a notice for stderr.
The papers come back unmerged; the caller merges them with arXiv's (radar.merge).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from radar.biorxiv_taxonomy import SERVERS, Server, normalize
from radar.errors import SourceError
from radar.models import Paper
from radar.sources.records import Found
from radar.watchlist import Config, Journal, WatchedAuthor

if TYPE_CHECKING:
    from radar.names import AuthorMatcher  # imported by fetch(): a cached run matches no names

    # Injected by the caller: importing them here would bring in httpx.
    from radar.sources.biorxiv import PreprintServer
    from radar.sources.crossref import Crossref
    from radar.sources.openalex import OpenAlex


def source_window(config: Config, today: date, last_run: date | None) -> tuple[date, date]:
    """(since, until): since the last run, at most `source_window_days` back, up to today."""
    earliest = today - timedelta(days=config.source_window_days)
    since = earliest if last_run is None else min(max(earliest, last_run), today)
    return since, today


def watches_other_sources(config: Config) -> bool:
    """Whether anything beyond arXiv is watched (subjects, journals, authors by id)."""
    return bool(
        any(t.biorxiv or t.medrxiv or t.journals for t in config.topics)
        or any(a.orcid or a.openalex for a in config.authors)
    )


def other_sources_key(config: Config) -> list[str]:
    """What the other sources are asked for: a change of it means a new search."""
    parts = [f"biorxiv:{s}" for s in sorted(watched_subjects(config, "biorxiv"))]
    parts += [f"medrxiv:{s}" for s in sorted(watched_subjects(config, "medrxiv"))]
    parts += [f"issn:{j.issn}" for j in watched_journals(config)]
    parts += [f"author:{a.orcid or ''}:{a.openalex or ''}" for a in config.authors]
    parts += [n for a in config.authors for n in (a.name, *a.aliases)]
    return [*parts, f"window:{config.source_window_days}"]


def watched_subjects(config: Config, server: Server) -> frozenset[str]:
    return frozenset(
        s for t in config.topics for s in (t.biorxiv if server == "biorxiv" else t.medrxiv)
    )


def watched_journals(config: Config) -> tuple[Journal, ...]:
    """Each ISSN once; the first topic naming it gives its name."""
    journals: dict[str, Journal] = {}
    for journal in (j for t in config.topics for j in t.journals):
        held = journals.setdefault(journal.issn, journal)
        if not held.name and journal.name:
            journals[journal.issn] = journal
    return tuple(journals.values())


def select(
    papers: Sequence[Paper], subjects: frozenset[str], matcher: AuthorMatcher
) -> tuple[Paper, ...]:
    """The records in a watched subject, and a watched author's in any subject."""
    return tuple(
        p for p in papers if normalize(p.primary_category) in subjects or matcher.match(p.authors)
    )


class OtherSources:
    """What the lead's orchestrator calls: `fetch(config, since, until)`."""

    def __init__(
        self,
        *,
        preprints: Mapping[Server, PreprintServer],
        openalex: OpenAlex | None,
        crossref: Crossref | None = None,
    ) -> None:
        self._preprints = preprints
        self._openalex = openalex
        self._crossref = crossref

    def fetch(self, config: Config, since: date, until: date) -> Found:
        """Every watched source read for the window; failures, skips and caps as notices."""
        papers: list[Paper] = []
        notices: list[str] = []
        complete = True
        from radar.names import AuthorMatcher

        matcher = AuthorMatcher(config.authors)
        for server in SERVERS:
            subjects = watched_subjects(config, server)
            source = self._preprints.get(server)
            if not subjects or source is None:
                continue
            try:
                found = source.fetch(since, until)
            except SourceError as exc:
                notices.append(f"{exc.message}; {source.name} papers are missing from this run")
                continue
            papers += select(found.papers, subjects, matcher)
            notices += found.notices
            complete = complete and found.complete
        for found in (
            self._journal_works(watched_journals(config), since, until, notices),
            self._author_works(
                [a for a in config.authors if a.orcid or a.openalex], since, until, notices
            ),
        ):
            papers += found.papers
            notices += found.notices
            complete = complete and found.complete
        return Found(tuple(papers), tuple(notices), complete)

    def _journal_works(
        self, journals: Sequence[Journal], since: date, until: date, notices: list[str]
    ) -> Found:
        # OpenAlex first: one query covers every journal. Crossref stands in if it fails.
        if not journals:
            return Found()
        if self._openalex is not None:
            try:
                return self._openalex.journal_works(journals, since, until)
            except SourceError as exc:
                instead = "; reading Crossref instead" if self._crossref else ""
                missing = "" if self._crossref else "; journal papers are missing from this run"
                notices.append(f"{exc.message}{instead}{missing}")
        if self._crossref is not None:
            try:
                return self._crossref.journal_works(journals, since, until)
            except SourceError as exc:
                notices.append(f"{exc.message}; journal papers are missing from this run")
        return Found()

    def _author_works(
        self, authors: Sequence[WatchedAuthor], since: date, until: date, notices: list[str]
    ) -> Found:
        if not authors or self._openalex is None:
            return Found()
        try:
            return self._openalex.author_works(authors, since, until)
        except SourceError as exc:
            note = "works of authors watched by ORCID/OpenAlex id may be missing"
            notices.append(f"{exc.message}; {note}")
            return Found()
