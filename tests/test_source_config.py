"""Watchlist keys for bioRxiv, medRxiv, journals and author ids: values and file:line problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.config import example_config_text, parse_config
from radar.errors import ConfigError
from radar.sourcekeys import issn_check_digit, orcid_check_digit, parse_issn, parse_orcid
from radar.watchlist import Endpoints, Journal, Topic, WatchedAuthor
from radar.wiring import with_env_endpoints


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, Path("w.yaml"))
    return [line.removeprefix("w.yaml:") for line in info.value.problems]


def test_journals_and_subjects_alone_are_something_to_watch() -> None:
    config = parse_config(
        "journals: [{issn: 0028-0836, name: Nature}, 1932-6203]\n"
        "biorxiv: {categories: [Neuroscience, cell_biology]}\n"
        "medrxiv:\n"
        "  categories: [HIV/AIDS, epidemiology]\n",
        None,
    )
    (topic,) = config.topics
    assert topic.journals == (Journal("0028-0836", "Nature"), Journal("1932-6203"))
    assert topic.biorxiv == ("neuroscience", "cell biology")  # as the API spells them
    assert topic.medrxiv == ("hiv aids", "epidemiology")
    assert topic.categories == () and config.source_window_days == 3


def test_a_topic_of_journals_only_watches_something() -> None:
    config = parse_config(
        "topics:\n  nature:\n    journals:\n      - {issn: '1476-4687', name: Nature}\n", None
    )
    assert config.topics == (Topic("nature", journals=(Journal("1476-4687", "Nature"),)),)


def test_authors_may_carry_an_orcid_and_an_openalex_id() -> None:
    config = parse_config(
        "authors:\n"
        "  - {name: Markus Ralser, orcid: 'https://orcid.org/0000-0001-9535-7413'}\n"
        "  - {name: Gino Heeren, openalex: 'https://openalex.org/A5074494523'}\n"
        "  - {name: Ada Lovelace, orcid: 0000-0002-1694-233x, aliases: [A. Lovelace]}\n",
        None,
    )
    assert config.authors == (
        WatchedAuthor("Markus Ralser", orcid="0000-0001-9535-7413"),
        WatchedAuthor("Gino Heeren", openalex="A5074494523"),
        WatchedAuthor("Ada Lovelace", ("A. Lovelace",), orcid="0000-0002-1694-233X"),
    )


def test_every_problem_with_the_new_keys_has_its_line() -> None:
    assert problems(
        "categories: [cs.LG]\n"
        "biorxiv: {categories: [neuroscence, oncology]}\n"
        "medrxiv: {categories: cardiology, subjects: [x]}\n"
        "journals:\n"
        "  - {issn: 0028-0837, name: Nature}\n"
        "  - 1234\n"
        "  - {name: Cell}\n"
        "  - {issn: [1], title: x}\n"
        "authors:\n"
        "  - {name: A, orcid: 0000-0001-9535-7414}\n"
        "  - {orcid: 0000-0001-9535-7413}\n"
        "  - {name: B, openalex: W123}\n"
        "source_window_days: 0\n"
        "topics:\n"
        "  bio:\n"
        "    biorxiv: {categories: [cell biologie]}\n"
    ) == [
        "2: biorxiv.categories: unknown bioRxiv subject 'neuroscence' (did you mean "
        "'neuroscience'?)",
        "2: biorxiv.categories: 'oncology' is a medRxiv subject: list it under medrxiv",
        "3: unknown key 'subjects' in medrxiv",
        "3: medrxiv.categories: expected a list, e.g. [cardiology], got text 'cardiology'",
        "5: journals: '0028-0837' is not a valid ISSN (its check digit should be 6: a typo?)",
        "6: journals: '1234' is not a valid ISSN (an ISSN is 8 characters, e.g. 0028-0836)",
        "7: journals: each journal needs an issn, e.g. {issn: 0028-0836}",
        "8: unknown key 'title' in an entry of journals",
        "8: journals: expected an ISSN or {issn, name}, got a list",
        "10: authors: orcid '0000-0001-9535-7414' is not valid (its check digit should be 3: "
        "a typo?)",
        "11: authors: an entry with an orcid or openalex id needs a name",
        "12: authors: openalex 'W123': an OpenAlex author id looks like A5023888391",
        "13: source_window_days: must be between 1 and 30 (got 0)",
        "16: topics.bio.biorxiv.categories: unknown bioRxiv subject 'cell biologie' (did you "
        "mean 'cell biology'?)",
    ]


def test_an_empty_subject_list_watches_nothing() -> None:
    message = "the watchlist watches nothing: add categories, authors, journals or bioRxiv/medRxiv"
    assert problems("biorxiv: {categories: []}\njournals: []\n") == [f"1: {message} subjects"]


def test_check_digits() -> None:
    assert issn_check_digit("0028083") == "6" and issn_check_digit("0378595") == "5"
    assert parse_issn("2434-561x") == ("2434-561X", "")  # X stands for 10
    assert parse_issn("00280836") == ("0028-0836", "")
    assert orcid_check_digit("000000021825009") == "7"
    assert parse_orcid("0000-0002-1825-0097") == ("0000-0002-1825-0097", "")


def test_the_endpoints_for_the_new_sources_come_from_the_environment() -> None:
    config = parse_config("journals: [0028-0836]\n", None)
    assert config.endpoints == Endpoints()
    assert config.endpoints.biorxiv_api_url == "https://api.biorxiv.org"
    env = {
        "RADAR_BIORXIV_API_URL": "http://127.0.0.1:1/b",
        "RADAR_OPENALEX_API_URL": "http://127.0.0.1:1/o",
        "RADAR_CROSSREF_API_URL": "http://127.0.0.1:1/c",
        "RADAR_ARXIV_API_URL": "",  # empty: not set
    }
    endpoints = with_env_endpoints(config, env).endpoints
    assert (endpoints.biorxiv_api_url, endpoints.openalex_api_url) == (
        "http://127.0.0.1:1/b",
        "http://127.0.0.1:1/o",
    )
    assert endpoints.crossref_api_url == "http://127.0.0.1:1/c"
    assert endpoints.arxiv_api_url == Endpoints().arxiv_api_url


def test_the_examples_commented_source_keys_are_valid() -> None:
    """The example shows the new keys commented out; uncommented, they must load as shown."""
    lines = example_config_text().splitlines()
    start = lines.index("# biorxiv:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#") or not line[1:].strip():
            break
        block.append(line.removeprefix("# "))
    author = next(line for line in lines if "orcid:" in line and "{name:" in line)
    block += ["authors:", author.replace("# ", "", 1)]
    config = parse_config("\n".join(block) + "\n", None)
    (topic,) = config.topics
    assert topic.biorxiv == ("neuroscience", "bioinformatics")
    assert topic.medrxiv == ("epidemiology", "health informatics")
    assert topic.journals == (Journal("0028-0836", "Nature"), Journal("1932-6203", "PLOS ONE"))
    assert topic.authors == (WatchedAuthor("Markus Ralser", orcid="0000-0001-9535-7413"),)
