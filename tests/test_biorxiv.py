"""bioRxiv/medRxiv: real records parsed, every page of a window read, failures named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from loopback import Answer, Loopback
from radar import biorxiv_taxonomy
from radar.errors import SourceError
from radar.models import Link
from radar.names import AuthorMatcher
from radar.sources.biorxiv import PreprintServer, parse_authors, parse_page, parse_record
from radar.sources.others import select
from radar.watchlist import WatchedAuthor
from sources_support import (
    BIORXIV_456574,
    BIORXIV_INTERVAL,
    biorxiv_pages,
    channel,
    load,
)

SINCE, UNTIL = date(2018, 8, 21), date(2018, 8, 28)


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback().start()
    yield loopback
    loopback.stop()


def test_a_record_becomes_a_paper_with_its_versions_and_journal_link() -> None:
    v1, v2 = (parse_record(r, "biorxiv") for r in load(BIORXIV_456574)["collection"])
    assert v1 is not None and v2 is not None
    assert (v1.version, v1.announce_type, v2.version, v2.announce_type) == (1, "new", 2, "replace")
    assert v2.arxiv_id == "" and v2.doi == "10.1101/456574"
    assert v2.title.startswith("Complementary networks of cortical somatostatin interneurons")
    assert v2.authors[:2] == ("A. Naka", "J. Veit") and len(v2.authors) == 13
    assert v2.categories == ("neuroscience",)
    assert v2.announced == date(2018, 10, 30)
    assert (v2.origin, v2.source, v2.venue) == ("biorxiv", "biorxiv", "bioRxiv")
    assert v2.landing_url == "https://www.biorxiv.org/content/10.1101/456574v2"
    assert v2.url == v2.landing_url and v2.key == "doi:10.1101/456574"
    assert v2.links == (Link("Journal version", "https://doi.org/10.7554/eLife.43696"),)
    # The API's doubled spaces ("densest  bottom up") are tidied.
    assert "densest bottom up" in v2.abstract


def test_author_strings_become_given_name_first() -> None:
    assert parse_authors("Naka, A.; Shababo, B.") == ("A. Naka", "B. Shababo")
    assert parse_authors("Gmaz, J. M.; van der Meer, M.") == ("J. M. Gmaz", "M. van der Meer")
    # A group author comes as "Cam-CAN,  " (no given name); empty pieces are dropped.
    assert parse_authors("Tyler, L. K.; Cam-CAN,  ; ") == ("L. K. Tyler", "Cam-CAN")
    assert parse_authors("") == ()


def test_initials_match_a_watched_full_name_weakly() -> None:
    paper = parse_record(load(BIORXIV_456574)["collection"][1], "biorxiv")
    assert paper is not None
    hits = AuthorMatcher([WatchedAuthor("Hillel Adesnik")]).match(paper.authors)
    assert [(h.author, h.exact) for h in hits] == [("H. Adesnik", False)]


def test_the_captured_page_parses_whole() -> None:
    papers, received, total = parse_page(load(BIORXIV_INTERVAL), "biorxiv")
    assert (len(papers), received, total) == (20, 20, 630)
    by_doi = {p.doi: p for p in papers}
    assert by_doi["10.1101/285981"].links == ()  # published: "NA"
    assert by_doi["10.1101/298356"].version == 8
    habituation = by_doi["10.1101/285981"].abstract
    # The literal "\n\n" between sections is a paragraph break, not two characters.
    assert "\\n" not in habituation
    assert "poorly understood.\nMethodsWe manipulated" in habituation
    assert "Böttger" in " ".join(by_doi["10.1101/301838"].authors)
    assert by_doi["10.1101/311050"].authors[4] == "Cam-CAN"


def test_no_posts_is_an_empty_window_not_a_failure() -> None:
    answer = {"messages": [{"status": "no posts found"}], "collection": []}
    assert parse_page(answer, "medrxiv") == ([], 0, 0)
    with pytest.raises(SourceError, match="medRxiv answered 'error: bad interval'"):
        parse_page({"messages": [{"status": "error: bad interval"}]}, "medrxiv")


def test_every_page_of_the_window_is_read(server: Loopback) -> None:
    records = load(BIORXIV_INTERVAL)["collection"]
    server.route("/details/biorxiv/", biorxiv_pages(records, page_size=8))
    with channel() as (chan, _):
        papers = PreprintServer(chan, server.url, "biorxiv").fetch(SINCE, UNTIL).papers
    assert len(papers) == 20
    assert [r.path for r in server.requests] == [
        "/details/biorxiv/2018-08-21/2018-08-28/0",
        "/details/biorxiv/2018-08-21/2018-08-28/8",
        "/details/biorxiv/2018-08-21/2018-08-28/16",
    ]


def test_a_short_page_moves_the_cursor_by_what_came(server: Loopback) -> None:
    # A server serving 30 a page (as some say /details now does) loses nothing.
    records = load(BIORXIV_INTERVAL)["collection"]
    server.route("/details/medrxiv/", biorxiv_pages(records, page_size=7))
    with channel() as (chan, _):
        papers = PreprintServer(chan, server.url, "medrxiv").fetch(SINCE, UNTIL).papers
    assert len(papers) == 20 and server.count() == 3
    assert {p.venue for p in papers} == {"medRxiv"}
    assert papers[0].landing_url.startswith("https://www.medrxiv.org/content/10.1101/")


def test_one_doi_twice_in_a_window_is_one_paper_new_to_the_reader(server: Loopback) -> None:
    server.route("/details/", biorxiv_pages(load(BIORXIV_456574)["collection"], page_size=100))
    with channel() as (chan, _):
        (paper,) = PreprintServer(chan, server.url, "biorxiv").fetch(SINCE, UNTIL).papers
    # v1 and v2 were both posted in the window: the reader sees v2, as a new paper.
    assert (paper.version, paper.announce_type) == (2, "new")


def test_a_failing_server_raises_source_error_naming_it(server: Loopback) -> None:
    server.route("/details/", Answer(status=503, headers={"Retry-After": "1"}))
    with channel(retries=2) as (chan, slept), pytest.raises(SourceError) as info:
        PreprintServer(chan, server.url, "biorxiv").fetch(SINCE, UNTIL)
    assert "bioRxiv" in info.value.message and "HTTP 503" in info.value.message
    # The hint is bioRxiv's own, not the arXiv wording of the shared HTTP helper.
    assert "bioRxiv may be busy" in info.value.hint and "--offline" not in info.value.hint
    assert server.count() == 3 and slept == [1.0, 1.0]  # Retry-After honoured


def test_a_body_that_is_not_json_is_a_source_error(server: Loopback) -> None:
    server.route("/details/", Answer(body=b"<html>maintenance</html>", content_type="text/html"))
    with channel() as (chan, _), pytest.raises(SourceError, match="bioRxiv gave an unusable"):
        PreprintServer(chan, server.url, "biorxiv").fetch(SINCE, UNTIL)


def test_records_are_kept_by_subject_or_by_a_watched_author() -> None:
    papers, _, _ = parse_page(load(BIORXIV_INTERVAL), "biorxiv")
    subjects = frozenset({biorxiv_taxonomy.canonical("biorxiv", "Cancer_Biology") or ""})
    matcher = AuthorMatcher([WatchedAuthor("Ian H. Stevenson")])
    kept = select(papers, subjects, matcher)
    assert {p.doi for p in kept} == {"10.1101/301838", "10.1101/312355", "10.1101/317511"}


def test_subject_names_are_checked_and_shown_as_the_servers_write_them() -> None:
    assert biorxiv_taxonomy.canonical("biorxiv", "Cell_Biology") == "cell biology"
    assert biorxiv_taxonomy.canonical("medrxiv", "HIV/AIDS") == "hiv aids"
    assert biorxiv_taxonomy.canonical("biorxiv", "oncology") is None  # medRxiv's, not bioRxiv's
    assert biorxiv_taxonomy.suggest("biorxiv", "neuroscence") == "neuroscience"
    assert biorxiv_taxonomy.display_name("medrxiv", "hiv aids") == "HIV/AIDS"
    assert biorxiv_taxonomy.display_name("biorxiv", "neuroscience") == "Neuroscience"
    assert len(biorxiv_taxonomy.subjects("biorxiv")) == 27
    assert len(biorxiv_taxonomy.subjects("medrxiv")) == 51
