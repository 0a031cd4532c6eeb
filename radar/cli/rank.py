"""`radar rank`: rank papers given as JSON Lines by the watchlist and the learned relevance."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from radar.cli.app import (
    ConfigOption,
    FormatOption,
    LimitOption,
    OutputOption,
    PageOption,
    app,
    page_size,
    say,
)
from radar.cli.emit import check_output, emit_report, resolve_format
from radar.cli.nextpage import next_page_command
from radar.errors import UsageError
from radar.library.entries import Library, LibraryEntry  # dataclasses: cheap on any command

MAX_INPUT_BYTES = 200_000_000  # a year of every arXiv abstract is ~300 MB; a pool is far less


@app.command()
def rank(
    source: Annotated[
        str,
        typer.Argument(
            metavar="[INPUT | -]",
            help="Papers as JSON Lines (or radar's JSON); - or nothing reads stdin.",
            show_default=False,
        ),
    ] = "-",
    config_path: ConfigOption = None,
    libraries: Annotated[
        list[Path] | None,
        typer.Option(
            "--library",
            "-l",
            help="A BibTeX file of papers you read or wrote (repeatable).",
            show_default=False,
        ),
    ] = None,
    format_: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    page: PageOption = 1,
    full: Annotated[bool, typer.Option("--full", help="Show whole abstracts.")] = False,
) -> None:
    """Rank papers given as JSON Lines by your watchlist and library, best first."""
    from radar.models import Report
    from radar.rank import rank as rank_papers
    from radar.relevance.pool import read_papers
    from radar.watchlist import Config

    fmt = resolve_format(format_, output)
    shown = page_size(limit, page, fmt)
    check_output(output)
    papers, problems = read_papers(_read_input(source), "input" if source == "-" else source)
    for problem in problems:
        say(f"warning: {problem}")
    if config_path is not None:
        from radar.cli.world import load_watchlist

        config = load_watchlist(config_path)
    else:  # a library alone ranks too: no topics, the default weights
        config = Config(path=None, name="rank", topics=())
    library = _library(libraries or [])
    learned = None
    if not library.empty and papers:
        from radar.relevance.model import learn

        learned = learn(library, papers, config.weights)
    ranking = rank_papers(papers, config, None, learned, everything=True)
    start = (page - 1) * shown
    # The newest paper's day heads the page: the papers' own days, not the clock's.
    days = [p.announced for p in papers if p.announced is not None]
    report = Report(
        watchlist=config.name,
        day=max(days, default=None) or date.today(),
        requested_day=max(days, default=None) or date.today(),
        state="fresh",
        papers=ranking.ranked[start : start + shown] if shown else ranking.ranked,
        total=len(ranking.ranked),
        counts=ranking.counts,
        excluded=ranking.excluded,
        page=page,
        limit=shown,
        ranking=ranking.ranked,
    )
    more = next_page_command(
        ["radar", "rank"],
        [
            ("--config", config_path),
            *(("--library", library) for library in libraries or ()),
            ("--format", fmt.value if format_ is not None or output else None),
            ("--limit", limit),
            ("--full", full),
        ],
        page=page,
        unseen=False,
    )
    # The input goes last, as it was typed (papers piped in as `-` are piped in again).
    emit_report(report, fmt, output, full=full, more=f"{more} {shlex.quote(source)}")


def _read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES).decode("utf-8", errors="replace")
    path = Path(source).expanduser()
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES)
    except OSError as exc:
        raise UsageError(
            f"cannot read {source}: {exc.strerror or exc}",
            hint="give a JSON Lines file of papers, or - for stdin",
        ) from None
    return data.decode("utf-8", errors="replace")


def _library(paths: list[Path]) -> Library:
    from radar.library.bibtex import read_bibtex

    entries: list[LibraryEntry] = []
    for path in paths:
        read, warnings = read_bibtex(path.expanduser())
        entries.extend(read)
        for warning in warnings:
            say(f"warning: {warning}")
    return Library(positives=tuple(entries))
