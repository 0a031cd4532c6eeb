"""`radar today --output-dir DIR --format html|atom`: DIR/index.html of the dated pages, and
DIR/feed.xml, a rolling Atom feed of the newest dated feeds (never a new fetch)."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from radar.cli.app import say
from radar.output import write_atomically

_PAGE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.html")
_FEED_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.atom")
_HEAD_BYTES = 8192  # a page's meta tags come first, before its style


def update_html_index(folder: Path, language: str) -> None:
    """Rebuild DIR/index.html from the dated pages in DIR (newest first)."""
    from radar.render.html import IndexEntry, render_index

    entries = [
        IndexEntry(day, path.name, _page_summary(path)) for day, path in _dated(folder, _PAGE_NAME)
    ]
    write_atomically(folder / "index.html", render_index(entries, language=language))


def update_feed(folder: Path) -> None:
    """Rebuild DIR/feed.xml from the newest FEED_DAYS readable dated feeds in DIR."""
    from radar.render.atom import FEED_DAYS, rolling_feed
    from radar.sources.xmlguard import RefusedXmlError, screen

    texts: list[str] = []
    for _, path in sorted(_dated(folder, _FEED_NAME), reverse=True):
        if len(texts) == FEED_DAYS:
            break
        try:
            text = screen(path.read_bytes())
            rolling_feed([text])  # checks it is a feed, before it joins the others
        except (OSError, ValueError, RefusedXmlError) as exc:
            say(f"warning: {path} is left out of feed.xml: {exc}")
            continue
        texts.append(text)
    write_atomically(folder / "feed.xml", rolling_feed(texts, self_href="feed.xml"))


def _dated(folder: Path, pattern: re.Pattern[str]) -> list[tuple[date, Path]]:
    found = []
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        try:
            found.append((date.fromisoformat(match[1]), path))
        except ValueError:  # 2024-13-45.html: not one of ours
            continue
    return found


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = dict(attrs)
            name, content = values.get("name"), values.get("content")
            if name and content is not None:
                self.meta.setdefault(name, content)


def _page_summary(path: Path) -> str:
    """The counts line radar wrote into the page's head; "" for a page without one."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return ""
    parser = _Meta()
    parser.feed(head.split("<style", 1)[0])
    return parser.meta.get("radar-counts", "")
