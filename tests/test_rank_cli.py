"""`radar rank`: papers given as JSON Lines, ranked by a library alone, in every format."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from conftest import Run
from loopback import FIXTURES

SAMPLE = FIXTURES / "library" / "zotero-sample.bib"  # three papers, all with Tao Lu
POOL = [
    {
        "id": "2601.00001",
        "title": "Relightable Gaussian splatting of outdoor scenes",
        "abstract": "We relight 3D Gaussian splatting from unconstrained photo collections.",
        "authors": ["Haiyang Bai", "Jane Roe"],  # Haiyang Bai co-wrote GaRe (the sample)
        "categories": ["cs.CV"],
        "primary_category": "cs.CV",
        "date": "2026-01-05",
    },
    {
        "id": "2601.00002",
        "title": "Monetary policy and inflation expectations",
        "abstract": "A survey of central bank communication and inflation.",
        "authors": ["John Doe"],
        "categories": ["econ.GN"],
        "primary_category": "econ.GN",
        "date": "2026-01-06",
    },
    {
        "id": "2601.00003",
        "title": "Dark matter halos in galaxy clusters",
        "abstract": "We simulate halos and lensing in clusters of galaxies.",
        "authors": ["Mary Major"],
        "categories": ["astro-ph.CO"],
        "primary_category": "astro-ph.CO",
        "date": "2026-01-06",
    },
]


@pytest.fixture
def pool(tmp_path: Path) -> Path:
    path = tmp_path / "pool.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in POOL), encoding="utf-8")
    return path


def test_jsonl_lists_every_paper_best_first_with_score_and_reasons(run: Run, pool: Path) -> None:
    done = run("rank", "--library", str(SAMPLE), str(pool), "--format", "jsonl", "--limit", "0")
    assert done.code == 0, done.err
    rows = [json.loads(line) for line in done.out.splitlines()]
    assert len(rows) == 3
    assert rows[0]["id"] == "2601.00001"
    assert all({"id", "score", "reasons"} <= row.keys() for row in rows)
    assert rows[0]["score"] > rows[1]["score"] >= rows[2]["score"]
    labels = [r["label"] for r in rows[0]["reasons"]]
    assert "co-author of yours: Haiyang Bai" in labels
    assert any(label.startswith("like 'GaRe: Relightable 3D Gaussian") for label in labels)


def test_json_markdown_and_terminal_show_the_same_order(run: Run, pool: Path) -> None:
    args = ("rank", "--library", str(SAMPLE), str(pool))
    doc = json.loads(run(*args, "--format", "json").out)
    assert doc["papers"][0]["id"] == "2601.00001"
    assert doc["total"] == 3
    markdown = run(*args, "--format", "markdown").out
    assert markdown.index("Relightable Gaussian") < markdown.index("Monetary policy")
    terminal = run(*args, "--limit", "1")
    assert terminal.code == 0, terminal.err
    assert "Relightable Gaussian" in terminal.out
    assert "co-author of yours: Haiyang Bai" in terminal.out
    assert "Monetary policy" not in terminal.out  # --limit 1
    # The next page is asked for with the same library and input.
    more = f"more: radar rank --library {SAMPLE} --limit 1 --page 2 {pool}"
    assert more in terminal.out.replace("\n", "")


def test_radars_own_json_is_ranked_again(run: Run, pool: Path, tmp_path: Path) -> None:
    first = run("rank", str(pool), "--format", "json")
    again = tmp_path / "again.json"
    again.write_text(first.out, encoding="utf-8")
    done = run("rank", "--library", str(SAMPLE), str(again), "--format", "jsonl")
    assert done.code == 0, done.err
    assert json.loads(done.out.splitlines()[0])["id"] == "2601.00001"


def test_without_a_library_every_paper_is_still_listed(run: Run, pool: Path) -> None:
    done = run("rank", str(pool), "--format", "jsonl")
    assert done.code == 0, done.err
    assert sorted(json.loads(line)["id"] for line in done.out.splitlines()) == [
        "2601.00001",
        "2601.00002",
        "2601.00003",
    ]


def test_stdin_is_read_when_no_input_is_named(
    run: Run, pool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(pool.read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    done = run("rank", "--library", str(SAMPLE), "-", "--format", "jsonl")
    assert done.code == 0, done.err
    assert json.loads(done.out.splitlines()[0])["id"] == "2601.00001"


def test_bad_lines_are_one_warning_each_and_the_rest_ranked(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(POOL[0]) + "\n"
        "not json at all\n"
        "[1, 2]\n"
        '{"id": "2601.00009"}\n'
        "\n" + json.dumps(POOL[1]) + "\n",
        encoding="utf-8",
    )
    done = run("rank", "--library", str(SAMPLE), str(path), "--format", "jsonl")
    assert done.code == 0, done.err
    assert [json.loads(line)["id"] for line in done.out.splitlines()] == [
        "2601.00001",
        "2601.00002",
    ]
    assert done.err.splitlines() == [
        f"warning: {path}:2: not a JSON object; skipped",
        f"warning: {path}:3: not a JSON object; skipped",
        f"warning: {path}:4: no title; skipped",
    ]
    assert "Traceback" not in done.err


def test_a_missing_library_is_a_warning_and_a_missing_input_an_error(
    run: Run, pool: Path, tmp_path: Path
) -> None:
    done = run("rank", "--library", str(tmp_path / "gone.bib"), str(pool), "--format", "jsonl")
    assert done.code == 0
    assert done.err == f"warning: library: {tmp_path / 'gone.bib'} does not exist; skipped\n"
    assert len(done.out.splitlines()) == 3
    missing = run("rank", str(tmp_path / "nothing.jsonl"))
    assert missing.code == 2
    assert missing.err.startswith(f"error: cannot read {tmp_path / 'nothing.jsonl'}")
    assert "hint: " in missing.err
    assert missing.out == ""
