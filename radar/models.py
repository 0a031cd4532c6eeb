"""The frozen values that flow between radar's modules: papers, ranked papers, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

AnnounceType = Literal["new", "cross", "replace", "replace-cross"]
ANNOUNCE_TYPES: tuple[AnnounceType, ...] = ("new", "cross", "replace", "replace-cross")

ARXIV_ABS_URL = "https://arxiv.org/abs/"
ARXIV_PDF_URL = "https://arxiv.org/pdf/"


Origin = Literal["arxiv", "biorxiv", "medrxiv", "journal"]


def paper_key(arxiv_id: str, doi: str | None) -> str:
    """The identity `Paper.key` gives, from the two fields it depends on."""
    return arxiv_id or "doi:" + (doi or "").lower()


@dataclass(frozen=True, slots=True)
class Link:
    """Another place the same paper lives (its journal version, its preprint)."""

    label: str  # "Nature", "bioRxiv", "arXiv", "DOI"
    url: str


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as announced (arXiv feed), found by search (export API), or from another
    source (bioRxiv/medRxiv, a journal through OpenAlex or Crossref).

    For arXiv, `categories` holds the primary category first and `announce_type` is what
    the feed said (papers found by the export API get "new" for v1, else "replace"). For
    other origins `arxiv_id` is empty, the DOI identifies the paper, `categories` holds the
    server's subject (e.g. "neuroscience") or, for a watched journal, its ISSN as watched
    ("0028-0836"), and `venue` the journal or server name.
    """

    arxiv_id: str  # without version: "2411.17700" or "hep-th/9901001"; "" when not on arXiv
    version: int
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    announce_type: AnnounceType
    announced: date | None
    doi: str | None = None
    journal_ref: str | None = None
    # "recovered": found by the export API's category search for an announcement day radar
    # did not see (radar.catchup); `announced` is then the day its submission time maps to.
    source: Literal[
        "feed", "api", "recovered", "biorxiv", "medrxiv", "openalex", "crossref"
    ] = "feed"
    origin: Origin = "arxiv"
    venue: str | None = None  # "Nature", "bioRxiv"; None for arXiv
    landing_url: str | None = None  # where to read a paper that is not on arXiv
    links: tuple[Link, ...] = ()  # the same paper elsewhere, merged into this card

    @property
    def key(self) -> str:
        """One identity across sources: the arXiv id, else the lower-cased DOI."""
        return paper_key(self.arxiv_id, self.doi)

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def versioned_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}"

    @property
    def url(self) -> str:
        if self.arxiv_id:
            return ARXIV_ABS_URL + self.arxiv_id
        if self.landing_url:
            return self.landing_url
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pdf_url(self) -> str:
        return ARXIV_PDF_URL + self.versioned_id if self.arxiv_id else ""


ReasonKind = Literal[
    "author",
    "author-initials",
    "keyword-title",
    "keyword-abstract",
    "category",
    "cross-list",
    "announce",
    "similar",
    "library",  # like a paper of the user's library (radar.relevance)
    "coauthor",  # written with someone the user has written with
    "dismissed",  # like a paper the user dismissed: a negative weight
]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a paper scored: shown on its card and in JSON as `label`."""

    kind: ReasonKind
    label: str  # e.g. "author: Sijie Wang", "keyword in title: diffusion"
    weight: float


@dataclass(frozen=True, slots=True)
class RankedPaper:
    paper: Paper
    score: float
    reasons: tuple[Reason, ...]
    # The paper's own author strings that matched a watched author, for highlighting.
    watched_authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Counts:
    """How many of the day's watched papers were of each announce type."""

    new: int = 0
    cross: int = 0
    replace: int = 0
    replace_cross: int = 0

    @property
    def total(self) -> int:
        return self.new + self.cross + self.replace + self.replace_cross


@dataclass(frozen=True, slots=True)
class Ranking:
    """What radar.rank makes of a day's papers (and radar.store keeps for the next run)."""

    ranked: tuple[RankedPaper, ...]  # best first; ties broken by id
    excluded: int  # dropped by an `exclude` phrase
    counts: Counts  # announce types among the ranked papers


DataState = Literal["fresh", "cached", "stale", "offline", "demo"]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one `radar today` run shows, ready for any renderer.

    `papers` is the requested page of the ranking; `total` counts every ranked
    paper before paging. `day` is the announcement day the papers come from,
    which differs from `requested_day` when the feed had no announcement
    (weekend, holiday) and the last cached day is shown instead.
    """

    watchlist: str
    day: date | None
    requested_day: date
    state: DataState
    papers: tuple[RankedPaper, ...]
    total: int
    counts: Counts
    excluded: int = 0
    page: int = 1
    limit: int = 0  # 0: no limit
    no_announcement: bool = False  # the feed was empty: weekend or holiday
    hidden_seen: int = 0  # matching papers left out by --unseen: earlier runs showed them
    notices: tuple[str, ...] = field(default=())  # people-talk for stderr
    # Every ranked paper, best first (`papers` is one page of it): what a briefing reads.
    ranking: tuple[RankedPaper, ...] = field(default=(), repr=False)
    # A report over several days (--since, catch_up: radar.catchup): the first day asked
    # for (`day` is the last), the announcement days covered, and those whose papers may
    # be missing in part (the export API stopped or failed). None and () for one day.
    since: date | None = None
    days: tuple[date, ...] = ()
    incomplete_days: tuple[date, ...] = ()

    @property
    def offset(self) -> int:
        """How many ranked papers precede this page (page 2 of 20 starts after 20)."""
        return (self.page - 1) * self.limit if self.limit > 0 and self.page > 1 else 0
