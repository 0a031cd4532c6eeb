"""Where a paper comes from, in words: its badge, and whether a topic watches that place."""

from __future__ import annotations

from radar.biorxiv_taxonomy import SERVER_NAMES, Server, display_name, normalize
from radar.models import Paper
from radar.watchlist import Topic


def badge(paper: Paper) -> str:
    """ "arXiv (cs.AI)", "bioRxiv (Neuroscience)", "medRxiv (HIV/AIDS)", "Nature"."""
    if paper.origin == "arxiv":
        return f"arXiv ({paper.primary_category})" if paper.primary_category else "arXiv"
    if paper.origin in ("biorxiv", "medrxiv"):
        server: Server = "biorxiv" if paper.origin == "biorxiv" else "medrxiv"
        name = paper.venue or SERVER_NAMES[server]
        subject = paper.primary_category
        return f"{name} ({display_name(server, subject)})" if subject else name
    return paper.venue or "Journal"


def watched_place(topic: Topic, paper: Paper) -> str | None:
    """The reason label when `topic` watches where `paper` appeared, else None.

    For rank: a bioRxiv/medRxiv subject or a journal plays the part an arXiv category
    plays ("bioRxiv subject: Neuroscience", "journal: Nature").
    """
    subject = paper.primary_category
    if paper.origin == "biorxiv" and normalize(subject) in topic.biorxiv:
        return f"bioRxiv subject: {display_name('biorxiv', subject)}"
    if paper.origin == "medrxiv" and normalize(subject) in topic.medrxiv:
        return f"medRxiv subject: {display_name('medrxiv', subject)}"
    if paper.origin == "journal" and subject:
        for journal in topic.journals:
            if journal.issn == subject:
                return f"journal: {journal.name or paper.venue or journal.issn}"
    return None
