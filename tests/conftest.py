"""Shared fixtures: an isolated user, a loopback arXiv, and a way to run the CLI as a user would."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from loopback import Answer, Loopback, fixture
from radar.cli import main

# No property test may fail for being slow: on a loaded machine (CI, two cores shared by
# many jobs) one example can take longer than hypothesis's 200 ms deadline, and data
# generation longer than its health check allows. The per-test timeout still holds.
settings.register_profile(
    "radar", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("radar")

DEMO_FEED = "arxiv-rss/rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml"
EMPTY_FEED = "arxiv-rss/rss-2024-11-28-test-archive-empty-no-items-skipDays.xml"
ERROR_FEED = "arxiv-rss/rss-2024-11-28-error-bad-archive-astroph.xml"
API_SEARCH = "arxiv-api/api-2026-search-all_testing-10-entries-doi-journal_ref.xml"

# A watchlist that catches papers of the captured day (Thu 28 Nov 2024). Spacing 0
# is allowed only because the endpoints are not arXiv's hosts (see radar.wiring).
WATCHLIST = """\
name: Test radar
categories: [eess.SP, cs.LG, quant-ph]
authors:
  - Olga Fink
  - Sebastian Pokutta
  - Aurora Ramirez
keywords: [anomaly detection, fault diagnosis, EEG]
exclude: [lane rendering]
network:
  spacing: 0
  max_wait: 2
"""


@pytest.fixture(autouse=True)
def isolated_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real home, config, cache, keys or endpoints."""
    home = tmp_path / "home"
    home.mkdir()
    for name in (
        "RADAR_CONFIG",
        "RADAR_CACHE_DIR",
        "RADAR_DATA_DIR",
        "ZOTERO_API_KEY",
        "RADAR_ARXIV_RSS_URL",
        "RADAR_ARXIV_API_URL",
        "RADAR_BIORXIV_API_URL",
        "RADAR_OPENALEX_API_URL",
        "RADAR_CROSSREF_API_URL",
        "OPENALEX_API_KEY",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "NO_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COLUMNS", "100")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


Run = Callable[..., Outcome]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `radar ARGS...` in-process; returns exit code, stdout and stderr."""

    def _run(*args: str) -> Outcome:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return _run


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loopback]:
    """A loopback arXiv: the captured feed of 2024-11-28 and an export-API answer."""
    server = Loopback().start()
    server.route("/rss/", Answer(body=fixture(DEMO_FEED)))
    server.route(
        "/api/query", Answer(body=complete_api_answer(), content_type="application/atom+xml")
    )
    monkeypatch.setenv("RADAR_ARXIV_RSS_URL", server.url + "/rss/")
    monkeypatch.setenv("RADAR_ARXIV_API_URL", server.url + "/api/query")
    yield server
    server.stop()


@pytest.fixture
def watchlist(isolated_user: Path) -> Path:
    path = isolated_user / "radar.yaml"
    path.write_text(WATCHLIST, encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file an external XML entity may try to read; its text must never show."""
    from faults_support import SECRET

    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def complete_api_answer() -> bytes:
    """The captured 10-entry search page, with totalResults set to 10 so it is a whole answer."""
    body = fixture(API_SEARCH)
    return re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>10<", body)


def frozen_clock(monkeypatch: pytest.MonkeyPatch, iso: str) -> None:
    """Make radar's 'now' a fixed instant (the CLI's clock is radar.cli.world.utcnow)."""
    from datetime import datetime

    import radar.cli.world

    moment = datetime.fromisoformat(iso)
    monkeypatch.setattr(radar.cli.world, "utcnow", lambda: moment)
