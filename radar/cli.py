"""The `radar` command: flags -> wiring -> render -> exit code. Nothing else lives here."""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from radar import __version__
from radar.config import Config, example_config_text, find_config, load_config, parse_config
from radar.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, RadarError, UsageError
from radar.ids import parse_arxiv_id
from radar.models import Report
from radar.output import check_writable, write_atomically
from radar.report import TodayOptions, World, build_today, find_paper
from radar.store import open_store
from radar.wiring import default_cache_dir, online_world, user_config_dir, with_env_endpoints

app = typer.Typer(
    name="radar",
    help="Today's arXiv announcements, ranked against your watchlist.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # errors are ours to print; locals may hold secrets
    rich_markup_mode=None,
    add_completion=True,
)
cache_app = typer.Typer(help="Inspect or clear radar's cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


class Format(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"


_SUFFIX_FORMATS = {".md": Format.markdown, ".json": Format.json, ".jsonl": Format.jsonl}
TERMINAL_LIMIT = 20

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Watchlist file (default: $RADAR_CONFIG, ./radar.yaml, then the user config dir).",
        show_default=False,
    ),
]
CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Cache directory (default: $RADAR_CACHE_DIR or the user cache dir).",
        show_default=False,
    ),
]


class _State:
    verbose = False
    quiet = False


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _say(message: str) -> None:
    if not _State.quiet:
        _stderr().print(message, markup=False)


def _version(value: bool) -> None:
    if value:
        print(f"radar {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log each HTTP request to stderr.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only data and errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    _State.verbose, _State.quiet = verbose, quiet
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("radar: %(message)s"))
        logger = logging.getLogger("radar")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@app.command()
def today(
    config_path: ConfigOption = None,
    cache_dir: CacheOption = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--date", help="Show a past day from the cache (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never touch the network; show what is cached.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch even if today's announcement is cached.")
    ] = False,
    unseen: Annotated[
        bool, typer.Option("--unseen", help="Only papers no earlier run showed.")
    ] = False,
    format_: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: terminal, or from the --output suffix).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            help="Papers per page (default: "
            f"{TERMINAL_LIMIT} in the terminal, all in files; 0 for all).",
            show_default=False,
        ),
    ] = None,
    page: Annotated[int, typer.Option("--page", "-p", help="Which page of --limit papers.")] = 1,
    full: Annotated[bool, typer.Option("--full", help="Show whole abstracts.")] = False,
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", help="Only this topic of the watchlist.", show_default=False),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Run on a real bundled arXiv day with "
            "the example watchlist; no network, no cache.",
        ),
    ] = False,
) -> None:
    """Rank today's arXiv announcements against your watchlist."""
    fmt = _resolve_format(format_, output)
    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 or more, not {limit}", hint="0 shows every paper")
    if page < 1:
        raise UsageError(f"--page must be 1 or more, not {page}", hint="pages count from 1")
    options = TodayOptions(
        day=_parse_day(day),
        refresh=refresh,
        unseen=unseen,
        limit=(TERMINAL_LIMIT if fmt is Format.terminal else 0) if limit is None else limit,
        page=page,
    )
    if output is not None:
        check_writable(output)
    with (
        _world(config_path, cache_dir, offline=offline, demo=demo, topic=topic) as (config, world),
        _progress("fetching today's arXiv announcements"),
    ):
        report = build_today(config, options, world)
    if demo:
        report = replace(report, state="demo")
    for notice in report.notices:
        _say(notice)
    _emit(report, fmt, output, full)


@app.command()
def show(
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="An arXiv id, e.g. 2411.17700.")],
    config_path: ConfigOption = None,
    cache_dir: CacheOption = None,
    offline: Annotated[bool, typer.Option("--offline", help="Only look in the cache.")] = False,
    format_: Annotated[Format, typer.Option("--format", "-f")] = Format.terminal,
) -> None:
    """Show one paper, from the cache or else from arXiv's API."""
    parsed = parse_arxiv_id(paper_id)
    if parsed is None:
        raise UsageError(
            f"{paper_id!r} is not an arXiv id", hint="e.g. 2411.17700 or hep-th/9901001"
        )
    with (
        _world(
            config_path, cache_dir, offline=offline, demo=False, topic=None, need_config=False
        ) as (config, world),
        _progress(f"looking up {parsed[0]}"),
    ):
        paper = find_paper(parsed[0], world)
    from radar.models import RankedPaper

    report = Report(
        watchlist=config.name,
        day=paper.announced,
        requested_day=paper.announced or date.today(),
        state="cached",
        papers=(RankedPaper(paper=paper, score=0.0, reasons=()),),
        total=1,
        counts=_counts_of(paper.announce_type),
        limit=1,
    )
    _emit(report, format_, None, full=True)


@cache_app.command("info")
def cache_info(cache_dir: CacheOption = None) -> None:
    """Where the cache is, how big, and which days it holds."""
    store = open_store(_cache_path(cache_dir))
    try:
        info = store.info()
    finally:
        store.close()
    days = info.days
    held = f"{len(days)} ({days[0]} … {days[-1]})" if days else "none"
    print(f"path:    {info.path}")
    print(f"size:    {info.size_bytes / 1e6:.1f} MB")
    print(f"entries: {info.entries}")
    print(f"days:    {held}")


@cache_app.command("clear")
def cache_clear(cache_dir: CacheOption = None) -> None:
    """Delete everything radar has cached (days, searches, seen-state, briefings)."""
    store = open_store(_cache_path(cache_dir))
    try:
        removed = store.clear()
    finally:
        store.close()
    _say(f"removed {removed} cache entries from {store.path}")


@app.command()
def init(
    path: Annotated[
        Path | None,
        typer.Option(
            "--path",
            help="Where to write the watchlist (default: the user config dir).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example watchlist to start from."""
    target = path or user_config_dir(os.environ) / "radar.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="edit it, or pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, example_config_text())
    _say(f"wrote {target}: edit it, then run `radar today`")


# -- wiring helpers -----------------------------------------------------------


@contextmanager
def _world(
    config_path: Path | None,
    cache_dir: Path | None,
    *,
    offline: bool,
    demo: bool,
    topic: str | None,
    need_config: bool = True,
) -> Iterator[tuple[Config, World]]:
    if demo:
        from radar.demo import demo_world

        config = _select_topic(
            parse_config(example_config_text(), Path("radar.example.yaml")), topic
        )
        with tempfile.TemporaryDirectory(prefix="radar-demo-") as scratch:
            store = open_store(Path(scratch))
            try:
                yield config, demo_world(store)
            finally:
                store.close()
        return
    config = _load(config_path, need_config)
    config = _select_topic(with_env_endpoints(config, os.environ), topic)
    store = open_store(_cache_path(cache_dir))
    try:
        if offline:
            yield config, World(store=store, now=lambda: _utcnow())
        else:
            world, client = online_world(config, store, now=_utcnow)
            with client:
                yield config, world
    finally:
        store.close()


def _load(config_path: Path | None, need_config: bool) -> Config:
    env = os.environ
    try:
        path = find_config(config_path, env.get("RADAR_CONFIG"), Path.cwd(), user_config_dir(env))
    except RadarError:
        if need_config:
            raise
        return parse_config(example_config_text(), None)
    return load_config(path)


def _select_topic(config: Config, topic: str | None) -> Config:
    if topic is None:
        return config
    chosen = tuple(t for t in config.topics if t.name == topic)
    if not chosen:
        names = ", ".join(t.name for t in config.topics)
        raise UsageError(f"no topic named {topic!r} in the watchlist", hint=f"topics: {names}")
    return replace(config, topics=chosen)


def _cache_path(cache_dir: Path | None) -> Path:
    return cache_dir.expanduser() if cache_dir else default_cache_dir(os.environ)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _progress(message: str) -> Iterator[None]:
    err = _stderr()
    if _State.quiet or not err.is_terminal:
        with nullcontext():
            yield
        return
    with err.status(message):
        yield


def _resolve_format(fmt: Format | None, output: Path | None) -> Format:
    if fmt is not None:
        return fmt
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), Format.markdown)
    return Format.terminal


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--date {value!r} is not a date", hint="use YYYY-MM-DD, e.g. 2024-11-28"
        ) from None


def _counts_of(announce_type: str):  # type: ignore[no-untyped-def]
    from radar.models import Counts

    return Counts(**{announce_type.replace("-", "_"): 1})


def _emit(report: Report, fmt: Format, output: Path | None, full: bool) -> None:
    if fmt is Format.terminal:
        from radar.render.terminal import render_terminal

        if output is None:
            render_terminal(report, _stdout(), full=full)
            return
        buffer = io.StringIO()
        render_terminal(report, Console(file=buffer, width=100, color_system=None), full=full)
        text = buffer.getvalue()
    elif fmt is Format.markdown:
        from radar.render.markdown import render_markdown

        text = render_markdown(report)
    elif fmt is Format.json:
        from radar.render.json import render_json

        text = render_json(report)
    else:
        from radar.render.json import render_jsonl

        text = render_jsonl(report)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomically(output, text)
    _say(f"wrote {output} ({report.total} papers)")


# -- entry point ----------------------------------------------------------------


def _on_sigterm(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; every failure becomes one `error:` line, a `hint:` and an exit code."""
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _on_sigterm)
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=list(argv) if argv is not None else sys.argv[1:],
            prog_name="radar",
            standalone_mode=False,
        )
        code = result if isinstance(result, int) else 0
    except RadarError as exc:
        code = _report_error(exc)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.TyperException as exc:  # typer's own usage errors: bad flag, missing value
        code = _report_error(UsageError(exc.format_message(), hint=_help_hint(exc)))
    except (KeyboardInterrupt, typer.Abort):
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # `radar today | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        code = 0
    except Exception:
        err = _stderr()
        err.print("error: radar hit a bug; please report it with the lines below", markup=False)
        traceback.print_exc(file=sys.stderr)
        code = EXIT_INTERNAL
    if code == EXIT_INTERRUPTED:
        _stderr().print("error: interrupted; nothing was left half-written", markup=False)
    if argv is None:
        sys.exit(code)
    return code


def _help_hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "radar"
    return f"run `{path} --help` to see the options"


def _report_error(exc: RadarError) -> int:
    err = _stderr()
    problems = getattr(exc, "problems", (exc.message,))
    for problem in problems:
        err.print(f"error: {problem}", markup=False)
    if exc.hint:
        err.print(f"hint: {exc.hint}", markup=False)
    return exc.exit_code
