"""The suite's own set-up: live tests are collected but never run unless asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def collect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/test_live.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_live_tests_are_collected_and_deselected_by_default() -> None:
    plain = collect()
    # Exit 5: nothing left to run; every live test collected, then deselected.
    assert plain.returncode == 5, plain.stdout + plain.stderr
    assert "4 deselected" in plain.stdout, plain.stdout
    asked = collect("-m", "live")
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert "4 tests collected" in asked.stdout, asked.stdout
    for name in ("announcement_feed", "export_api", "biorxiv", "openalex"):
        assert name in asked.stdout
