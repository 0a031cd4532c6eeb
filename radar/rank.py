"""Deterministic, explainable scoring: every point a paper gets comes with its reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from radar.config import Config, Topic, Weights
from radar.keywords import KeywordMatcher
from radar.models import Counts, Paper, RankedPaper, Reason
from radar.names import AuthorMatcher

_ANNOUNCE_LABELS = {
    "new": "new submission",
    "cross": "cross-list",
    "replace": "replacement",
    "replace-cross": "replacement (cross-list)",
}


@dataclass(frozen=True, slots=True)
class Ranking:
    ranked: tuple[RankedPaper, ...]  # best first; ties broken by id
    excluded: int  # dropped by an `exclude` phrase
    counts: Counts  # announce types among the ranked papers


class _TopicMatcher:
    """A topic compiled once per run: matching a paper is then dictionary and regex work."""

    def __init__(self, topic: Topic) -> None:
        self.name = topic.name
        self.categories = frozenset(topic.categories)
        self.authors = AuthorMatcher(topic.authors)
        self.keywords = KeywordMatcher(topic.keywords)
        self.exclude = KeywordMatcher(topic.exclude)

    def covers(self, category: str) -> bool:
        # A watched archive ("math", "astro-ph") covers each of its categories.
        return category in self.categories or category.partition(".")[0] in self.categories


def rank(
    papers: Sequence[Paper],
    config: Config,
    similarity: Mapping[str, tuple[str, float]] | None = None,
) -> Ranking:
    """Score `papers` against every topic of `config`; `similarity` maps id -> (seed, cosine)."""
    topics = [_TopicMatcher(t) for t in config.topics]
    exclude = KeywordMatcher(config.exclude)
    weights = config.weights
    ranked: list[RankedPaper] = []
    excluded = 0
    for paper in _distinct(papers):
        if paper.announce_type not in config.announce_types:
            continue
        if exclude.find(paper.title) or exclude.find(paper.abstract):
            excluded += 1
            continue
        scored = _score(paper, topics, weights, (similarity or {}).get(paper.arxiv_id))
        if scored is not None:
            ranked.append(scored)
    ranked.sort(key=lambda r: (-r.score, r.paper.arxiv_id))
    return Ranking(ranked=tuple(ranked), excluded=excluded, counts=_count(ranked))


def _score(
    paper: Paper,
    topics: Sequence[_TopicMatcher],
    weights: Weights,
    similar: tuple[str, float] | None,
) -> RankedPaper | None:
    reasons: dict[str, Reason] = {}  # keyed by label: two topics saying the same count once
    watched_authors: dict[str, None] = {}
    caught_by: list[str] = []
    primary_watched = cross_watched = False

    def add(reason: Reason) -> None:
        reasons.setdefault(reason.label, reason)

    for topic in topics:
        if topic.exclude.find(paper.title) or topic.exclude.find(paper.abstract):
            continue
        in_primary = bool(paper.categories) and topic.covers(paper.primary_category)
        in_other = any(topic.covers(c) for c in paper.categories[1:])
        author_hits = topic.authors.match(paper.authors)
        title_hits = topic.keywords.find(paper.title)
        abstract_hits = [k for k in topic.keywords.find(paper.abstract) if k not in title_hits]
        if not (in_primary or in_other or author_hits or title_hits or abstract_hits):
            continue
        caught_by.append(topic.name)
        primary_watched |= in_primary
        cross_watched |= in_other and not in_primary
        for hit in author_hits:
            watched_authors[hit.author] = None
            if hit.exact:
                add(Reason("author", f"author: {hit.watched}", weights.author))
            else:
                label = f"author (initials only): {hit.author} ~ {hit.watched}"
                add(Reason("author-initials", label, weights.author_initials))
        for phrase in title_hits:
            add(Reason("keyword-title", f"keyword in title: {phrase}", weights.keyword_title))
        for phrase in abstract_hits:
            label = f"keyword in abstract: {phrase}"
            add(Reason("keyword-abstract", label, weights.keyword_abstract))

    if not caught_by:
        return None
    if paper.source == "api" and not watched_authors:
        return None  # the API's author search is fuzzy: only a local name match counts
    if primary_watched:
        add(Reason("category", f"category: {paper.primary_category}", weights.primary_category))
    elif cross_watched:
        label = f"cross-list from {paper.primary_category}"
        add(Reason("cross-list", label, weights.cross_list))
    announce_weight = _announce_weight(paper, weights)
    if announce_weight:
        add(Reason("announce", _ANNOUNCE_LABELS[paper.announce_type], announce_weight))
    if similar is not None:
        seed, cosine = similar
        label = f"similar to {seed} ({cosine:.2f})"
        add(Reason("similar", label, round(weights.similar * cosine, 3)))
    ordered = sorted(reasons.values(), key=lambda r: -r.weight)
    return RankedPaper(
        paper=paper,
        score=round(sum(r.weight for r in ordered), 3),
        reasons=tuple(ordered),
        watched_authors=tuple(watched_authors),
        topics=tuple(caught_by),
    )


def _announce_weight(paper: Paper, weights: Weights) -> float:
    return {
        "new": weights.new,
        "cross": weights.cross,
        "replace": weights.replace,
        "replace-cross": weights.replace_cross,
    }[paper.announce_type]


def _distinct(papers: Sequence[Paper]) -> list[Paper]:
    """One paper once: the feed's entry (it knows the announce type) wins over the API's."""
    chosen: dict[str, Paper] = {}
    for paper in papers:
        held = chosen.get(paper.arxiv_id)
        if held is None or (held.source == "api" and paper.source == "feed"):
            chosen[paper.arxiv_id] = paper
    return list(chosen.values())


def _count(ranked: Sequence[RankedPaper]) -> Counts:
    tally = {"new": 0, "cross": 0, "replace": 0, "replace-cross": 0}
    for item in ranked:
        tally[item.paper.announce_type] += 1
    return Counts(
        new=tally["new"],
        cross=tally["cross"],
        replace=tally["replace"],
        replace_cross=tally["replace-cross"],
    )
