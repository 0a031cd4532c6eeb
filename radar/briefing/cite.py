"""How a paper is named in the prompt and cited in the reply: `[arXiv:ID]` or `[doi:DOI]`.

The prompt asks for `[arXiv:ID]`, but grounding checks every form a reader would follow to
a paper: `arXiv ID`, `arxiv:ID`, any URL whose path ends in an id (arxiv.org/abs|pdf|html,
www., alphaxiv.org, doi.org, dx.doi.org, with or without a scheme), `doi:DOI`, and bare ids
and DOIs, in any letter case, spelt with look-alike characters or not (see `fold`).

A citation's *canonical id* is what grounding compares: the arXiv id without version or
subject class, in lower case, or "doi:" + the lower-cased, percent-decoded DOI (DOIs are
case-insensitive). A paper's *key* (`Paper.key`) is
what the structured fields carry; the two differ only for a DOI with characters the prompt
cannot carry, which `citable_ids` maps back.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, unquote

from radar.models import ARXIV_ABS_URL, Paper

_NEW_ID = r"[0-9]{4}\.[0-9]{4,5}(?![0-9])"
# Old-style ids (hep-th/9901001, math.GT/0309136); the subject class is not part of the id.
_OLD_ID = r"[a-z][a-z-]*(?:\.[a-z]{2})?/[0-9]{7}(?![0-9])"
ARXIV_ID = rf"(?:{_NEW_ID}|{_OLD_ID})(?:v[0-9]+)?"
# An id with no prefix must look like one: a new-style id with a real month (0704 onwards,
# 01-12), so "1064.0000 nm" is not taken for a citation; an old-style id as it is.
_BARE_ARXIV = (
    r"(?:(?:0[7-9]|[1-9][0-9])(?:0[1-9]|1[0-2])\.[0-9]{4,5}(?![0-9])"
    r"|[a-z][a-z-]+(?:\.[a-z]{2})?/[0-9]{7}(?![0-9]))(?:v[0-9]+)?"
)
# The DOI characters a prompt carries and a citation is read with (Crossref's recommended
# set plus ":" and "+", and %XX escapes as a URL carries them): no quotes, brackets, angle
# brackets or whitespace, so a DOI cannot close the `<paper id="...">` attribute or a
# `[doi:...]` citation. Parentheses count only in balanced pairs and a DOI never ends in
# . ; : — so "(see doi:10.1/x)." stops before ")."
_DOI_CHAR = r"(?:[A-Za-z0-9._;:/+-]|%[0-9A-Fa-f]{2})"
DOI = rf"10\.[0-9]{{4,9}}(?:\.[0-9]+)*(?:/|%2[Ff])(?:{_DOI_CHAR}|\({_DOI_CHAR}*\))+(?<![.;:])"
_DOI_OUTSIDE = re.compile(r"[^A-Za-z0-9._;:/+()-]")
_DOI_PREFIX = re.compile(DOI)
ARXIV_DOI_PREFIX = "10.48550/arxiv."  # arXiv's own DOIs: 10.48550/arXiv.2411.17705
# Any URL a reader could follow to a paper: with or without a scheme, on any host (arxiv.org,
# www.arxiv.org, alphaxiv.org, doi.org, dx.doi.org, a mirror), through any path (abs, pdf,
# html) up to the id.
_URL = (
    r"(?<![a-z0-9+.-])"  # at a word's start only, and possessive: linear on any input
    r"(?:[a-z][a-z0-9+.-]*+:/*+)?"
    r"(?:[a-z0-9-]++\.)++[a-z]{2,}+(?::[0-9]++)?"
    r"(?:/[^\s/?#\[\]()<>\"'`]*+){0,4}?/"
)
# `arXiv:ID`, `arXiv ID`, `doi:DOI`, `DOI DOI` (any case; the gap may hold one line break).
_LABEL = r"(?:arxiv|doi)[^\S\n]*(?::[^\S\n]*)?(?:\n[^\S\n]*)?"
# Every way the reply can name a paper, with the brackets around it when present, so a
# removed citation leaves no empty `[]` behind. Matched on `fold(text)`, never on raw text.
CITATION = re.compile(
    r"(?P<open>\[)?"
    r"(?:"
    rf"(?:(?P<url>{_URL})|(?P<label>{_LABEL}))"
    rf"(?:(?P<id>{ARXIV_ID})(?:\.pdf)?|(?P<doi>{DOI}))"
    # A bare id or DOI starts a word, or follows a letter's `.` or `-` ("arXiv.2411.17705"),
    # not a number's ("1.2411.17705" is no id).
    r"|(?<![0-9a-z])(?<![0-9][.-])"
    rf"(?:(?P<bare_doi>{DOI})|(?P<bare_id>{_BARE_ARXIV}))"
    r")(?P<close>\])?",
    re.IGNORECASE | re.ASCII,
)
# What may still grow into a citation when the next chunk comes: a label at the very end.
PENDING = re.compile(rf"\[?{_LABEL}$", re.IGNORECASE | re.ASCII)
_VERSION = re.compile(r"v[0-9]+$", re.IGNORECASE)
_SUBJECT_CLASS = re.compile(r"\.[a-z]{2}(?=/)")
_UNSAFE_ARXIV = re.compile(r"[^A-Za-z0-9./-]")


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation found in a reply: where it is, and the paper it names."""

    start: int
    end: int
    cid: str  # the canonical id grounding compares
    written: str  # the id or DOI as written (format controls removed, look-alikes folded)
    is_doi: bool
    opened: bool  # the match includes an opening `[`
    closed: bool  # ... and a closing `]`
    is_url: bool  # written as a URL (any host)


def fold(text: str) -> str:
    """`text` with each look-alike of an ASCII character (fullwidth, mathematical digits,
    other scripts' digits, one-dot leader) replaced by that character, position for position,
    so a citation a reader would recognise is matched whatever characters spell it."""
    if text.isascii():
        return text
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.decimal(char))
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded.isascii() else char


def find_citations(text: str) -> Iterator[Citation]:
    """Every citation in `text` (already cleaned: see parse.clean), in order."""
    for match in CITATION.finditer(fold(text)):
        doi = match.group("doi") or match.group("bare_doi")
        arxiv_id = match.group("id") or match.group("bare_id")
        written = doi or arxiv_id
        yield Citation(
            start=match.start(),
            end=match.end(),
            cid="doi:" + unquote(doi).lower() if doi else base_id(arxiv_id),
            written=written,
            is_doi=bool(doi),
            opened=bool(match.group("open")),
            closed=bool(match.group("close")),
            is_url=bool(match.group("url")),
        )


def base_id(arxiv_id: str) -> str:
    """An arXiv id as grounding compares it: no version, lower case, no subject class."""
    return _SUBJECT_CLASS.sub("", _VERSION.sub("", arxiv_id).lower())


def canonical(paper_id: str) -> str:
    """An id as given (arXiv id, `doi:DOI`, a paper's key) in the form grounding compares."""
    if paper_id[:4].lower() == "doi:":
        return "doi:" + paper_id[4:].lower()
    return base_id(paper_id)


def prompt_doi(doi: str) -> str:
    """The part of a DOI the prompt carries and a citation of it is read as; "" if none."""
    match = _DOI_PREFIX.match(_DOI_OUTSIDE.sub("", doi.strip()))
    return match.group(0) if match else ""


def prompt_id(paper: Paper) -> str:
    """The paper's id in the prompt: its arXiv id, else `doi:DOI`; "" when it has neither."""
    if paper.arxiv_id:
        return _UNSAFE_ARXIV.sub("", paper.arxiv_id)
    doi = prompt_doi(paper.doi or "")
    return "doi:" + doi if doi else ""


def citation(paper: Paper) -> str:
    """How the briefing cites the paper: `[arXiv:2411.17705]` or `[doi:10.1101/300251]`."""
    pid = prompt_id(paper)
    return f"[{pid}]" if pid.startswith("doi:") else f"[arXiv:{pid}]"


def citation_of_key(key: str) -> str:
    """A paper's citation, without brackets, from its key: `arXiv:ID` or `doi:DOI`."""
    if key.startswith("doi:"):
        return "doi:" + (prompt_doi(key[4:]) or key[4:])
    return "arXiv:" + key


def citable_ids(papers: Iterable[Paper]) -> dict[str, str]:
    """Every canonical id a citation of these papers may carry -> the paper's key.

    Besides the prompt id: an arXiv paper's arXiv DOI and journal DOI (a citation of those
    still names a paper that was sent), and a DOI paper's full DOI.
    """
    out: dict[str, str] = {}
    for paper in papers:
        pid = prompt_id(paper)
        if not pid:
            continue
        names = [pid]
        if paper.arxiv_id:
            names.append("doi:" + ARXIV_DOI_PREFIX + pid)
        if paper.doi:
            names.append("doi:" + paper.doi.strip())
        for name in names:
            out.setdefault(canonical(name), paper.key)
    return out


def key_map(keys: Iterable[str]) -> dict[str, str]:
    """Papers' keys (as `Briefing.paper_ids` holds them) by the canonical id cited for them."""
    out: dict[str, str] = {}
    for key in keys:
        if key.startswith("doi:"):
            doi = prompt_doi(key[4:])
            if doi:
                out.setdefault(canonical("doi:" + doi), key)
        out.setdefault(canonical(key), key)
    return out


def grounding_keys(keys: Iterable[str]) -> dict[str, str]:
    """What a briefing's own `paper_ids` let a renderer check a citation against: each
    canonical id a citation may carry (the key, its prompt form, an arXiv paper's arXiv DOI)
    -> the paper's key. (A journal DOI of an arXiv paper is not among them: not linked.)"""
    out = key_map(keys)
    for key in keys:
        if not key.startswith("doi:"):
            out.setdefault("doi:" + ARXIV_DOI_PREFIX + canonical(key), key)
    return out


def doi_url(doi: str) -> str:
    """https://doi.org/ and the DOI, percent-encoded as a URL path (no `(`, `)` or spaces)."""
    return "https://doi.org/" + quote(doi, safe="/:;.-_")


def url_for(paper_id: str) -> str:
    """Where a cited id or key points: arxiv.org/abs for an arXiv id, doi.org for a DOI."""
    if paper_id[:4].lower() == "doi:":
        return doi_url(paper_id[4:])
    return ARXIV_ABS_URL + paper_id
