"""Helpers for the fault tests: feeds and API pages derived from the real captures, hostile
variants of them, small network settings, and running radar as a separate process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from conftest import API_SEARCH, DEMO_FEED, Outcome
from loopback import Answer, Loopback, fixture, refused_url

# Small numbers so a failing arXiv costs seconds, not minutes.
TIMEOUT = 1.0
MAX_WAIT = 2.0
FAST = f"network: {{timeout: {TIMEOUT:g}, retries: 1, max_wait: {MAX_WAIT:g}, spacing: 0}}\n"
# For cases that must retry once after a 2 s backoff (the first backoff step).
RETRYING = f"network: {{timeout: {TIMEOUT:g}, retries: 1, max_wait: 3, spacing: 0}}\n"

# A bound looser than the documented one (docs/reliability.md: max_wait + timeout, since
# no source starts a request once the run's budget is spent; tests/test_run_budget.py
# checks that one). One second of slack covers start-up and the slowest CI machine.
RUN_BOUND = MAX_WAIT + 3 * TIMEOUT + 1.0

CATEGORIES = "categories: [eess.SP, cs.LG, quant-ph]\nkeywords: [EEG, anomaly detection]\n"
FEED_WATCHLIST = "name: Faults\n" + CATEGORIES + FAST
AUTHORS_WATCHLIST = "name: Authors\nauthors: [Olga Fink, Aurora Ramirez]\n" + FAST

REAL_FEED = fixture(DEMO_FEED)
REAL_API_PAGE = fixture(API_SEARCH)
# The captured day's papers FEED_WATCHLIST catches, best first.
FEED_CAUGHT = ["2411.17705", "2411.17702", "2411.17707", "2411.17703", "2411.16552"]
EEG_ID = "2411.17705"  # the captured item every hostile-text feed rewrites

_ITEM = re.compile(rb"[ \t]*<item>.*?</item>\n?", re.S)
_ENTRY = re.compile(rb"[ \t]*<entry>.*?</entry>\n?", re.S)


def write_watchlist(directory: Path, text: str, name: str = "radar.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# -- announcement feeds ------------------------------------------------------------------


def feed_items(feed: bytes = REAL_FEED) -> tuple[bytes, list[bytes], bytes]:
    """(everything before the first item, the items, everything after the last)."""
    items = _ITEM.findall(feed)
    first, last = feed.index(items[0]), feed.rindex(items[-1]) + len(items[-1])
    return feed[:first], items, feed[last:]


def build_feed(items: Iterable[bytes], feed: bytes = REAL_FEED) -> bytes:
    head, _, tail = feed_items(feed)
    return head + b"".join(items) + tail


def item_id(item: bytes) -> str:
    found = re.search(rb"<link>https://arxiv\.org/abs/([^<]+)</link>", item)
    assert found, item[:200]
    return found.group(1).decode()


def renumber(item: bytes, new_id: str) -> bytes:
    """The item with every mention of its id (link, description, guid) replaced."""
    return item.replace(item_id(item).encode(), new_id.encode())


def huge_feed(count: int) -> bytes:
    """`count` real items, cycled through and renumbered 2411.20000, 2411.20001, ..."""
    _, items, _ = feed_items()
    return build_feed(
        renumber(items[i % len(items)], f"2411.{20000 + i:05d}") for i in range(count)
    )


def xml_text(text: str) -> bytes:
    """`text` as XML character data: markup characters escaped, C1 controls as references."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = re.sub("[\x7f-\x9f]", lambda m: f"&#{ord(m.group())};", escaped)
    return escaped.encode("utf-8")


def rewrite_item(
    arxiv_id: str,
    *,
    title: bytes | None = None,
    abstract: bytes | None = None,
    creator: bytes | None = None,
    feed: bytes = REAL_FEED,
) -> bytes:
    """The feed with one item's title, abstract and/or creator replaced by raw XML bytes."""
    head, items, tail = feed_items(feed)
    out = []
    for item in items:
        if item_id(item) == arxiv_id:
            if title is not None:
                item = re.sub(
                    rb"<title>.*?</title>",
                    lambda _: b"<title>" + title + b"</title>",
                    item,
                    flags=re.S,
                )
            if abstract is not None:
                item = re.sub(
                    rb"(Abstract: ).*?(</description>)",
                    lambda m: m.group(1) + abstract + m.group(2),
                    item,
                    flags=re.S,
                )
            if creator is not None:
                item = re.sub(
                    rb"<dc:creator>.*?</dc:creator>",
                    lambda _: b"<dc:creator>" + creator + b"</dc:creator>",
                    item,
                    flags=re.S,
                )
        out.append(item)
    return head + b"".join(out) + tail


def with_dtd(feed: bytes, dtd: bytes, reference: bytes) -> bytes:
    """The feed with a DOCTYPE after its XML declaration and `reference` in the first title."""
    declaration_end = feed.index(b"?>") + 2
    feed = feed[:declaration_end] + b"\n" + dtd + feed[declaration_end:]
    return feed.replace(b"<item>\n      <title>", b"<item>\n      <title>" + reference, 1)


def _laughs() -> bytes:
    lines = [b"<!DOCTYPE rss [", b'  <!ENTITY lol0 "lol">']
    for n in range(1, 10):  # lol9 would be 10**9 "lol"s: three gigabytes
        lines.append(f'  <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode())
    return b"\n".join([*lines, b"]>"])


BILLION_LAUGHS = _laughs()


def xxe(path: Path, root: bytes = b"rss") -> bytes:
    return (
        b"<!DOCTYPE "
        + root
        + b' [\n  <!ENTITY xxe SYSTEM "file://'
        + str(path).encode()
        + b'">\n]>'
    )


# -- export API pages ---------------------------------------------------------------------


def api_page(body: bytes = REAL_API_PAGE) -> bytes:
    """A captured search page made whole: totalResults says 10, as many as it holds."""
    return re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>10<", body)


def api_page_without_entries() -> bytes:
    """arXiv's flaky answer: the header says 10 results, the page holds none."""
    return _ENTRY.sub(b"", api_page())


RAMIREZ_ID = "2405.13786"  # the API page's paper by Aurora Ramírez, a watched author


def api_page_with_title(raw_title: bytes, arxiv_id: str = RAMIREZ_ID) -> bytes:
    """The whole page with one entry's title replaced by raw XML bytes."""
    pattern = rb"(<id>http://arxiv\.org/abs/" + re.escape(arxiv_id.encode())
    pattern += rb"v\d+</id>\s*<title>)[^<]*(</title>)"
    page, count = re.subn(pattern, lambda m: m.group(1) + raw_title + m.group(2), api_page())
    assert count == 1, arxiv_id
    return page


# -- the fault catalogue ----------------------------------------------------------------

HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head></html>"
SECRET = "radar-test-secret-4b1d"  # what an external entity tries to read
SECRET_PATH = "/radar-secret-placeholder"  # replaced by the real file's path when armed


def http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


# Made into an HTTP date when the fault is armed, not when the catalogue is built: a
# full suite can take minutes to reach a test, and the date must still be an hour away.
AN_HOUR_AWAY = "radar-test-http-date-an-hour-from-now"


def _dated(answer: Answer) -> dict[str, str]:
    return {k: http_date(3600) if v == AN_HOUR_AWAY else v for k, v in answer.headers.items()}


@dataclass(frozen=True)
class Fault:
    name: str
    answers: tuple[Answer, ...]  # what the server says, in turn (the last repeats)
    says: str  # a regex the one line about the failure must match
    tries: int = 1  # requests the server sees before radar gives up
    refused: bool = False  # nothing listens at all

    def arm(
        self, server: Loopback, route: str, env: str, secret: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Make `route` (or, for `refused`, the URL in $`env`) misbehave this way."""
        if self.refused:
            monkeypatch.setenv(env, refused_url() + route)
            return
        real = str(secret).encode()
        server.route(
            route,
            *(
                replace(a, body=a.body.replace(SECRET_PATH.encode(), real), headers=_dated(a))
                for a in self.answers
            ),
        )


def catalogue(good: bytes, root: bytes) -> list[Fault]:
    """Every network fault, for a source whose good answer is `good` (root element `root`)."""
    over = r"; not retried: waiting {}s more would pass network\.max_wait \(2s"
    bomb = with_dtd(good, BILLION_LAUGHS, b"&lol9;")
    utf16 = bomb.replace(b"UTF-8", b"UTF-16", 1).decode("utf-8").encode("utf-16")
    spy = with_dtd(good, xxe(Path(SECRET_PATH), root), b"&xxe;")
    third = len(good) // 3
    return [
        Fault("429 Retry-After seconds", (Answer(429, headers={"Retry-After": "120"}),),
              "HTTP 429" + over.format("120")),
        Fault("429 Retry-After date", (Answer(429, headers={"Retry-After": AN_HOUR_AWAY}),),
              "HTTP 429" + over.format(r"3[56]\d\d")),
        Fault("429 without Retry-After", (Answer(429),), "HTTP 429" + over.format("2")),
        Fault("503 retried at once", (Answer(503, headers={"Retry-After": "0"}),), "HTTP 503",
              tries=2),
        Fault("500", (Answer(500),), "HTTP 500" + over.format("2")),
        Fault("406 is not retried", (Answer(406),), "HTTP 406(?!; not retried)"),
        Fault("connection refused", (), r"connection failed \(ConnectError\)", tries=0,
              refused=True),
        Fault("reset midway", (Answer(body=good, cut=third, reset=True),),
              r"connection failed \((ReadError|RemoteProtocolError)\)"),
        Fault("never answers", (Answer(stall=60),), r"timed out \(no complete answer within 1s\)"),
        Fault("trickles its body", (Answer(body=good, trickle=0.05),), "timed out"),
        Fault("trickles its headers", (Answer(body=good, trickle_headers=True),), "timed out"),
        Fault("200 with an HTML page", (Answer(body=HTML_PAGE, content_type="text/html"),),
              "the answer is an HTML page"),
        Fault("200 with truncated XML", (Answer(body=good[: len(good) // 2]),),
              "not valid XML|cut short"),
        Fault("200 with an empty body", (Answer(body=b""),), "not valid XML|not an Atom feed"),
        Fault("billion laughs", (Answer(body=bomb),), "declares a DTD"),
        Fault("external entity", (Answer(body=spy),), "declares a DTD"),
        Fault("UTF-16 hides a DTD", (Answer(body=utf16),), "not UTF-8"),
    ]  # fmt: skip


# -- checking a run ------------------------------------------------------------------------

OLD_DIGEST = "# yesterday's digest\n"


def timed(run: Callable[..., Outcome], *args: str) -> tuple[Outcome, float]:
    started = time.monotonic()
    result = run(*args)
    return result, time.monotonic() - started


def lines_matching(text: str, pattern: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(pattern, line)]


def only_files(directory: Path, *names: str) -> None:
    """Nothing else (a temporary digest, a partial one) was left in `directory`."""
    assert sorted(p.name for p in directory.iterdir()) == sorted(names)


# -- radar as a separate process ----------------------------------------------------------


@dataclass(frozen=True)
class Finished:
    code: int
    out: str
    err: str
    seconds: float


def radar_env(home: Path, **radar: str) -> dict[str, str]:
    """The environment of a radar process: the test's home, no real keys or endpoints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RADAR_", "ANTHROPIC_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        COLUMNS="100",
        PYTHONUNBUFFERED="1",
    )
    env.update({f"RADAR_{k.upper()}": v for k, v in radar.items()})
    return env


def start_radar(args: Iterable[str], env: Mapping[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "radar", *args],
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def finish(process: subprocess.Popen[str], started: float, timeout: float = 30) -> Finished:
    out, err = process.communicate(timeout=timeout)
    return Finished(process.returncode, out, err, time.monotonic() - started)


def wait_until(condition: object, timeout: float = 15.0) -> None:
    """Poll `condition()` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the condition")
        time.sleep(0.02)
