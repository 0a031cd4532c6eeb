"""Each file in examples/ does what it says: run against the loopback arXiv, as cron, systemd,
GitHub Actions, jq or a mailer would run it."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import WATCHLIST, Run
from loopback import Loopback


@contextmanager
def days_during(utc: bool = False) -> Iterator[set[str]]:
    """The dates (YYYY-MM-DD) a command run in the block may have seen: one, or two when it
    ran across midnight. Local dates, as `date +%F` gives; UTC ones for `date -u +%F`."""

    def today() -> str:
        return f"{datetime.now(UTC).date() if utc else date.today():%Y-%m-%d}"

    days = {today()}
    yield days
    days.add(today())

EXAMPLES = Path(__file__).parent.parent / "examples"
DAY = "2024-11-28"  # the captured feed's announcement day


@pytest.fixture
def home(tmp_path: Path, arxiv: Loopback) -> Path:
    """A user's home as a scheduler sees it: radar in ~/.local/bin (where pipx puts it) and
    a watchlist in ~/.config/radar whose endpoints are the loopback arXiv."""
    home = tmp_path / "you"
    bin_dir = home / ".local" / "bin"
    bin_dir.mkdir(parents=True)
    shim = bin_dir / "radar"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -P -m radar "$@"\n')
    shim.chmod(0o755)
    config = home / ".config" / "radar"
    config.mkdir(parents=True)
    (config / "radar.yaml").write_text(watchlist_text(arxiv), encoding="utf-8")
    return home


def watchlist_text(arxiv: Loopback) -> str:
    return WATCHLIST + f"arxiv:\n  rss_url: {arxiv.url}/rss/\n  api_url: {arxiv.url}/api/query\n"


def bare_env(home: Path, path: str, **extra: str) -> dict[str, str]:
    """The small environment cron and systemd give a job: nothing of the test's own."""
    return {"HOME": str(home), "PATH": path, "SHELL": "/bin/sh", "LOGNAME": "you", **extra}


def sh(command: str, env: dict[str, str], cwd: Path, shell: str = "/bin/sh") -> Any:
    return subprocess.run(
        [shell, "-c", command], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


# -- cron -----------------------------------------------------------------------------------


def cron_jobs(text: str) -> list[str]:
    """The commands of the crontab's job lines, commented-out alternatives included."""
    jobs = []
    for raw in text.splitlines():
        line = raw.removeprefix("# ")
        match = re.match(r"([\d*,/-]+\s+){4}[\d*,/-]+\s+(?P<command>.+)$", line)
        if match:
            jobs.append(match["command"])
    return jobs


def test_crontab_lines_write_digests(home: Path, arxiv: Loopback) -> None:
    text = (EXAMPLES / "crontab").read_text(encoding="utf-8")
    path_line = next(x for x in text.splitlines() if x.startswith("PATH="))
    path = path_line.removeprefix("PATH=").replace("/home/you", str(home))
    jobs = cron_jobs(text)
    assert len(jobs) == 2
    for command in jobs:
        # A bare % would cut the command short in cron: every one must be escaped.
        assert re.search(r"(?<!\\)%", command) is None, command
    dated, by_day = (command.replace("\\%", "%") for command in jobs)

    with days_during() as days:
        result = sh(dated, bare_env(home, path), cwd=home)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")  # -q: cron mails only failures
    (digest,) = [p for d in days if (p := home / "radar" / "digests" / f"{d}.md").is_file()]
    assert f'date: "{DAY}"' in digest.read_text(encoding="utf-8")

    result = sh(by_day, bare_env(home, path), cwd=home)
    assert result.returncode == 0, result.stderr
    assert (home / "radar" / "digests" / f"{DAY}.md").is_file()
    assert (home / "radar" / "digests" / "index.md").is_file()


# -- systemd --------------------------------------------------------------------------------


def unit_value(text: str, key: str, commented: bool = False) -> str:
    prefix = f"# {key}=" if commented else f"{key}="
    return next(x for x in text.splitlines() if x.startswith(prefix)).removeprefix(prefix)


def resolve_specifiers(value: str, home: Path) -> str:
    """What systemd hands the process: %h is home, %% is %, $$ is $."""
    unknown = re.findall(r"%[^h%]", value.replace("%%", ""))
    assert not unknown, f"specifiers systemd would reject or resolve: {unknown}"
    return value.replace("%%", "\0").replace("%h", str(home)).replace("\0", "%").replace("$$", "$")


def test_systemd_units_pass_systemd_analyze() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    units = [
        EXAMPLES / "systemd" / "radar-digest.service",
        EXAMPLES / "systemd" / "radar-digest.timer",
    ]
    result = subprocess.run(
        [analyze, "verify", *map(str, units)], capture_output=True, text=True, timeout=60
    )
    if "Failed to initialize manager" in result.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not even a warning about an unknown key
    calendar = unit_value(units[1].read_text(encoding="utf-8"), "OnCalendar")
    checked = subprocess.run(
        [analyze, "calendar", calendar], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr


def test_systemd_service_writes_digests(home: Path, arxiv: Loopback) -> None:
    text = (EXAMPLES / "systemd" / "radar-digest.service").read_text(encoding="utf-8")
    assert unit_value(text, "Type") == "oneshot"
    environment = resolve_specifiers(unit_value(text, "Environment"), home)
    name, path = environment.split("=", 1)
    assert name == "PATH"
    with days_during() as days:
        for exec_start in (unit_value(text, "ExecStart"), unit_value(text, "ExecStart", True)):
            argv = shlex.split(resolve_specifiers(exec_start, home))
            assert argv[:2] == ["/bin/sh", "-c"]
            result = sh(argv[2], bare_env(home, path), cwd=Path("/"))
            assert result.returncode == 0, result.stderr
            assert result.stderr == ""
    digests = home / "radar" / "digests"
    assert any((digests / f"{d}.md").is_file() for d in days)
    assert (digests / f"{DAY}.md").is_file()
    assert (digests / "index.md").is_file()


# -- GitHub Actions -------------------------------------------------------------------------


def workflow() -> dict[str, Any]:
    doc = yaml.safe_load((EXAMPLES / "github-actions" / "radar.yml").read_text("utf-8"))
    assert isinstance(doc, dict)
    return doc


def substitute(value: str, workspace: Path) -> str:
    value = value.replace("${{ github.workspace }}", str(workspace))
    assert "${{" not in value, f"an expression this test cannot stand in for: {value}"
    return value


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_workflow_is_scheduled_and_keeps_the_cache() -> None:
    doc = workflow()
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert len(triggers["schedule"][0]["cron"].split()) == 5
    assert "workflow_dispatch" in triggers
    assert doc["permissions"]["contents"] == "write"
    job = doc["jobs"]["digest"]
    assert "RADAR_CACHE_DIR" in job["env"]
    steps = job["steps"]
    cache_at = next(
        i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@")
    )
    radar_at = next(i for i, s in enumerate(steps) if "radar " in s.get("run", ""))
    commit_at = next(i for i, s in enumerate(steps) if "git commit" in s.get("run", ""))
    assert cache_at < radar_at < commit_at
    cache = steps[cache_at]["with"]
    assert cache["path"] == "${{ env.RADAR_CACHE_DIR }}"
    # A cache key is written once: a per-run key, restored by its prefix, keeps it fresh.
    assert "${{ github.run_id }}" in cache["key"]
    assert cache["key"].startswith(cache["restore-keys"])


def test_workflow_steps_write_and_commit_the_digest(tmp_path: Path, arxiv: Loopback) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    job = workflow()["jobs"]["digest"]
    steps = job["steps"]
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    home = tmp_path / "runner"
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "radar").write_text(
        f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -P -m radar "$@"\n'
    )
    (bin_dir / "radar").chmod(0o755)
    env = bare_env(
        home,
        f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        **{k: substitute(str(v), workspace) for k, v in job["env"].items()},
    )
    (workspace / env["RADAR_CONFIG"]).write_text(watchlist_text(arxiv), encoding="utf-8")
    # The repository the workflow lives in, and a remote for its push.
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", "-b", "main", str(remote), cwd=tmp_path, env=env)
    git("init", "-q", "-b", "main", cwd=workspace, env=env)
    git("add", "radar.yaml", cwd=workspace, env=env)
    git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qm",
        "watchlist",
        cwd=workspace,
        env=env,
    )
    git("remote", "add", "origin", str(remote), cwd=workspace, env=env)
    git("push", "-q", "-u", "origin", "main", cwd=workspace, env=env)

    def step(needle: str) -> Any:
        script = next(s["run"] for s in steps if needle in s.get("run", ""))
        # GitHub runs `run:` steps as `bash --noprofile --norc -eo pipefail {0}`.
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    made = step("radar ")
    assert made.returncode == 0, made.stderr
    assert (workspace / "digests" / f"{DAY}.md").is_file()
    assert (workspace / "digests" / "index.md").is_file()
    assert Path(env["RADAR_CACHE_DIR"]).is_dir()  # what actions/cache saves for next time
    with days_during(utc=True) as days:
        pushed = step("git commit")
    assert pushed.returncode == 0, pushed.stderr
    files = git("ls-tree", "-r", "--name-only", "main", cwd=remote, env=env).split()
    assert sorted(files) == ["digests/2024-11-28.md", "digests/index.md", "radar.yaml"]
    subject = git("log", "-1", "--format=%s", "main", cwd=remote, env=env).strip()
    assert subject in {f"radar digest {day}" for day in days}
    again = step("git commit")
    assert again.returncode == 0, again.stderr
    assert "no new digest to commit" in again.stdout


# -- jq -------------------------------------------------------------------------------------

Papers = list[dict[str, Any]]
RECIPES: dict[str, Callable[[Papers], list[str]]] = {
    "Titles only": lambda ps: [p["title"] for p in ps],
    "Papers by a watched author": lambda ps: [
        f"{p['id']}  {', '.join(p['watched_authors'])}  {p['title']}"
        for p in ps
        if p["watched_authors"]
    ],
    "Papers by one of them": lambda ps: [
        p["url"]
        for p in ps
        if any(re.search("Fink", a, re.IGNORECASE) for a in p["watched_authors"])
    ],
    "The top N ids": lambda ps: [p["id"] for p in ps[:5]],
    "Why each paper is there": lambda ps: [
        f"{p['rank']}. {p['id']}: {'; '.join(r['label'] for r in p['reasons'])}" for p in ps
    ],
    "New papers only, as links": lambda ps: [p["url"] for p in ps if p["announce_type"] == "new"],
}


def jq_recipes() -> dict[str, list[str]]:
    """Each `## heading` of examples/jq.md and the jq arguments of its command."""
    text = (EXAMPLES / "jq.md").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for section in text.split("\n## ")[1:]:
        heading = section.splitlines()[0].strip()
        commands = re.findall(r"```sh\n(.+?)\n```", section, re.DOTALL)
        assert len(commands) == 1, heading
        producer, _, consumer = commands[0].partition(" | ")
        assert producer == "radar today --format json", heading
        argv = shlex.split(consumer)
        assert argv[0] == "jq", heading
        found[heading] = argv
    return found


@pytest.fixture
def today_json(run: Run, arxiv: Loopback, watchlist: Path) -> str:
    # Replacements on, so that Olga Fink's replacement (a watched author) is in the day.
    watchlist.write_text(WATCHLIST + "announce_types: [new, cross, replace]\n", encoding="utf-8")
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    return result.out


def test_every_jq_recipe_has_a_meaningful_answer(today_json: str) -> None:
    assert set(jq_recipes()) == set(RECIPES)
    papers = json.loads(today_json)["papers"]
    answers = {name: recipe(papers) for name, recipe in RECIPES.items()}
    assert all(answers.values()), answers  # each recipe picks something from a real day
    by_author = answers["Papers by a watched author"]
    assert by_author[0].startswith("2312.02826  Olga Fink  ")
    assert any(line.startswith("2405.13786  Aurora Ramírez  ") for line in by_author)
    assert answers["Papers by one of them"] == ["https://arxiv.org/abs/2312.02826"]
    assert len(answers["The top N ids"]) == 5
    assert len(answers["New papers only, as links"]) < len(papers)


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_jq_recipe_gives_what_it_promises(name: str, today_json: str) -> None:
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed")
    argv = jq_recipes()[name]
    result = subprocess.run(
        [jq, *argv[1:]], input=today_json, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    expected = RECIPES[name](json.loads(today_json)["papers"])
    assert result.stdout == "".join(line + "\n" for line in expected)


# -- mail -----------------------------------------------------------------------------------


def recorder(bin_dir: Path, name: str, log: Path) -> None:
    """A fake `name` on PATH that records its arguments and its stdin."""
    script = bin_dir / name
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {shlex.quote(str(log))}.args\n'
        f"cat > {shlex.quote(str(log))}.stdin\n"
    )
    script.chmod(0o755)


def mail_env(home: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return bare_env(home, f"{home / '.local' / 'bin'}:/usr/bin:/bin", TMPDIR=str(tmp), **extra)


def mail_digest(env: dict[str, str], home: Path) -> Any:
    return subprocess.run(
        [str(EXAMPLES / "mail-digest.sh")],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_mail_digest_sends_the_digest_through_sendmail(
    home: Path, tmp_path: Path, arxiv: Loopback
) -> None:
    sent = tmp_path / "sendmail"
    recorder(home / ".local" / "bin", "sendmail", sent)
    env = mail_env(home, tmp_path, RADAR_MAIL_TO="you@example.org", RADAR_MAIL_FROM="r@example.org")
    with days_during() as days:
        result = mail_digest(env, home)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert sent.with_suffix(".args").read_text().split() == ["-t", "-oi"]
    message = sent.with_suffix(".stdin").read_text(encoding="utf-8")
    headers, _, body = message.partition("\n\n")
    subject = headers.splitlines()[2]
    assert subject in {f"Subject: arXiv radar {day}" for day in days}
    assert headers.splitlines() == [
        "To: you@example.org",
        "From: r@example.org",
        subject,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    assert body.startswith("---\n")
    assert f"# radar — Test radar — {DAY}" in body
    assert "EEG-DCNet" in body
    assert list((tmp_path / "tmp").iterdir()) == []  # the temporary digest is gone


def test_mail_digest_can_use_mail(home: Path, tmp_path: Path, arxiv: Loopback) -> None:
    sent = tmp_path / "mail"
    recorder(home / ".local" / "bin", "mail", sent)
    env = mail_env(
        home,
        tmp_path,
        RADAR_MAIL_TO="a@example.org",
        RADAR_MAILER="mail",
        RADAR_MAIL_SUBJECT="papers",
        RADAR_ARGS="--limit 2 --full",
    )
    result = mail_digest(env, home)
    assert result.returncode == 0, result.stderr
    assert sent.with_suffix(".args").read_text().splitlines() == ["-s", "papers", "a@example.org"]
    body = sent.with_suffix(".stdin").read_text("utf-8")
    assert f"# radar — Test radar — {DAY}" in body
    assert "## 2. " in body
    assert "## 3. " not in body  # RADAR_ARGS reached radar


def test_mail_digest_needs_a_recipient(home: Path, tmp_path: Path, arxiv: Loopback) -> None:
    result = mail_digest(mail_env(home, tmp_path), home)
    assert result.returncode != 0
    assert "RADAR_MAIL_TO" in result.stderr
    assert arxiv.requests == []


def test_mail_digest_passes_on_radars_failure(home: Path, tmp_path: Path, arxiv: Loopback) -> None:
    sent = tmp_path / "sendmail"
    recorder(home / ".local" / "bin", "sendmail", sent)
    (home / ".config" / "radar" / "radar.yaml").write_text("categories: [cs.ML]\n")
    result = mail_digest(mail_env(home, tmp_path, RADAR_MAIL_TO="you@example.org"), home)
    assert result.returncode == 2  # radar's exit code for a bad watchlist
    assert "unknown arXiv category 'cs.ML'" in result.stderr
    assert not sent.with_suffix(".stdin").exists()  # no empty mail


def test_mail_digest_without_a_mailer(home: Path, tmp_path: Path, arxiv: Loopback) -> None:
    if Path("/usr/sbin/sendmail").exists() or shutil.which("mail", path="/usr/bin:/bin"):
        pytest.skip("this system has a mailer")
    result = mail_digest(mail_env(home, tmp_path, RADAR_MAIL_TO="you@example.org"), home)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no mailer found")
    assert arxiv.requests == []  # no digest made for nothing
