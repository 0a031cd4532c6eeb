"""Papers given to `radar rank`: JSON Lines (radar's own or any with `id`, `title`, ...) or
radar's JSON document, read into Paper values with one warning per line that is not one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from radar.ids import parse_arxiv_id
from radar.models import ANNOUNCE_TYPES, AnnounceType, Paper
from radar.names import split_authors

_MAX_WARNINGS = 10  # a file of another kind would say the same thing on every line


def read_papers(text: str, name: str = "input") -> tuple[tuple[Paper, ...], tuple[str, ...]]:
    """The papers in `text`; `name` (a file name, or "input" for stdin) starts each warning."""
    document = _document(text)
    if document is not None:
        rows = [(i + 1, row) for i, row in enumerate(document)]
        where = "paper "  # the document's n-th paper
    else:
        rows = []
        warnings: list[str] = []
        # Split at newlines only: JSON escapes every other line break inside its strings.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                rows.append((number, json.loads(line)))
            except ValueError:
                warnings.append(f"{name}:{number}: not a JSON object; skipped")
        where = ""  # a line number
    papers: list[Paper] = []
    problems = [] if document is not None else warnings
    for number, row in rows:
        paper = paper_from(row)
        if isinstance(paper, str):
            problems.append(f"{name}:{where}{number}: {paper}; skipped")
        else:
            papers.append(paper)
    if len(problems) > _MAX_WARNINGS:
        more = len(problems) - _MAX_WARNINGS + 1
        problems[_MAX_WARNINGS - 1 :] = [f"{name}: {more} more lines were skipped"]
    return tuple(papers), tuple(problems)


def _document(text: str) -> list[Any] | None:
    """The papers of radar's JSON document (`radar today --format json`), if `text` is one."""
    if not text.lstrip().startswith("{"):
        return None
    try:  # JSON Lines of two or more lines fail here at once, on the first line's end
        whole = json.loads(text)
    except ValueError:
        return None
    if isinstance(whole, dict) and isinstance(whole.get("papers"), list):
        return list(whole["papers"])
    return None


def paper_from(row: object) -> Paper | str:
    """A Paper, or what is wrong with `row` (one phrase)."""
    if not isinstance(row, Mapping):
        return "not a JSON object"
    title = row.get("title")
    if not isinstance(title, str) or not title.strip():
        return "no title"
    raw_id = row.get("id") if row.get("id") is not None else row.get("arxiv_id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        return "no id"
    doi = row.get("doi") if isinstance(row.get("doi"), str) else None
    parsed = parse_arxiv_id(raw_id)
    if parsed is not None:
        arxiv_id, version = parsed[0], parsed[1] or _int(row.get("version"), 1)
    elif raw_id.lower().startswith("doi:"):
        arxiv_id, version, doi = "", 1, doi or raw_id[4:]
    else:  # an id of the caller's own: kept as given, so the output names it the same way
        arxiv_id, version = raw_id.strip(), _int(row.get("version"), 1)
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=" ".join(title.split()),
        authors=_authors(row.get("authors")),
        abstract=row["abstract"] if isinstance(row.get("abstract"), str) else "",
        categories=_categories(row),
        announce_type=_announce(row.get("announce_type")),
        announced=_date(row.get("announced") or row.get("date")),
        doi=doi,
    )


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_authors(value)
    if isinstance(value, list):
        return tuple(a.strip() for a in value if isinstance(a, str) and a.strip())
    return ()


def _categories(row: Mapping[str, Any]) -> tuple[str, ...]:
    listed = row.get("categories")
    found = [c for c in listed if isinstance(c, str)] if isinstance(listed, list) else []
    primary = row.get("primary_category")
    if isinstance(primary, str) and primary:
        found = [primary, *(c for c in found if c != primary)]
    return tuple(found)


def _announce(value: object) -> AnnounceType:
    for kind in ANNOUNCE_TYPES:
        if value == kind:
            return kind
    return "new"


def _date(value: object) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _int(value: object, default: int) -> int:
    positive = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value if positive else default  # type: ignore[return-value]
