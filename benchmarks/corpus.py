"""Benchmark inputs built from real captured arXiv answers (tests/fixtures), never invented.

A day of N papers is made of the 21 items of arXiv's real announcement feed of 2024-11-28:
each item is copied, given a new id, and its authors and title are varied deterministically
(surnames and one title word swapped with those of other real items), so the day has many
distinct names and titles while every abstract, category set and feed field stays real.
"""

from __future__ import annotations

import copy
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from pathlib import Path

from radar.models import Paper
from radar.names import split_authors
from radar.sources.arxiv_feed import parse_feed

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DAY_FEED = FIXTURES / "arxiv-rss" / "rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml"
API_SEARCH = FIXTURES / "arxiv-api" / "api-2026-search-all_testing-10-entries-doi-journal_ref.xml"
API_ID = FIXTURES / "arxiv-api" / "api-2026-id_list-1605.08386-math.CO-two-categories.xml"

DC = "http://purl.org/dc/elements/1.1/"
ARXIV = "http://arxiv.org/schemas/atom"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("arxiv", ARXIV)
ET.register_namespace("dc", DC)
ET.register_namespace("atom", "http://www.w3.org/2005/Atom")
ET.register_namespace("content", "http://purl.org/rss/1.0/modules/content/")
ET.register_namespace("opensearch", "http://a9.com/-/spec/opensearch/1.1/")

# Categories, authors and keywords that occur in the captured day.
CATEGORIES = ("cs.LG", "eess.SP", "cs.AI", "stat.ML", "quant-ph")
KEYWORDS = (
    "anomaly detection",
    "fault diagnosis",
    "EEG",
    "electrocardiogram",
    "domain adaptation",
    "dark energy",
    "neutron star",
    "quantum circuits",
    "adversarial attacks",
    "video decompression",
    "energy harvesting",
    "self-supervised",
    "transformer",
    "numerical relativity",
    "dark matter",
    "synchrotron",
    "hyperbolic surfaces",
    "personalization",
    "spaceflight",
    "generative AI",
    "digital humanities",
    "topological bands",
    "Trotter",
    "dilated CNN",
    "Bayesian",
)


def new_id(index: int) -> str:
    # 2411.20000 ... : new-style ids that the captured day does not use.
    return f"{2411 + index // 80_000}.{20_000 + index % 80_000:05d}"


@cache
def _real_items() -> tuple[ET.Element, ...]:
    root = ET.fromstring(DAY_FEED.read_bytes())
    channel = root.find("channel")
    assert channel is not None
    return tuple(channel.iterfind("item"))


@cache
def _name_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(given-name parts, surnames) of every real author of the captured day."""
    given: dict[str, None] = {}
    surnames: dict[str, None] = {}
    for item in _real_items():
        for name in split_authors(item.findtext(f"{{{DC}}}creator") or ""):
            first, _, last = name.rpartition(" ")
            if first:
                given[first] = None
            surnames[last] = None
    return tuple(given), tuple(surnames)


@cache
def _title_words() -> tuple[str, ...]:
    words: dict[str, None] = {}
    for item in _real_items():
        for word in (item.findtext("title") or "").split():
            if word.isalpha() and len(word) > 3:
                words[word] = None
    return tuple(words)


def _vary_authors(real: tuple[str, ...], rng: random.Random) -> list[str]:
    given, surnames = _name_pools()
    names = []
    for name in real:
        first = name.rpartition(" ")[0] or rng.choice(given)
        if rng.random() < 0.5:
            first = rng.choice(given)
        if rng.random() < 0.3:
            first += f" {chr(65 + rng.randrange(26))}."
        names.append(f"{first} {rng.choice(surnames)}")
    return names


def _vary_title(title: str, rng: random.Random) -> str:
    words = title.split()
    spot = rng.randrange(len(words))
    if words[spot].isalpha() and len(words[spot]) > 3:
        words[spot] = rng.choice(_title_words())
    return " ".join(words)


def feed_xml(count: int, seed: int = 2024) -> bytes:
    """The captured feed with `count` items made from its real ones (ids renumbered)."""
    root = ET.fromstring(DAY_FEED.read_bytes())
    channel = root.find("channel")
    assert channel is not None
    real = list(channel.iterfind("item"))
    for item in real:
        channel.remove(item)
    rng = random.Random(seed)
    for index in range(count):
        item = copy.deepcopy(real[index % len(real)])
        old = _item_id(item)
        new = new_id(index)
        for tag in ("link", "guid"):
            node = item.find(tag)
            if node is not None and node.text:
                node.text = node.text.replace(old, new)
        description = item.find("description")
        assert description is not None and description.text
        description.text = description.text.replace(f"arXiv:{old}v", f"arXiv:{new}v", 1)
        title = item.find("title")
        assert title is not None and title.text
        title.text = _vary_title(title.text, rng)
        creator = item.find(f"{{{DC}}}creator")
        assert creator is not None and creator.text
        creator.text = ", ".join(_vary_authors(split_authors(creator.text), rng))
        channel.append(item)
    return b"<?xml version='1.0' encoding='UTF-8'?>\n" + ET.tostring(root, encoding="utf-8")


def _item_id(item: ET.Element) -> str:
    match = re.search(r"arXiv:(\S+?)v\d+", item.findtext("description") or "")
    assert match is not None
    return match.group(1)


def papers(count: int, seed: int = 2024) -> tuple[Paper, ...]:
    """`count` Paper values made like feed_xml's items, without building XML (for 100k)."""
    real = parse_feed(DAY_FEED.read_bytes()).papers
    rng = random.Random(seed)
    made = []
    for index in range(count):
        base = real[index % len(real)]
        authors = tuple(_vary_authors(base.authors, rng))
        made.append(
            replace(
                base,
                arxiv_id=new_id(index),
                title=_vary_title(base.title, rng),
                authors=authors,
            )
        )
    return tuple(made)


def watched_authors(count: int, seed: int = 7) -> list[str]:
    """`count` distinct names made like the day's authors (some will be on papers, most not)."""
    given, surnames = _name_pools()
    rng = random.Random(seed)
    chosen: dict[str, None] = {}
    while len(chosen) < count:
        chosen[f"{rng.choice(given)} {rng.choice(surnames)}"] = None
    return list(chosen)


def keywords(count: int) -> list[str]:
    """`count` keyword phrases: the real ones above, then real title bigrams."""
    found = dict.fromkeys(KEYWORDS)
    words = _title_words()
    pairs = (
        (a, b) for step in range(1, len(words)) for a, b in zip(words, words[step:], strict=False)
    )
    while len(found) < count:
        first, second = next(pairs)
        found[f"{first} {second}"] = None
    return list(found)[:count]


def watchlist_yaml(
    *,
    categories: tuple[str, ...] = CATEGORIES,
    authors: list[str] | None = None,
    keywords: list[str] | None = None,
    similar_to: list[str] | None = None,
    spacing: float = 0,
) -> str:
    lines = ["name: Benchmark radar", f"categories: [{', '.join(categories)}]"]
    if authors:
        lines.append("authors:")
        lines += [f"  - {name}" for name in authors]
    if keywords:
        lines.append("keywords:")
        lines += [f"  - {phrase}" for phrase in keywords]
    if similar_to:
        lines.append(f"similar_to: [{', '.join(similar_to)}]")
    lines += ["network:", f"  spacing: {spacing}", "  max_wait: 5", "  retries: 0"]
    return "\n".join(lines) + "\n"


def author_search_answer() -> bytes:
    """The captured 10-entry search page, its totalResults set to 10 so it is a whole answer."""
    body = API_SEARCH.read_bytes()
    return re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>10<", body)


def id_list_answer(ids: list[str]) -> bytes:
    """An id_list answer holding one entry per id: the captured entry, renumbered."""
    body = API_ID.read_text(encoding="utf-8")
    head, entry, tail = re.split(r"(?s)(  <entry>.*?</entry>\n)", body)
    head = re.sub(
        r"<opensearch:(totalResults|itemsPerPage)>\d+<", rf"<opensearch:\1>{len(ids)}<", head
    )
    entries = "".join(entry.replace("1605.08386", arxiv_id) for arxiv_id in ids)
    return (head + entries + tail).encode("utf-8")
