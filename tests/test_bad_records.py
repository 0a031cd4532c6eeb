"""One malformed record never takes the run down (issue 11, item 6).

Each case plants one bad field in one record of a real captured answer (the arXiv
feed, the export API, bioRxiv, OpenAlex, Crossref) and runs `radar today` through the
CLI: the run exits 0, shows the other records, prints exactly one warning naming the
source and the record, and writes its cache (a later `--offline` run works).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from faults_support import (
    AUTHORS_WATCHLIST,
    EEG_ID,
    FEED_CAUGHT,
    FEED_WATCHLIST,
    RAMIREZ_ID,
    api_page,
    feed_items,
    item_id,
    lines_matching,
    write_watchlist,
)
from loopback import Answer, Loopback
from sources_support import (
    BIORXIV_INTERVAL,
    CROSSREF_LIST,
    OPENALEX_WORK,
    biorxiv_pages,
    json_answer,
    load,
    openalex_pages,
    work_variant,
)

ATOM = "application/atom+xml"


def _warnings(err: str) -> list[str]:
    return lines_matching(err, r"^warning: .*skipped the record")


# -- the arXiv announcement feed ---------------------------------------------------------------


def _feed_with(planted: Callable[[bytes], bytes], target: str = EEG_ID) -> bytes:
    head, items, tail = feed_items()
    return head + b"".join(planted(i) if item_id(i) == target else i for i in items) + tail


def _sub(pattern: bytes, replacement: bytes) -> Callable[[bytes], bytes]:
    def plant(item: bytes) -> bytes:
        planted, count = re.subn(pattern, replacement, item, count=1, flags=re.S)
        assert count == 1, pattern
        return planted

    return plant


FEED_FIELDS = {
    "pubDate is a word": _sub(rb"<pubDate>[^<]*</pubDate>", b"<pubDate>yesterday</pubDate>"),
    "pubDate on the 32nd": _sub(
        rb"<pubDate>[^<]*</pubDate>", b"<pubDate>Sat, 32 Nov 2024 00:00:00 -0500</pubDate>"
    ),
    "pubDate in year 9999": _sub(
        rb"<pubDate>[^<]*</pubDate>", b"<pubDate>Fri, 31 Dec 9999 23:59:59 -1200</pubDate>"
    ),
    "an id that is no arXiv id": lambda item: item.replace(
        f"arXiv:{EEG_ID}v1 ".encode(), b"arXiv:../../etc/passwdv1 "
    ),
    "no id anywhere": lambda item: re.sub(
        rb"<link>[^<]*</link>|<guid[^>]*>[^<]*</guid>", b"", item
    ).replace(f"arXiv:{EEG_ID}v1 ".encode(), b""),
}


@pytest.mark.parametrize("plant", FEED_FIELDS.values(), ids=FEED_FIELDS.keys())
def test_a_bad_feed_item_is_skipped_with_one_warning(
    plant: Callable[[bytes], bytes], run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    write_watchlist(isolated_user, FEED_WATCHLIST)
    arxiv.route("/rss/", Answer(body=_feed_with(plant)))
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    shown = [p["id"] for p in json.loads(result.out)["papers"]]
    assert shown == [i for i in FEED_CAUGHT if i != EEG_ID]
    (warning,) = _warnings(result.err)
    assert warning.startswith("warning: arXiv feed: skipped the record ")
    assert "Traceback" not in result.err
    offline = run("today", "--offline", "--format", "json")
    assert offline.code == 0, offline.err
    assert [p["id"] for p in json.loads(offline.out)["papers"]] == shown


# -- the export API -----------------------------------------------------------------------------

OTHER_ID = "2202.12139"  # the captured page's first entry, not by a watched author


def _api_with(pattern: bytes, replacement: bytes, arxiv_id: str) -> bytes:
    entry = re.compile(rb"<entry>\s*<id>http://arxiv\.org/abs/" + re.escape(arxiv_id.encode()))
    page = api_page()
    start = entry.search(page)
    assert start, arxiv_id
    end = page.index(b"</entry>", start.start())
    planted, count = re.subn(pattern, replacement, page[start.start() : end], count=1)
    assert count == 1, pattern
    return page[: start.start()] + planted + page[end:]


API_FIELDS = {
    "published is a word": (rb"<published>[^<]*</published>", b"<published>yesterday</published>"),
    "published in year 1, east of UTC": (
        rb"<published>[^<]*</published>",
        b"<published>0001-01-01T00:00:00+14:00</published>",
    ),
    "updated in year 9999, west of UTC": (
        rb"<updated>[^<]*</updated>",
        b"<updated>9999-12-31T23:59:59-12:00</updated>",
    ),
    "a lone surrogate in the title": (rb"<title>", b"<title>&#xD800;"),
    "a lone surrogate in an author": (rb"<name>", b"<name>&#xDFFF;"),
    "a lone surrogate in the abstract": (rb"<summary>", b"<summary>&#xDBFF;"),
    "an id past any version": (
        rb"<id>http://arxiv\.org/abs/([^<]*)v\d+</id>",
        rb"<id>http://arxiv.org/abs/\1v99999999</id>",
    ),
    "an id that is not an arXiv link": (
        rb"<id>http://arxiv\.org/abs/[^<]*</id>",
        b"<id>urn:nothing</id>",
    ),
}


@pytest.mark.parametrize(
    ("target", "other"), [(OTHER_ID, RAMIREZ_ID), (RAMIREZ_ID, None)], ids=["other", "watched"]
)
@pytest.mark.parametrize(("pattern", "replacement"), API_FIELDS.values(), ids=API_FIELDS.keys())
def test_a_bad_api_entry_is_skipped_with_one_warning(
    pattern: bytes,
    replacement: bytes,
    target: str,
    other: str | None,
    run: Run,
    arxiv: Loopback,
    isolated_user: Path,
) -> None:
    write_watchlist(isolated_user, AUTHORS_WATCHLIST)
    page = _api_with(pattern, replacement, target)
    arxiv.route("/api/query", Answer(body=page, content_type=ATOM))
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    shown = [p["id"] for p in json.loads(result.out)["papers"]]
    assert shown == ([other] if other else [])
    (warning,) = _warnings(result.err)
    assert warning.startswith("warning: arXiv export API: skipped the record ")
    if b"<id>" not in replacement:
        assert target in warning
    offline = run("today", "--offline", "--format", "json")
    assert offline.code == 0, offline.err
    assert [p["id"] for p in json.loads(offline.out)["papers"]] == shown


# -- bioRxiv, OpenAlex and Crossref ---------------------------------------------------------------

MIXED = """\
name: Bad records
categories: [eess.SP]
keywords: [EEG]
biorxiv: {categories: [neuroscience]}
journals: [{issn: 1932-6203, name: PLOS ONE}]
announce_types: [new, cross, replace]
network: {spacing: 0, max_wait: 2, retries: 1}
"""
NEUROSCIENCE = 5  # records of that subject among the 20 captured bioRxiv records

BIORXIV_FIELDS: dict[str, dict[str, Any]] = {
    "a lone surrogate in the title": {"title": "Neurons \ud800 fire"},
    "a lone surrogate in the authors": {"authors": "Naka, \udfff.;"},
    "date is a word": {"date": "yesterday"},
    "date in year 9999": {"date": "9999-12-31"},
    "version is text": {"version": "two"},
    "version is huge": {"version": 2**63},
    "authors is a list": {"authors": ["Naka, A."]},
    "title is an object": {"title": {"en": "x"}},
}


@pytest.mark.parametrize("changes", BIORXIV_FIELDS.values(), ids=BIORXIV_FIELDS.keys())
def test_a_bad_biorxiv_record_is_skipped_with_one_warning(
    changes: dict[str, Any], run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: Any
) -> None:
    records = load(BIORXIV_INTERVAL)["collection"]
    index = next(i for i, r in enumerate(records) if r["category"] == "neuroscience")
    doi = records[index]["doi"]
    records[index] = {**records[index], **changes}
    arxiv.route("/bx/details/biorxiv/", biorxiv_pages(records, page_size=10))
    arxiv.route("/oa/works", openalex_pages([load(OPENALEX_WORK)], per_page=100))
    _mixed(arxiv, isolated_user, monkeypatch)
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    papers = json.loads(result.out)["papers"]
    biorxiv = [p["doi"] for p in papers if p["origin"] == "biorxiv"]
    assert len(biorxiv) == NEUROSCIENCE - 1 and doi not in biorxiv
    (warning,) = _warnings(result.err)
    assert warning.startswith(f"warning: bioRxiv: skipped the record {doi}: ")
    assert run("today", "--offline").code == 0


OPENALEX_FIELDS: dict[str, dict[str, Any]] = {
    "a lone surrogate in the title": {"title": "Plants \ud800"},
    "a lone surrogate in an author": {
        "authorships": [{"author": {"display_name": "A. \udc00 Author"}}]
    },
    "publication_date is a word": {"publication_date": "yesterday"},
    "publication_date in year 1": {"publication_date": "0001-01-01"},
    "authorships is text": {"authorships": "A. Author"},
    "an authorship is a number": {"authorships": [7]},
    "title is a list": {"title": ["a", "b"], "display_name": None},
    "doi is a number": {"doi": 10.1371},
}


@pytest.mark.parametrize("changes", OPENALEX_FIELDS.values(), ids=OPENALEX_FIELDS.keys())
def test_a_bad_openalex_work_is_skipped_with_one_warning(
    changes: dict[str, Any], run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: Any
) -> None:
    work = load(OPENALEX_WORK)
    good, bad = work_variant(work, 1), work_variant(work, 2, **changes)
    arxiv.route("/bx/details/biorxiv/", biorxiv_pages([], page_size=10))
    arxiv.route("/oa/works", openalex_pages([good, bad], per_page=100))
    _mixed(arxiv, isolated_user, monkeypatch)
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    journal = [p["doi"] for p in json.loads(result.out)["papers"] if p["origin"] == "journal"]
    assert journal == [good["doi"].removeprefix("https://doi.org/")]
    (warning,) = _warnings(result.err)
    assert warning.startswith(f"warning: OpenAlex: skipped the record {bad['id']}: ")
    assert run("today", "--offline").code == 0


CROSSREF_FIELDS: dict[str, dict[str, Any]] = {
    "date-parts past any year": {"published-print": {"date-parts": [[2147483648]]}},
    "date-parts past a C long": {"issued": {"date-parts": [[2**70, 1, 1]]}},
    "date-parts as text": {"published": {"date-parts": "2010-02"}},
    "date-parts of text": {"published": {"date-parts": [["2010", "2"]]}},
    "month thirteen": {"published-online": {"date-parts": [[2010, 13, 1]]}},
    "a lone surrogate in the title": {"title": ["Image \ud800 retrieval"]},
    "author is text": {"author": "Bai, Jing"},
    "an author's family name is a number": {"author": [{"given": "J", "family": 7}]},
}


@pytest.mark.parametrize("changes", CROSSREF_FIELDS.values(), ids=CROSSREF_FIELDS.keys())
def test_a_bad_crossref_item_is_skipped_with_one_warning(
    changes: dict[str, Any], run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: Any
) -> None:
    answer = load(CROSSREF_LIST)
    items = answer["message"]["items"]
    bad_doi, good_doi = items[0]["DOI"], items[1]["DOI"]
    items[0] = {**items[0], **changes}
    arxiv.route("/bx/details/biorxiv/", biorxiv_pages([], page_size=10))
    arxiv.route("/oa/works", Answer(status=404))  # OpenAlex fails: Crossref stands in
    arxiv.route("/cr/journals/", json_answer(answer))
    _mixed(arxiv, isolated_user, monkeypatch)
    result = run("today", "--format", "json", "--limit", "0")
    assert result.code == 0, result.err
    journal = [p["doi"] for p in json.loads(result.out)["papers"] if p["origin"] == "journal"]
    assert good_doi in journal and bad_doi not in journal
    (warning,) = _warnings(result.err)
    assert warning.startswith(f"warning: Crossref: skipped the record {bad_doi}: ")
    assert run("today", "--offline").code == 0


def _mixed(arxiv: Loopback, isolated_user: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("RADAR_BIORXIV_API_URL", arxiv.url + "/bx")
    monkeypatch.setenv("RADAR_OPENALEX_API_URL", arxiv.url + "/oa")
    monkeypatch.setenv("RADAR_CROSSREF_API_URL", arxiv.url + "/cr")
    write_watchlist(isolated_user, MIXED)


def test_a_number_too_long_for_python_skips_its_record_not_the_answer(
    run: Run, arxiv: Loopback, isolated_user: Path, monkeypatch: Any
) -> None:
    # 5,000 digits: past Python's limit for int() of a digit string (4,300), which made
    # json.loads refuse the whole page.
    records = load(BIORXIV_INTERVAL)["collection"]
    index = next(i for i, r in enumerate(records) if r["category"] == "neuroscience")
    doi = records[index]["doi"]
    records[index] = {**records[index], "version": "PLANTED"}
    pages = biorxiv_pages(records, page_size=10)

    def route(seen: Any) -> Answer:
        answer = pages(seen)
        return replace(answer, body=answer.body.replace(b'"PLANTED"', b"9" * 5000))

    arxiv.route("/bx/details/biorxiv/", route)
    arxiv.route("/oa/works", openalex_pages([load(OPENALEX_WORK)], per_page=100))
    _mixed(arxiv, isolated_user, monkeypatch)
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    biorxiv = [p["doi"] for p in json.loads(result.out)["papers"] if p["origin"] == "biorxiv"]
    assert len(biorxiv) == NEUROSCIENCE - 1 and doi not in biorxiv
    (warning,) = _warnings(result.err)
    assert warning.startswith(f"warning: bioRxiv: skipped the record {doi}: ")


def test_show_says_a_malformed_record_could_not_be_read(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    # `radar show` of a paper whose only record is malformed: not "arXiv has no paper".
    write_watchlist(isolated_user, AUTHORS_WATCHLIST)
    published = rb"<published>[^<]*</published>"
    page = _api_with(published, b"<published>yesterday</published>", RAMIREZ_ID)
    arxiv.route("/api/query", Answer(body=page, content_type=ATOM))
    result = run("show", RAMIREZ_ID)
    assert result.code == 3, result.err
    (error,) = lines_matching(result.err, "^error:")
    assert error == f"error: arXiv's record of {RAMIREZ_ID} could not be read"
    assert "hint: arXiv export API: skipped the record" in result.err
    assert "Traceback" not in result.err
