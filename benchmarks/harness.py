"""How the benchmarks run radar: an isolated user, interleaved timing, import probes."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# Modules a run must not import unless it needs them.
WATCHED_MODULES = ("anthropic", "arxiv", "requests", "lxml", "httpx", "pydantic", "yaml")


@dataclass
class Row:
    figure: str
    measured: str
    baseline: str = "—"
    ratio: str = "—"
    target: str = "—"
    holds: bool | None = None  # None: informational
    notes: list[str] = field(default_factory=list)


def radar_command() -> list[str]:
    """`radar` as a user types it: the console script beside this interpreter, else -m."""
    script = Path(PY).with_name("radar")
    return [str(script)] if script.exists() else [PY, "-m", "radar"]


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """A user with nothing of the real one: own home, config, cache; no keys or endpoints.

    Bytecode is cached (in a private prefix, never in the source tree), as it is for any
    installed or once-run program: with PYTHONDONTWRITEBYTECODE set, radar's own modules
    would be compiled from source on every run while the baseline's come precompiled.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RADAR_", "ANTHROPIC_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PYTHONPYCACHEPREFIX=str(home / "pycache"),
        COLUMNS="100",
    )
    env.update(extra)
    return env


def run(
    args: Sequence[str], env: Mapping[str, str], *, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(list(args), env=dict(env), capture_output=True, cwd=env["HOME"])
    if check and done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    return done


def interleaved(
    commands: Mapping[str, tuple[Sequence[str], Mapping[str, str]]], reps: int, warmup: int = 2
) -> dict[str, float]:
    """Median wall time of each command; one of each per round, so load hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_no in range(warmup + reps):
        for name, (args, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(
                list(args),
                env=dict(env),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=env["HOME"],
                check=True,
            )
            if round_no >= warmup:
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


_PROBE = """
import contextlib, io, json, sys
from radar.cli import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main(json.loads(sys.argv[1]))
watched = json.loads(sys.argv[2])
loaded = sorted(m for m in watched if m in sys.modules)
print(json.dumps({"code": code, "loaded": loaded, "err": err.getvalue()[-500:]}))
"""


def imported_by(args: Sequence[str], env: Mapping[str, str]) -> tuple[int, list[str]]:
    """Run radar ARGS in a fresh interpreter; (exit code, which WATCHED_MODULES it imported)."""
    done = run(
        [PY, "-c", _PROBE, json.dumps(list(args)), json.dumps(WATCHED_MODULES)], env, check=True
    )
    answer = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return answer["code"], answer["loaded"]


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def import_top(args: Sequence[str], env: Mapping[str, str], count: int = 10) -> list[str]:
    """The `count` imports of largest cumulative time (python -X importtime), median of 5."""
    runs: dict[str, list[int]] = {}
    for _ in range(5):
        done = run([PY, "-X", "importtime", *args], env, check=False)
        for line in done.stderr.decode().splitlines():
            match = _IMPORT_LINE.match(line)
            if match:
                runs.setdefault(match.group(4), []).append(int(match.group(2)))
    ranked = sorted(runs.items(), key=lambda item: -statistics.median(item[1]))
    return [f"{statistics.median(us) / 1000:7.1f} ms  {name}" for name, us in ranked[:count]]
