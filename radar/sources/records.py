"""The guard at every source's parse boundary: one malformed record is skipped, never the run.

Each source turns one record (a feed item, an Atom entry, a JSON object) into a Paper
through `guarded`. Anything the record's fields can provoke while being read (a date
that does not parse or overflows, a number out of range, a string where a list was
expected, text that cannot be encoded) drops that record alone with one notice naming
the source and the record; the rest of the answer is shown. The finished Paper is then
checked as a whole (`check`), so nothing a source lets through can break the cache
write or the renderers later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from radar.ids import parse_arxiv_id
from radar.models import Link, Paper

log = logging.getLogger("radar.records")

# Dates outside these years are not a paper's: 0001 or 9999 is a placeholder or garbage,
# and date arithmetic near datetime's limits overflows further down the line.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
MAX_VERSION = 999_999
# What reading an untrusted record can raise (UnicodeError, and lxml's text decoding
# errors, are ValueErrors). A bug elsewhere in radar still surfaces as a bug.
RECORD_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    TypeError,
    OverflowError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
)


class MalformedRecordError(ValueError):
    """A field of one record cannot be what the source documents; the message says which."""


@dataclass(frozen=True, slots=True)
class Found:
    """What one source found in a run: its papers and what the user should know about them."""

    papers: tuple[Paper, ...] = ()
    notices: tuple[str, ...] = ()
    complete: bool = True  # False when a page cap cut the results short


def skipped_notice(source: str, ident: str, reason: str) -> str:
    ident = ident if ident else "without an id"
    return f"warning: {source}: skipped the record {ident}: {reason}"


def guarded(
    source: str, ident: str, build: Callable[[], Paper | None], notices: list[str]
) -> Paper | None:
    """`build()` checked; None (and one notice in `notices`) when the record is malformed.

    `ident` names the record in the notice; it must itself be printable, so callers pass
    it through `printable_ident`.
    """
    try:
        paper = build()
        return check(paper) if paper is not None else None
    except RECORD_ERRORS as exc:
        reason = str(exc) if isinstance(exc, MalformedRecordError) else _reason(exc)
        notices.append(skipped_notice(source, ident, reason))
        log.info("skipped %s record %s: %r", source, ident, exc)
        return None


def printable_ident(value: object, limit: int = 80) -> str:
    """A record's id as it may be quoted in a notice: encodable, one line, bounded."""
    text = value if isinstance(value, str) else ""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return text[:limit] + ("…" if len(text) > limit else "")


def check(paper: Paper) -> Paper:
    """The paper, when every field can be stored and shown; MalformedRecordError otherwise."""
    for name in (f.name for f in fields(paper)):
        value = getattr(paper, name)
        for text in _strings(value):
            _encodable(name, text)
    if paper.arxiv_id and parse_arxiv_id(paper.arxiv_id) != (paper.arxiv_id, None):
        # Ids become links, cache keys and `radar show` arguments: only real ones.
        shown = printable_ident(paper.arxiv_id, 40)
        raise MalformedRecordError(f"{shown!r} is not an arXiv id")
    if not 0 <= paper.version <= MAX_VERSION:
        raise MalformedRecordError(f"version {paper.version} is out of range")
    if paper.announced is not None:
        plausible_day(paper.announced, "date")
    return paper


def plausible_day(day: date, what: str) -> date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise MalformedRecordError(f"{what} {day.isoformat()} is not a plausible date")
    return day


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Link):
        return [value.label, value.url]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _encodable(field: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedRecordError(
            f"the {field} holds text that cannot be encoded (U+{ord(text[exc.start]):04X})"
        ) from None


def _reason(exc: Exception) -> str:
    # The exception's own text may quote the bad field: keep it short and printable.
    detail = printable_ident(str(exc), limit=60)
    return f"a malformed field ({type(exc).__name__}{': ' + detail if detail else ''})"
