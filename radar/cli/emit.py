"""Puts a report (and a briefing) on stdout or into a file, in the chosen format."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from radar.cli.app import Format, say, stdout_console

if TYPE_CHECKING:
    from radar.briefing.values import Briefing
    from radar.models import Report

_SUFFIX_FORMATS = {
    ".md": Format.markdown,
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".html": Format.html,
    ".htm": Format.html,
    ".atom": Format.atom,
    ".xml": Format.atom,
}


def resolve_format(fmt: Format | None, output: Path | None) -> Format:
    if fmt is not None:
        return fmt
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), Format.markdown)
    return Format.terminal


def check_output(output: Path | None) -> None:
    """Refuse an unwritable --output before any network use or API spending."""
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
    command: str = "radar today",
    language: str = "en",
) -> None:
    """`briefing_shown`: the briefing already streamed to this terminal; don't repeat it.
    `language`: the watchlist's, for the labels of an HTML page."""
    if fmt is Format.terminal:
        from radar.render.terminal import render_terminal

        def draw(console: Console) -> None:
            if briefing is not None and not briefing_shown:
                from radar.briefing.render import render_briefing_terminal

                render_briefing_terminal(briefing, console)
                console.print()
            render_terminal(report, console, full=full, command=command)

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
        text = render_markdown(report, command=command, preamble=preamble)
    elif fmt is Format.json:
        from radar.render.json import render_json

        extra = None
        if briefing is not None:
            from radar.briefing.codec import briefing_to_dict

            extra = {"briefing": briefing_to_dict(briefing)}
        text = render_json(report, extra=extra)
    elif fmt is Format.html:
        from radar.render.html import render_html

        text = render_html(report, briefing=briefing, language=language, command=command)
    elif fmt is Format.atom:
        from radar.render.atom import render_atom

        text = render_atom(report, self_href=output.name if output is not None else None)
    else:
        from radar.render.json import render_jsonl

        text = render_jsonl(report)
    write_text(text, output, f"{report.total} papers")


def write_text(text: str, output: Path | None, what: str) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from radar.output import write_atomically

    write_atomically(output, text)
    say(f"wrote {output} ({what})")
