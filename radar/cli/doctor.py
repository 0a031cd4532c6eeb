"""`radar doctor`: whether everything `radar today` needs works, one line per check."""

from __future__ import annotations

from radar.cli.app import CacheOption, ConfigOption, OfflineOption, app


@app.command()
def doctor(
    config_path: ConfigOption = None,
    cache_dir: CacheOption = None,
    offline: OfflineOption = False,
) -> None:
    """Check everything `radar today` needs, one line each."""
    from radar.cli.checkup import checkup

    checkup(config_path, cache_dir, offline=offline)
