"""`radar today` ranks with the user's library and verdicts once the watchlist names them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import WATCHLIST, Run
from loopback import Loopback

# A real paper of the captured day (2411.17703) has Elena Massara among its authors; she is
# no watched author, so only the library can lift it.
LIBRARY_BIB = """\
@article{massara2023,
  title = {Cosmic voids as a probe of modified gravity},
  author = {Massara, Elena and Owner, Dana},
  year = {2023},
}
"""


def papers(run: Run, *args: str) -> dict[str, dict]:
    result = run("today", "--format", "json", "--limit", "0", *args)
    assert result.code == 0, result.err
    return {p["id"]: p for p in json.loads(result.out)["papers"]}


def with_library(isolated_user: Path, bib: str) -> Path:
    (isolated_user / "mine.bib").write_text(bib, encoding="utf-8")
    path = isolated_user / "radar.yaml"
    path.write_text(WATCHLIST + "library:\n  bibtex: [mine.bib]\n", encoding="utf-8")
    return path


def test_a_coauthor_in_the_library_lifts_a_paper_with_a_reason(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    plain = isolated_user / "plain.yaml"
    plain.write_text(WATCHLIST, encoding="utf-8")
    before = papers(run, "-c", str(plain))["2411.17703"]
    assert not any(r["kind"] == "coauthor" for r in before["reasons"])

    after = papers(run, "-c", str(with_library(isolated_user, LIBRARY_BIB)))["2411.17703"]
    coauthor = [r for r in after["reasons"] if r["kind"] == "coauthor"]
    assert [r["label"] for r in coauthor] == ["co-author of yours: Elena Massara"]
    assert coauthor[0]["weight"] == 6.0  # the default `coauthor` weight, one joint paper
    # Every point the library adds is a reason on the card.
    added = [r for r in after["reasons"] if r not in before["reasons"]]
    assert after["score"] == round(before["score"] + sum(r["weight"] for r in added), 3)
    assert after["rank"] < before["rank"]


def test_the_library_counts_offline_too(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    config = str(with_library(isolated_user, LIBRARY_BIB))
    papers(run, "-c", config)
    offline = papers(run, "-c", config, "--offline")["2411.17703"]
    assert any(r["label"] == "co-author of yours: Elena Massara" for r in offline["reasons"])


def test_a_saved_paper_teaches_the_next_run(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    first = papers(run)
    chosen = next(p for p in first.values() if p["rank"] == 5)
    assert run("save", "5").code == 0
    again = papers(run)[chosen["id"]]
    labels = [r["label"] for r in again["reasons"] if r["kind"] == "library"]
    assert len(labels) == 1 and labels[0].startswith("like '") and "you saved" in labels[0]
    assert again["score"] > chosen["score"]


def test_a_missing_library_file_is_a_warning_and_the_day_is_shown(
    run: Run, arxiv: Loopback, isolated_user: Path
) -> None:
    path = isolated_user / "radar.yaml"
    path.write_text(WATCHLIST + "library:\n  bibtex: [gone.bib]\n", encoding="utf-8")
    result = run("today", "--format", "json", "-c", str(path))
    assert result.code == 0
    assert "gone.bib does not exist" in result.err
    assert len(json.loads(result.out)["papers"]) > 5
