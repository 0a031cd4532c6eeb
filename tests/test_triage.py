"""`radar save|dismiss|forget|saved`: verdicts by card number or id, kept as the user's data."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import bibtexparser
import pytest

from conftest import Run
from faults_support import finish, radar_env, start_radar
from loopback import Loopback
from radar.library.records import PaperRecord
from radar.library.verdicts import VerdictStore


def today_papers(run: Run, *args: str) -> list[dict]:
    result = run("today", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)["papers"]


def saved_json(run: Run, *args: str) -> list[dict]:
    result = run("saved", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)["papers"]


def data_file(home: Path) -> Path:
    return home / ".local" / "share" / "radar" / "verdicts.sqlite3"


@pytest.fixture
def home(isolated_user: Path) -> Path:
    return isolated_user.parent / "home"


def test_save_takes_the_numbers_of_the_json_page_last_shown(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    papers = today_papers(run)
    by_rank = {p["rank"]: p for p in papers}
    result = run("save", "2", "4")
    assert result.code == 0, result.err
    saved = saved_json(run)
    assert [p["id"] for p in saved] == [by_rank[2]["id"], by_rank[4]["id"]]
    assert saved[0]["title"] == by_rank[2]["title"]
    assert saved[0]["authors"] == by_rank[2]["authors"]
    assert saved[0]["abstract"] == by_rank[2]["abstract"]
    assert saved[0]["verdict"] == "saved"
    assert f"saved: {by_rank[2]['title']} ({by_rank[2]['id']})" in result.err


def test_numbers_of_a_later_page_count_on_from_the_first(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    everything = today_papers(run)
    shown = run("today", "--format", "markdown", "--limit", "2", "--page", "2")
    assert shown.code == 0, shown.err
    assert "## 3. " in shown.out
    assert run("save", "3").code == 0
    assert [p["id"] for p in saved_json(run)] == [everything[2]["id"]]
    # Card 1 was on page 1, not on the page shown last.
    refused = run("save", "1")
    assert refused.code == 2
    assert "no card 1" in refused.err and "cards 3-4" in refused.err


def test_a_number_beyond_the_last_page_is_a_usage_error(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    assert len(today_papers(run, "--limit", "5")) == 5
    result = run("save", "2", "42")
    assert result.code == 2
    assert "error: there is no card 42: the last page shown had cards 1-5" in result.err
    assert "hint: " in result.err
    assert saved_json(run) == []  # nothing is half-done: card 2 was not saved either


def test_a_number_before_any_page_was_shown_is_a_usage_error(run: Run) -> None:
    result = run("dismiss", "7")
    assert result.code == 2
    assert "no page has been shown yet" in result.err
    assert "hint: run `radar today` first" in result.err


def test_something_that_is_no_number_id_or_doi_is_a_usage_error(run: Run) -> None:
    result = run("save", "not-a-paper")
    assert result.code == 2
    assert "'not-a-paper' is not a card number, an arXiv id or a DOI" in result.err


def test_dismissed_papers_are_hidden_and_said_so_and_all_shows_them(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    first = today_papers(run)
    assert run("dismiss", "1").code == 0
    result = run("today", "--format", "json")
    again = [p["id"] for p in json.loads(result.out)["papers"]]
    assert again == [p["id"] for p in first[1:]]
    assert "1 dismissed paper hidden (--all shows them)" in result.err
    everything = [p["id"] for p in today_papers(run, "--all")]
    assert everything == [p["id"] for p in first]


def test_forget_takes_a_verdict_back(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    papers = today_papers(run)
    assert run("dismiss", papers[0]["id"]).code == 0
    result = run("forget", papers[0]["id"])
    assert result.code == 0, result.err
    assert "forgot: dismissed" in result.err
    assert [p["id"] for p in today_papers(run)] == [p["id"] for p in papers]
    nothing = run("forget", papers[0]["id"])
    assert nothing.code == 2
    assert f"no verdict on {papers[0]['id']}" in nothing.err


def test_an_id_not_on_the_page_is_found_in_the_cache(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    papers = today_papers(run, "--limit", "1")
    everything = today_papers(run, "--all", "--limit", "0")
    assert run("today", "--format", "json", "--limit", "1").code == 0
    other = everything[-1]
    assert other["id"] != papers[0]["id"]
    assert run("save", f"arXiv:{other['id']}v1").code == 0
    (saved,) = saved_json(run)
    assert saved["id"] == other["id"]
    assert saved["title"] == other["title"]


def test_an_unknown_id_or_doi_is_saved_with_what_is_known(run: Run) -> None:
    result = run("save", "2411.99999", "https://doi.org/10.1000/XYZ.1")
    assert result.code == 0, result.err
    assert "2411.99999 (only its id is known)" in result.err
    saved = saved_json(run)
    assert [(p["id"], p["doi"], p["key"]) for p in saved] == [
        ("2411.99999", None, "2411.99999"),
        (None, "10.1000/xyz.1", "doi:10.1000/xyz.1"),
    ]


def test_verdicts_live_in_the_data_dir_and_survive_cache_clear(
    run: Run, arxiv: Loopback, watchlist: Path, home: Path
) -> None:
    today_papers(run)
    assert run("save", "1").code == 0
    assert data_file(home).exists()
    assert run("cache", "clear", "--yes").code == 0
    assert len(saved_json(run)) == 1
    rows = sqlite3.connect(data_file(home)).execute(
        "SELECT key, verdict, title, authors, decided_at FROM verdicts"
    ).fetchall()
    assert len(rows) == 1 and rows[0][1] == "saved" and rows[0][2]
    assert json.loads(rows[0][3])  # the authors, as a JSON list
    assert datetime.fromisoformat(rows[0][4]).tzinfo is not None


def test_radar_data_dir_overrides_the_place(
    run: Run, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "elsewhere"))
    assert run("save", "2411.17705").code == 0
    assert (tmp_path / "elsewhere" / "verdicts.sqlite3").exists()
    assert not data_file(home).exists()


def test_an_unusable_data_dir_is_an_error_with_a_hint(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("RADAR_DATA_DIR", str(blocker / "radar"))
    result = run("save", "2411.17705")
    assert result.code == 2
    assert "error: cannot use radar's data file" in result.err
    assert "hint: set RADAR_DATA_DIR" in result.err
    assert "Traceback" not in result.err


def test_today_still_shows_the_day_when_the_data_dir_is_unusable(
    run: Run, arxiv: Loopback, watchlist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("RADAR_DATA_DIR", str(blocker / "radar"))
    result = run("today", "--format", "json")
    assert result.code == 0
    assert len(json.loads(result.out)["papers"]) == 6
    assert "warning: dismissed papers are shown" in result.err


# -- two writers at once ------------------------------------------------------------------


def _record(n: int) -> PaperRecord:
    return PaperRecord(key=f"2411.{n:05d}", arxiv_id=f"2411.{n:05d}", title=f"Paper {n}")


def test_threads_saving_at_once_lose_no_verdict(tmp_path: Path) -> None:
    path = tmp_path / "data" / "verdicts.sqlite3"
    errors: list[BaseException] = []

    def writer(first: int) -> None:
        try:
            with VerdictStore(path, lambda: datetime.now(UTC)) as store:
                for n in range(first, first + 25):
                    store.judge([_record(n)], "saved" if n % 2 else "dismissed")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i * 100,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=50)
    assert errors == []
    with VerdictStore(path, lambda: datetime.now(UTC)) as store:
        assert len(store.judged()) == 150
        assert len(store.keys("saved")) == 6 * 12  # the odd n: 12 of 25 from an even start
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_processes_saving_at_once_lose_no_verdict(tmp_path: Path, home: Path) -> None:
    env = radar_env(home, data_dir=str(tmp_path / "shared-data"))
    ids = [f"2411.1770{n}" for n in range(6)]
    started = time.monotonic()
    processes = [start_radar(["save", i], env, tmp_path) for i in ids]
    results = [finish(p, started, timeout=50) for p in processes]
    assert [r.code for r in results] == [0] * len(ids), [r.err for r in results]
    with VerdictStore(tmp_path / "shared-data" / "verdicts.sqlite3", datetime.now) as store:
        assert sorted(store.keys("saved")) == ids


# -- BibTeX -------------------------------------------------------------------------------


def test_saved_as_bibtex_parses_with_unique_keys_and_arxiv_fields(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    papers = today_papers(run)
    assert run("save", *[str(p["rank"]) for p in papers]).code == 0
    result = run("saved", "--format", "bibtex")
    assert result.code == 0, result.err
    library = bibtexparser.parse_string(result.out)
    assert library.failed_blocks == []
    assert len(library.entries) == len(papers)
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == len(keys)
    assert all(k.isascii() and " " not in k for k in keys)
    by_eprint = {e.fields_dict["eprint"].value: e for e in library.entries}
    eeg = by_eprint["2411.17705"]
    assert eeg.entry_type == "misc"
    assert eeg.fields_dict["archivePrefix"].value == "arXiv"
    assert eeg.fields_dict["primaryClass"].value == "eess.SP"
    assert eeg.fields_dict["url"].value == "https://arxiv.org/abs/2411.17705"


def test_bibtex_escapes_what_would_break_an_entry(tmp_path: Path) -> None:
    from radar.library.bibtex_export import to_bibtex

    nasty = PaperRecord(
        key="2411.00001",
        arxiv_id="2411.00001",
        title="Unbalanced } brace { and 100% of $x_1$ & #tags ~ ^ \\cmd",
        authors=("Jean-Luc Picard", "Center for History and New Media", "Ramírez"),
        year=2024,
        categories=("cs.LG",),
        abstract="Line one\nline two @misc{evil,",
    )
    twin = PaperRecord(key="2411.00002", arxiv_id="2411.00002", title="Unbalanced twin",
                       authors=("Jean-Luc Picard",), year=2024)
    text = to_bibtex([nasty, twin])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["picard2024unbalanced", "picard2024unbalanceda"]
    fields = library.entries[0].fields_dict
    assert fields["title"].value == (
        "Unbalanced \\textbraceright{} brace \\textbraceleft{} and 100\\% of \\$x\\_1\\$ \\& "
        "\\#tags \\textasciitilde{} \\textasciicircum{} \\textbackslash{}cmd"
    )
    assert fields["author"].value == (
        "Picard, Jean-Luc and {Center for History and New Media} and {Ramírez}"
    )
    assert fields["abstract"].value == "Line one line two @misc\\textbraceleft{}evil,"
    assert "\n" not in fields["abstract"].value
