"""Digests are written to a temporary file and renamed over the target, never in place: a
reader holding the old file keeps the old bytes whole, and the path only ever holds the old
digest or the new one.

An in-place write (truncate and write the same inode) would change what an open descriptor
of the old file reads, and keep the inode; both are checked.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import Run

OLD = b"# the digest of an earlier run\n\nkept whole until the new one is complete\n"


class Held:
    """An open descriptor of a file as it was, and its inode."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY)
        self.inode = os.fstat(self.fd).st_ino

    def bytes_now(self) -> bytes:
        return os.pread(self.fd, 1 << 20, 0)

    def close(self) -> None:
        os.close(self.fd)


@contextmanager
def watching(path: Path) -> Iterator[set[bytes]]:
    """Every content a reader of `path` sees while the block runs (polled, best effort)."""
    seen: set[bytes] = set()
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                seen.add(path.read_bytes())
            except FileNotFoundError:
                seen.add(b"<missing>")

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=10)


def written_whole(run: Run, *args: str) -> str:
    """What radar prints for the same report on stdout: the digest a file should hold."""
    outcome = run("today", "--demo", "--format", "markdown", *args)
    assert outcome.code == 0, outcome.err
    return outcome.out


def test_output_replaces_the_file_and_never_writes_into_it(
    run: Run, isolated_user: Path
) -> None:
    target = isolated_user / "digest.md"
    target.write_bytes(OLD)
    held = Held(target)
    try:
        with watching(target) as seen:
            outcome = run("today", "--demo", "--output", str(target))
        assert outcome.code == 0, outcome.err
        assert held.bytes_now() == OLD  # the old file's inode was never written
        assert target.stat().st_ino != held.inode  # the path names a new file
    finally:
        held.close()
    new = target.read_bytes()
    assert new.decode("utf-8") == written_whole(run)
    assert seen <= {OLD, new}  # a reader saw the old digest or the new one, nothing between
    assert sorted(p.name for p in isolated_user.iterdir()) == ["digest.md"]  # no temp left


def test_output_dir_replaces_the_days_digest_and_the_index(run: Run, isolated_user: Path) -> None:
    folder = isolated_user / "digests"
    folder.mkdir()
    day = folder / "2024-11-28.md"  # the demo day
    index = folder / "index.md"
    day.write_bytes(OLD)
    index.write_bytes(OLD)
    held_day, held_index = Held(day), Held(index)
    try:
        with watching(day) as seen_day:
            outcome = run("today", "--demo", "--output-dir", str(folder))
        assert outcome.code == 0, outcome.err
        assert held_day.bytes_now() == OLD
        assert held_index.bytes_now() == OLD
        assert day.stat().st_ino != held_day.inode
        assert index.stat().st_ino != held_index.inode
    finally:
        held_day.close()
        held_index.close()
    new_day = day.read_bytes()
    assert new_day != OLD and new_day.endswith(b"\n")
    assert b"2024-11-28.md" in index.read_bytes()
    assert seen_day <= {OLD, new_day}
    assert sorted(p.name for p in folder.iterdir()) == ["2024-11-28.md", "index.md"]


def test_a_new_output_file_appears_whole(run: Run, isolated_user: Path) -> None:
    target = isolated_user / "fresh.md"
    with watching(target) as seen:
        outcome = run("today", "--demo", "--output", str(target))
    assert outcome.code == 0, outcome.err
    new = target.read_bytes()
    assert seen <= {b"<missing>", new}
    assert new.decode("utf-8") == written_whole(run)
