"""The command a "more:" line names: the run that made this page, asking for the next one."""

from __future__ import annotations

import shlex
from collections.abc import Sequence


def next_page_command(
    words: Sequence[str], flags: Sequence[tuple[str, object]], *, page: int, unseen: bool
) -> str:
    """`radar today ... --page N`, shell-quoted, keeping every flag that shaped this page.

    `flags` are (flag, value) in the order they are written: True writes the flag alone,
    False/None/"" leaves it out, anything else writes the flag and its value. With
    --unseen the papers just shown become seen, so the same page number shows the next
    ones: asking for the page after it would skip a page's worth of unseen papers.
    """
    argv = list(words)
    for flag, value in flags:
        if value is None or value is False or value == "":
            continue
        argv.append(flag)
        if value is not True:
            argv.append(str(value))
    following = page if unseen else page + 1
    if following > 1:
        argv += ["--page", str(following)]
    return " ".join(shlex.quote(word) for word in argv)
