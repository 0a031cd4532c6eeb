"""arXiv's daily announcement feed (rss.arxiv.org): one request for every watched category."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

import httpx

from radar.errors import ConfigError, SourceError
from radar.models import ANNOUNCE_TYPES, AnnounceType, Paper
from radar.names import decode_tex, split_authors
from radar.polite import Pacer, Sleep, WaitBudget
from radar.sources.http import get_with_retries
from radar.sources.xmlguard import RefusedXmlError, screen
from radar.watchlist import NetworkSettings

_NS = {
    "arxiv": "http://arxiv.org/schemas/atom",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# "arXiv:2411.17700v1 Announce Type: new \nAbstract: ..." starts every description.
# Versions are bounded: int() refuses thousands of digits, and no paper has a v1000000.
_PREFIX = re.compile(
    r"^\s*arXiv:(?P<id>\S+?)v(?P<version>\d{1,6})\s+Announce Type:\s*(?P<type>[\w-]+)\s*"
    r"(?:Abstract:\s*)?",
)
_GUID = re.compile(r"(?:oai:arXiv\.org:)?(?P<id>.+?)v(?P<version>\d{1,6})$")
_ABS_LINK = re.compile(r"arxiv\.org/abs/(?P<id>[^\s?#]+?)(?:v(?P<version>\d{1,6}))?$")
_QUOTED = re.compile(r"'([^']+)'")
# A feed error's text is quoted in radar's error line. XML cannot carry ESC, but it can
# carry the 8-bit (C1) forms of terminal sequences and bidi overrides: those are removed,
# a terminated sequence whole, so the quote cannot act on the user's terminal.
_C1_SEQUENCE = re.compile(r"\x9b[0-?]*[ -/]*[@-~]|[\x90\x98\x9d\x9e\x9f][^\x80-\x9f]*\x9c")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class FeedDay:
    """What the feed said: the announcement day and its papers (empty on skip days)."""

    announced: date | None
    papers: tuple[Paper, ...]
    skip_days: tuple[str, ...] = ()


class FeedQueryError(ValueError):
    """The feed answered "Feed error for query": a category it does not know."""

    def __init__(self, detail: str, names: tuple[str, ...]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.names = names


class MalformedFeedError(ValueError):
    """The body is not an arXiv RSS feed (an HTML error page, truncated XML ...)."""


def feed_url(base_url: str, categories: tuple[str, ...]) -> str:
    return base_url.rstrip("/") + "/" + "+".join(categories)


def parse_feed(body: bytes) -> FeedDay:
    """Parse an announcement feed; raises FeedQueryError or MalformedFeedError, nothing else."""
    try:
        # Screened text, not bytes, goes to the parser: it then cannot be talked into
        # another encoding, and no DTD (entity bombs, external entities) reaches it.
        root = ET.fromstring(screen(body))
    except RefusedXmlError as exc:
        raise MalformedFeedError(str(exc)) from None
    except ET.ParseError as exc:
        raise MalformedFeedError(f"the answer is not valid XML ({exc})") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise MalformedFeedError(f"the answer is not an RSS feed (root element <{root.tag}>)")
    title = channel.findtext("title") or ""
    if title.startswith("Feed error for query"):
        detail = _quotable(" ".join((channel.findtext("description") or title).split()))
        names = tuple(n for n in _QUOTED.findall(detail.split(".")[0]))
        raise FeedQueryError(detail, names)
    announced = _parse_date(channel.findtext("pubDate"))
    skip_days = tuple(d.text.strip() for d in channel.iterfind("skipDays/day") if d.text)
    papers: dict[str, Paper] = {}
    for item in channel.iterfind("item"):
        paper = _parse_item(item, announced)
        if paper is not None:
            papers.setdefault(paper.arxiv_id, paper)  # an id twice: the first item counts
    return FeedDay(announced=announced, papers=tuple(papers.values()), skip_days=skip_days)


def _quotable(text: str) -> str:
    return _CONTROLS.sub("", _C1_SEQUENCE.sub("", text))


def _parse_item(item: ET.Element, channel_day: date | None) -> Paper | None:
    description = item.findtext("description") or ""
    prefix = _PREFIX.match(description)
    ident = _identify(item, prefix)
    if ident is None:
        return None  # an item without any arXiv id cannot be shown or linked
    arxiv_id, version = ident
    raw_type = item.findtext("arxiv:announce_type", namespaces=_NS) or (
        prefix.group("type") if prefix else "new"
    )
    if raw_type not in ANNOUNCE_TYPES:
        # A type arXiv adds one day cannot be guessed: read as `new` or `replace` it would
        # put a wrong label and weight on the card. Left out, like an item without an id.
        return None
    announce_type: AnnounceType = raw_type
    abstract = description[prefix.end() :] if prefix else description
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=_one_line(decode_tex(item.findtext("title") or "")),
        authors=split_authors(item.findtext("dc:creator", namespaces=_NS) or ""),
        abstract=decode_tex(abstract.strip()),
        categories=tuple(
            dict.fromkeys(c.text.strip() for c in item.iterfind("category") if c.text)
        ),
        announce_type=announce_type,
        announced=_parse_date(item.findtext("pubDate")) or channel_day,
        doi=_clean_optional(item.findtext("arxiv:DOI", namespaces=_NS)),
        journal_ref=_clean_optional(item.findtext("arxiv:journal_reference", namespaces=_NS)),
        source="feed",
    )


def _identify(item: ET.Element, prefix: re.Match[str] | None) -> tuple[str, int] | None:
    if prefix:
        return prefix.group("id"), int(prefix.group("version"))
    guid = _GUID.match((item.findtext("guid") or "").strip())
    if guid:
        return guid.group("id"), int(guid.group("version"))
    link = _ABS_LINK.search((item.findtext("link") or "").strip())
    if link:
        return link.group("id"), int(link.group("version") or 1)
    return None


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        # The feed's dates are midnight US Eastern: the date as written is arXiv's day.
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean_optional(value: str | None) -> str | None:
    value = _one_line(value or "")
    return value or None


class ArxivFeed:
    """Fetches and parses the announcement feed for a set of categories."""

    def __init__(
        self,
        client: httpx.Client,
        base_url: str,
        *,
        pacer: Pacer,
        budget: WaitBudget,
        retries: int,
        timeout: float | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        """`timeout` caps each whole request; by default the client's read timeout."""
        self._client = client
        self._base_url = base_url
        self._pacer = pacer
        self._budget = budget
        self._retries = retries
        self._timeout = timeout or client.timeout.read or NetworkSettings().timeout
        self._sleep = sleep

    def fetch(self, categories: tuple[str, ...]) -> FeedDay:
        url = feed_url(self._base_url, categories)
        response = get_with_retries(
            self._client,
            url,
            what="fetching arXiv's announcement feed",
            pacer=self._pacer,
            budget=self._budget,
            retries=self._retries,
            timeout=self._timeout,
            sleep=self._sleep,
        )
        try:
            return parse_feed(response.body)
        except FeedQueryError as exc:
            named = ", ".join(exc.names) or "+".join(categories)
            raise ConfigError(
                f"arXiv's feed does not know the category {named}: {exc.detail}",
                hint="fix the category in your watchlist; `radar categories` lists valid codes",
            ) from None
        except MalformedFeedError as exc:
            raise SourceError(
                f"arXiv's announcement feed gave an unusable answer: {exc}",
                hint="arXiv may be having trouble; try again later, or use --offline",
            ) from None
