"""The frozen values that flow between radar's modules: papers, ranked papers, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

AnnounceType = Literal["new", "cross", "replace", "replace-cross"]
ANNOUNCE_TYPES: tuple[AnnounceType, ...] = ("new", "cross", "replace", "replace-cross")

ARXIV_ABS_URL = "https://arxiv.org/abs/"
ARXIV_PDF_URL = "https://arxiv.org/pdf/"


@dataclass(frozen=True, slots=True)
class Paper:
    """One arXiv paper as announced (feed) or found by search (export API).

    `categories` holds the primary category first. `announce_type` is what the
    feed said; papers found by the export API get "new" for v1, else "replace".
    """

    arxiv_id: str  # without version: "2411.17700" or "hep-th/9901001"
    version: int
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    announce_type: AnnounceType
    announced: date | None
    doi: str | None = None
    journal_ref: str | None = None
    source: Literal["feed", "api"] = "feed"

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def versioned_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}"

    @property
    def url(self) -> str:
        return ARXIV_ABS_URL + self.arxiv_id

    @property
    def pdf_url(self) -> str:
        return ARXIV_PDF_URL + self.versioned_id


ReasonKind = Literal[
    "author",
    "author-initials",
    "keyword-title",
    "keyword-abstract",
    "category",
    "cross-list",
    "announce",
    "similar",
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
    notices: tuple[str, ...] = field(default=())  # people-talk for stderr
    # Every ranked paper, best first (`papers` is one page of it): what a briefing reads.
    ranking: tuple[RankedPaper, ...] = field(default=(), repr=False)
