"""The errors radar shows to people, each with a hint and a documented exit code."""

from __future__ import annotations

# Exit codes are part of the interface (README "Exit codes"); never renumber them.
EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: anything that is not a RadarError
EXIT_USAGE = 2  # bad flag, bad config, unwritable output: the user can fix it
EXIT_NO_DATA = 3  # a source failed and nothing usable was cached, or the data asked for is not held
EXIT_LLM = 4  # the briefing's LLM call failed (the cards were still shown)
EXIT_INTERRUPTED = 130  # SIGINT/SIGTERM: nothing half-written was left behind


class RadarError(Exception):
    """A failure the user can understand: one `error:` line, one `hint:` line."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(RadarError):
    """A bad flag or argument."""

    exit_code = EXIT_USAGE


class ConfigError(RadarError):
    """The watchlist cannot be used; `problems` holds one line per problem found."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str = "", problems: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint)
        self.problems = problems or (message,)


class OutputError(RadarError):
    """The requested output file cannot be written."""

    exit_code = EXIT_USAGE


class SourceError(RadarError):
    """A source (arXiv feed or API) failed after its retries."""

    exit_code = EXIT_NO_DATA


class NoDataError(RadarError):
    """What was asked for is neither cached nor fetchable (offline, past day, unknown id)."""

    exit_code = EXIT_NO_DATA


class LLMError(RadarError):
    """The briefing could not be made by the LLM."""

    exit_code = EXIT_LLM
