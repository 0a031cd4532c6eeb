"""`radar categories [PATTERN]`: the bundled arXiv taxonomy, to find the codes to watch."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from radar.cli.app import app, say
from radar.errors import UsageError


class ListFormat(StrEnum):
    terminal = "terminal"
    json = "json"


@app.command()
def categories(
    pattern: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATTERN]",
            help="Only categories whose code or name contains this (any case).",
            show_default=False,
        ),
    ] = None,
    format_: Annotated[
        ListFormat, typer.Option("--format", "-f", help="terminal (columns) or json.")
    ] = ListFormat.terminal,
) -> None:
    """List arXiv category codes, names and archives."""
    from radar import taxonomy

    found = taxonomy.search(pattern) if pattern else taxonomy.all_categories()
    if not found:
        guess = taxonomy.suggest(pattern or "")
        raise UsageError(
            f"no arXiv category matches {pattern!r}",
            hint=f"did you mean {guess}?"
            if guess
            else "try a shorter pattern, or `radar categories` for all of them",
        )
    if format_ is ListFormat.json:
        import json

        rows = [
            {
                "code": c.code,
                "name": c.name,
                "archive": c.archive,
                "archive_name": c.archive_name,
                "group": c.group,
            }
            for c in found
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(c.code) for c in found)
    for c in found:
        where = c.archive_name if c.archive_name == c.group else f"{c.archive_name}, {c.group}"
        print(f"{c.code:<{width}}  {c.name}  ({where})")
    say("an archive code (math, cs, hep-th ...) watches all of its categories at once")
