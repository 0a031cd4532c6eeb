"""Plain text and links of one card, shared by the HTML page and the Atom feed.

Every string here is `single_line`-clean but not escaped: the template engine (HTML) and the
XML writer (Atom) escape it. Links are only URLs built from validated arXiv ids and DOIs, or
a source's URL that `safe_url` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from radar.models import RankedPaper
from radar.render.safe import doi_url, safe_url, single_line, valid_arxiv_id

SEP = " · "
_SERVERS = {"arxiv": "arXiv", "biorxiv": "bioRxiv", "medrxiv": "medRxiv"}


@dataclass(frozen=True, slots=True)
class Anchor:
    label: str
    href: str | None  # None: shown as text, not a link


def why_line(ranked: RankedPaper) -> str:
    """The reasons joined as the terminal and Markdown cards show them: "a · b · c"."""
    return SEP.join(label for label in (single_line(r.label) for r in ranked.reasons) if label)


def source_name(ranked: RankedPaper) -> str:
    """Where the paper appeared, as a filter names it: arXiv, bioRxiv, medRxiv or the journal."""
    paper = ranked.paper
    return _SERVERS.get(paper.origin) or single_line(paper.venue or "") or "Journal"


def main_url(ranked: RankedPaper) -> str | None:
    """Where to read the paper: its arXiv abs page, its DOI, or a plain source URL."""
    paper = ranked.paper
    if valid_arxiv_id(paper.arxiv_id):
        return paper.url
    doi = doi_url(single_line(paper.doi or "")) if paper.doi else None
    if doi is not None:
        return doi
    shown = single_line(paper.landing_url or "")
    return shown if shown and safe_url(shown) else None


def links(ranked: RankedPaper) -> tuple[Anchor, ...]:
    """abs and pdf on arXiv, the DOI, the journal reference, and the paper elsewhere."""
    paper = ranked.paper
    out: list[Anchor] = []
    if valid_arxiv_id(paper.arxiv_id):
        out += [Anchor("arXiv abs", paper.url), Anchor("PDF", paper.pdf_url)]
    elif paper.arxiv_id:
        out.append(Anchor("arXiv:" + single_line(paper.arxiv_id), None))
    else:
        url = single_line(paper.landing_url or "")
        if url:
            out.append(Anchor(url, url if safe_url(url) else None))
    doi = single_line(paper.doi or "")
    if doi:
        out.append(Anchor("doi:" + doi, doi_url(doi)))
    journal = single_line(paper.journal_ref or "")
    if journal:
        out.append(Anchor(journal, None))
    for link in paper.links:
        url = single_line(link.url)
        out.append(Anchor(single_line(link.label) or url, url if safe_url(url) else None))
    return tuple(out)
