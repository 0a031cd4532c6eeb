"""A watchlist mixing arXiv categories, a bioRxiv subject and a journal gives one ranked
list, through the CLI, with each paper's source shown in all three outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run
from loopback import Answer, Loopback
from sources_support import (
    BIORXIV_INTERVAL,
    OPENALEX_WORK,
    biorxiv_pages,
    load,
    openalex_pages,
    work_variant,
)

MIXED = """\
name: Mixed radar
categories: [eess.SP]
keywords: [EEG]
biorxiv: {categories: [neuroscience]}
journals: [{issn: 1932-6203, name: PLOS ONE}]
announce_types: [new, cross, replace]  # the captured bioRxiv records are all v2 or later
network: {spacing: 0, max_wait: 2, retries: 1}
"""
NEUROSCIENCE = 5  # records of that subject among the 20 captured bioRxiv records


@pytest.fixture
def mixed(arxiv: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch) -> Loopback:
    """The loopback arXiv also answers as bioRxiv/medRxiv (/bx) and OpenAlex (/oa)."""
    records = load(BIORXIV_INTERVAL)["collection"]
    arxiv.route("/bx/details/biorxiv/", biorxiv_pages(records, page_size=10))
    arxiv.route("/oa/works", openalex_pages([load(OPENALEX_WORK)], per_page=100))
    monkeypatch.setenv("RADAR_BIORXIV_API_URL", arxiv.url + "/bx")
    monkeypatch.setenv("RADAR_OPENALEX_API_URL", arxiv.url + "/oa")
    (isolated_user / "radar.yaml").write_text(MIXED, encoding="utf-8")
    return arxiv


def test_one_ranked_list_from_three_sources(run: Run, mixed: Loopback) -> None:
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    papers = json.loads(result.out)["papers"]
    origins = {p["origin"] for p in papers}
    assert origins == {"arxiv", "biorxiv", "journal"}
    assert papers[0]["id"] == "2411.17705"  # EEG in the title outranks a bare subject match
    biorxiv = [p for p in papers if p["origin"] == "biorxiv"]
    assert len(biorxiv) == NEUROSCIENCE
    assert all(p["id"].startswith("doi:10.1101/") for p in biorxiv)
    assert "bioRxiv subject: Neuroscience" in [r["label"] for r in biorxiv[0]["reasons"]]
    journal = next(p for p in papers if p["origin"] == "journal")
    assert journal["doi"] == "10.1371/journal.pone.0000030"
    assert journal["venue"] == "PLOS ONE"
    assert journal["abstract"], "the abstract is rebuilt from OpenAlex's inverted index"
    # Every bioRxiv page was read, and OpenAlex once.
    assert mixed.count("/bx/details/biorxiv/") == 2
    assert mixed.count("/oa/works") == 1


def test_badges_in_terminal_and_markdown(run: Run, mixed: Loopback) -> None:
    cards = run("today", "--limit", "0")
    assert cards.code == 0, cards.err
    assert "arXiv (eess.SP)" in cards.out
    assert "bioRxiv (Neuroscience)" in cards.out
    assert "PLOS ONE" in cards.out
    digest = run("today", "--format", "markdown")
    assert "`bioRxiv (Neuroscience)` `" in digest.out
    assert "(https://doi.org/10.1371/journal.pone.0000030)" in digest.out


def test_a_preprint_and_its_journal_version_are_one_card(run: Run, mixed: Loopback) -> None:
    # OpenAlex also returns the journal version (the real work object, as 10.7554/elife.37275,
    # with the preprint's title: a journal record with another title stays its own card).
    work = load(OPENALEX_WORK)
    record = next(r for r in load(BIORXIV_INTERVAL)["collection"] if r["doi"] == "10.1101/300251")
    published = work_variant(
        work, 2, doi="https://doi.org/10.7554/elife.37275", title=record["title"]
    )
    mixed.route("/oa/works", openalex_pages([work, published], per_page=100))
    papers = json.loads(run("today", "--format", "json").out)["papers"]
    assert not any(p["doi"] == "10.7554/elife.37275" for p in papers)
    preprint = next(p for p in papers if p["doi"] == "10.1101/300251")
    # bioRxiv says this preprint became 10.7554/elife.37275: its card links the journal.
    assert [link["url"] for link in preprint["links"]] == ["https://doi.org/10.7554/elife.37275"]
    assert "https://doi.org/10.7554/elife.37275" in run("today", "--format", "markdown").out


def test_a_failing_source_is_reported_and_the_others_still_print(run: Run, mixed: Loopback) -> None:
    mixed.route("/bx/details/biorxiv/", Answer(status=503, headers={"Retry-After": "0"}))
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    assert "bioRxiv" in result.err and "HTTP 503" in result.err
    origins = {p["origin"] for p in json.loads(result.out)["papers"]}
    assert origins == {"arxiv", "journal"}


def test_the_second_run_asks_no_source_again(run: Run, mixed: Loopback) -> None:
    first = run("today", "--format", "json")
    asked = len(mixed.requests)
    second = run("today", "--format", "json")
    assert second.code == 0, second.err
    assert len(mixed.requests) == asked
    assert json.loads(second.out)["papers"] == json.loads(first.out)["papers"]


def test_verbose_logs_never_show_the_openalex_key(
    run: Run, mixed: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENALEX_API_KEY", "oa-key-SECRET-42")
    result = run("-v", "today", "--format", "json")
    assert result.code == 0, result.err
    sent = next(r for r in mixed.requests if r.path == "/oa/works")
    assert sent.query["api_key"] == ["oa-key-SECRET-42"]  # OpenAlex does get it
    assert "/oa/works?" in result.err
    assert "api_key=***" in result.err
    assert "oa-key-SECRET-42" not in result.err + result.out
