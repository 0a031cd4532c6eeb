"""`radar init` (with and without a terminal) and `radar categories`, run as a user would."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import yaml

import radar.cli.setup
from conftest import Run
from radar.config import example_config_text, load_config
from radar.starter import Choices, split_list, starter_text


def user_watchlist(isolated_user: Path) -> Path:
    return isolated_user.parent / "home" / ".config" / "radar" / "radar.yaml"


def answering(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    """Be a person at a terminal who types `answers`, one line each."""
    monkeypatch.setattr(radar.cli.setup, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(a + "\n" for a in answers)))


def test_no_terminal_writes_the_example_and_says_so(run: Run, isolated_user: Path) -> None:
    # Under pytest stdin is not a terminal, like cron or CI: init must not wait for answers.
    result = run("init")
    assert result.code == 0, result.err
    target = user_watchlist(isolated_user)
    assert target.read_text(encoding="utf-8") == example_config_text()
    assert "stdin is not a terminal" in result.err
    assert f"wrote {target}" in result.err
    assert result.out == ""


def test_yes_writes_the_example_without_asking(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(radar.cli.setup, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # any question would hit EOF
    target = isolated_user / "mine.yaml"
    result = run("init", "--yes", "--path", str(target))
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8") == example_config_text()
    assert "not a terminal" not in result.err


def test_answers_fill_in_the_commented_example(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering(monkeypatch, "cs.CV, hep-th", "Jane Doe, Ana María O'Neil", "graph neural, EEG")
    result = run("init")
    assert result.code == 0, result.err
    target = user_watchlist(isolated_user)
    text = target.read_text(encoding="utf-8")
    config = load_config(target)
    assert config.categories == ("cs.CV", "hep-th")
    assert [a.name for a in config.authors] == ["Jane Doe", "Ana María O'Neil"]
    assert config.topics[0].keywords == ("graph neural", "EEG")
    # The example's own extras would surprise: commented out, not deleted.
    assert config.similar_to == ()
    assert config.exclude == ()
    assert [t.name for t in config.topics] == ["radar"]
    assert "# similar_to: [2312.02826]" in text
    assert "# topics:" in text
    # Every comment of the example survives.
    comments = [line for line in example_config_text().splitlines() if line.startswith("#")]
    assert comments
    assert all(line in text.splitlines() for line in comments)
    # The questions went to stderr, not stdout.
    assert "arXiv categories" in result.err
    assert "Authors" in result.err


def test_an_unknown_category_is_refused_with_a_suggestion(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering(monkeypatch, "cs.ML, astroph.CO", "cs.LG, astro-ph.CO", "", "")
    result = run("init")
    assert result.code == 0, result.err
    assert "'cs.ML' is not an arXiv category: did you mean cs.LG?" in result.err
    assert "'astroph.CO' is not an arXiv category: did you mean astro-ph.CO?" in result.err
    assert "radar categories" in result.err
    config = load_config(user_watchlist(isolated_user))
    assert config.categories == ("cs.LG", "astro-ph.CO")
    assert config.authors == ()


def test_enter_keeps_the_default_categories(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering(monkeypatch, "", "", "")
    result = run("init")
    assert result.code == 0, result.err
    config = load_config(user_watchlist(isolated_user))
    assert config.categories == ("cs.LG", "cs.AI", "eess.SP", "stat.ML")
    assert config.authors == ()


def test_authors_only_is_fine_but_nothing_at_all_is_asked_again(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering(monkeypatch, "none", "", "Olga Fink", "")
    result = run("init")
    assert result.code == 0, result.err
    assert "watch at least one category or author" in result.err
    config = load_config(user_watchlist(isolated_user))
    assert config.categories == ()
    assert [a.name for a in config.authors] == ["Olga Fink"]


def test_running_out_of_answers_writes_nothing(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering(monkeypatch, "cs.LG")  # then end of input, like Ctrl-D
    result = run("init")
    assert result.code == 130
    assert "error: interrupted" in result.err
    assert not user_watchlist(isolated_user).exists()


def test_never_overwrites_without_force(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = isolated_user / "radar.yaml"
    target.write_text("categories: [math]\n", encoding="utf-8")
    answering(monkeypatch, "cs.LG", "", "")
    refused = run("init", "--path", str(target))
    assert refused.code == 2
    assert f"error: {target} already exists" in refused.err
    assert "hint: edit it, or pass --force" in refused.err
    assert "arXiv categories" not in refused.err  # refused before asking anything
    assert target.read_text(encoding="utf-8") == "categories: [math]\n"
    forced = run("init", "--path", str(target), "--force", "--yes")
    assert forced.code == 0, forced.err
    assert target.read_text(encoding="utf-8") == example_config_text()


def test_written_watchlist_is_used_by_today(run: Run, isolated_user: Path) -> None:
    assert run("init", "--path", "radar.yaml", "--yes").code == 0
    result = run("today", "--offline")
    # The watchlist is valid: the only complaint is that nothing is cached yet.
    assert result.code == 3
    assert "offline, and no announcement is cached yet" in result.err


@pytest.mark.parametrize(
    "text",
    [
        "Null",
        "yes",
        "a: b",
        "x # not a comment",
        "[brackets], {braces}",
        "O'Brien",
        '"quoted"',
        "back\\slash",
        "  spaced  out  ",
        "tab\there",
        "émile zola",
        "- dash",
        "100",
    ],
)
def test_starter_text_keeps_any_answer_literal(text: str) -> None:
    from radar.config import parse_config

    choices = Choices(categories=("cs.LG",), authors=(text,), keywords=(text,))
    config = parse_config(starter_text(example_config_text(), choices), None)
    tidy = " ".join(text.split())
    assert [a.name for a in config.authors] == [tidy]
    assert config.topics[0].keywords == (tidy,)


def test_split_list_tidies_and_dedupes() -> None:
    assert split_list(" cs.LG ,, math,cs.LG ") == ("cs.LG", "math")
    assert split_list("") == ()


# -- radar categories ------------------------------------------------------------------


def test_categories_lists_the_whole_taxonomy(run: Run) -> None:
    result = run("categories")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 155
    assert any(line.split()[:3] == ["cs.LG", "Machine", "Learning"] for line in lines)
    assert "astro-ph.CO" in result.out
    assert "(Astrophysics, Physics)" in result.out
    assert "archive code" in result.err  # the tip is people-talk, on stderr


def test_categories_pattern_matches_code_or_name_in_any_case(run: Run) -> None:
    by_name = run("categories", "LEARNING")
    assert [line.split()[0] for line in by_name.out.splitlines()] == ["cs.LG", "stat.ML"]
    by_code = run("categories", "hep-")
    codes = [line.split()[0] for line in by_code.out.splitlines()]
    assert codes == ["hep-ex", "hep-lat", "hep-ph", "hep-th"]


def test_categories_json_is_a_list_of_objects(run: Run) -> None:
    result = run("categories", "quantum", "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert {
        "code": "quant-ph",
        "name": "Quantum Physics",
        "archive": "quant-ph",
        "archive_name": "Quantum Physics",
        "group": "Physics",
    } in rows
    assert all(set(r) == {"code", "name", "archive", "archive_name", "group"} for r in rows)
    assert all("quantum" in (r["code"] + r["name"]).lower() for r in rows)
    full = json.loads(run("categories", "-f", "json").out)
    assert len(full) == 155


def test_categories_with_no_match_is_a_clear_error(run: Run) -> None:
    result = run("categories", "no such field")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("error: no arXiv category matches 'no such field'")
    assert "hint:" in result.err
    slip = run("categories", "cs.ML")
    assert "hint: did you mean cs.LG?" in slip.err


def test_example_watchlist_is_valid_yaml_with_comments() -> None:
    # The template works on lines: it relies on the example keeping one key per block.
    text = example_config_text()
    assert yaml.safe_load(text)["categories"]
    assert text.count("\n#") > 10


def test_quiet_does_not_hide_the_conversation(
    run: Run, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answering(monkeypatch, "cs.ML", "cs.LG", "", "")
    result = run("-q", "init")
    assert result.code == 0, result.err
    assert "did you mean cs.LG?" in result.err
    assert "wrote" not in result.err  # the summary line is people-talk -q silences
