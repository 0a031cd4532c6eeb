"""Keeping a fetched day is one transaction: a failure at any of its writes (the disk fills,
the process is stopped) leaves the cache exactly as it was — never a day's papers without
the entry that says when they were fetched, nor that entry without its papers.

The failure is injected into diskcache's `Cache.set`, the one call every write goes
through; which write fails is chosen by its position, not by the names radar gives its keys.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import diskcache
import pytest

from radar.models import Paper
from radar.store import DayRecord, open_store


class Injected(Exception):
    """The failure a test planted."""


def paper(arxiv_id: str, day: date) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        version=1,
        title=f"Paper {arxiv_id}",
        authors=("Ann Author",),
        abstract="Words.",
        categories=("cs.LG",),
        announce_type="new",
        announced=day,
    )


EARLIER = date(2024, 11, 27)
LATER = date(2024, 11, 28)
KEY = "cs.LG"


def record(day: date, *ids: str) -> DayRecord:
    fetched = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    return DayRecord(
        day=day,
        papers=tuple(paper(i, day) for i in ids),
        fetched_at=fetched,
        valid_until=fetched.replace(hour=23),
    )


def contents(path: Path) -> dict[Any, Any]:
    with diskcache.Cache(str(path)) as cache:
        return {key: cache.get(key) for key in cache.iterkeys()}


def counting_sets(monkeypatch: pytest.MonkeyPatch, fail_at: int | None) -> Callable[[], int]:
    """Count Cache.set calls from now on; raise Injected at call number `fail_at`."""
    real = diskcache.Cache.set
    calls = 0

    def set_(self: diskcache.Cache, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == fail_at:
            raise Injected(f"write {calls} failed")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(diskcache.Cache, "set", set_)
    return lambda: calls


def writes_of_one_day(tmp_path: Path) -> int:
    with pytest.MonkeyPatch.context() as patch:
        store = open_store(tmp_path / "count")
        count = counting_sets(patch, None)
        store.put_fetch(KEY, record(LATER, "2411.00001", "2411.00002"))
        store.close()
        return count()


def test_keeping_a_day_takes_several_writes(tmp_path: Path) -> None:
    # The papers and the entry that describes them, at least: the test below is not empty.
    assert writes_of_one_day(tmp_path) >= 2


def test_a_failure_at_any_write_of_a_day_leaves_the_cache_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = writes_of_one_day(tmp_path)
    for fail_at in range(1, total + 1):
        path = tmp_path / f"cache-{fail_at}"
        store = open_store(path)
        store.put_fetch(KEY, record(EARLIER, "2411.00009"))
        store.close()
        before = contents(path)

        store = open_store(path)
        with monkeypatch.context() as patch:
            counting_sets(patch, fail_at)
            with pytest.raises(Exception) as failure:
                store.put_fetch(KEY, record(LATER, "2411.00001", "2411.00002"))
        store.close()
        assert failure.type is Injected or isinstance(failure.value.__cause__, Injected), fail_at

        assert contents(path) == before, f"write {fail_at} of {total} left a half-kept day"
        reopened = open_store(path)
        assert reopened.day(KEY, LATER) is None
        assert reopened.days(KEY) == (EARLIER,)
        last = reopened.last_fetch(KEY)
        assert last is not None and last.day == EARLIER
        assert [p.arxiv_id for p in last.papers] == ["2411.00009"]
        assert reopened.paper("2411.00001") is None
        reopened.close()


def test_without_a_failure_the_day_is_kept_whole(tmp_path: Path) -> None:
    store = open_store(tmp_path / "cache")
    store.put_fetch(KEY, record(EARLIER, "2411.00009"))
    store.put_fetch(KEY, record(LATER, "2411.00001", "2411.00002"))
    store.close()
    reopened = open_store(tmp_path / "cache")
    held = reopened.day(KEY, LATER)
    assert held is not None
    assert [p.arxiv_id for p in held.papers] == ["2411.00001", "2411.00002"]
    assert reopened.days(KEY) == (EARLIER, LATER)
    assert reopened.paper("2411.00002") is not None
    reopened.close()
