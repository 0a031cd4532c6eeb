"""`radar init`: a commented watchlist to start from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from radar.cli.app import app, say
from radar.errors import UsageError


@app.command()
def init(
    path: Annotated[
        Path | None,
        typer.Option(
            "--path", help="Where to write it (default: the user config dir).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example watchlist to start from."""
    from radar.config import example_config_text
    from radar.output import write_atomically
    from radar.wiring import user_config_dir

    target = path or user_config_dir(os.environ) / "radar.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="edit it, or pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, example_config_text())
    say(f"wrote {target}: edit it, then run `radar today`")
