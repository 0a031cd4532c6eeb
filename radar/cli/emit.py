"""Puts a report (and a briefing) on stdout or into a file, in the chosen format."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from radar.cli.app import Format, say, stdout_console
from radar.render.words import counted

if TYPE_CHECKING:
    from radar.briefing.values import Briefing
    from radar.models import Report

_SUFFIX_FORMATS = {
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".html": Format.html,
    ".htm": Format.html,
    ".atom": Format.atom,
    ".xml": Format.atom,
}


def to_file(output: Path | None) -> Path | None:
    """The file --output names; None for stdout (no --output, or `--output -`)."""
    from radar.output import is_stdout

    return None if output is None or is_stdout(output) else output


def resolve_format(fmt: Format | None, output: Path | None) -> Format:
    """--format, else the one --output's suffix names; a file name that names none (x.txt,
    a bare name) is a usage error rather than a guess."""
    output = to_file(output)
    if fmt is not None:
        return fmt
    if output is None:
        return Format.terminal
    known = _SUFFIX_FORMATS.get(output.suffix.lower())
    if known is not None:
        return known
    if _special(output) or output.is_dir():
        # A FIFO or a device: no suffix to go by. (A directory is refused
        # by check_output, with its own reason.)
        return Format.markdown
    from radar.errors import UsageError

    suffixes = ", ".join(_SUFFIX_FORMATS)
    suffix = output.suffix
    said = f"the suffix {suffix} names no format" if suffix else "no suffix names a format"
    raise UsageError(
        f"--output {output}: {said}",
        hint=f"add --format (terminal, markdown, json, jsonl), or name the file {suffixes}",
    )


def _special(path: Path) -> bool:
    """Whether `path` exists and is not a regular file or directory (a FIFO, /dev/stdout)."""
    try:
        return not (path.is_file() or path.is_dir()) and path.exists()
    except OSError:
        return False


def check_output(output: Path | None) -> None:
    """Refuse an unwritable --output before any network use or API spending."""
    output = to_file(output)
    if output is not None:
        from radar.output import check_writable

        check_writable(output)


def emit_report(
    report: Report,
    fmt: Format,
    output: Path | None,
    *,
    full: bool = False,
    briefing: Briefing | None = None,
    briefing_shown: bool = False,
    more: str | None = None,
    language: str = "en",
) -> None:
    """`briefing_shown`: the briefing already streamed to this terminal; don't repeat it.
    `more`: the command that shows the next page (see radar.cli.nextpage); `language`: the
    watchlist's, for the labels of an HTML page."""
    output = to_file(output)
    if fmt is Format.terminal:
        from radar.render.terminal import render_terminal

        def draw(console: Console) -> None:
            if briefing is not None and not briefing_shown:
                from radar.briefing.render import render_briefing_terminal

                render_briefing_terminal(briefing, console)
                console.print()
            render_terminal(report, console, full=full, more=more)

        if output is None:
            draw(stdout_console())
            return
        buffer = io.StringIO()
        draw(Console(file=buffer, width=100, color_system=None))
        text = buffer.getvalue()
    elif fmt is Format.markdown:
        from radar.render.markdown import render_markdown

        preamble = ""
        if briefing is not None:
            from radar.briefing.render import briefing_markdown

            preamble = briefing_markdown(briefing)
        text = render_markdown(report, more=more, preamble=preamble)
    elif fmt is Format.json:
        from radar.render.json import render_json

        extra = None
        if briefing is not None:
            from radar.briefing.codec import briefing_to_dict

            extra = {"briefing": briefing_to_dict(briefing)}
        text = render_json(report, extra=extra)
    elif fmt is Format.html:
        from radar.render.html import render_html

        text = render_html(report, briefing=briefing, language=language, more=more)
    elif fmt is Format.atom:
        from radar.render.atom import render_atom

        text = render_atom(report, self_href=output.name if output is not None else None)
    else:
        from radar.render.json import render_jsonl

        text = render_jsonl(report)
    write_text(text, output, counted(report.total, "paper"))


def write_text(text: str, output: Path | None, what: str) -> None:
    """Onto stdout, or into --output: a file (whole or not at all), a FIFO or a device."""
    output = to_file(output)
    if output is not None:
        from radar.output import check_writable, resolve_target, write_atomically

        check_writable(output)
        if resolve_target(output).fd != 1:  # --output /dev/stdout is stdout, said or not
            write_atomically(output, text)
            say(f"wrote {output} ({what})")
            return
    sys.stdout.write(text)
    sys.stdout.flush()
