"""The validated watchlist as frozen values (radar.config reads and checks the YAML), and
their plain-JSON form, in which the cache remembers a watchlist it has already checked.

Nothing here imports yaml: a run whose watchlist is remembered never pays for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from radar.briefing.settings import BriefingSettings, Price
from radar.models import AnnounceType

MAX_BYTES = 1_000_000  # "1 MB": a watchlist is a few hundred bytes; refuse before parsing

DEFAULT_RSS_URL = "https://rss.arxiv.org/rss/"
DEFAULT_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_BIORXIV_API_URL = "https://api.biorxiv.org"  # serves bioRxiv and medRxiv alike
DEFAULT_OPENALEX_API_URL = "https://api.openalex.org"
DEFAULT_CROSSREF_API_URL = "https://api.crossref.org"


@dataclass(frozen=True, slots=True)
class Journal:
    """A watched journal: its ISSN (print or electronic) and the name to show, if given."""

    issn: str  # "0028-0836"
    name: str = ""  # "" means: the name the service gives


@dataclass(frozen=True, slots=True)
class WatchedAuthor:
    name: str
    aliases: tuple[str, ...] = ()
    orcid: str | None = None  # "0000-0002-1825-0097": OpenAlex is asked by it, not by name
    openalex: str | None = None  # an OpenAlex author id, "A5023888391"


@dataclass(frozen=True, slots=True)
class Topic:
    """One named watchlist. The top-level categories/authors/keywords form a topic too."""

    name: str
    categories: tuple[str, ...] = ()
    authors: tuple[WatchedAuthor, ...] = ()
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # phrases that stop this topic from catching a paper
    biorxiv: tuple[str, ...] = ()  # bioRxiv subjects as the API spells them: "cell biology"
    medrxiv: tuple[str, ...] = ()  # medRxiv subjects: "epidemiology"
    journals: tuple[Journal, ...] = ()


@dataclass(frozen=True, slots=True)
class Weights:
    """Ranking weights; every reason a paper gets adds its weight to the score."""

    author: float = 10.0
    author_initials: float = 4.0
    keyword_title: float = 4.0
    keyword_abstract: float = 2.0
    primary_category: float = 1.5
    cross_list: float = 0.5
    new: float = 1.0
    cross: float = 0.5
    replace: float = 0.0
    replace_cross: float = 0.0
    similar: float = 6.0  # multiplied by the cosine similarity (0..1)
    # The learned relevance (radar.relevance), used only when there is a library:
    library: float = 5.0  # times how far the paper's text stands out (0..1)
    coauthor: float = 6.0  # per shared co-author, times 1 + ln(their papers in the library)
    colleague: float = 4.0  # no co-author, but an author wrote another of the day's with one
    dismissed: float = 4.0  # subtracted, times the cosine to the nearest dismissed paper


@dataclass(frozen=True, slots=True)
class Endpoints:
    arxiv_rss_url: str = DEFAULT_RSS_URL
    arxiv_api_url: str = DEFAULT_API_URL
    biorxiv_api_url: str = DEFAULT_BIORXIV_API_URL
    openalex_api_url: str = DEFAULT_OPENALEX_API_URL
    crossref_api_url: str = DEFAULT_CROSSREF_API_URL


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    timeout: float = 20.0  # seconds for one request (connect, read)
    retries: int = 3  # further tries after the first, on 429/503/5xx/timeouts
    max_wait: float = 60.0  # total seconds a run may lose to failed tries and backoff
    spacing: float = 3.0  # seconds between requests to one host (never under 3 for arxiv.org)
    contact: str = ""  # an email put in the User-Agent, as arXiv asks of API users


# -- library: what the user reads (radar.library.load reads it) ------------------------------


@dataclass(frozen=True, slots=True)
class ZoteroSettings:
    """A Zotero library: the web API (`library_id`), or a local zotero.sqlite (`path`)."""

    library_id: str = ""  # the numeric user or group id of the web API
    library_type: str = "user"  # "user" or "group"
    collection: str = ""  # only this collection: its key (web), or its name or key (local)
    api_key_env: str = "ZOTERO_API_KEY"  # the variable holding the key (never the key itself)
    path: str = ""  # a local zotero.sqlite, read-only (as written: ~ and relative allowed)


@dataclass(frozen=True, slots=True)
class LibrarySettings:
    """`library:` of the watchlist: the papers its user reads or wrote."""

    bibtex: tuple[str, ...] = ()  # .bib files, as written (~ and relative to the watchlist)
    zotero: ZoteroSettings | None = None
    orcid: tuple[str, ...] = ()  # the user's own papers, through OpenAlex
    openalex: tuple[str, ...] = ()  # OpenAlex author ids, "A5023888391"

    @property
    def configured(self) -> bool:
        return bool(self.bibtex or self.zotero or self.orcid or self.openalex)


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None
    name: str
    topics: tuple[Topic, ...]
    exclude: tuple[str, ...] = ()  # phrases that drop a paper whatever caught it
    announce_types: tuple[AnnounceType, ...] = ("new", "cross")
    weights: Weights = field(default_factory=Weights)
    author_window_days: int = 7
    # How far back bioRxiv, medRxiv and journals are read: since the last run, at most this.
    source_window_days: int = 3
    # A run without --since also shows the announcement days missed since the newest cached
    # day, up to this many days back (radar.catchup); 0: off.
    catch_up: int = 0
    similar_to: tuple[str, ...] = ()  # arXiv ids whose abstracts define "similar"
    endpoints: Endpoints = field(default_factory=Endpoints)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    briefing: BriefingSettings = field(default_factory=BriefingSettings)
    library: LibrarySettings = field(default_factory=LibrarySettings)
    language: str = "en"  # what radar writes in: its pages' labels (BCP 47 tag or a name)

    @property
    def categories(self) -> tuple[str, ...]:
        """Every watched category, once, in first-seen order."""
        return tuple(dict.fromkeys(c for t in self.topics for c in t.categories))

    @property
    def authors(self) -> tuple[WatchedAuthor, ...]:
        return tuple(dict.fromkeys(a for t in self.topics for a in t.authors))


# -- the plain form -----------------------------------------------------------------------


def config_to_plain(config: Config) -> dict[str, Any]:
    """`config` as JSON-ready values: tuples become lists, the path a string."""
    plain = asdict(config)
    plain["path"] = str(config.path) if config.path is not None else None
    return plain


def config_from_plain(plain: Mapping[str, Any]) -> Config:
    """The Config that config_to_plain() gave `plain`; KeyError/TypeError if it is not one."""
    briefing = dict(plain["briefing"])
    briefing["prices"] = tuple((model, Price(*price)) for model, price in briefing["prices"])
    return Config(
        path=Path(plain["path"]) if plain["path"] is not None else None,
        name=plain["name"],
        topics=tuple(_topic(t) for t in plain["topics"]),
        exclude=tuple(plain["exclude"]),
        announce_types=tuple(plain["announce_types"]),
        weights=Weights(**plain["weights"]),
        author_window_days=plain["author_window_days"],
        source_window_days=plain["source_window_days"],
        catch_up=plain["catch_up"],
        similar_to=tuple(plain["similar_to"]),
        endpoints=Endpoints(**plain["endpoints"]),
        network=NetworkSettings(**plain["network"]),
        briefing=BriefingSettings(**briefing),
        library=_library(plain["library"]),
        language=plain["language"],
    )


def _library(plain: Mapping[str, Any]) -> LibrarySettings:
    zotero = plain["zotero"]
    return LibrarySettings(
        bibtex=tuple(plain["bibtex"]),
        zotero=ZoteroSettings(**zotero) if zotero is not None else None,
        orcid=tuple(plain["orcid"]),
        openalex=tuple(plain["openalex"]),
    )


def _topic(plain: Mapping[str, Any]) -> Topic:
    return Topic(
        name=plain["name"],
        categories=tuple(plain["categories"]),
        authors=tuple(
            WatchedAuthor(a["name"], tuple(a["aliases"]), a["orcid"], a["openalex"])
            for a in plain["authors"]
        ),
        keywords=tuple(plain["keywords"]),
        exclude=tuple(plain["exclude"]),
        biorxiv=tuple(plain["biorxiv"]),
        medrxiv=tuple(plain["medrxiv"]),
        journals=tuple(Journal(j["issn"], j["name"]) for j in plain["journals"]),
    )
