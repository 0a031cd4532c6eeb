"""`radar today`: the day's ranked papers, optionally with the briefing above them."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from radar.cli.app import (
    CacheOption,
    ConfigOption,
    DateOption,
    DemoOption,
    Format,
    FormatOption,
    OfflineOption,
    OutputOption,
    RefreshOption,
    TopicOption,
    app,
    progress,
    say,
)
from radar.cli.emit import check_output, emit_report, resolve_format
from radar.cli.world import parse_day, world_for
from radar.errors import UsageError

TERMINAL_LIMIT = 20


@app.command()
def today(
    config_path: ConfigOption = None,
    cache_dir: CacheOption = None,
    day: DateOption = None,
    offline: OfflineOption = False,
    refresh: RefreshOption = False,
    unseen: Annotated[
        bool, typer.Option("--unseen", help="Only papers no earlier run showed.")
    ] = False,
    format_: FormatOption = None,
    output: OutputOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            help=f"Papers per page (default: {TERMINAL_LIMIT} in the terminal, all in files; "
            "0 for all).",
            show_default=False,
        ),
    ] = None,
    page: Annotated[int, typer.Option("--page", "-p", help="Which page of --limit papers.")] = 1,
    full: Annotated[bool, typer.Option("--full", help="Show whole abstracts.")] = False,
    topic: TopicOption = None,
    brief: Annotated[
        bool, typer.Option("--brief", help="Put the day's briefing (Claude) above the cards.")
    ] = False,
    demo: DemoOption = False,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="Write DIR/YYYY-MM-DD.md (the announcement's day) and keep DIR/index.md "
            "(.html and index.html with --format html; .atom and feed.xml with --format atom).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Rank today's arXiv announcements against your watchlist."""
    from radar.cli.digests import check_digest_dir, digest_path, update_index
    from radar.report import TodayOptions, build_today

    fmt = (format_ or Format.markdown) if output_dir else resolve_format(format_, output)
    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 or more, not {limit}", hint="0 shows every paper")
    if page < 1:
        raise UsageError(f"--page must be 1 or more, not {page}", hint="pages count from 1")
    options = TodayOptions(
        day=parse_day(day),
        refresh=refresh,
        unseen=unseen,
        limit=(TERMINAL_LIMIT if fmt is Format.terminal else 0) if limit is None else limit,
        page=page,
    )
    digests = check_digest_dir(output_dir, output, format_, page)
    check_output(output)
    with world_for(config_path, cache_dir, offline=offline, demo=demo, topic=topic) as (
        config,
        world,
    ):
        with progress("fetching today's arXiv announcements"):
            report = build_today(config, options, world)
        if demo:
            report = replace(report, state="demo")
        for notice in report.notices:
            say(notice)
        if digests is not None:
            output = digest_path(digests, report, fmt)
            if output is None:
                return
        if not brief:
            emit_report(report, fmt, output, full=full, language=config.language)
            update_index(digests, fmt, config.language)
            return
        from radar.cli.brief import briefing_for

        outcome = briefing_for(config, report, world, fmt=fmt, output=output, refresh=refresh)
        emit_report(
            report,
            fmt,
            output,
            full=full,
            briefing=outcome.briefing,
            briefing_shown=outcome.streamed,
            language=config.language,
        )
        update_index(digests, fmt, config.language)
        if outcome.error is not None:
            raise outcome.error
