"""The briefing made without an LLM: top papers grouped by shared topics, keywords, categories."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from radar.briefing.cite import citable_ids, citation, prompt_id
from radar.briefing.parse import SECTION_NAMES, clean, ground, parse_layout
from radar.briefing.values import Briefing
from radar.models import RankedPaper

OFFLINE_LABEL = "made without an LLM"
OFFLINE_HINT = "set ANTHROPIC_API_KEY to have Claude write the briefing"
MAX_THEMES = 6
OTHER, ALL = "Other papers", "Today's papers"
_KIND_ORDER = {"topic": 0, "keyword": 1, "category": 2}
_ABBREVIATIONS = {"e.g", "i.e", "al", "fig", "eq", "eqs", "vs", "cf", "resp", "approx", "ref"}
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def first_sentence(abstract: str, limit: int = 300) -> str:
    text = " ".join(abstract.split())
    for match in _SENTENCE_END.finditer(text):
        word = text[: match.start()].rsplit(" ", 1)[-1].lower()
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):  # "e.g." or an initial
            continue
        text = text[: match.end()]
        break
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _labels(rp: RankedPaper) -> dict[tuple[str, str], str]:
    """Grouping keys (kind, lowercased name) of a paper, each with the name as first written."""
    labels = [("topic", t) for t in rp.topics]
    for reason in rp.reasons:
        if reason.kind in ("keyword-title", "keyword-abstract"):
            labels.append(("keyword", reason.label.split(": ", 1)[-1]))
    if rp.paper.primary_category:
        labels.append(("category", rp.paper.primary_category))
    out: dict[tuple[str, str], str] = {}
    for kind, name in labels:
        name = " ".join(name.split())
        out.setdefault((kind, name.lower()), name)
    return out


def _group(papers: Sequence[RankedPaper]) -> list[tuple[str, list[RankedPaper]]]:
    """Greedy: the label most remaining papers share becomes the next theme (deterministic)."""
    remaining = list(papers)
    groups: list[tuple[str, list[RankedPaper]]] = []
    # A label every paper shares (the only topic of a one-topic watchlist) says nothing.
    shared = set.intersection(*(set(_labels(rp)) for rp in papers)) if len(papers) > 2 else set()
    while remaining and len(groups) < MAX_THEMES - 1:
        counts = Counter(label for rp in remaining for label in _labels(rp) if label not in shared)
        if not counts:
            break
        first_seen: dict[tuple[str, str], int] = {}
        for i, rp in enumerate(remaining):
            for label in _labels(rp):
                first_seen.setdefault(label, i)
        best = min(counts, key=lambda lb: (-counts[lb], _KIND_ORDER[lb[0]], first_seen[lb], lb[1]))
        if counts[best] < 2 and groups:
            break
        members = [rp for rp in remaining if best in _labels(rp)]
        remaining = [rp for rp in remaining if best not in _labels(rp)]
        name = next(_labels(rp)[best] for rp in members)
        if name.lower() in SECTION_NAMES:  # a topic called "Themes" must not end the section
            name = f"{name} papers"
        groups.append((name, members))
    if remaining:
        groups.append((OTHER if groups else ALL, remaining))
    return groups


def _connections(groups: list[tuple[str, list[RankedPaper]]]) -> list[str]:
    """Categories that papers in two or more named groups share."""
    where: dict[str, dict[str, list[str]]] = {}
    for name, members in groups:
        if name in (OTHER, ALL):
            continue
        for rp in members:
            for cat in rp.paper.categories:
                if cat != name:
                    where.setdefault(cat, {}).setdefault(name, []).append(citation(rp.paper))
    lines = []
    for cat, by_group in where.items():
        if len(by_group) >= 2:
            cites = " ".join(cited[0] for cited in by_group.values())
            lines.append(f"- {cat} links {' and '.join(by_group)}: {cites}")
    return lines[:4]


def offline_briefing(
    papers: Sequence[RankedPaper], day: date | None, *, max_papers: int = 30
) -> Briefing:
    """A deterministic briefing in the LLM layout, labelled as made without an LLM.

    Papers are cited as the LLM would cite them; one with neither an arXiv id nor a DOI
    cannot be, and is left out as the LLM briefing leaves it out.
    """
    top = [rp for rp in papers if prompt_id(rp.paper)][:max_papers]
    ids = [rp.paper.key for rp in top]
    citable = citable_ids(rp.paper for rp in top)
    when = f" of {day.isoformat()}" if day else ""
    groups = _group(top)
    if not top:
        headline = f"Briefing {OFFLINE_LABEL}: there are no papers to brief on."
    else:
        names = ", ".join(f"{n} ({len(m)})" for n, m in groups[:4])
        headline = (
            f"Briefing {OFFLINE_LABEL}: the {len(top)} top papers{when} in {len(groups)} "
            f"groups by shared topics, keywords and categories: {names}."
        )
    lines = ["## Headline", headline, "", "## Themes"]
    for name, members in groups:
        lines += ["", f"### {name}"]
        lines += [
            f"- {' '.join(rp.paper.title.split())} {citation(rp.paper)}: "
            f"{first_sentence(rp.paper.abstract)}"
            for rp in members
        ]
    connections = _connections(groups)
    if connections:
        lines += ["", "## Connections", *connections]
    lines += ["", "## Read first"]
    for rank, rp in enumerate(top[:3], 1):
        reasons = "; ".join(r.label for r in rp.reasons) or "top of the ranking"
        lines.append(f"- {citation(rp.paper)} — ranked #{rank}: {' '.join(reasons.split())}")
    removed: list[str] = []
    text = ground(clean("\n".join(lines)), frozenset(citable), removed)
    headline_out, themes, connection_items, read_first = parse_layout(text, citable)
    return Briefing(
        headline=headline_out,
        themes=themes,
        connections=connection_items,
        read_first=read_first,
        text=text,
        model="",
        made_with_llm=False,
        removed_citations=tuple(removed),
        usage=None,
        day=day,
        paper_ids=tuple(ids),
    )
