"""The cache is only a cache: what is planted in it never runs or reaches outside it, a
damaged one is moved aside and rebuilt, and a full disk or a refused permission is one
error line naming the path."""

from __future__ import annotations

import errno
import json
import os
import socket
import sqlite3
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import diskcache
import pytest

from conftest import WATCHLIST, Outcome, Run
from faults_support import huge_feed
from loopback import Answer, Loopback
from nobody_support import NOBODY, AsNobody, nobody_home, runner


def cache_dir(isolated_user: Path) -> Path:
    return isolated_user.parent / "home" / ".cache" / "radar"


def value_files(cache: Path) -> set[Path]:
    return {p for p in cache.rglob("*.val") if "damaged-" not in str(p)}


def no_traceback(result: Outcome) -> None:
    assert "Traceback" not in result.err, result.err
    assert "hit a bug" not in result.err, result.err


def error_lines(result: Outcome) -> list[str]:
    return [line for line in result.err.splitlines() if line.startswith("error:")]


def warmed(run: Run, arxiv: Loopback, isolated_user: Path) -> Path:
    """Run radar once online, so the cache holds a day (200 papers: large enough for a value
    file of its own), a search and a ranking."""
    arxiv.route("/rss/", Answer(body=huge_feed(200)))
    first = run("today", "--format", "json")
    assert first.code == 0, first.err
    cache = cache_dir(isolated_user)
    assert value_files(cache), "the day's papers should sit in a value file"
    return cache


class Planted:
    """Unpickling this opens (so creates) `marker`: code run as whoever loads it."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


class PlantedKey(Planted):
    def __hash__(self) -> int:
        return 1


# -- 2a: nothing planted is ever unpickled ----------------------------------------------


@pytest.mark.parametrize("where", ["every value", "a large value file", "a key"])
def test_a_planted_pickle_never_runs(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, tmp_path: Path, where: str
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    marker = tmp_path / "planted-code-ran"
    # A plain diskcache writes what an attacker would: pickles, in the row or in a file.
    planter = diskcache.Cache(str(cache))
    keys = [k for k in planter.iterkeys() if isinstance(k, str)]
    if where == "every value":
        for key in keys:
            planter.set(key, Planted(marker))
    elif where == "a large value file":
        for key in keys:
            planter.set(key, [Planted(marker), "x" * 40_000])
    else:
        planter.set(PlantedKey(marker), "x")
    # The plant is live: diskcache itself would run it.
    if where == "a key":
        list(planter.iterkeys())
    else:
        planter.get(keys[0])
    planter.close()
    assert marker.exists()
    marker.unlink()

    offline = run("today", "--offline", "--format", "json")
    no_traceback(offline)
    assert not marker.exists(), "`radar today --offline` ran planted code"
    warnings = [line for line in offline.err.splitlines() if "did not write" in line]
    if where != "a key":
        assert offline.code == 3  # nothing usable was cached: said, not invented
        assert len(warnings) == 1, offline.err
        assert warnings[0].startswith("warning: ")
    else:
        assert offline.code == 0, offline.err
    for args in (("cache", "info"), ("show", "2411.20003", "--offline")):
        no_traceback(run(*args))
        assert not marker.exists(), f"`radar {' '.join(args)}` ran planted code"
    # And radar goes on: the next online run fetches and caches the day again.
    again = run("today", "--format", "json")
    assert again.code == 0, again.err
    assert not marker.exists()
    assert run("today", "--offline", "--format", "json").code == 0


@pytest.mark.parametrize("value", [{"a": 1}, 2**70, 1.5, None, ("t",)])
def test_radars_disk_never_writes_a_pickle(tmp_path: Path, value: object) -> None:
    from radar.safedisk import SafeDisk

    cache = diskcache.Cache(str(tmp_path / "c"), disk=SafeDisk)
    try:
        with pytest.raises(TypeError):
            cache.set("key", value)
        with pytest.raises(TypeError):
            cache.set(value, "value")
        cache.set("key", b"bytes")
        cache.set("text", "x" * 40_000)  # large enough for a value file of its own
        assert cache.get("key") == b"bytes" and cache.get("text") == "x" * 40_000
    finally:
        cache.close()
    with sqlite3.connect(tmp_path / "c" / "cache.db") as db:
        modes = db.execute("SELECT raw, mode FROM Cache").fetchall()
    db.close()
    assert all(raw == 1 and mode in (1, 2, 3) for raw, mode in modes), modes  # no mode 4


def test_a_row_naming_a_file_outside_the_cache_is_neither_read_nor_deleted(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, tmp_path: Path
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n", encoding="utf-8")
    outside = os.path.relpath(victim, cache)
    with sqlite3.connect(cache / "cache.db") as db:
        db.execute(
            "UPDATE Cache SET mode = 2, filename = ?, value = NULL WHERE key LIKE 'fetch:%'",
            (outside,),
        )
        db.execute(
            "UPDATE Cache SET mode = 3, filename = ?, value = NULL WHERE key LIKE 'where:%'",
            (str(victim),),
        )
    db.close()
    no_traceback(run("today", "--offline", "--format", "json"))
    no_traceback(run("show", "2411.20003", "--offline"))
    # An online run writes those entries again; diskcache would delete the old "value file".
    result = run("today", "--refresh", "--format", "json")
    assert result.code == 0, result.err
    assert victim.read_text(encoding="utf-8") == "the user's own file\n"


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_value_file_that_is_a_link_or_a_fifo_is_not_read(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, tmp_path: Path, kind: str
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    for number, held in enumerate(sorted(value_files(cache))):
        elsewhere = tmp_path / f"elsewhere-{number}.bin"
        elsewhere.write_bytes(held.read_bytes())  # what the link points at would decode fine
        held.unlink()
        if kind == "symlink":
            held.symlink_to(elsewhere)
        else:
            os.mkfifo(held)  # reading it would wait for ever for a writer
    result = run("today", "--offline", "--format", "json")
    no_traceback(result)
    assert any("did not write" in line for line in result.err.splitlines()), result.err


# What radar's own framing (zlib-compressed JSON, format 1) could carry that radar never wrote.
WRONG_SHAPES = {
    "a number": 5,
    "text": "a day",
    "a list of numbers": [1, 2, 3],
    "fields of the wrong type": {
        "day": "yesterday",
        "fetched_at": 3,
        "valid_until": None,
        "count": "many",
        "stamp": 1,
        "papers": [{"id": 1, "title": ["x"], "authors": "A. Author", "type": "novel"}],
        "stamp_": {},
        "value": {"ranked": [{"paper": {"id": "2411.20003"}}]},
    },
    "papers of the wrong type": [
        {
            "id": "2411.20003", "v": "1", "title": 7, "authors": [None], "abstract": {},
            "cats": "cs.LG", "type": "new", "day": "2024-13-45", "doi": 1, "jref": None,
            "src": "feed",
        }
    ],
}


@pytest.mark.parametrize("shape", list(WRONG_SHAPES))
def test_well_formed_entries_of_the_wrong_shape_are_misses(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, shape: str
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    framed = zlib.compress(json.dumps({"format": 1, "value": WRONG_SHAPES[shape]}).encode())
    planter = diskcache.Cache(str(cache))
    for key in [k for k in planter.iterkeys() if isinstance(k, str)]:
        planter.set(key, framed)
    planter.close()
    for args in (
        ("today", "--offline", "--format", "json"),
        ("today", "--offline"),
        ("show", "2411.20003", "--offline"),
        ("cache", "info"),
    ):
        result = run(*args)
        no_traceback(result)
        assert result.code in (0, 3), (args, result.err)
    fetched = run("today", "--format", "json")
    assert fetched.code == 0, fetched.err
    assert run("today", "--offline", "--format", "json").code == 0


# -- 7: a damaged database is moved aside and rebuilt -------------------------------------


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _garble_header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = b"\xa5" * 100
    db.write_bytes(bytes(data))


def _garble_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(page, len(data), 2 * page):  # every other page after the first
        data[start : start + page] = bytes((i * 7 + 3) % 256 for i in range(page))
    db.write_bytes(bytes(data))


def _not_a_database(db: Path) -> None:
    db.write_text("this is a note, not SQLite\n" * 50, encoding="utf-8")


def _garble_settings(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("UPDATE Settings SET value = 'no-such-policy' WHERE key = 'eviction_policy'")
        con.execute("INSERT INTO Settings VALUES ('disk_planted', 1)")
    con.close()


def _garble_counters(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("UPDATE Settings SET value = 'many' WHERE key = 'count'")
    con.close()


def _plant_pragma(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO Settings VALUES ('sqlite_foo', '1; DROP TABLE Cache')")
    con.close()


DAMAGE = {
    "truncated": _truncate,
    "garbled header": _garble_header,
    "garbled pages": _garble_pages,
    "not a database": _not_a_database,
    "garbled settings": _garble_settings,
    "garbled counters": _garble_counters,
    "planted pragma": _plant_pragma,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize(
    "command",
    [
        ("cache", "clear", "--yes"),
        ("cache", "info"),
        ("doctor", "--offline"),
        ("today", "--format", "json"),
        ("today", "--offline", "--format", "json"),
    ],
)
def test_a_damaged_database_is_moved_aside_and_rebuilt(
    run: Run,
    arxiv: Loopback,
    watchlist: Path,
    isolated_user: Path,
    damage: str,
    command: tuple[str, ...],
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    DAMAGE[damage](cache / "cache.db")
    result = run(*command)
    no_traceback(result)
    # `today --offline` may find nothing left to show (exit 3, said so); all else works.
    expected = {0, 3} if command[:2] == ("today", "--offline") else {0}
    assert result.code in expected, result.err
    moved = [line for line in result.err.splitlines() if "moved it aside to" in line]
    aside = sorted(cache.glob("damaged-*"))
    assert len(moved) <= 1, result.err
    if moved:
        assert moved[0].startswith("warning: the cache database was damaged")
        if command == ("cache", "clear", "--yes"):
            assert not aside, "cache clear removes the damaged copy too"
        else:
            assert len(aside) == 1 and str(aside[0]) in moved[0]
            assert (aside[0] / "cache.db").is_file()
    # Whatever the first command found, everything works afterwards.
    for follow in (("cache", "info"), ("today", "--format", "json"), ("cache", "clear", "--yes")):
        after = run(*follow)
        assert after.code == 0, (follow, after.err)
        no_traceback(after)
    assert not list(cache.glob("damaged-*")), "cache clear removes the copies moved aside"


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink"])
@pytest.mark.parametrize("name", ["cache.db", "cache.db-wal"])
def test_a_database_file_that_is_not_a_regular_file_is_moved_aside(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, tmp_path: Path,
    kind: str, name: str,
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    planted = cache / name
    planted.unlink(missing_ok=True)
    target = tmp_path / "someone-elses.db"
    target.write_bytes(b"")
    if kind == "fifo":
        os.mkfifo(planted)  # SQLite would wait for ever to read it
    elif kind == "directory":
        planted.mkdir()
    else:
        planted.symlink_to(target)
    result = run("today", "--format", "json")
    no_traceback(result)
    assert result.code == 0, result.err
    (moved,) = [line for line in result.err.splitlines() if "moved it aside" in line]
    assert moved.startswith("warning: ") and str(planted) in moved
    assert target.read_bytes() == b""
    assert run("cache", "clear", "--yes").code == 0


@pytest.mark.parametrize("damage", ["truncated", "garbled header", "not a database"])
def test_damage_found_on_opening_is_said_once_with_where_it_went(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, damage: str
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    DAMAGE[damage](cache / "cache.db")
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["papers"]
    (moved,) = [line for line in result.err.splitlines() if "damaged" in line]
    (aside,) = cache.glob("damaged-*")
    assert moved.startswith("warning: ") and str(aside) in moved
    assert run("today", "--offline", "--format", "json").code == 0


# -- 7: a full disk is one error, and leaves nothing behind --------------------------------


def test_a_full_disk_is_one_error_and_leaves_no_orphaned_value_file(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = warmed(run, arxiv, isolated_user)
    before = value_files(cache)
    shown_before = run("today", "--offline", "--format", "json")
    assert shown_before.code == 0

    def full_disk(self: object, full_path: str, iterator: object, mode: str, encoding=None):
        # What a full disk does: part of the file is written, then ENOSPC.
        with Path(full_path).open("wb") as handle:
            handle.write(b"\x00" * 1000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), full_path)

    with monkeypatch.context() as patch:
        patch.setattr(diskcache.Disk, "_write", full_disk)
        result = run("today", "--refresh", "--format", "json")
    no_traceback(result)
    assert result.code == 3, result.err
    (line,) = error_lines(result)
    assert "full" in line and str(cache) in line
    assert value_files(cache) == before, "a value file was orphaned"
    # The cache is as it was, and the next run works without anyone deleting anything.
    after = run("today", "--offline", "--format", "json")
    assert after.code == 0, after.err
    assert json.loads(after.out)["papers"] == json.loads(shown_before.out)["papers"]
    assert run("today", "--refresh", "--format", "json").code == 0


def test_sqlite_saying_the_disk_is_full_is_a_data_error(tmp_path: Path) -> None:
    from radar.cachedir import cache_error

    con = sqlite3.connect(tmp_path / "tiny.db")
    con.execute("CREATE TABLE t (v BLOB)")
    con.execute("PRAGMA max_page_count = 3")  # a real SQLITE_FULL, from SQLite itself
    with pytest.raises(sqlite3.OperationalError) as caught:
        for _ in range(100):
            con.execute("INSERT INTO t VALUES (?)", (b"x" * 4000,))
    con.close()
    error = cache_error(caught.value, tmp_path)
    assert error is not None
    assert error.exit_code == 3
    assert "full" in error.message and str(tmp_path) in error.message


# -- 2b and 7: the pacing file ----------------------------------------------------------


def _symlink(lock: Path, target: Path) -> None:
    lock.symlink_to(target)


def _directory(lock: Path, target: Path) -> None:
    lock.mkdir()


def _fifo(lock: Path, target: Path) -> None:
    os.mkfifo(lock)


def _dangling(lock: Path, target: Path) -> None:
    lock.symlink_to(target.parent / "does-not-exist")


def _hard_link(lock: Path, target: Path) -> None:
    lock.hardlink_to(target)


def _socket(lock: Path, target: Path) -> None:
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(lock))
    listener.close()  # the socket file stays


@pytest.mark.parametrize(
    "plant",
    [_symlink, _directory, _fifo, _dangling, _hard_link, _socket],
    ids=["symlink", "directory", "fifo", "dangling symlink", "hard link", "socket"],
)
def test_a_pacing_file_that_is_not_a_regular_file_is_refused(
    run: Run,
    arxiv: Loopback,
    isolated_user: Path,
    tmp_path: Path,
    plant: object,
) -> None:
    (isolated_user / "radar.yaml").write_text(WATCHLIST, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    lock = cache / "arxiv-pace.lock"
    plant(lock, target)  # type: ignore[operator]
    result = run("today", "--cache-dir", str(cache), "--format", "json")
    no_traceback(result)
    assert result.code == 2, result.err
    (line,) = error_lines(result)
    assert str(lock) in line
    assert result.out == ""
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "does-not-exist").exists()
    assert arxiv.count("/rss/") == 0


# -- 2c: a cache directory others could write to ----------------------------------------


@pytest.fixture
def open_cache_dir(tmp_path: Path) -> Iterator[Path]:
    old = os.umask(0)
    try:
        cache = tmp_path / "shared-cache"
        cache.mkdir(mode=0o777)
        yield cache
    finally:
        os.umask(old)


@pytest.mark.parametrize("stranger", ["symlink", "foreign file", "foreign folder"])
def test_a_cache_directory_others_can_write_is_refused_when_it_holds_strangers(
    run: Run, watchlist: Path, open_cache_dir: Path, tmp_path: Path, stranger: str
) -> None:
    cache = open_cache_dir
    (cache / "ab").mkdir(mode=0o777)
    if stranger == "symlink":
        (cache / "ab" / "cache.db").symlink_to(tmp_path / "elsewhere.db")
    elif stranger == "foreign file":
        (cache / "ab" / "x.val").write_bytes(b"planted")
        os.chown(cache / "ab" / "x.val", NOBODY, NOBODY)
    else:
        os.chown(cache / "ab", NOBODY, NOBODY)
    result = run("cache", "info", "--cache-dir", str(cache))
    no_traceback(result)
    assert result.code == 2, result.err
    (line,) = error_lines(result)
    assert str(cache) in line and "writable by others" in line
    assert any(x.startswith("hint: ") for x in result.err.splitlines())
    assert stat.S_IMODE(cache.stat().st_mode) == 0o777, "left as found, for the user to judge"
    assert not (cache / "cache.db").exists()


def test_a_cache_directory_of_another_user_is_refused_whatever_its_mode(
    run: Run, watchlist: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o700)
    os.chown(cache, NOBODY, NOBODY)
    result = run("cache", "info", "--cache-dir", str(cache))
    no_traceback(result)
    assert result.code == 2, result.err
    (line,) = error_lines(result)
    assert str(cache) in line and "another user" in line
    assert not (cache / "cache.db").exists()


def test_a_cache_directory_others_can_write_is_made_private_when_all_is_the_users(
    run: Run, watchlist: Path, open_cache_dir: Path
) -> None:
    cache = open_cache_dir
    (cache / "ab").mkdir(mode=0o777)
    (cache / "ab" / "mine.val").write_bytes(b"mine")
    result = run("cache", "info", "--cache-dir", str(cache))
    assert result.code == 0, result.err
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


# -- 7: permission problems as a user who is not root -------------------------------------


@pytest.fixture
def home_of_nobody() -> Iterator[Path]:
    with nobody_home() as home:
        yield home


@pytest.fixture
def as_nobody(home_of_nobody: Path) -> AsNobody:
    return runner(home_of_nobody)


@pytest.mark.parametrize("problem", ["read-only cache.db", "read-only directory"])
def test_a_cache_the_user_cannot_write_is_one_error_naming_the_path(
    as_nobody: AsNobody, home_of_nobody: Path, problem: str
) -> None:
    cache = home_of_nobody / "cache"
    made = as_nobody(["cache", "info"], cache)
    assert made.returncode == 0, made.stderr
    if problem == "read-only cache.db":
        (cache / "cache.db").chmod(0o444)
        named = cache / "cache.db"
    else:
        cache.chmod(0o500)
        named = cache
    for args in (["cache", "info"], ["cache", "clear", "--yes"], ["today", "--offline"]):
        result = as_nobody(args, cache)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 2, (args, result.stderr)
        lines = [x for x in result.stderr.splitlines() if x.startswith("error:")]
        assert len(lines) == 1 and str(named) in lines[0], result.stderr
