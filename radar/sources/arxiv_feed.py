"""arXiv's daily announcement feed (rss.arxiv.org): one request for every watched category."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from functools import partial

import httpx

from radar.errors import ConfigError, SourceError
from radar.models import ANNOUNCE_TYPES, AnnounceType, Paper
from radar.names import decode_tex, split_authors
from radar.polite import Clock, Pacer, Sleep, WaitBudget
from radar.sources.http import get_with_retries
from radar.sources.records import (
    MalformedRecordError,
    guarded,
    plausible_day,
    printable_ident,
)
from radar.sources.xmlguard import RefusedXmlError, screen
from radar.watchlist import NetworkSettings

SOURCE = "arXiv feed"
# No announcement can predate arXiv itself (August 1991); a day past tomorrow, by the
# run's clock, cannot have been announced yet.
ARXIV_BEGAN = date(1991, 8, 14)
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
    notices: tuple[str, ...] = ()  # items skipped as malformed, one line each


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
    try:
        announced = _parse_date(channel.findtext("pubDate"))
    except MalformedRecordError as exc:
        raise MalformedFeedError(f"the channel's {exc}") from None
    skip_days = tuple(d.text.strip() for d in channel.iterfind("skipDays/day") if d.text)
    papers: dict[str, Paper] = {}
    notices: list[str] = []
    items = channel.findall("item")
    for item in items:
        ident = printable_ident(item.findtext("guid") or item.findtext("link") or "")
        paper = guarded(SOURCE, ident, partial(_parse_item, item, announced), notices)
        if paper is not None:
            papers.setdefault(paper.arxiv_id, paper)  # an id twice: the first item counts
    if items and not papers:
        # Items that exist but cannot be read are not a holiday: a format change at
        # arXiv must be an error, never an empty day cached as fresh.
        first = notices[0].removeprefix(f"warning: {SOURCE}: ") if notices else "no reason given"
        raise MalformedFeedError(f"none of its {len(items)} items could be read ({first})")
    return FeedDay(
        announced=announced,
        papers=tuple(papers.values()),
        skip_days=skip_days,
        notices=tuple(notices),
    )


def check_day(announced: date | None, today: date) -> None:
    """MalformedFeedError unless the feed's day can be an announcement seen `today`.

    Tomorrow is allowed: the feed turns over at Eastern midnight, and a clock a little
    behind arXiv's may see the new day early.
    """
    if announced is None:
        return
    if announced > today + timedelta(days=1):
        raise MalformedFeedError(
            f"the feed is dated {announced.isoformat()}, after today ({today.isoformat()})"
        )
    if announced < ARXIV_BEGAN:
        raise MalformedFeedError(
            f"the feed is dated {announced.isoformat()}, before arXiv began "
            f"({ARXIV_BEGAN.isoformat()})"
        )


def _quotable(text: str) -> str:
    return _CONTROLS.sub("", _C1_SEQUENCE.sub("", text))


def _parse_item(item: ET.Element, channel_day: date | None) -> Paper:
    description = item.findtext("description") or ""
    prefix = _PREFIX.match(description)
    ident = _identify(item, prefix)
    if ident is None:  # an item without any arXiv id cannot be shown or linked
        raise MalformedRecordError("it carries no arXiv id")
    arxiv_id, version = ident
    raw_type = item.findtext("arxiv:announce_type", namespaces=_NS) or (
        prefix.group("type") if prefix else "new"
    )
    if raw_type not in ANNOUNCE_TYPES:
        # A type arXiv adds one day cannot be guessed: read as `new` or `replace` it would
        # put a wrong label and weight on the card. Left out with a warning, like an item
        # without an id.
        raise MalformedRecordError(f"announce type {_quotable(raw_type)!r} is unknown")
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
    """An RFC 822 date as arXiv's day; absent is None, anything else MalformedRecordError."""
    if not value or not value.strip():
        return None
    try:
        # The feed's dates are midnight US Eastern: the date as written is arXiv's day.
        day = parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        shown = printable_ident(value, limit=40)
        raise MalformedRecordError(f"pubDate {shown!r} is not a date") from None
    return plausible_day(day, "pubDate")


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
        today: Callable[[], date] | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        """`timeout` caps each whole request; by default the client's read timeout.

        `today` is arXiv's day by the run's clock: a feed dated far from it is refused.
        """
        self._client = client
        self._today = today
        self._clock = clock
        self._base_url = base_url
        self._pacer = pacer
        self._budget = budget
        self._retries = retries
        self._timeout = timeout or client.timeout.read or NetworkSettings().timeout
        self._sleep = sleep

    def fetch(self, categories: tuple[str, ...]) -> FeedDay:
        url = feed_url(self._base_url, categories)
        started, budget_then = self._clock(), self._budget.seconds
        response = get_with_retries(
            self._client,
            url,
            what="fetching arXiv's announcement feed",
            pacer=self._pacer,
            budget=self._budget,
            retries=self._retries,
            timeout=self._timeout,
            sleep=self._sleep,
            clock=self._clock,
        )
        try:
            day = parse_feed(response.body)
            if self._today is not None:
                check_day(day.announced, self._today())
            return day
        except FeedQueryError as exc:
            named = ", ".join(exc.names) or "+".join(categories)
            raise ConfigError(
                f"arXiv's feed does not know the category {named}: {exc.detail}",
                hint="fix the category in your watchlist; `radar categories` lists valid codes",
            ) from None
        except MalformedFeedError as exc:
            # A failed try like any other: its time counts against the run's budget.
            self._budget.charge_since(started, budget_then, self._clock())
            raise SourceError(
                f"arXiv's announcement feed gave an unusable answer: {exc}",
                hint="arXiv may be having trouble; try again later, or use --offline",
            ) from None
