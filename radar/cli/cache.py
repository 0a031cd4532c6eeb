"""`radar cache info|clear`."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

from typing import Annotated

import typer

from radar.cli.app import CacheOption, cache_app, say
from radar.cli.world import open_cache
from radar.render.words import counted


@cache_app.command("info")
def cache_info(cache_dir: CacheOption = None) -> None:
    """Where the cache is, how big, and which days it holds."""
    with open_cache(cache_dir) as store:
        info = store.info()
    days = info.days
    held = f"{len(days)} ({days[0]} … {days[-1]})" if days else "none"
    print(f"path:    {info.path}")
    print(f"size:    {info.size_bytes / 1e6:.1f} MB")
    print(f"entries: {info.entries}")
    print(f"days:    {held}")


@cache_app.command("clear")
def cache_clear(
    cache_dir: CacheOption = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask first (for scripts).")
    ] = False,
) -> None:
    """Delete everything radar has cached (days, searches, seen-state, briefings)."""
    # Works on a damaged cache too: opening it moves a damaged database aside.
    if not yes:
        _confirm_clear()
    with open_cache(cache_dir) as store:
        removed = store.clear()
        copies = store.remove_damaged()
        path = store.path
    also = f" and {counted(copies, 'damaged database')} moved aside earlier" if copies else ""
    say(f"removed {counted(removed, 'cache entry', 'cache entries')}{also} from {path}")


def _confirm_clear() -> None:
    """Ask on a terminal; without one (a script, cron), refuse: nothing is there to ask."""
    from radar.cli.setup import stdin_is_terminal
    from radar.errors import UsageError

    what = "the seen-state --unseen uses and briefings already paid for go too"
    if not stdin_is_terminal():
        raise UsageError(
            "radar cache clear asks before deleting, and stdin is not a terminal",
            hint=f"pass --yes to clear without asking; {what}",
        )
    typer.echo(f"This deletes every cached day and search; {what}.", err=True)
    if not typer.confirm("Clear the cache?", default=False, err=True):
        say("nothing was deleted")
        raise typer.Exit(0)
