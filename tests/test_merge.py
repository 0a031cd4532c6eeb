"""One paper, one card: preprints and their journal versions, and DOIs seen twice, merged."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

import pytest

from loopback import fixture
from radar.merge import identities, merge
from radar.models import Link, Paper
from radar.sources.arxiv_feed import parse_feed
from radar.sources.biorxiv import parse_record
from radar.sources.crossref import parse_item
from radar.sources.openalex_works import parse_work
from sources_support import BIORXIV_456574, CROSSREF_LIST, OPENALEX_WORK, load

FEED = "arxiv-rss/rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml"


def arxiv_paper(arxiv_id: str) -> Paper:
    day = parse_feed(fixture(FEED))
    return next(p for p in day.papers if p.arxiv_id == arxiv_id)


def preprint() -> Paper:
    paper = parse_record(load(BIORXIV_456574)["collection"][1], "biorxiv")
    assert paper is not None
    return paper


def journal_work(doi: str, venue: str, **changes: Any) -> Paper:
    """The real PLoS ONE work object, re-labelled as the journal version of another paper.

    No capture holds the OpenAlex record of these papers' journal versions; only the DOI,
    the source's name and what `changes` says (the title, for a journal version) are
    changed, the rest of the object is real.
    """
    work = load(OPENALEX_WORK)
    source = {**work["primary_location"]["source"], "display_name": venue, "issn": []}
    location = {**work["primary_location"], "source": source}
    paper = parse_work({**work, "doi": f"https://doi.org/{doi}", "primary_location": location})
    assert paper is not None
    return replace(paper, **changes)


def test_a_preprint_and_its_journal_version_are_one_card() -> None:
    # bioRxiv says "published: 10.7554/eLife.43696"; OpenAlex writes the DOI in lower case.
    biorxiv = preprint()
    elife = journal_work("10.7554/elife.43696", "eLife", title=biorxiv.title)
    for papers in ([biorxiv, elife], [elife, biorxiv]):
        (card,) = merge(papers)
        assert card.origin == "biorxiv" and card.doi == "10.1101/456574"
        # The generic "Journal version" link now names the journal.
        assert card.links == (Link("eLife", "https://doi.org/10.7554/eLife.43696"),)


def test_an_arxiv_paper_with_a_journal_doi_is_one_card() -> None:
    arxiv = arxiv_paper("2312.02826")  # the feed gives doi 10.3390/s24237539 (Sensors)
    sensors = journal_work("10.3390/S24237539", "Sensors", title=arxiv.title)
    (card,) = merge([sensors, arxiv])
    assert card.arxiv_id == "2312.02826" and card.source == "feed"
    assert card.links == (Link("Sensors", "https://doi.org/10.3390/S24237539"),)


def test_an_arxiv_paper_gets_the_journal_doi_it_lacked() -> None:
    arxiv = replace(arxiv_paper("2312.02826"), doi=None)
    via_openalex = journal_work(
        "10.3390/s24237539",
        "Sensors",
        links=(Link("arXiv", "https://arxiv.org/abs/2312.02826"),),
        title=arxiv.title,
    )
    (card,) = merge([arxiv, via_openalex])
    assert card.arxiv_id == "2312.02826" and card.doi == "10.3390/s24237539"


def test_arxiv_bioRxiv_and_journal_copies_make_one_card_led_by_arxiv() -> None:
    title = preprint().title  # the same work on arXiv, bioRxiv and in eLife
    arxiv = replace(arxiv_paper("2312.02826"), doi="10.1101/456574", title=title)
    elife = journal_work("10.7554/eLife.43696", "eLife", title=title)
    (card,) = merge([elife, preprint(), arxiv])
    assert card.arxiv_id == "2312.02826"
    assert [link.label for link in card.links] == ["bioRxiv", "eLife"]
    assert card.links[0].url == "https://www.biorxiv.org/content/10.1101/456574v2"


def test_the_same_doi_from_two_services_is_one_card() -> None:
    item = load(CROSSREF_LIST)["message"]["items"][16]
    from_crossref = parse_item(item)
    assert from_crossref is not None and from_crossref.doi == "10.5555/6vs5en6"
    from_openalex = journal_work("10.5555/6VS5EN6", "Jamon Iberico", abstract="")
    (card,) = merge([from_crossref, from_openalex])
    assert card.source == "openalex"  # the preferred service's record leads
    assert card.links == ()  # both live at the same doi.org address
    assert card.abstract.startswith("The Initiative for Open Abstracts")  # filled from Crossref


def test_two_preprints_of_one_journal_paper_stay_two_cards() -> None:
    one = arxiv_paper("2312.02826")
    other = replace(arxiv_paper("2312.04238"), doi=one.doi)
    sensors = journal_work("10.3390/s24237539", "Sensors", title=one.title)
    cards = merge([one, other, sensors])
    assert [c.arxiv_id for c in cards] == ["2312.02826", "2312.04238"]
    assert cards[0].links == (Link("Sensors", "https://doi.org/10.3390/s24237539"),)
    assert cards[1].links == ()


def test_the_same_arxiv_paper_from_feed_and_api_is_one_card() -> None:
    feed = arxiv_paper("2312.02826")
    api = replace(feed, source="api", announce_type="replace")
    assert merge([api, feed]) == (feed,)


def test_unrelated_papers_keep_their_order_and_merge_is_idempotent() -> None:
    papers = [
        arxiv_paper("2405.12090"),
        journal_work("10.7554/eLife.43696", "eLife", title=preprint().title),
        arxiv_paper("2312.02826"),
        preprint(),
        journal_work("10.3390/s24237539", "Sensors", title=arxiv_paper("2312.02826").title),
    ]
    merged = merge(papers)
    assert [c.key for c in merged] == ["2405.12090", "doi:10.1101/456574", "2312.02826"]
    assert merge(merged) == merged
    for order in itertools.permutations(papers):
        assert {c.key: c.links for c in merge(order)} == {c.key: c.links for c in merged}


def test_identities_cover_dois_arxiv_ids_and_links() -> None:
    assert identities(preprint()) == {"doi:10.1101/456574", "doi:10.7554/elife.43696"}
    arxiv = replace(arxiv_paper("2312.02826"), doi=None)
    assert identities(arxiv) == {"arxiv:2312.02826", "doi:10.48550/arxiv.2312.02826"}
    datacite = journal_work("10.48550/arXiv.2312.02826", "arXiv (Cornell University)")
    assert (card := merge([datacite, arxiv])[0]).arxiv_id == "2312.02826"
    assert card.links == ()


def test_badges_and_watched_places() -> None:
    from radar.venues import badge, watched_place
    from radar.watchlist import Journal, Topic

    arxiv = arxiv_paper("2312.02826")
    elife = journal_work("10.7554/eLife.43696", "eLife")
    watched = parse_work(load(OPENALEX_WORK), {"1932-6203": Journal("1932-6203", "PLOS ONE")})
    assert watched is not None and watched.categories == ("1932-6203",)
    hiv = replace(preprint(), origin="medrxiv", venue="medRxiv", categories=("hiv aids",))
    assert badge(arxiv) == f"arXiv ({arxiv.primary_category})"
    assert badge(preprint()) == "bioRxiv (Neuroscience)"
    assert badge(hiv) == "medRxiv (HIV/AIDS)"
    assert (badge(elife), badge(watched)) == ("eLife", "PLOS ONE")
    topic = Topic(
        "t", biorxiv=("neuroscience",), medrxiv=(), journals=(Journal("1932-6203", "PLOS ONE"),)
    )
    assert watched_place(topic, preprint()) == "bioRxiv subject: Neuroscience"
    assert watched_place(topic, hiv) is None
    assert watched_place(topic, watched) == "journal: PLOS ONE"
    assert watched_place(topic, elife) is None  # a journal nobody watches (an author's paper)
    assert watched_place(topic, arxiv) is None


PLOS_TITLE = (
    "Triose Phosphate Isomerase Deficiency Is Caused by Altered Dimerization\u2013Not "
    "Catalytic Inactivity\u2013of the Mutant Enzymes"
)


def test_a_wrong_submitter_doi_does_not_absorb_an_unrelated_journal_paper() -> None:
    # The arXiv submitter gave the DOI of a PLoS ONE paper on another subject: two works.
    plos = parse_work(load(OPENALEX_WORK))
    assert plos is not None and plos.title == PLOS_TITLE
    arxiv = replace(arxiv_paper("2312.02826"), doi="10.1371/journal.pone.0000030")
    for papers in ([arxiv, plos], [plos, arxiv]):
        cards = merge(papers)
        assert [c.title for c in cards] == [c.title for c in papers]
        by_title = {c.title: c for c in cards}
        assert by_title[PLOS_TITLE].doi == "10.1371/journal.pone.0000030"
        assert by_title[arxiv.title].links == ()
        assert by_title[PLOS_TITLE].links == ()


def test_a_wrong_published_doi_or_link_keeps_two_cards_and_one_per_journal_doi() -> None:
    # bioRxiv's "published" DOI, and an OpenAlex link to an arXiv paper, are claims too.
    biorxiv = preprint()  # published: 10.7554/eLife.43696
    elife = journal_work("10.7554/eLife.43696", "eLife")  # PLoS ONE's title: another work
    linked = journal_work(
        "10.3390/s24237539",
        "Sensors",
        links=(Link("arXiv", "https://arxiv.org/abs/2312.04238"),),
    )
    arxiv = arxiv_paper("2312.04238")
    crossref_copy = replace(elife, source="crossref")  # the same journal DOI, twice
    cards = merge([biorxiv, elife, arxiv, linked, crossref_copy])
    assert [c.key for c in cards] == [
        "doi:10.1101/456574",
        "doi:10.7554/elife.43696",
        "2312.04238",
        "doi:10.3390/s24237539",
    ]
    # Each keeps only the links its own record gives (bioRxiv names its "published" DOI).
    assert [c.links for c in cards[:3]] == [biorxiv.links, (), ()]


@pytest.mark.parametrize(
    "journal_title",
    [
        "Calibrated Adaptive Teacher for Domain Adaptive Intelligent Fault Diagnosis",
        "calibrated adaptive teacher for domain adaptive intelligent fault diagnosis.",
        "CALIBRATED  ADAPTIVE TEACHER FOR DOMAIN-ADAPTIVE INTELLIGENT FAULT DIAGNOSIS",
        "Calibrated <i>Adaptive</i> Teacher for Domain Adaptive Intelligent Fault Diagnosis",
        "Calibrated Adaptive Teacher for Domain Adaptive Intelligent Fault Diagnosis: "
        "Experiments on Bearings",
        "Calibrated Adaptive Teacher for Domain Adaptive Intelligent Fault Diagnosis \u2014 "
        "a study",
    ],
)
def test_a_journal_version_whose_title_agrees_joins_the_preprint(journal_title: str) -> None:
    arxiv = arxiv_paper("2312.02826")  # doi 10.3390/s24237539
    (card,) = merge([arxiv, journal_work("10.3390/s24237539", "Sensors", title=journal_title)])
    assert card.links == (Link("Sensors", "https://doi.org/10.3390/s24237539"),)


@pytest.mark.parametrize(
    ("preprint_title", "journal_title"),
    [
        ("Na\\\"{\\i}ve $\\alpha$-synuclein models", "Na\u00efve \u03b1-Synuclein Models"),
        ("Caf\u00e9 networks: a study", "CAFE\u0301 NETWORKS"),
        ("Sparse {C}oding in {V1}", "Sparse coding in V1."),
        ("Fish &amp; chips", "Fish & Chips"),
    ],
)
def test_titles_agree_through_tex_accents_markup_and_case(
    preprint_title: str, journal_title: str
) -> None:
    arxiv = replace(arxiv_paper("2312.02826"), title=preprint_title)
    sensors = journal_work("10.3390/s24237539", "Sensors", title=journal_title)
    assert len(merge([arxiv, sensors])) == 1


@pytest.mark.parametrize(
    "journal_title",
    [
        "Calibrated Adaptive Teacher for Domain Adaptive Intelligent Fault Detection",
        "Calibrated Adaptive Teacher",  # a prefix without a subtitle mark is another title
        "Adaptive Teacher for Domain Adaptive Intelligent Fault Diagnosis",
        "",
    ],
)
def test_a_journal_paper_with_another_title_keeps_its_card(journal_title: str) -> None:
    arxiv = arxiv_paper("2312.02826")
    sensors = journal_work("10.3390/s24237539", "Sensors", title=journal_title)
    cards = merge([arxiv, sensors])
    assert [c.title for c in cards] == [arxiv.title, journal_title]
    assert cards[0].links == ()
