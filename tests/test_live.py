"""Opt-in smoke tests against the real services (`python -m pytest -m live`; never in CI):
do the answers recorded in tests/fixtures still have the shapes the services give today?

Each test makes one request to one host, with radar's User-Agent. A failure here means a
service changed what it sends (or there is no network): re-record the fixture and check
the parser, rather than editing the test. Plain `pytest` deselects these (pyproject's
addopts has `-m "not live"`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from loopback import fixture
from radar import __version__
from radar.sources.arxiv_feed import parse_feed
from radar.sources.openalex_works import rebuild_abstract

pytestmark = pytest.mark.live

HEADERS = {"User-Agent": f"radar/{__version__} (live smoke test of recorded fixtures)"}
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "http://arxiv.org/schemas/atom"
ANNOUNCE_TYPES = {"new", "cross", "replace", "replace-cross"}


def get(url: str) -> httpx.Response:
    response = httpx.get(url, headers=HEADERS, timeout=30, follow_redirects=True)
    response.raise_for_status()
    return response


def item_tags(body: bytes) -> set[str]:
    root = ET.fromstring(body)
    return {child.tag for item in root.iter("item") for child in item}


def entry_tags(body: bytes) -> set[str]:
    root = ET.fromstring(body)
    return {child.tag for entry in root.iter(f"{ATOM}entry") for child in entry}


def test_the_announcement_feed_has_the_recorded_shape() -> None:
    recorded = fixture("arxiv-rss/rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml")
    live = get("https://rss.arxiv.org/rss/cs.LG").content
    day = parse_feed(live)  # raises on anything radar cannot read
    root = ET.fromstring(live)
    assert root.tag == "rss" and root.find("channel") is not None
    if not day.papers:  # a weekend or holiday: an empty channel that says so
        assert day.skip_days or not list(root.iter("item"))
        return
    # Every element radar reads from an item is still there.
    optional = {f"{{{ARXIV}}}DOI", f"{{{ARXIV}}}journal_reference"}  # only some papers
    assert item_tags(recorded) <= item_tags(live) | optional
    for item in root.iter("item"):
        description = item.findtext("description") or ""
        assert description.startswith("arXiv:"), description[:80]
        assert "Announce Type:" in description.split("\n", 1)[0]
        kind = item.findtext(f"{{{ARXIV}}}announce_type")
        assert kind in ANNOUNCE_TYPES, kind
    assert {p.announce_type for p in day.papers} <= ANNOUNCE_TYPES
    assert all(p.arxiv_id and p.title and p.authors and p.categories for p in day.papers)


def test_the_export_api_answers_an_id_as_recorded() -> None:
    recorded = fixture("arxiv-api/api-2026-id_list-1605.08386-math.CO-two-categories.xml")
    live = get("https://export.arxiv.org/api/query?id_list=1605.08386&max_results=1").content
    assert entry_tags(recorded) <= entry_tags(live)

    def first(body: bytes, tag: str) -> str:
        entry = next(ET.fromstring(body).iter(f"{ATOM}entry"))
        return " ".join((entry.findtext(f"{ATOM}{tag}") or "").split())

    for tag in ("id", "title", "published"):
        assert first(live, tag) == first(recorded, tag), tag


def test_biorxiv_details_have_the_recorded_fields() -> None:
    name = "biorxiv/details-doi-10.1101_456574-two-versions-from-paperview-notebook.json"
    recorded: dict[str, Any] = json.loads(fixture(name))
    live: dict[str, Any] = get("https://api.biorxiv.org/details/biorxiv/10.1101/456574").json()
    assert set(recorded) <= set(live)
    assert live["collection"], live.get("messages")
    assert set(recorded["collection"][0]) <= set(live["collection"][0])
    assert live["collection"][0]["doi"] == recorded["collection"][0]["doi"]


def test_an_openalex_work_has_the_recorded_fields() -> None:
    name = (
        "openalex/"
        "work-W1982728624-doi-10.1371-journal.pone.0000030-abstract-inverted-index.body.json"
    )
    recorded: dict[str, Any] = json.loads(fixture(name))
    live: dict[str, Any] = get("https://api.openalex.org/works/W1982728624").json()
    used = {  # what radar reads (radar/sources/openalex_works.py)
        "id", "doi", "title", "publication_date", "authorships", "primary_location",
        "locations", "abstract_inverted_index",
    }  # fmt: skip
    assert used <= set(recorded)
    assert used <= set(live)
    assert live["doi"] == recorded["doi"]
    assert rebuild_abstract(live["abstract_inverted_index"]) == rebuild_abstract(
        recorded["abstract_inverted_index"]
    )
