"""Running radar as the user nobody, for what only a user who is not root sees (the suite
runs as root, here and in CI). Without root, the tests that need this are skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import radar

NOBODY = 65534
AsNobody = Callable[[list[str], Path], subprocess.CompletedProcess[str]]


def _drop_to_nobody() -> None:
    os.setgid(NOBODY)
    os.setgroups([])
    os.setuid(NOBODY)


def _as_nobody(
    python: str, args: list[str], home: Path, cache: Path
) -> subprocess.CompletedProcess[str]:
    # radar and its dependencies, found by path: the interpreter may not be the venv's own.
    paths = [str(Path(radar.__file__).parent.parent), sysconfig.get_paths()["purelib"]]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "RADAR_CACHE_DIR": str(cache),
        "COLUMNS": "100",
        "PYTHONPATH": os.pathsep.join(paths),
    }
    return subprocess.run(
        [python, *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_drop_to_nobody,
        check=False,
    )


@contextmanager
def nobody_home() -> Iterator[Path]:
    """A home folder for nobody, outside root's private temporary folders; skips without root."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run radar as another user (nobody)")
    home = Path(tempfile.mkdtemp(prefix="radar-nobody-"))
    try:
        home.chmod(0o755)
        os.chown(home, NOBODY, NOBODY)
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)


def runner(home: Path) -> AsNobody:
    """Runs `radar ARGS` as nobody (with RADAR_CACHE_DIR=cache), with an interpreter nobody
    may run (the venv's may sit under /root); skips when there is none."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        try:
            probe = _as_nobody(python, ["-c", "import radar.cli"], home, home)
        except OSError:  # nobody may not even reach it
            continue
        if probe.returncode == 0:
            return lambda args, cache: _as_nobody(python, ["-m", "radar", *args], home, cache)
    pytest.skip(f"no {version} interpreter that the user nobody may run, with radar importable")
