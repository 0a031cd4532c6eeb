"""The learned relevance of a day's papers to the user's library, as checkable reasons.

Two signals, each a reason a person can check against their library:
  * text: "like 'Calibrated Adaptive Teacher…' in your library (fault diagnosis, domain
    adaptation)": the nearest library paper and the terms they share most, weighted by
    how far the paper stands out among the day's papers (radar.relevance.text);
  * people: "co-author of yours: Olga Fink", one reason per shared co-author, weighted by
    how many of the library's papers they are on (radar.relevance.people); failing that,
    "co-author of a co-author: Jane Roe (with Olga Fink on '…')", when an author of the
    paper wrote another of the day's papers with a co-author of yours.
A paper much like one the user dismissed gets a negative "like '…' you dismissed".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from radar.library.entries import Library, LibraryEntry
from radar.models import Paper, Reason
from radar.relevance.people import Coauthors
from radar.watchlist import Weights

# The combined text score z (standard units over the day) becomes a share of the `library`
# weight through a logistic curve: the day's standouts (z >= 2) get nearly all of it, the
# middle of the day little, and below MIN_SHARE no reason is given at all.
CURVE_SLOPE = 2.0
CURVE_MIDDLE = 1.0
MIN_SHARE = 0.05
# A dismissed paper pushes down only the papers that clearly resemble it.
MIN_DISMISSED_COSINE = 0.2
TITLE_CHARS = 60
SHOWN_COAUTHORS = 3
MAX_COAUTHORS = 4.0


def learn(
    library: Library, papers: Sequence[Paper], weights: Weights
) -> dict[str, tuple[Reason, ...]]:
    """Paper key -> the reasons the library gives it (none for most papers of a day)."""
    if library.empty or not papers:
        return {}
    found: dict[str, list[Reason]] = {p.key: [] for p in papers}
    if weights.coauthor or weights.colleague:
        _people(library.positives, papers, weights, found)
    if (weights.library or weights.dismissed) and library.positives:
        _text(library, papers, weights, found)
    return {key: tuple(reasons) for key, reasons in found.items() if reasons}


def _people(
    positives: Sequence[LibraryEntry],
    papers: Sequence[Paper],
    weights: Weights,
    found: Mapping[str, list[Reason]],
) -> None:
    coauthors = Coauthors(positives)
    if weights.colleague:
        met = coauthors.colleagues([(p.authors, p.title) for p in papers])
        for index, colleague in met.items():
            label = (
                f"co-author of a co-author: {colleague.name} "
                f"(with {colleague.coauthor} on '{short(colleague.title)}')"
            )
            found[papers[index].key].append(Reason("coauthor", label, weights.colleague))
    if not weights.coauthor:
        return
    for paper in papers:
        shared = sorted(coauthors.shared(paper.authors), key=lambda s: -s.papers)
        if not shared:
            continue
        first = shared[0]
        if len(shared) == 1:
            note = f" ({first.papers} papers with you)" if first.papers > 1 else ""
            label = f"co-author of yours: {first.name}{note}"
        else:
            names = ", ".join(s.name for s in shared[:SHOWN_COAUTHORS])
            more = len(shared) - SHOWN_COAUTHORS
            label = f"co-authors of yours: {names}" + (f" and {more} more" if more > 0 else "")
        # Each further joint paper counts less (1, 1.69, 2.10 ... times the weight), and a
        # large group of the user's co-authors counts as at most MAX_COAUTHORS of them.
        worth = min(sum(1 + math.log(s.papers) for s in shared), MAX_COAUTHORS)
        found[paper.key].append(Reason("coauthor", label, round(weights.coauthor * worth, 3)))


def _text(
    library: Library,
    papers: Sequence[Paper],
    weights: Weights,
    found: Mapping[str, list[Reason]],
) -> None:
    from radar.relevance.text import document, text_scores

    # The score at which the curve reaches MIN_SHARE: below it no reason shows the terms.
    explain_from = CURVE_MIDDLE - math.log(1 / MIN_SHARE - 1) / CURVE_SLOPE
    scores = text_scores(
        [document(e.title, e.abstract, e.keywords) for e in library.positives],
        [document(e.title, e.abstract, e.keywords) for e in library.negatives],
        [document(p.title, p.abstract) for p in papers],
        explain_from if weights.library else float("inf"),
    )
    if scores is None:
        return
    for i, paper in enumerate(papers):
        share = 1 / (1 + math.exp(-CURVE_SLOPE * (scores.score[i] - CURVE_MIDDLE)))
        if weights.library and share >= MIN_SHARE:
            nearest = library.positives[scores.nearest[i][0]]
            terms = scores.terms.get(i, ())
            where = "you saved" if nearest.source == "saved" else "in your library"
            label = f"like '{short(nearest.title)}' {where}"
            if terms:
                label += f" ({', '.join(terms)})"
            found[paper.key].append(Reason("library", label, round(weights.library * share, 3)))
        index, cosine = scores.nearest_negative[i]
        if weights.dismissed and index >= 0 and cosine >= MIN_DISMISSED_COSINE:
            label = f"like '{short(library.negatives[index].title)}' you dismissed"
            weight = -round(weights.dismissed * cosine, 3)
            found[paper.key].append(Reason("dismissed", label, weight))


def short(title: str) -> str:
    """A title cut to TITLE_CHARS at a word, with an ellipsis when cut."""
    title = " ".join(title.split())
    if len(title) <= TITLE_CHARS:
        return title
    cut = title[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",.:;-")
    return cut + "…"
