"""A watchlist is checked once per change: the cache remembers the Config an unchanged file
made, and any edit, even a broken one, is read and checked again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import Run
from loopback import Loopback
from radar.checked import load_checked
from radar.config import example_config_text, parse_config
from radar.store import open_store
from radar.watchlist import config_from_plain, config_to_plain

# Every kind of value a Config holds, each away from its default.
RICH = """\
name: Rich radar
announce_types: [new, cross, replace-cross]
exclude: [lane rendering]
similar_to: [2312.02826, 'arXiv:2411.17700v2']
weights: {author: 12, new: -1, similar: 0.5}
author_window_days: 30
source_window_days: 5
arxiv: {rss_url: 'http://127.0.0.1:8080/rss/'}
network: {timeout: 1e3, retries: 0, max_wait: 0, spacing: 0.5, contact: a@b.org}
briefing:
  model: claude-opus-5
  max_papers: 5
  base_url: https://gateway.example.org
  thinking: adaptive
  prices:
    claude-opus-5: {input: 2, output: 10, cache_write: 2.5, cache_read: 0.1}
topics:
  signals:
    categories: [eess.SP, math]
    keywords: [EEG, anomaly detection]
    exclude: [quantum]
    authors:
      - {name: Ada Lovelace, orcid: 0000-0002-1694-233x, aliases: [A. Lovelace]}
      - {name: Gino Heeren, openalex: 'https://openalex.org/A5074494523'}
  elsewhere:
    journals: [{issn: 0028-0836, name: Nature}, 1932-6203]
    biorxiv: {categories: [Neuroscience]}
    medrxiv: {categories: [epidemiology]}
"""


@pytest.mark.parametrize("text", [RICH, example_config_text()], ids=["rich", "example"])
def test_the_plain_form_gives_back_the_same_config(text: str) -> None:
    config = parse_config(text, Path("/somewhere/radar.yaml"))
    assert config_from_plain(config_to_plain(config)) == config


def test_an_unchanged_watchlist_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "radar.yaml"
    path.write_text(RICH, encoding="utf-8")
    store = open_store(tmp_path / "cache")
    try:
        first = load_checked(path, store)
        import radar.config

        def parse_again(*args: object) -> None:
            raise AssertionError("parsed an unchanged watchlist again")

        monkeypatch.setattr(radar.config, "parse_config", parse_again)
        assert load_checked(path, store) == first
        # The same file by another name: the same checked config, under that name.
        relative = Path("..") / tmp_path.name / "radar.yaml"
        monkeypatch.chdir(tmp_path)
        assert load_checked(relative, store) == replace(first, path=relative)
    finally:
        store.close()


def test_an_edit_that_breaks_the_watchlist_is_reported_not_hidden(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    assert run("today", "--format", "json").code == 0
    watchlist.write_text(
        watchlist.read_text(encoding="utf-8") + "categories: [cs.XX]\n", encoding="utf-8"
    )
    broken = run("today", "--format", "json")
    assert broken.code == 2
    assert broken.err.startswith("error: ")
    assert "categories" in broken.err
    assert broken.out == ""


def test_a_watchlist_radar_cannot_read_is_worded_as_before(run: Run, watchlist: Path) -> None:
    watchlist.write_bytes(b"name: caf\xe9\n")
    result = run("today", "--offline")
    assert result.code == 2
    assert "is not UTF-8 text (byte 0xe9)" in result.err
