"""`radar cache info|clear`."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

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
def cache_clear(cache_dir: CacheOption = None) -> None:
    """Delete everything radar has cached (days, searches, seen-state, briefings)."""
    with open_cache(cache_dir) as store:
        removed = store.clear()
        path = store.path
    say(f"removed {counted(removed, 'cache entry', 'cache entries')} from {path}")
