"""The bundled arXiv category taxonomy: lookup, validation, suggestions and archive coverage."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from radar.datafiles import data_file

_DATA_FILE = "arxiv_taxonomy.json"

# Slips that string similarity gets wrong: "cs.ML" is closest to cs.PL by spelling, but
# people who write it mean machine learning, which arXiv files under cs.LG.
_COMMON_SLIPS = {"cs.ml": "cs.LG", "stat.lg": "stat.ML"}


@dataclass(frozen=True, slots=True)
class Category:
    code: str  # e.g. "cs.AI", "hep-th"
    name: str  # e.g. "Artificial Intelligence"
    archive: str  # e.g. "cs", "hep-th"
    archive_name: str  # e.g. "Computer Science"
    group: str  # e.g. "Computer Science", "Physics"


@dataclass(frozen=True, slots=True)
class _Taxonomy:
    categories: tuple[Category, ...]
    by_code: dict[str, Category]
    archives: dict[str, str]  # archive code -> archive name
    aliases: dict[str, str]  # both directions: "math.MP" <-> "math-ph"


@cache
def _taxonomy() -> _Taxonomy:
    # Read lazily so that importing radar (and `radar --help`) costs no file I/O.
    raw: dict[str, Any] = json.loads(data_file(_DATA_FILE).read_text(encoding="utf-8"))
    archives = {a["code"]: (a["name"], a["group"]) for a in raw["archives"]}
    categories = tuple(
        Category(
            code=c["code"],
            name=c["name"],
            archive=c["archive"],
            archive_name=archives[c["archive"]][0],
            group=archives[c["archive"]][1],
        )
        for c in raw["categories"]
    )
    aliases: dict[str, str] = {}
    for alias, canonical in raw["aliases"].items():
        aliases[alias] = canonical
        aliases[canonical] = alias
    return _Taxonomy(
        categories=categories,
        by_code={c.code: c for c in categories},
        archives={code: name for code, (name, _group) in archives.items()},
        aliases=aliases,
    )


def all_categories() -> tuple[Category, ...]:
    """Every active arXiv category, aliases included (cs.SY and eess.SY both)."""
    return _taxonomy().categories


def lookup(code: str) -> Category | None:
    """The category with exactly this code (arXiv codes are case-sensitive), else None."""
    return _taxonomy().by_code.get(code)


def is_archive(code: str) -> bool:
    """True for an archive code the announcement feed accepts on its own, e.g. "math"."""
    return code in _taxonomy().archives


def is_valid(code: str) -> bool:
    """True for a category code or a whole-archive code."""
    return code in _taxonomy().by_code or is_archive(code)


def alias_of(code: str) -> str | None:
    """The other name of an aliased category ("cs.SY" <-> "eess.SY"), else None."""
    return _taxonomy().aliases.get(code)


def _valid_codes() -> tuple[str, ...]:
    # dict.fromkeys: "hep-th" and friends are both an archive and a category.
    return tuple(dict.fromkeys([*_taxonomy().by_code, *_taxonomy().archives]))


def _squash(code: str) -> str:
    # "astroph.CO", "astro-ph-co" and "ASTRO_PH.co" all squash to "astrophco".
    return re.sub(r"[^0-9a-z]", "", code.lower())


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    lower = {c.lower(): c for c in _valid_codes()}
    squashed = {_squash(c): c for c in _valid_codes()}
    return lower, squashed


def suggest(code: str) -> str | None:
    """The valid code `code` most likely meant, or None if it is valid or nothing is close."""
    if is_valid(code):
        return None
    text = code.strip()
    if is_valid(text):
        return text
    lower, squashed = _index()
    if text.lower() in _COMMON_SLIPS:
        return _COMMON_SLIPS[text.lower()]
    if text.lower() in lower:
        return lower[text.lower()]
    if _squash(text) in squashed:
        return squashed[_squash(text)]
    close = difflib.get_close_matches(text.lower(), list(lower), n=1, cutoff=0.75)
    if close:
        return lower[close[0]]
    # A typo inside a separator-free spelling ("astrophC0") still deserves a guess.
    close = difflib.get_close_matches(_squash(text), list(squashed), n=1, cutoff=0.8)
    return squashed[close[0]] if close else None


def _archive_of(category: str) -> str:
    known = lookup(category)
    return known.archive if known else category.split(".", 1)[0]


def covers(watched: str, category: str) -> bool:
    """Whether watching `watched` (a category or a whole archive) catches `category`.

    Aliases count as the same category: arXiv lists a math-ph paper under math.MP
    too, so watching "math" or "math.MP" catches "math-ph".
    """
    same = {category}
    other = alias_of(category)
    if other:
        same.add(other)
    if watched in same:
        return True
    return is_archive(watched) and any(_archive_of(c) == watched for c in same)


def search(pattern: str) -> tuple[Category, ...]:
    """Categories whose code or name contains `pattern`, ignoring case."""
    needle = pattern.strip().casefold()
    return tuple(
        c for c in all_categories() if needle in c.code.casefold() or needle in c.name.casefold()
    )
