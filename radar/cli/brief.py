"""`radar brief` (and `radar today --brief`): the day's briefing by Claude, or without an LLM."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from radar import __version__
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
    say_notice,
    stdout_console,
)
from radar.cli.emit import check_output, resolve_format, write_text
from radar.cli.flags import conflicts, refuse_together
from radar.cli.world import open_cache, parse_day, world_for
from radar.errors import LLMError, NoDataError, UsageError

if TYPE_CHECKING:
    from radar.briefing.settings import BriefingSettings
    from radar.briefing.values import Briefing
    from radar.models import Report
    from radar.report import World
    from radar.watchlist import Config


@dataclass(frozen=True, slots=True)
class BriefingRun:
    briefing: "Briefing | None"
    streamed: bool  # already shown on the terminal as it arrived
    error: LLMError | None = None


def settings_for(config: "Config", model: str | None = None) -> "BriefingSettings":
    """The watchlist's settings, with ANTHROPIC_BASE_URL (a gateway, a test server) and --model."""
    settings = config.briefing
    base_url = os.environ.get("ANTHROPIC_BASE_URL", "").strip()
    if base_url:
        settings = replace(settings, base_url=base_url)
    if model:
        settings = replace(settings, model=model)
    return settings


def briefing_for(
    config: "Config",
    report: "Report",
    world: "World",
    *,
    fmt: Format,
    output: Path | None,
    refresh: bool,
    model: str | None = None,
) -> BriefingRun:
    """Make (or reuse) the day's briefing. An LLM failure is returned, not raised, so the
    caller can still show the cards before exiting with the LLM's exit code."""
    from radar.briefing.offline import OFFLINE_HINT, offline_briefing

    settings = settings_for(config, model)
    api_key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if not api_key:
        if fmt is not Format.terminal or output is not None:
            # On the terminal the briefing's own heading says so; elsewhere, say it here.
            say(f"note: this briefing is made without an LLM; {OFFLINE_HINT}")
        briefing = offline_briefing(report.ranking, report.day, max_papers=settings.max_papers)
        return BriefingRun(briefing, streamed=False)
    from radar.briefing.engine import make_briefing

    live = fmt is Format.terminal and output is None and sys.stdout.isatty()
    if live:
        stdout_console().print(f"Briefing by Claude ({settings.model})", style="bold")

    def show_chunk(chunk: str) -> None:
        sys.stdout.write(chunk)
        sys.stdout.flush()

    try:
        with progress(f"asking Claude ({settings.model})") if not live else nullcontext():
            outcome = make_briefing(
                report.ranking,
                report.day,
                settings,
                api_key=api_key,
                store=world.store,
                on_text=show_chunk if live else _ignore,
                refresh=refresh,
            )
    except LLMError as exc:
        if live:
            sys.stdout.write("\n")
        return BriefingRun(None, streamed=False, error=exc)
    briefing = outcome.briefing
    streamed = live and not outcome.from_cache
    if streamed:
        sys.stdout.write("\n\n")
    _tell_about(briefing, from_cache=outcome.from_cache, dropped=outcome.dropped)
    return BriefingRun(briefing, streamed=streamed)


def _tell_about(briefing: "Briefing", *, from_cache: bool, dropped: int) -> None:
    from radar.briefing.render import usage_summary
    from radar.render.words import counted

    if from_cache:
        say("briefing: from the cache (no API request); --refresh asks Claude again")
    elif (usage := usage_summary(briefing)) is not None:
        say(f"briefing: {usage}")
    if dropped:
        papers = counted(dropped, "lower-ranked paper")
        say(f"briefing: {papers} left out to stay within the limits")
    removed = len(briefing.removed_citations)
    if removed:
        cites = counted(removed, "citation")
        verb = "was" if removed == 1 else "were"
        say(f"warning: {cites} of papers not among today's {verb} removed")


@app.command()
def brief(
    config_path: ConfigOption = None,
    cache_dir: CacheOption = None,
    day: DateOption = None,
    offline: OfflineOption = False,
    refresh: RefreshOption = False,
    format_: FormatOption = None,
    output: OutputOption = None,
    topic: TopicOption = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            metavar="MODEL",
            help="Claude model (default: briefing.model in the watchlist).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Say how many papers and tokens would be sent, and the cost; send nothing.",
        ),
    ] = False,
    demo: DemoOption = False,
) -> None:
    """A one-page, cross-field briefing of the day's top papers, written by Claude."""
    from radar.report import TodayOptions, build_today

    dated = day is not None
    refuse_together(
        *conflicts(
            offline=offline, refresh=refresh, day=day, demo=demo, config=config_path,
            cache=cache_dir,
        ),
        ("--date", dated, "--dry-run", dry_run, "a past day's briefing is shown from the cache"),
        ("--date", dated, "--model", model is not None, "a past day's briefing is already made"),
        ("--date", dated, "--topic", topic is not None, "a past day's briefing covers its "
         "whole watchlist; drop --topic"),
        ("--dry-run", dry_run, "--output", output is not None, "--dry-run writes nothing"),
        ("--dry-run", dry_run, "--refresh", refresh, "--dry-run asks Claude nothing"),
    )
    fmt = resolve_format(format_, output)
    if fmt in (Format.html, Format.atom):
        raise UsageError(
            f"radar brief does not write {fmt.value}",
            hint=f"`radar today --brief --format {fmt.value}` puts the briefing above the papers",
        )
    check_output(output)
    past = parse_day(day)
    if past is not None:
        _show_past(past, cache_dir, fmt, output)
        return
    with world_for(
        config_path, cache_dir, offline=offline, demo=demo, topic=topic, library=True
    ) as (
        config,
        world,
    ):
        with progress("fetching today's arXiv announcements"):
            report = build_today(config, TodayOptions(limit=0, mark_seen=False), world)
        for notice in report.notices:
            say_notice(notice)
        if dry_run:
            _dry_run(config, report, model)
            return
        run = briefing_for(
            config, report, world, fmt=fmt, output=output, refresh=refresh, model=model
        )
    if run.error is not None:
        raise run.error
    assert run.briefing is not None
    if not run.streamed:
        _emit_briefing(run.briefing, fmt, output)


def _show_past(day: date, cache_dir: Path | None, fmt: Format, output: Path | None) -> None:
    from radar.briefing.store import load_briefing_for_day

    with open_cache(cache_dir) as store:
        briefing = load_briefing_for_day(store, day)
    if briefing is None:
        raise NoDataError(
            f"no briefing of {day.isoformat()} is cached",
            hint="briefings are kept for the days `radar brief` ran",
        )
    _emit_briefing(briefing, fmt, output)


def _dry_run(config: "Config", report: "Report", model: str | None) -> None:
    from radar.briefing.cost import estimate

    settings = settings_for(config, model)
    api_key = os.environ.get("ANTHROPIC_API_KEY", "").strip() or None
    guess = estimate(report.ranking, settings, api_key=api_key)
    cost = (
        f"at most ${guess.estimated_cost_usd:.4f}"
        if guess.estimated_cost_usd is not None
        else "unknown (no price for this model; set briefing.prices)"
    )
    print(f"model:        {guess.model}")
    print(f"papers:       {guess.papers_sent} sent, {guess.papers_dropped} left out by the limits")
    print(f"input tokens: {guess.input_tokens:,} ({guess.source})")
    print(f"output:       up to {guess.max_output_tokens:,} tokens")
    print(f"cost:         {cost}", flush=True)
    say("dry run: nothing was sent to Claude")


def _emit_briefing(briefing: "Briefing", fmt: Format, output: Path | None) -> None:
    if fmt is Format.terminal and output is None:
        from radar.briefing.render import render_briefing_terminal

        render_briefing_terminal(briefing, stdout_console())
        return
    if fmt is Format.terminal:
        from radar.briefing.render import briefing_text

        text = briefing_text(briefing).plain + "\n"
    elif fmt is Format.markdown:
        from radar.briefing.render import briefing_markdown

        text = briefing_markdown(briefing, level=1)
    else:
        from radar.briefing.codec import briefing_to_dict

        doc = {
            "schema_version": 1,
            "generator": f"radar {__version__}",
            "briefing": briefing_to_dict(briefing),
        }
        indent = 2 if fmt is Format.json else None
        import json

        text = json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"
    write_text(text, output, "briefing")


def _ignore(_: str) -> None:
    return None
