"""Deterministic, explainable scoring: every point a paper gets comes with its reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter

from radar.keywords import PhraseLists
from radar.models import Counts, Paper, RankedPaper, Ranking, Reason, ReasonKind
from radar.names import AuthorMatcher
from radar.nogc import paused_gc
from radar.venues import watched_place
from radar.watchlist import Config, Topic, Weights

_ANNOUNCE_LABELS = {
    "new": "new submission",
    "cross": "cross-list",
    "replace": "replacement",
    "replace-cross": "replacement (cross-list)",
}


class _TopicMatcher:
    """A topic compiled once per run: matching a paper is then dictionary and set work.

    `keywords` and `exclude` number the topic's lists in the run's PhraseLists.
    """

    def __init__(self, topic: Topic, keywords: int, exclude: int) -> None:
        self.topic = topic
        self.name = topic.name
        self.categories = frozenset(topic.categories)
        self.authors = AuthorMatcher(topic.authors)
        self.keywords = keywords
        self.exclude = exclude

    def covers(self, category: str) -> bool:
        # A watched archive ("math", "astro-ph") covers each of its categories.
        return category in self.categories or category.partition(".")[0] in self.categories


@paused_gc()
def rank(
    papers: Sequence[Paper],
    config: Config,
    similarity: Mapping[str, tuple[str, float]] | None = None,
    learned: Mapping[str, tuple[Reason, ...]] | None = None,
    *,
    everything: bool = False,
) -> Ranking:
    """Score `papers` against every topic of `config`; `similarity` maps id -> (seed, cosine),
    `learned` maps id -> the library's reasons (radar.relevance). With `everything`, papers no
    topic catches are ranked too (`radar rank` ranks the papers it is given, all of them)."""
    # Every phrase of the run (the exclude list, then each topic's keywords and exclude) is
    # found in one scan of each title and abstract together, however many topics there are.
    lists = [config.exclude]
    for topic in config.topics:
        lists += [topic.keywords, topic.exclude]
    phrases = PhraseLists(lists)
    topics = [_TopicMatcher(t, 1 + 2 * i, 2 + 2 * i) for i, t in enumerate(config.topics)]
    weights = config.weights
    similar = similarity or {}
    ranked: list[RankedPaper] = []
    shared: dict[tuple[ReasonKind, str, float], Reason] = {}
    excluded = 0
    excluding = bool(config.exclude)
    for paper in _distinct(papers):
        if paper.announce_type not in config.announce_types and not everything:
            continue
        in_title, in_abstract = phrases.scan_pair(paper.title, paper.abstract)
        if excluding and (phrases.has(0, in_title) or phrases.has(0, in_abstract)):
            excluded += 1
            continue
        found = (phrases, in_title, in_abstract)
        seed = similar.get(paper.key) if similar else None
        extra = learned.get(paper.key, ()) if learned else ()
        scored = _score(paper, topics, found, weights, seed, shared, extra, everything)
        if scored is not None:
            ranked.append(scored)
    ranked.sort(key=lambda r: (-r.score, r.paper.key))
    return Ranking(ranked=tuple(ranked), excluded=excluded, counts=_count(ranked))


def _score(
    paper: Paper,
    topics: Sequence[_TopicMatcher],
    found: tuple[PhraseLists, set[int], set[int]],
    weights: Weights,
    similar: tuple[str, float] | None,
    shared: dict[tuple[ReasonKind, str, float], Reason],
    learned: tuple[Reason, ...] = (),
    everything: bool = False,
) -> RankedPaper | None:
    reasons: dict[str, Reason] = {}  # keyed by label: two topics saying the same count once
    watched_authors: dict[str, None] = {}
    caught_by: list[str] = []
    primary_watched = False
    also_in = ""  # a watched category the paper lists besides its (unwatched) primary

    def add(kind: ReasonKind, label: str, weight: float) -> None:
        if label not in reasons:
            # Papers share most of their reasons: each distinct one is made once a run.
            key = (kind, label, weight)
            made = shared.get(key)
            if made is None:
                made = shared[key] = Reason(kind, label, weight)
            reasons[label] = made

    phrases, in_title, in_abstract = found
    for topic in topics:
        if phrases.has(topic.exclude, in_title) or phrases.has(topic.exclude, in_abstract):
            continue
        in_primary = bool(paper.categories) and topic.covers(paper.primary_category)
        in_other = len(paper.categories) > 1 and any(map(topic.covers, paper.categories[1:]))
        author_hits = topic.authors.match(paper.authors)
        title_hits = phrases.pick(topic.keywords, in_title)
        abstract_hits = [
            k for k in phrases.pick(topic.keywords, in_abstract) if k not in title_hits
        ]
        # A bioRxiv/medRxiv subject or a journal plays the part an arXiv category plays.
        place = watched_place(topic.topic, paper) if paper.origin != "arxiv" else None
        if not (in_primary or in_other or place or author_hits or title_hits or abstract_hits):
            continue
        caught_by.append(topic.name)
        if place:
            add("category", place, weights.primary_category)
        primary_watched |= in_primary
        if in_other and not in_primary and not also_in:
            also_in = next(c for c in paper.categories[1:] if topic.covers(c))
        for hit in author_hits:
            watched_authors[hit.author] = None
            if hit.exact:
                add("author", f"author: {hit.watched}", weights.author)
            else:
                label = f"author (initials only): {hit.author} ~ {hit.watched}"
                add("author-initials", label, weights.author_initials)
        for phrase in title_hits:
            add("keyword-title", f"keyword in title: {phrase}", weights.keyword_title)
        for phrase in abstract_hits:
            label = f"keyword in abstract: {phrase}"
            add("keyword-abstract", label, weights.keyword_abstract)

    if not caught_by and not everything:
        return None
    if paper.source == "api" and not watched_authors:
        return None  # the API's author search is fuzzy: only a local name match counts
    if primary_watched:
        add("category", f"category: {paper.primary_category}", weights.primary_category)
    elif also_in:
        # Only a paper announced as a cross-list is one; a new paper found another way
        # (an author search) is described by where it is listed.
        if paper.announce_type in ("cross", "replace-cross"):
            label = f"cross-list from {paper.primary_category}"
        else:
            label = f"also listed in {also_in} (primary: {paper.primary_category})"
        add("cross-list", label, weights.cross_list)
    announce_weight = _announce_weight(paper, weights)
    if announce_weight:
        add("announce", _ANNOUNCE_LABELS[paper.announce_type], announce_weight)
    if similar is not None:
        seed, cosine = similar
        label = f"similar to {seed} ({cosine:.2f})"
        add("similar", label, round(weights.similar * cosine, 3))
    for reason in learned:
        add(reason.kind, reason.label, reason.weight)
    ordered = sorted(reasons.values(), key=_WEIGHT, reverse=True)  # stable: ties keep order
    return RankedPaper(
        paper=paper,
        score=round(sum(r.weight for r in ordered), 3),
        reasons=tuple(ordered),
        watched_authors=tuple(watched_authors),
        topics=tuple(caught_by),
    )


_WEIGHT = attrgetter("weight")

_WEIGHT_FIELDS = {
    "new": "new",
    "cross": "cross",
    "replace": "replace",
    "replace-cross": "replace_cross",
}


def _announce_weight(paper: Paper, weights: Weights) -> float:
    weight: float = getattr(weights, _WEIGHT_FIELDS[paper.announce_type])
    return weight


def _distinct(papers: Sequence[Paper]) -> list[Paper]:
    """One paper once: the feed's entry (it knows the announce type) wins over the API's."""
    chosen: dict[str, Paper] = {}
    for paper in papers:
        held = chosen.get(paper.key)
        if held is None or (held.source == "api" and paper.source == "feed"):
            chosen[paper.key] = paper
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
