"""A run whose papers, watchlist and scoring code are what they were reuses the ranking the
cache kept, without decoding the day; a change to any of them ranks again."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from conftest import DEMO_FEED, Run, frozen_clock
from loopback import Answer, Loopback, fixture
from radar.report import feed_key
from radar.store import Store, _paper_out, open_store

NOON_NY = "2024-11-28T17:00:00+00:00"
EEG_PAPER = "2411.17705"  # EEG in its title: one of the watchlist's keywords


def papers(run: Run, *args: str) -> list[dict]:
    result = run("today", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)["papers"]


def labels(found: list[dict], arxiv_id: str) -> list[str]:
    return next([r["label"] for r in p["reasons"]] for p in found if p["id"] == arxiv_id)


def cache_dir(isolated_user: Path) -> Path:
    return isolated_user.parent / "home" / ".cache" / "radar"


def never(what: str) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{what} ran on a warm run")

    return fail


def test_a_warm_run_reuses_the_ranking_and_never_decodes_the_day(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = papers(run)
    import radar.merge
    import radar.rank

    monkeypatch.setattr(radar.rank, "rank", never("rank()"))
    monkeypatch.setattr(radar.merge, "merge", never("merge()"))
    monkeypatch.setattr(Store, "_papers", never("decoding the day's papers"))
    assert papers(run) == cold
    assert papers(run, "--offline") == cold
    assert arxiv.count("/rss/") == 1


def test_editing_the_watchlist_ranks_again(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    assert "keyword in title: EEG" in labels(papers(run), EEG_PAPER)
    watchlist.write_text(
        watchlist.read_text(encoding="utf-8").replace(", EEG]", "]"), encoding="utf-8"
    )
    assert "keyword in title: EEG" not in labels(papers(run), EEG_PAPER)


def test_new_papers_at_the_same_instant_rank_again(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same clock for both fetches: the kept ranking must be told apart by what the
    # papers are, not by when they were fetched.
    frozen_clock(monkeypatch, NOON_NY)
    assert EEG_PAPER in [p["id"] for p in papers(run)]
    without = re.sub(
        rb"<item>(?:(?!</item>).)*?" + EEG_PAPER.encode() + rb".*?</item>\s*",
        b"",
        fixture(DEMO_FEED),
        count=1,
        flags=re.S,
    )
    assert EEG_PAPER.encode() not in without
    arxiv.route("/rss/", Answer(body=without))
    assert EEG_PAPER not in [p["id"] for p in papers(run, "--refresh")]


@pytest.mark.parametrize(
    "damage",
    [b"not zlib at all", None],  # None: well-formed, the right stamp, the wrong shape
)
def test_a_damaged_kept_ranking_is_ranked_again(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, damage: bytes | None
) -> None:
    cold = papers(run)
    store = open_store(cache_dir(isolated_user))
    try:
        (key,) = [k for k in store._cache.iterkeys() if str(k).startswith("ranking:")]
        if damage is None:
            stamp = store._get(key)["stamp"]
            store._put(key, {"stamp": stamp, "value": {"ranked": [{"paper": {}}]}})
        else:
            store._cache.set(key, damage)
    finally:
        store.close()
    assert papers(run) == cold


def test_a_day_kept_by_radar_0_1_0_is_still_read(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    """0.1.0 kept a day's papers inside its day entry; a cache it wrote loses nothing."""
    papers(run)  # fetches and keeps the day
    current = papers(run, "--date", "2024-11-28")
    store = open_store(cache_dir(isolated_user))
    try:
        from radar.config import load_config

        key = feed_key(load_config(watchlist))
        day = f"day:{key}:2024-11-28"
        meta = store._get(day)
        held = store.day(key, date(2024, 11, 28))
        assert held is not None
        old = {k: meta[k] for k in ("day", "fetched_at", "valid_until")}
        store._put(day, {**old, "papers": [_paper_out(p) for p in held.papers]})
        for paper in held.papers:  # 0.1.0 found a paper through its day
            store._cache.set(f"where:{paper.key}", day)
        for entry in [k for k in store._cache.iterkeys() if str(k).startswith("papers:")]:
            del store._cache[entry]
        for entry in [k for k in store._cache.iterkeys() if str(k).startswith("ranking:")]:
            del store._cache[entry]
    finally:
        store.close()
    assert papers(run, "--date", "2024-11-28", "--offline") == current
    shown = run("show", current[0]["id"], "--offline")
    assert shown.code == 0, shown.err
    assert current[0]["title"][:30] in shown.out


def test_the_scoring_codes_files_are_part_of_the_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import radar.codestamp
    from radar.report import _SCORING_CODE

    for name in _SCORING_CODE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# v1\n", encoding="utf-8")
    monkeypatch.setattr(radar.codestamp, "PACKAGE", tmp_path)
    before = radar.codestamp.code_stamp(_SCORING_CODE)
    assert radar.codestamp.code_stamp(_SCORING_CODE) == before
    (tmp_path / "keywords.py").write_text("# v2, longer\n", encoding="utf-8")
    assert radar.codestamp.code_stamp(_SCORING_CODE) != before


def test_marking_the_same_papers_again_is_skipped_but_never_lost(tmp_path: Path) -> None:
    store = open_store(tmp_path / "cache")
    try:
        store.mark_seen(["a", "b"], date(2024, 11, 28))
        store.mark_seen(["a", "b"], date(2024, 11, 29))  # a rerun: nothing to add
        assert store.unseen(["a", "b", "c"]) == {"c"}
        store.mark_seen(["c"], date(2024, 11, 29))
        assert store.unseen(["a", "b", "c"]) == set()
        store.clear()
        assert store.unseen(["a", "b"]) == {"a", "b"}
        store.mark_seen(["a", "b"], date(2024, 11, 30))  # as before the clear: marked anew
        assert store.unseen(["a", "b"]) == set()
    finally:
        store.close()


@pytest.mark.parametrize("listed", ["report._SCORING_CODE", "checked._CHECKING_CODE"])
def test_the_stamped_code_is_every_radar_module_it_imports(listed: str) -> None:
    """A file missing from a stamp list would let a kept answer outlive a change to it."""
    import ast
    import importlib

    from radar.codestamp import PACKAGE

    module, name = listed.split(".")
    files = set(getattr(importlib.import_module(f"radar.{module}"), name))
    assert all((PACKAGE / f).is_file() for f in files), "a listed file does not exist"
    harmless = {"nogc.py", "errors.py", "datafiles.py"}  # no bearing on any result
    for path in [f for f in files if f.endswith(".py")]:
        tree = ast.parse((PACKAGE / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("radar."):
                imported = node.module.removeprefix("radar.").replace(".", "/") + ".py"
                assert imported in files | harmless, f"{path} imports {imported}"


def test_a_damaged_day_is_said_not_shown_as_an_empty_one(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    cold = papers(run)
    store = open_store(cache_dir(isolated_user))
    try:
        for key in list(store._cache.iterkeys()):
            if str(key).startswith("papers:"):
                store._cache.set(key, b"not zlib at all")
            elif str(key).startswith("ranking:"):
                del store._cache[key]
    finally:
        store.close()
    damaged = run("today", "--offline", "--format", "json")
    assert damaged.code == 3
    assert damaged.err.startswith("error: the cached papers of 2024-11-28 cannot be read back")
    assert "hint: run `radar today --refresh`" in damaged.err
    assert damaged.out == ""
    assert papers(run, "--refresh") == cold  # fetched again, and whole
