"""arXiv identifiers as people type them: 2411.17700, arXiv:2411.17700v2, hep-th/9901001, URLs."""

from __future__ import annotations

import re

_ID = re.compile(
    r"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:)?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})"
    # Versions count from 1; a few digits at most (a long one cannot even become an int).
    r"(?P<version>v[1-9]\d{0,5})?(?:\.pdf)?/?$",
    re.IGNORECASE,
)


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """(id without version, version or None), or None when `text` is not an arXiv id."""
    match = _ID.match(text.strip())
    if match is None:
        return None
    version = match.group("version")
    return match.group("id"), int(version[1:]) if version else None
