"""The entry point: runs the app and turns every failure into `error:`, `hint:` and an exit code."""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

import typer

# Importing the command modules registers their commands on the app.
from radar.cli import (  # noqa: F401
    brief,
    cache,
    categories,
    doctor,
    rank,
    setup,
    show,
    today,
    triage,
)
from radar.cli.app import ReaderLeft, app, stderr_console
from radar.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, RadarError, UsageError


def _on_sigterm(signum: int, frame: object) -> NoReturn:
    # Unwind like Ctrl-C: temporary files are removed, the cache is closed.
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run `radar`; returns the exit code when given argv (tests), else exits with it."""
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _on_sigterm)
    args = list(argv) if argv is not None else sys.argv[1:]
    # -q may stand anywhere (radar.cli.flags); it is read here, before the app parses it.
    words = args[: args.index("--")] if "--" in args else args
    _tolerate_narrow_encodings(quiet="-q" in words or "--quiet" in words)
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=args,
            prog_name="radar",
            standalone_mode=False,
        )
        code = result if isinstance(result, int) else 0
    except RadarError as exc:
        code = _report(exc)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.TyperException as exc:  # typer's usage errors: a bad flag or value
        code = _report(UsageError(exc.format_message(), hint=_help_hint(exc)))
    except (KeyboardInterrupt, typer.Abort):
        code = EXIT_INTERRUPTED
    except (ReaderLeft, BrokenPipeError):
        # `radar today | head`: the reader left; that is not an error of ours. Python
        # flushes stdout once more on exit: send that to /dev/null, not a warning to stderr.
        _quiet_stdout()
        code = 0
    except Exception:
        stderr_console().print(
            "error: radar hit a bug; please report it with the lines below", markup=False
        )
        traceback.print_exc(file=sys.stderr)
        code = EXIT_INTERNAL
    if code == EXIT_INTERRUPTED:
        stderr_console().print("error: interrupted; nothing was left half-written", markup=False)
    if argv is None:
        sys.exit(code)
    return code


def _tolerate_narrow_encodings(*, quiet: bool) -> None:
    """With PYTHONIOENCODING=ascii (or a C locale), a name like Schölkopf cannot be
    written as is: write `?` for what the stream cannot hold, and say so once (unless
    `quiet`: a cron job would mail it every day), rather than stop with a
    UnicodeEncodeError."""
    import codecs

    narrow = []
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            unicode = codecs.lookup(encoding).name.startswith("utf")
        except LookupError:
            unicode = False
        reconfigure = getattr(stream, "reconfigure", None)
        if not unicode and reconfigure is not None:
            reconfigure(errors="replace")
            narrow.append(f"{name} ({encoding})")
    if narrow and not quiet:
        stderr_console().print(
            f"warning: {' and '.join(narrow)} cannot show every character; those that "
            "do not fit are shown as ?",
            markup=False,
        )
        stderr_console().print("hint: set PYTHONIOENCODING=utf-8 or a UTF-8 locale", markup=False)


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to flush
        pass


def _help_hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "radar"
    return f"run `{path} --help` to see the options"


def _report(exc: RadarError) -> int:
    # Messages may quote what a server or a file said: print them as one inert line each.
    from radar.render.safe import single_line

    err = stderr_console()
    for problem in getattr(exc, "problems", (exc.message,)):
        err.print(f"error: {single_line(problem)}", markup=False)
    if exc.hint:
        err.print(f"hint: {single_line(exc.hint)}", markup=False)
    return exc.exit_code
