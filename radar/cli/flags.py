"""How flags combine: the app's own flags accepted anywhere on the line, and pairs of
flags that contradict each other refused rather than one silently overruled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Flags of the app itself, accepted anywhere (`radar today --demo -q`), not only before the
# command: people add them at the end of the line they just ran.
GLOBAL_FLAGS = frozenset({"-v", "--verbose", "-q", "--quiet", "--version"})


def hoist_global_flags(root: Any, args: list[str]) -> list[str]:
    """`args` with the app's own flags moved before the command name, wherever they were
    (`radar today --demo -q`, `radar cache -q info`).

    A value given to a command's option (`--topic -q`) stays where it is, and so does
    everything after `--`.
    """
    command, takes_value = root, _value_options(root)
    hoisted: list[str] = []
    kept: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            kept += [token, *tokens]
            break
        if token in GLOBAL_FLAGS:
            hoisted.append(token)
            continue
        kept.append(token)
        if token in takes_value:
            value = next(tokens, None)
            if value is not None:
                kept.append(value)
        elif not token.startswith("-") and hasattr(command, "get_command"):
            # A command name (`cache`, then `clear`): its options follow from here on.
            found = command.get_command(None, token)
            if found is not None:
                command, takes_value = found, _value_options(found)
    return hoisted + kept


def _value_options(command: Any) -> set[str]:
    """The option names of `command` that take a value (`--topic NAME`), not flags."""
    return {
        name
        for param in getattr(command, "params", ())
        if getattr(param, "param_type_name", "") == "option"
        and not getattr(param, "is_flag", False)
        for name in param.opts
    }


def refuse_together(*pairs: tuple[str, bool, str, bool, str]) -> None:
    """A usage error for the first pair of flags given together that contradict each other.

    Each pair is (flag, given, other flag, given, why they cannot go together): flags that
    would be silently ignored or overruled are refused instead.
    """
    from radar.errors import UsageError

    for first, has_first, second, has_second, why in pairs:
        if has_first and has_second:
            raise UsageError(f"{first} and {second} cannot be used together", hint=why)


def conflicts(
    *,
    offline: bool,
    refresh: bool,
    day: str | None,
    demo: bool,
    config: Path | None,
    cache: Path | None,
) -> tuple[tuple[str, bool, str, bool, str], ...]:
    """The flag pairs `today` and `brief` share that contradict each other (see
    refuse_together); --demo with --offline is allowed: the demo never uses the network."""
    past = day is not None
    return (
        ("--offline", offline, "--refresh", refresh, "--offline never asks arXiv; drop one"),
        ("--date", past, "--refresh", refresh, "a past day comes from the cache; drop --refresh"),
        ("--demo", demo, "--config", config is not None, "--demo uses the bundled example "
         "watchlist; drop --demo to use yours"),
        ("--demo", demo, "--cache-dir", cache is not None, "--demo uses no cache; drop one"),
        ("--demo", demo, "--date", past, "--demo shows its one bundled day, 2024-11-28"),
        ("--demo", demo, "--refresh", refresh, "--demo never asks arXiv; drop --refresh"),
    )
