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
    LimitOption,
    OfflineOption,
    OutputOption,
    PageOption,
    RefreshOption,
    TopicOption,
    app,
    page_size,
    progress,
    say_notice,
)
from radar.cli.emit import check_output, emit_report, resolve_format
from radar.cli.flags import conflicts, refuse_together
from radar.cli.nextpage import next_page_command
from radar.cli.world import parse_day, parse_span_start, world_for
from radar.errors import UsageError


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
    limit: LimitOption = None,
    page: PageOption = 1,
    full: Annotated[bool, typer.Option("--full", help="Show whole abstracts.")] = False,
    topic: TopicOption = None,
    brief: Annotated[
        bool, typer.Option("--brief", help="Put the day's briefing (Claude) above the cards.")
    ] = False,
    demo: DemoOption = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show dismissed papers too.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Every announcement day from DATE (YYYY-MM-DD) or Nd days ago to today, "
            "in one report; days radar missed are recovered by search (at most 31 days).",
            metavar="DATE|Nd",
            show_default=False,
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            metavar="DIR",
            help="Write DIR/YYYY-MM-DD.md (the announcement's day; FIRST--LAST.md with "
            "--since) and keep DIR/index.md (.html and index.html with --format html; .atom "
            "and feed.xml with --format atom).",
            show_default=False,
            readable=False,
        ),
    ] = None,
) -> None:
    """Rank today's arXiv announcements against your watchlist."""
    from radar.cli.digests import check_digest_dir, digest_path, update_index
    from radar.cli.triage import dismissed_papers, remember_shown
    from radar.report import TodayOptions, build_today

    refuse_together(
        *conflicts(
            offline=offline, refresh=refresh, day=day, demo=demo, config=config_path,
            cache=cache_dir,
        )
    )
    digests = check_digest_dir(output_dir, output, format_, page)
    fmt = (format_ or Format.markdown) if output_dir else resolve_format(format_, output)
    refuse_together(
        # JSON Lines has one paper per line and no place for a briefing: it would be made
        # (and paid for) and then dropped.
        ("--brief", brief, "--format jsonl", fmt is Format.jsonl, "use --format json, which "
         "carries the briefing, or `radar brief --format jsonl`"),
    )
    per_page = page_size(limit, page, fmt)
    if page > 1 and per_page == 0:
        # No limit means one page holding every paper: a page 2 of it would repeat page 1.
        raise UsageError(
            f"--page {page} needs a page size: without --limit there is only one page",
            hint="add --limit N (files and JSON show every paper unless --limit is given)",
        )
    options = TodayOptions(
        day=parse_day(day),
        since=parse_span_start(since, day),
        refresh=refresh,
        unseen=unseen,
        limit=per_page,
        page=page,
        hidden=frozenset() if show_all else dismissed_papers(),
    )
    check_output(output)
    with world_for(
        config_path, cache_dir, offline=offline, demo=demo, topic=topic, library=True
    ) as (
        config,
        world,
    ):
        with progress("fetching today's arXiv announcements"):
            report = build_today(config, options, world)
        if demo:
            report = replace(report, state="demo")
        for notice in report.notices:
            say_notice(notice)
        if digests is not None:
            output = digest_path(digests, report, fmt)
            if output is None:
                return
        remember_shown(report)  # what `radar save 3` will mean, whatever the format
        more = next_page_command(
            ["radar", "today"],
            [
                ("--config", config_path),
                ("--cache-dir", cache_dir),
                ("--demo", demo),
                ("--offline", offline),
                ("--date", day),
                ("--topic", topic),
                ("--unseen", unseen),
                # The format the page was made in, even when --output's suffix chose it:
                # --output itself is left out (page 2 would overwrite page 1).
                ("--format", fmt.value if format_ is not None or output else None),
                ("--limit", limit),
                ("--full", full),
                ("--brief", brief),
                ("--all", show_all),
            ],
            page=page,
            unseen=unseen,
        )
        if not brief:
            emit_report(report, fmt, output, full=full, more=more, language=config.language)
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
            more=more,
            language=config.language,
        )
        update_index(digests, fmt, config.language)
        if outcome.error is not None:
            raise outcome.error

