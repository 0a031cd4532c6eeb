"""`radar init`: a commented watchlist to start from, filled in by asking on a terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from radar.cli.app import app, say
from radar.errors import OutputError, UsageError

if TYPE_CHECKING:
    from radar.starter import Choices


def stdin_is_terminal() -> bool:
    """Whether someone can answer questions (tests replace this one function)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # a closed stdin
        return False


@app.command()
def init(
    path: Annotated[
        Path | None,
        typer.Option(
            "--path",
            metavar="FILE",
            help="Where to write it (default: the user config dir).",
            show_default=False,
            readable=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Ask nothing: write the commented example as is."),
    ] = False,
) -> None:
    """Write a starter watchlist; on a terminal, ask first."""
    from radar.config import example_config_text, parse_config
    from radar.output import write_atomically
    from radar.starter import starter_text
    from radar.wiring import user_config_dir

    target = path.expanduser() if path else user_config_dir(os.environ) / "radar.yaml"
    # Refuse before asking anything: answers typed for nothing are a poor first experience.
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="edit it, or pass --force to replace it")
    choices = None
    if not yes:
        if stdin_is_terminal():
            choices = ask_choices()
        else:
            say("stdin is not a terminal: writing the example watchlist as is (as with --yes)")
    text = starter_text(example_config_text(), choices)
    parse_config(text, target)  # never write a watchlist that `radar today` would refuse
    # The writer's own hints name --output; here the place is chosen with --path.
    elsewhere = "choose another place with --path FILE"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
    except OutputError as exc:
        raise OutputError(exc.message, hint=elsewhere) from None
    except OSError as exc:  # the folder could not be made: a read-only home, a file in the way
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"cannot write {target}: {reason}", hint=elsewhere) from None
    say(f"wrote {target}: edit it, then run `radar doctor` and `radar today`")


def ask_choices() -> Choices:
    """Categories, authors and keywords, asked on stderr and read from stdin."""
    from radar.starter import Choices

    _tell("What should radar watch? Separate entries with commas.")
    categories = _ask_categories()
    while True:
        authors = _ask("Authors to follow, whatever their category (Enter for none)")
        if categories or authors:
            break
        _tell("watch at least one category or author: keywords alone cannot be fetched")
    keywords = _ask("Keywords for titles and abstracts (Enter for none)")
    return Choices(categories=categories, authors=authors, keywords=keywords)


def _ask_categories() -> tuple[str, ...]:
    from radar import taxonomy
    from radar.config import example_config_text, parse_config

    default = ", ".join(parse_config(example_config_text(), None).topics[0].categories)
    while True:
        codes = _ask("arXiv categories, e.g. cs.LG or math ('none' for none)", default=default)
        if codes == ("none",):
            return ()
        wrong = [c for c in codes if not taxonomy.is_valid(c)]
        if not wrong:
            return codes
        for code in wrong:
            guess = taxonomy.suggest(code)
            advice = f"did you mean {guess}?" if guess else "codes look like cs.LG, math, hep-th"
            _tell(f"{code!r} is not an arXiv category: {advice}")
        _tell("`radar categories WORD` searches the codes and names; try again")


def _tell(message: str) -> None:
    # Part of the conversation, so not silenced by -q: a question asked again needs its why.
    typer.echo(message, err=True)


def _ask(question: str, default: str = "") -> tuple[str, ...]:
    from radar.starter import split_list

    # err=True: questions are people-talk, so they go to stderr like the rest of it.
    answer: str = typer.prompt(question, default=default, show_default=bool(default), err=True)
    return split_list(answer)
