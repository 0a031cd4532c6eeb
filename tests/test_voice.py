"""How loud radar is (-v logs each request and cache hit, -q only data and errors), and the
shell completion typer provides."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run
from loopback import Loopback


def test_verbose_logs_each_request_then_the_cache_hits(
    run: Run, arxiv: Loopback, watchlist: Path
) -> None:
    cold = run("-v", "today", "--format", "json")
    assert cold.code == 0, cold.err
    feed = f"radar: GET {arxiv.url}/rss/eess.SP+cs.LG+quant-ph -> 200 ("
    assert feed in cold.err
    assert f"radar: GET {arxiv.url}/api/query?" in cold.err
    assert "cache hit" not in cold.err
    assert cold.out.startswith("{")  # logs never reach stdout
    warm = run("-v", "today", "--format", "json")
    assert warm.code == 0, warm.err
    assert "GET " not in warm.err
    assert "radar: cache hit: announcement feed cs.LG+eess.SP+quant-ph (day 2024-11-28)" in (
        warm.err
    )
    assert "radar: cache hit: author search" in warm.err
    assert len(arxiv.requests) == 2


def test_without_verbose_nothing_is_logged(run: Run, arxiv: Loopback, watchlist: Path) -> None:
    # -v in an earlier run of the same process must not leak into this one.
    assert run("-v", "today", "--format", "json").code == 0
    quiet = run("today", "--format", "json", "--refresh")
    assert quiet.code == 0, quiet.err
    assert "radar: GET" not in quiet.err
    assert quiet.err == ""


def test_quiet_leaves_stderr_empty(
    run: Run, arxiv: Loopback, watchlist: Path, isolated_user: Path
) -> None:
    target = isolated_user / "f.md"
    result = run("-q", "today", "--output", str(target))
    assert result.code == 0
    assert result.err == ""
    assert result.out == ""
    assert "EEG-DCNet" in target.read_text(encoding="utf-8")
    loud = run("today", "--output", str(target))
    assert f"wrote {target}" in loud.err  # the silence above was -q's doing


def test_quiet_still_prints_errors(run: Run, watchlist: Path) -> None:
    result = run("-q", "today", "--offline")
    assert result.code == 3
    assert result.err.startswith("error: offline, and no announcement is cached yet")


def test_show_completion_exits_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from radar.cli import main

    # typer's own switch: take the shell from the argument instead of detecting the
    # calling shell (shellingham), which a test runner may not have.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    # typer's completion options end the process with sys.exit(0) themselves.
    with pytest.raises(SystemExit) as exited:
        main(["--show-completion", "bash"])
    assert exited.value.code == 0


def in_bash(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `command` from a bash process, as a user would: typer detects the shell that way."""
    radar = f"{shlex.quote(sys.executable)} -P -m radar"
    # "; exit" stops bash from exec-ing the command, so bash stays its parent.
    return subprocess.run(
        ["bash", "--norc", "-c", command.replace("radar", radar, 1) + "; exit $?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def completions(words: str, env: dict[str, str]) -> list[str]:
    """What the bash script asks radar for when Tab is pressed after `words`."""
    asked = subprocess.run(
        [sys.executable, "-P", "-m", "radar"],
        env={
            **env,
            "_RADAR_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    return asked.stdout.split()


def test_completion_works_in_a_bash_session(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    shown = in_bash("radar --show-completion", env)
    assert shown.returncode == 0, shown.stderr
    assert "complete -o default -F _radar_completion radar" in shown.stdout
    assert completions("radar today --format ", env) == [
        "terminal", "markdown", "json", "jsonl", "html", "atom"
    ]
    assert completions("radar do", env) == ["doctor"]
    assert completions("radar categories --f", env) == ["--format"]


def test_install_completion_writes_to_the_users_bashrc(tmp_path: Path) -> None:
    installed = in_bash("radar --install-completion", {**os.environ, "HOME": str(tmp_path)})
    assert installed.returncode == 0, installed.stderr
    assert "bash completion installed in" in installed.stdout
    script = tmp_path / ".bash_completions" / "radar.sh"
    assert "_radar_completion" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_other_shells_scripts_come_from_the_environment_switch(tmp_path: Path) -> None:
    # How docs/daily-driver.md tells zsh and fish users to get a script from any shell.
    for shell, marker in (("zsh", "#compdef radar"), ("fish", "complete --command radar")):
        done = subprocess.run(
            [sys.executable, "-P", "-m", "radar"],
            env={**os.environ, "HOME": str(tmp_path), "_RADAR_COMPLETE": f"source_{shell}"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert marker in done.stdout
