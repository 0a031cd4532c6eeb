"""How a paper is named in the prompt and cited in the reply: `[arXiv:ID]` or `[doi:DOI]`.

A citation's *canonical id* is what grounding compares: the arXiv id without version, or
"doi:" + the lower-cased DOI (DOIs are case-insensitive). A paper's *key* (`Paper.key`) is
what the structured fields carry; the two differ only for a DOI with characters the prompt
cannot carry, which `citable_ids` maps back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from radar.models import ARXIV_ABS_URL, Paper

_NEW_ID = r"\d{4}\.\d{4,5}(?!\d)"
_OLD_ID = r"[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?!\d)"
ARXIV_ID = rf"(?:{_NEW_ID}|{_OLD_ID})(?:v\d+)?"
# The DOI characters a prompt carries and a citation is read with (Crossref's recommended
# set plus ":" and "+"): no quotes, brackets, angle brackets or whitespace, so a DOI cannot
# close the `<paper id="...">` attribute or a `[doi:...]` citation. Parentheses count only in
# balanced pairs and a DOI never ends in . ; : — so "(see doi:10.1/x)." stops before ")."
_DOI_CHAR = r"[A-Za-z0-9._;:/+-]"
DOI = rf"10\.\d{{4,9}}(?:\.\d+)*/(?:{_DOI_CHAR}|\({_DOI_CHAR}*\))+(?<![.;:])"
_DOI_OUTSIDE = re.compile(r"[^A-Za-z0-9._;:/+()-]")
_DOI_PREFIX = re.compile(DOI)
ARXIV_DOI_PREFIX = "10.48550/arxiv."  # arXiv's own DOIs: 10.48550/arXiv.2411.17705
# `arXiv:ID` / `doi:DOI` (any case, spaces around the colon) or an arxiv.org abs/pdf or a
# doi.org URL, with the brackets around it when present, so a removed citation leaves no
# empty `[]` behind. Only `(?i:arxiv|doi)\s*:\s*` may hold whitespace: see parse.Grounder.
CITATION = re.compile(
    r"(?P<open>\[)?"
    r"(?:"
    r"(?:(?i:arxiv)\s*:\s*|(?P<arxiv_url>https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/))"
    rf"(?P<id>{ARXIV_ID})(?:\.pdf)?"
    r"|(?:(?i:doi)\s*:\s*|(?P<doi_url>(?i:(?:https?://)?(?:dx\.|www\.)?doi\.org/)))"
    rf"(?P<doi>{DOI})"
    r")(?P<close>\])?"
)
_VERSION = re.compile(r"v\d+$")
_UNSAFE_ARXIV = re.compile(r"[^A-Za-z0-9./-]")


def base_id(arxiv_id: str) -> str:
    return _VERSION.sub("", arxiv_id)


def cited_id(match: re.Match[str]) -> str:
    """The canonical id of one CITATION match."""
    doi = match.group("doi")
    return "doi:" + doi.lower() if doi else base_id(match.group("id"))


def canonical(paper_id: str) -> str:
    """An id as given (arXiv id, `doi:DOI`, a paper's key) in the form grounding compares."""
    return "doi:" + paper_id[4:].lower() if paper_id[:4].lower() == "doi:" else paper_id


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


def doi_url(doi: str) -> str:
    """https://doi.org/ and the DOI, percent-encoded as a URL path (no `(`, `)` or spaces)."""
    return "https://doi.org/" + quote(doi, safe="/:;.-_")


def url_for(paper_id: str) -> str:
    """Where a cited id or key points: arxiv.org/abs for an arXiv id, doi.org for a DOI."""
    if paper_id[:4].lower() == "doi:":
        return doi_url(paper_id[4:])
    return ARXIV_ABS_URL + paper_id
