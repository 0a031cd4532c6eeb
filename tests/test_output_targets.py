"""`--output` onto what is not a regular file: a FIFO, a device, stdout, `-`, a symbolic
link. Regular files are replaced whole; everything else is written into, never replaced.

Device nodes are made in the test's own folder (mknod, as root) wherever the test could
harm the machine if radar got it wrong; /dev/null and /dev/full themselves are used only
by runs as another user, who could not replace them anyway."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Run
from nobody_support import AsNobody, nobody_home, runner

DEMO = ("today", "--demo", "--format", "json")


def device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), in `folder`."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


class Reader(threading.Thread):
    """Reads a FIFO to its end, as `cat fifo` would."""

    def __init__(self, fifo: Path) -> None:
        super().__init__(daemon=True)
        self.fifo = fifo
        self.data = b""

    def run(self) -> None:
        with self.fifo.open("rb") as handle:
            self.data = handle.read()


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "digest.fifo"
    os.mkfifo(path)
    yield path
    # A reader still waiting (a failed test) is let go by a writer's open and close.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def test_dash_is_standard_output(run: Run) -> None:
    result = run(*DEMO, "--output", "-")
    assert result.code == 0, result.err
    assert json.loads(result.out)["papers"]
    assert not Path("-").exists(), "a file named '-' was made"


def test_a_fifo_is_written_into_and_stays_a_fifo(run: Run, fifo: Path) -> None:
    reader = Reader(fifo)
    reader.start()
    result = run(*DEMO, "--output", str(fifo))
    reader.join(timeout=30)
    assert not reader.is_alive(), "the FIFO's reader never saw the end of the digest"
    assert result.code == 0, result.err
    assert json.loads(reader.data)["papers"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert leftovers(fifo.parent) == []


def test_a_character_device_is_written_into_and_stays_one(run: Run, tmp_path: Path) -> None:
    null = device(tmp_path, "null", 3)
    result = run(*DEMO, "--output", str(null))
    assert result.code == 0, result.err
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_a_full_device_is_one_error_and_exit_3(run: Run, tmp_path: Path) -> None:
    full = device(tmp_path, "full", 7)
    result = run(*DEMO, "--output", str(full))
    assert result.code == 3, result.err
    (line,) = error_lines(result.err)
    assert str(full) in line and "No space left on device" in line
    assert "Traceback" not in result.err
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("how", ["/dev/stdout", "/proc/self/fd/1"])
@pytest.mark.parametrize("stdout_is", ["a pipe", "a file"])
def test_dev_stdout_is_radars_stdout(tmp_path: Path, how: str, stdout_is: str) -> None:
    # A process of its own: its stdout must be a real pipe or file, not pytest's capture.
    args = [sys.executable, "-m", "radar", *DEMO, "--output", how]
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if stdout_is == "a pipe":
        done = subprocess.run(args, env=env, capture_output=True, timeout=60, check=False)
        out = done.stdout
    else:
        target = tmp_path / "redirected.json"
        with target.open("wb") as handle:
            before = os.fstat(handle.fileno()).st_ino
            done = subprocess.run(
                args, env=env, stdout=handle, stderr=subprocess.PIPE, timeout=60, check=False
            )
        assert target.stat().st_ino == before, "the file the shell opened was replaced"
        out = target.read_bytes()
    assert done.returncode == 0, done.stderr
    assert json.loads(out)["papers"]
    assert Path("/dev/stdout").is_symlink()


def test_through_a_symbolic_link_the_target_is_replaced_and_keeps_its_mode(
    run: Run, tmp_path: Path
) -> None:
    real = tmp_path / "kept" / "digest.json"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "digest-link.json"
    link.symlink_to(real)
    result = run(*DEMO, "--output", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and link.resolve() == real
    assert json.loads(real.read_text(encoding="utf-8"))["papers"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_link_to_nothing_yet_makes_its_target(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "made.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run(*DEMO, "--output", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["papers"]


def test_a_regular_file_is_still_replaced_whole(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "digest.json"
    target.write_text("old\n", encoding="utf-8")
    before = target.stat().st_ino
    result = run(*DEMO, "--output", str(target))
    assert result.code == 0, result.err
    assert target.stat().st_ino != before, "written in place, not replaced whole"
    assert json.loads(target.read_text(encoding="utf-8"))["papers"]


@pytest.mark.parametrize("kind", ["block device", "socket"])
def test_a_block_device_or_socket_is_refused_before_anything_runs(
    run: Run, tmp_path: Path, kind: str
) -> None:
    node = tmp_path / "node"
    if kind == "socket":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(node))
    else:
        listener = None
        try:
            os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 0))
        except PermissionError:
            pytest.skip("making a device node needs root (CAP_MKNOD)")
    try:
        before = node.lstat().st_mode
        result = run(*DEMO, "--output", str(node))
    finally:
        if listener is not None:
            listener.close()
    assert result.code == 2, result.err
    (line,) = error_lines(result.err)
    assert str(node) in line and kind in line
    assert node.lstat().st_mode == before


def test_digest_dir_files_that_are_fifos_or_links_are_written_into(
    run: Run, tmp_path: Path, fifo: Path
) -> None:
    folder = tmp_path / "digests"
    folder.mkdir()
    real_index = tmp_path / "real-index.md"
    (folder / "index.md").symlink_to(real_index)
    day = folder / "2024-11-28.md"
    os.mkfifo(day)
    reader = Reader(day)
    reader.start()
    result = run("today", "--demo", "--output-dir", str(folder))
    reader.join(timeout=30)
    assert not reader.is_alive()
    assert result.code == 0, result.err
    assert reader.data.startswith(b"---\n")
    assert stat.S_ISFIFO(day.lstat().st_mode)
    assert (folder / "index.md").is_symlink()
    assert real_index.read_text(encoding="utf-8").startswith("---\n")


def test_init_writes_through_a_link_and_into_a_device(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "watchlists" / "radar.yaml"
    real.parent.mkdir()
    link = tmp_path / "radar.yaml"
    link.symlink_to(real)
    result = run("init", "--yes", "--path", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and "categories" in real.read_text(encoding="utf-8")
    null = device(tmp_path, "null", 3)
    result = run("init", "--yes", "--force", "--path", str(null))
    assert result.code == 0, result.err
    assert stat.S_ISCHR(null.lstat().st_mode)


@pytest.fixture
def as_nobody() -> Iterator[AsNobody]:
    with nobody_home() as home:
        yield runner(home)


@pytest.mark.parametrize(
    ("target", "code"), [("/dev/null", 0), ("/dev/stdout", 0), ("/dev/full", 3)]
)
def test_devices_as_a_user_who_is_not_root(
    as_nobody: AsNobody, tmp_path: Path, target: str, code: int
) -> None:
    if target != "/dev/stdout" and not stat.S_ISCHR(Path(target).stat().st_mode):
        pytest.skip(f"{target} on this machine is not a device (something replaced it)")
    done = as_nobody([*DEMO, "--output", target], Path("/nonexistent-cache"))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, done.stderr
    if target == "/dev/stdout":
        assert json.loads(done.stdout)["papers"]
    if code:
        (line,) = error_lines(done.stderr)
        assert target in line
