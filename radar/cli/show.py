"""`radar show ID`: one paper, from the cache or else from arXiv's export API."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

from typing import Annotated

import typer

from radar.cli.app import (
    CacheOption,
    ConfigOption,
    Format,
    OfflineOption,
    app,
    progress,
    stdout_console,
)
from radar.cli.emit import write_text
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
    from radar.models import RankedPaper
    from radar.names import AuthorMatcher
    from radar.render.safe import day_label
    from radar.report import find_paper

    parsed = parse_arxiv_id(paper_id)
    if parsed is None:
        shown = paper_id if len(paper_id) <= 40 else paper_id[:40] + "…"
        raise UsageError(
            f"{shown!r} is not an arXiv id", hint="e.g. 2411.17700, 2411.17700v2 or hep-th/9901001"
        )
    with world_for(
        config_path, cache_dir, offline=offline, demo=False, topic=None, required=False
    ) as (config, world), progress(f"looking up {parsed[0]}"):
        found = find_paper(parsed[0], world)
    paper = found.paper
    # Without a watchlist of one's own (config.path None: the example stands in), nobody
    # is watched: the example's authors are not the user's.
    watching = config.authors if config.path is not None else ()
    watched = tuple(hit.author for hit in AuthorMatcher(watching).match(paper.authors))
    ranked = RankedPaper(paper=paper, score=0.0, reasons=(), watched_authors=watched)
    if found.from_cache:
        when = f", announced {day_label(paper.announced)}" if paper.announced else ""
        note = f"from radar's cache{when}"
    else:
        note = "fetched from arXiv's API just now (kept in radar's cache)"
    if format_ is Format.terminal:
        from radar.render.terminal import render_paper_terminal

        render_paper_terminal(ranked, stdout_console(), note=note)
        return
    if format_ is Format.markdown:
        from radar.render.markdown import render_paper_markdown

        text = render_paper_markdown(ranked, note=note)
    else:
        from radar.render.json import paper_document

        found_in = "cache" if found.from_cache else "arxiv-api"
        text = paper_document(ranked, found_in=found_in, lines=format_ is Format.jsonl)
    write_text(text, None, "paper")
