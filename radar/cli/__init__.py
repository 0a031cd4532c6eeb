"""The `radar` command line: thin commands over the library; only this package touches argv,
the environment, the terminal, stdout/stderr and exit codes."""

from radar.cli.main import main

__all__ = ["main"]
