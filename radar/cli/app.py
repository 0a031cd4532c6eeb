"""The typer application, its shared options, and how the CLI talks to people (stderr)."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from radar import __version__
from radar.cli.flags import hoist_global_flags

if TYPE_CHECKING:
    import logging


class ReaderLeft(Exception):
    """Whoever read our stdout went away (`radar today | head`): not an error of ours."""


class _RadarGroup(typer.core.TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_flags(self, args))

    def invoke(self, ctx: Any) -> Any:  # Any: typer's vendored click Context is private
        # Click turns a broken pipe into exit status 1 before radar's main() could see it;
        # as a ReaderLeft it passes Click by, and main() ends the run quietly with 0.
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise ReaderLeft from exc


app = typer.Typer(
    cls=_RadarGroup,
    name="radar",
    help="Today's arXiv announcements, ranked against your watchlist.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # errors are ours to print; locals may hold secrets
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear radar's cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


class Format(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    atom = "atom"


# The cards a terminal shows at once; files and JSON hold every paper unless --limit says.
TERMINAL_LIMIT = 20

LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        metavar="N",
        help=f"Papers per page (default: {TERMINAL_LIMIT} in the terminal, all in files; "
        "0 for all).",
        show_default=False,
    ),
]
PageOption = Annotated[
    int, typer.Option("--page", "-p", metavar="N", help="Which page of --limit papers.")
]


def page_size(limit: int | None, page: int, fmt: Format) -> int:
    """The papers a page holds (0: all), once --limit and --page are known to make sense."""
    from radar.errors import UsageError

    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 or more, not {limit}", hint="0 shows every paper")
    if page < 1:
        raise UsageError(f"--page must be 1 or more, not {page}", hint="pages count from 1")
    if limit is not None:
        return limit
    return TERMINAL_LIMIT if fmt is Format.terminal else 0


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help="Watchlist file (default: $RADAR_CONFIG, ./radar.yaml, then the user config dir).",
        show_default=False,
    ),
]
CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Cache directory (default: $RADAR_CACHE_DIR or the user cache dir).",
        show_default=False,
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="A past day, from the cache (YYYY-MM-DD).",
        show_default=False,
    ),
]
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="Never touch the network; use what is cached.")
]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help="Ask again even if today's answer is cached.")
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: terminal, or from the --output suffix).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (replaced whole), FIFO or device; `-` is stdout.",
        show_default=False,
        # Writable is what matters, and output.py checks it: /dev/stdout as a user who
        # is not root can be written but not read.
        readable=False,
    ),
]
TopicOption = Annotated[
    str | None,
    typer.Option(
        "--topic",
        "-t",
        metavar="NAME",
        help="Only this topic of the watchlist.",
        show_default=False,
    ),
]
DemoOption = Annotated[
    bool,
    typer.Option(
        "--demo", help="Use a real bundled arXiv day and the example watchlist; no network."
    ),
]


class Voice:
    """How loud the CLI is: set once by the global flags."""

    verbose = False
    quiet = False


class _Stdout(Console):
    def on_broken_pipe(self) -> None:
        # Rich's own answer is exit status 1; radar's is main()'s: quiet, and 0.
        self.quiet = True
        raise ReaderLeft


MIN_COLUMNS = 20  # narrower than this, no card can be laid out


def stdout_console() -> Console:
    return _Stdout(highlight=False, soft_wrap=False, width=_sane_width(sys.stdout))


def stderr_console() -> Console:
    # soft_wrap: an `error:` line stays one line, whatever the terminal width.
    return Console(stderr=True, highlight=False, soft_wrap=True, width=_sane_width(sys.stderr))


def _sane_width(stream: Any) -> int | None:
    """None (rich's choice: $COLUMNS, else the terminal's size) unless $COLUMNS is
    unusable: 0 (some CI systems), negative, not a number, or too narrow for a card;
    then the terminal's real width, or 80."""
    import os

    columns = os.environ.get("COLUMNS")
    if columns is None or (columns.strip().isdigit() and int(columns) >= MIN_COLUMNS):
        return None
    try:
        return max(os.get_terminal_size(stream.fileno()).columns, MIN_COLUMNS)
    except (AttributeError, OSError, ValueError):
        return 80


def say(message: str) -> None:
    """People-talk on stderr, silenced by --quiet. Always literal: no markup."""
    if not Voice.quiet:
        stderr_console().print(message, markup=False)


def say_notice(notice: str) -> None:
    """A report's notice (stale data, a source that failed) on stderr, as a `warning:`."""
    labelled = notice.startswith(("warning:", "note:", "error:"))
    say(notice if labelled else f"warning: {notice}")


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner on stderr while the network may be in use, only on a terminal."""
    err = stderr_console()
    if Voice.quiet or not err.is_terminal:
        yield
        return
    with err.status(message):
        yield


def _version(value: bool) -> None:
    if value:
        print(f"radar {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log each HTTP request to stderr.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only data and errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    import logging  # here, not above: `radar --help` never needs it

    Voice.verbose, Voice.quiet = verbose, quiet
    logger = logging.getLogger("radar")
    # Set both ways: a second run in one process (tests, embedding) must not inherit -v.
    logger.handlers[:] = []
    logger.setLevel(logging.NOTSET)
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("radar: %(message)s"))
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
    # Each retry and its wait is said as it happens, on a terminal too (without -v), so a
    # slow failure is not a silent spinner for a minute; never in scripts' stderr unasked.
    retries = logging.getLogger("radar.retry")
    retries.handlers[:] = []
    if not verbose:
        show = not quiet and stderr_console().is_terminal
        retries.handlers[:] = [_say_handler() if show else logging.NullHandler()]


def _say_handler() -> "logging.Handler":
    import logging

    class SayHandler(logging.Handler):
        """Log records as `warning:` lines through say(), above a running spinner."""

        def emit(self, record: logging.LogRecord) -> None:
            say(f"warning: {record.getMessage()}")

    return SayHandler()
