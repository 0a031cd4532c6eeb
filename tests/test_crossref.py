"""Crossref: real journal-article items parsed, cursors followed until a short page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from loopback import Answer, Loopback, Seen
from radar.errors import SourceError
from radar.sources.crossref import ROWS, Crossref, parse_item
from radar.watchlist import Journal
from sources_support import CROSSREF_CURSOR, CROSSREF_LIST, channel, json_answer, load

SINCE, UNTIL = date(2024, 4, 1), date(2024, 4, 3)


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback().start()
    yield loopback
    loopback.stop()


def items() -> list[dict[str, object]]:
    return list(load(CROSSREF_LIST)["message"]["items"])


def test_an_item_becomes_a_journal_paper() -> None:
    by_doi = {p.doi: p for i in items() if (p := parse_item(i)) is not None}
    assert len(by_doi) == 20
    open_abstracts = by_doi["10.5555/6vs5en6"]
    assert open_abstracts.title == "Open Abstracts: Where are we?"
    assert open_abstracts.authors == ("Ludo Waltman",)
    assert open_abstracts.abstract.startswith("The Initiative for Open Abstracts (I4OA) launched")
    assert "<jats:" not in open_abstracts.abstract
    assert open_abstracts.announced == date(2020, 9, 25)
    assert (open_abstracts.origin, open_abstracts.source) == ("journal", "crossref")
    assert open_abstracts.venue == "Jamon Iberico"
    assert open_abstracts.url == "https://doi.org/10.5555/6vs5en6"
    # A title with an embedded newline is one line; a year-month date is the 1st.
    heaton = by_doi["10.5555/jcen.21.4.572.882"]
    assert "\n" not in heaton.title and "Norms with an Update" in heaton.title
    assert by_doi["10.3969/j.issn.1004-4132.2010.01.020"].announced == date(2010, 2, 1)
    assert by_doi["10.5555/1233sara"].authors == ()


def test_a_watched_journal_shows_its_friendly_name() -> None:
    paper = parse_item(items()[0], Journal("1004-4132", "JSEE"))
    assert paper is not None and paper.venue == "JSEE"


def test_pages_are_followed_until_a_short_one(server: Loopback) -> None:
    message = load(CROSSREF_CURSOR)["message"]
    real = items()
    # A full page of ROWS items (real items, each its own DOI), then the 20 real ones.
    full = [{**real[n % 20], "DOI": f"10.5555/page-one-{n}"} for n in range(ROWS)]

    def route(seen: Seen) -> Answer:
        first = seen.query["cursor"] == ["*"]
        page = full if first else real
        return json_answer({"status": "ok", "message": {**message, "items": page}})

    server.route("/journals/", route)
    with channel() as (chan, _):
        papers = Crossref(chan, server.url, mailto="me@example.org").journal_works(
            [Journal("0028-0836", "Nature")], SINCE, UNTIL
        ).papers
    assert len(papers) == ROWS + 20 and {p.venue for p in papers} == {"Nature"}
    assert [r.path for r in server.requests] == ["/journals/0028-0836/works"] * 2
    first, second = (r.query for r in server.requests)
    assert first["filter"] == [
        "from-pub-date:2024-04-01,until-pub-date:2024-04-03,type:journal-article"
    ]
    assert (first["rows"], first["mailto"]) == (["100"], ["me@example.org"])
    assert second["cursor"] == [message["next-cursor"]]


def test_a_failing_crossref_raises_source_error_naming_it(server: Loopback) -> None:
    server.route("/journals/", Answer(status=404, body=b"Resource not found."))
    with channel(retries=3) as (chan, _), pytest.raises(SourceError) as info:
        Crossref(chan, server.url).journal_works([Journal("0028-0836")], SINCE, UNTIL)
    assert "Crossref" in info.value.message and "HTTP 404" in info.value.message
    assert server.count() == 1  # a 404 is not asked again
