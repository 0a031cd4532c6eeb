"""OpenAlex: real work objects parsed, abstracts rebuilt word for word, cursors followed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from loopback import Answer, Loopback
from radar.errors import SourceError
from radar.sources.openalex import OpenAlex, works_url
from radar.sources.openalex_works import bare_doi, parse_work, rebuild_abstract
from radar.watchlist import Journal, WatchedAuthor
from sources_support import (
    OPENALEX_LIST,
    OPENALEX_LIST_2026,
    OPENALEX_WORK,
    channel,
    load,
    openalex_pages,
    work_variant,
)

SINCE, UNTIL = date(2006, 12, 18), date(2006, 12, 21)
PLOS_ONE = Journal("1932-6203", "PLOS ONE")


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback().start()
    yield loopback
    loopback.stop()


def test_the_abstract_is_rebuilt_word_for_word() -> None:
    abstract = rebuild_abstract(load(OPENALEX_WORK)["abstract_inverted_index"])
    # The published abstract of PLoS ONE 1(1): e30 (doi:10.1371/journal.pone.0000030).
    assert abstract.startswith(
        "Triosephosphate isomerase (TPI) deficiency is an autosomal recessive disorder caused "
        "by various mutations in the gene encoding the key glycolytic enzyme TPI."
    )
    assert abstract.endswith(
        "This observed advantage might serve to explain the high allelic frequency of TPI "
        "null alleles detected among human populations."
    )
    assert len(abstract.split()) == 260  # positions 0..259, none missing


def test_an_inverted_index_with_gaps_or_junk_still_reads_in_order() -> None:
    assert rebuild_abstract({"world": [2], "hello": [0], "x": ["7", -1], "y": "no"}) == (
        "hello world"
    )
    assert rebuild_abstract(None) == ""


def test_a_work_becomes_a_journal_paper() -> None:
    paper = parse_work(load(OPENALEX_WORK))
    assert paper is not None
    assert paper.title == (
        "Triose Phosphate Isomerase Deficiency Is Caused by Altered Dimerization\u2013Not "
        "Catalytic Inactivity\u2013of the Mutant Enzymes"
    )
    assert paper.doi == "10.1371/journal.pone.0000030"  # the https://doi.org/ prefix is gone
    assert paper.authors == (
        "Markus Ralser",
        "Gino Heeren",
        "Michael Breitenbach",
        "Hans Lehrach",
        "Sylvia Krobitsch",
    )
    assert (paper.origin, paper.source, paper.venue) == ("journal", "openalex", "PLoS ONE")
    assert paper.announced == date(2006, 12, 20)
    assert paper.url == "https://doi.org/10.1371/journal.pone.0000030"
    assert (paper.arxiv_id, paper.announce_type, paper.categories) == ("", "new", ())
    assert paper.links == ()  # its 8 locations hold no arXiv/bioRxiv copy


def test_a_watched_journal_shows_its_friendly_name() -> None:
    paper = parse_work(load(OPENALEX_WORK), {PLOS_ONE.issn: PLOS_ONE})
    assert paper is not None and paper.venue == "PLOS ONE"


def test_an_author_found_by_orcid_carries_the_watched_name() -> None:
    known = {"0000-0001-9535-7413": "M. Ralser"}
    paper = parse_work(load(OPENALEX_WORK), known=known)
    assert paper is not None and paper.authors[0] == "M. Ralser"


def test_works_without_doi_or_abstract_and_organisations_as_authors() -> None:
    (old,) = load(OPENALEX_LIST)["results"]
    paper = parse_work(old)
    assert paper is not None
    assert (paper.doi, paper.abstract, paper.venue) == (None, "", "PubMed")
    assert paper.url == "https://pubmed.ncbi.nlm.nih.gov/13723160"
    (dataset,) = load(OPENALEX_LIST_2026)["results"]
    parsed = parse_work(dataset)
    assert parsed is not None and parsed.authors == ("University of Gothenburg",)


def test_preprint_copies_become_links() -> None:
    work = load(OPENALEX_WORK)
    locations = [
        *work["locations"],
        {"landing_page_url": "https://arxiv.org/abs/2411.17700v2", "source": None},
        {
            "landing_page_url": "https://doi.org/10.1101/456574",
            "source": {"display_name": "bioRxiv (Cold Spring Harbor Laboratory)"},
        },
    ]
    paper = parse_work({**work, "locations": locations})
    assert paper is not None
    assert [(link.label, link.url) for link in paper.links] == [
        ("arXiv", "https://arxiv.org/abs/2411.17700"),
        ("bioRxiv", "https://doi.org/10.1101/456574"),
    ]


def test_dois_lose_their_url_prefix() -> None:
    assert bare_doi("https://doi.org/10.7554/eLife.43696") == "10.7554/eLife.43696"
    assert bare_doi("http://dx.doi.org/10.1/x") == "10.1/x"
    assert bare_doi(None) is None and bare_doi("https://openalex.org/W1") is None


def test_the_request_asks_for_the_journals_window_and_the_polite_pool() -> None:
    url = works_url("https://api.openalex.org/", "a:1|2,b:3", "*", mailto="me@example.org")
    assert url.startswith("https://api.openalex.org/works?filter=a:1|2,b:3&per_page=100&cursor=*")
    assert "mailto=me%40example.org" in url and "api_key" not in url


def test_every_cursor_page_is_followed_to_the_end(server: Loopback) -> None:
    work = load(OPENALEX_WORK)
    works = [work_variant(work, n) for n in range(5)]
    server.route("/works", openalex_pages(works, per_page=2))
    with channel() as (chan, _):
        source = OpenAlex(chan, server.url, mailto="me@example.org")
        papers = source.journal_works([PLOS_ONE], SINCE, UNTIL).papers
    assert len(papers) == 5 and {p.venue for p in papers} == {"PLOS ONE"}
    assert server.count("/works") == 3
    cursors = [r.query["cursor"][0] for r in server.requests]
    assert cursors == ["*", "page-2", "page-4"]
    first = server.requests[0].query
    assert first["filter"] == [
        "primary_location.source.issn:1932-6203,from_publication_date:2006-12-18,"
        "to_publication_date:2006-12-21,type:article|review|letter|preprint"
    ]
    assert first["mailto"] == ["me@example.org"]


def test_many_journals_share_one_query(server: Loopback) -> None:
    (no_doi,) = load(OPENALEX_LIST)["results"]
    server.route("/works", openalex_pages([load(OPENALEX_WORK), no_doi], per_page=100))
    journals = [PLOS_ONE, Journal("0028-0836", "Nature"), Journal("1476-4687")]
    with channel() as (chan, _):
        papers = OpenAlex(chan, server.url).journal_works(journals, SINCE, UNTIL).papers
    # A work without a DOI cannot be told apart from the next one: it is left out.
    assert [p.doi for p in papers] == ["10.1371/journal.pone.0000030"]
    (request,) = server.requests
    assert request.query["filter"][0].startswith(
        "primary_location.source.issn:1932-6203|0028-0836|1476-4687,"
    )
    assert "mailto" not in request.query


def test_authors_are_asked_for_by_orcid_or_openalex_id(server: Loopback) -> None:
    server.route("/works", openalex_pages([load(OPENALEX_WORK)], per_page=100))
    authors = [
        WatchedAuthor("M. Ralser", orcid="0000-0001-9535-7413"),
        WatchedAuthor("Gino Heeren", openalex="A5074494523"),
        WatchedAuthor("Olga Fink"),
    ]
    with channel() as (chan, _):
        papers = OpenAlex(chan, server.url, api_key="k").author_works(authors, SINCE, UNTIL).papers
    assert [r.query["filter"][0].split(",")[0] for r in server.requests] == [
        "author.orcid:0000-0001-9535-7413",
        "author.id:A5074494523",
    ]
    assert server.requests[0].query["api_key"] == ["k"]
    (paper,) = papers  # the same work from both queries, once
    assert paper.authors[:2] == ("M. Ralser", "Gino Heeren")


def test_a_failing_openalex_raises_source_error_naming_it(server: Loopback) -> None:
    server.route("/works", Answer(status=429, headers={"Retry-After": "3"}))
    with channel(retries=1) as (chan, slept), pytest.raises(SourceError) as info:
        OpenAlex(chan, server.url).journal_works([PLOS_ONE], SINCE, UNTIL)
    assert "OpenAlex" in info.value.message and "HTTP 429" in info.value.message
    assert server.count() == 2 and slept == [3.0]


def test_an_answer_without_results_is_a_source_error(server: Loopback) -> None:
    server.route("/works", Answer(body=b'{"error": "Invalid query"}', content_type="text/json"))
    with channel() as (chan, _), pytest.raises(SourceError, match="OpenAlex gave an unusable"):
        OpenAlex(chan, server.url).journal_works([PLOS_ONE], SINCE, UNTIL)
