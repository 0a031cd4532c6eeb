"""`radar show ID`: one paper, from the cache or else from arXiv's export API."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

from typing import Annotated

import typer

from radar.cli.app import CacheOption, ConfigOption, Format, OfflineOption, app, progress
from radar.cli.emit import emit_report
from radar.cli.world import world_for
from radar.errors import UsageError


@app.command()
def show(
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="An arXiv id, e.g. 2411.17700.")],
    config_path: ConfigOption = None,
    cache_dir: CacheOption = None,
    offline: OfflineOption = False,
    format_: Annotated[Format, typer.Option("--format", "-f")] = Format.terminal,
) -> None:
    """Show one paper, from the cache or else from arXiv's API."""
    from radar.ids import parse_arxiv_id
    from radar.models import Counts, RankedPaper, Report
    from radar.report import find_paper

    parsed = parse_arxiv_id(paper_id)
    if parsed is None:
        raise UsageError(
            f"{paper_id!r} is not an arXiv id", hint="e.g. 2411.17700 or hep-th/9901001"
        )
    with world_for(
        config_path, cache_dir, offline=offline, demo=False, topic=None, required=False
    ) as (config, world):
        with progress(f"looking up {parsed[0]}"):
            paper = find_paper(parsed[0], world)
        today = world.now().date()
    kind = paper.announce_type.replace("-", "_")
    report = Report(
        watchlist=config.name,
        day=paper.announced,
        requested_day=paper.announced or today,
        state="cached",
        papers=(RankedPaper(paper=paper, score=0.0, reasons=()),),
        total=1,
        counts=Counts(**{kind: 1}),
        limit=1,
    )
    emit_report(report, format_, None, full=True)
