"""`radar today --output-dir DIR`: dated digests and the index.md that lists them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import EMPTY_FEED, Run, frozen_clock
from loopback import Answer, Loopback, fixture


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_writes_the_days_digest_and_an_index(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    folder = isolated_user / "digests"
    result = run("today", "--output-dir", str(folder))
    assert result.code == 0, result.err
    assert result.out == ""
    digest = folder / "2024-11-28.md"
    assert f"wrote {digest} (6 papers)" in result.err
    assert str(front(digest)["date"]) == "2024-11-28"
    assert front(digest)["total"] == 6
    assert "EEG-DCNet" in digest.read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["2024-11-28.md", "index.md"]
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert front(folder / "index.md")["digests"] == 1
    assert (
        "- [Thu 2024-11-28](2024-11-28.md) — 5 new · 1 cross-list · 0 replacements"
        " — **6** matched — Test radar"
    ) in index


def test_index_lists_every_digest_newest_first(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    folder = isolated_user / "digests"
    folder.mkdir()
    # Two earlier digests, one radar wrote and one someone damaged, and files that are not
    # digests at all: the index is rebuilt from what is in the folder, every time.
    (folder / "2024-11-27.md").write_text(
        '---\ndate: "2024-11-27"\nwatchlist: "Old [list]"\n'
        "counts:\n  new: 3\n  cross: 1\n  replace: 2\n  replace_cross: 1\ntotal: 2\n---\n\n# x\n",
        encoding="utf-8",
    )
    (folder / "2024-11-29.md").write_text("no front matter here\n", encoding="utf-8")
    (folder / "notes.md").write_text("---\ntotal: 9\n---\n", encoding="utf-8")
    (folder / "2024-13-45.md").write_text("---\ntotal: 9\n---\n", encoding="utf-8")
    (folder / "index.md").write_text("stale\n", encoding="utf-8")
    result = run("today", "--output-dir", str(folder))
    assert result.code == 0, result.err
    index = (folder / "index.md").read_text(encoding="utf-8")
    entries = [line for line in index.splitlines() if line.startswith("- ")]
    assert [e.split("](")[1].split(")")[0] for e in entries] == [
        "2024-11-29.md",
        "2024-11-28.md",
        "2024-11-27.md",
    ]
    assert entries[0] == "- [Fri 2024-11-29](2024-11-29.md) — no radar front matter"
    # The watchlist name is data: escaped, so it cannot turn into a link.
    assert entries[2] == (
        "- [Wed 2024-11-27](2024-11-27.md) — 3 new · 1 cross-list · 3 replacements"
        " — **2** matched — Old \\[list\\]"
    )
    assert front(folder / "index.md")["digests"] == 3
    assert "stale" not in index
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_weekend_run_keeps_the_last_digest(
    run: Run,
    arxiv: Loopback,
    watchlist: Path,
    isolated_user: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = isolated_user / "digests"
    frozen_clock(monkeypatch, "2024-11-28T17:00:00+00:00")
    assert run("today", "--output-dir", str(folder)).code == 0
    written = (folder / "2024-11-28.md").read_text(encoding="utf-8")
    frozen_clock(monkeypatch, "2024-11-30T17:00:00+00:00")
    arxiv.route("/rss/", Answer(body=fixture(EMPTY_FEED)))
    result = run("today", "--output-dir", str(folder))
    assert result.code == 0, result.err
    assert "no arXiv announcement on 2024-11-30" in result.err
    assert "already holds the last one" in result.err
    assert (folder / "2024-11-28.md").read_text(encoding="utf-8") == written
    assert sorted(p.name for p in folder.iterdir()) == ["2024-11-28.md", "index.md"]


def test_nothing_at_all_writes_nothing(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    arxiv.route("/rss/", Answer(body=fixture(EMPTY_FEED)))
    folder = isolated_user / "digests"
    result = run("today", "--output-dir", str(folder))
    assert result.code == 0, result.err
    assert "no announcement to write a digest of" in result.err
    assert list(folder.iterdir()) == []


def test_output_dir_is_created(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    folder = isolated_user / "a" / "b"
    assert run("today", "--output-dir", str(folder)).code == 0
    assert (folder / "2024-11-28.md").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--output", "d.md"), "--output and --output-dir cannot be used together"),
        (("--format", "json"), "--output-dir writes Markdown, HTML or Atom digests, not json"),
        (("--page", "2"), "--page cannot be used with --output-dir"),
    ],
)
def test_bad_combinations_fail_before_any_request(
    run: Run,
    arxiv: Loopback,
    watchlist: Path,
    isolated_user: Path,
    extra: tuple[str, ...],
    message: str,
) -> None:
    result = run("today", "--output-dir", str(isolated_user / "digests"), *extra)
    assert result.code == 2
    assert f"error: {message}" in result.err
    assert "hint:" in result.err
    assert arxiv.requests == []
    assert not (isolated_user / "digests").exists()


def test_unwritable_output_dir_is_an_output_error(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    blocker = isolated_user / "file"
    blocker.write_text("", encoding="utf-8")
    result = run("today", "--output-dir", str(blocker / "digests"))
    assert result.code == 2
    assert "error: cannot create the digest directory" in result.err
    assert arxiv.requests == []


def test_markdown_format_is_allowed(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    folder = isolated_user / "digests"
    result = run("today", "--output-dir", str(folder), "--format", "markdown")
    assert result.code == 0, result.err
    assert (folder / "index.md").is_file()
