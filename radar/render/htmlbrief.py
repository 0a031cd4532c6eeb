"""A briefing as plain-text blocks for the HTML page; its only links are radar's citations.

The model's text is untrusted: it is cleaned and grounded again against the briefing's own
papers (as the terminal and Markdown renderers do), then split into headings, list items
and paragraphs of text runs. A run becomes a link only for a citation of a paper that was
sent, pointing at arxiv.org/abs or doi.org; the template escapes everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from radar.briefing.cite import find_citations, grounding_keys
from radar.briefing.offline import OFFLINE_HINT, OFFLINE_LABEL
from radar.briefing.parse import clean, ground
from radar.briefing.safemd import citation_url
from radar.briefing.values import Briefing
from radar.render.safe import safe_url, single_line

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|[0-9]{1,9}[.)])\s+")
_MODEL_CHARS = re.compile(r"[^A-Za-z0-9._:/@-]")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    kind: Literal["heading", "item", "paragraph", "note"]
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class BriefingView:
    byline: str  # "claude-…" or the offline label
    made_with_llm: bool
    blocks: tuple[Block, ...]


def briefing_view(briefing: Briefing) -> BriefingView:
    keys = grounding_keys(briefing.paper_ids)
    removed = list(briefing.removed_citations)
    text = ground(clean(briefing.text), frozenset(keys), removed)
    blocks: list[Block] = []
    for line in text.replace("**", "").split("\n"):
        heading = _HEADING.match(line)
        if heading:
            blocks.append(Block("heading", _runs(heading.group(2), keys)))
            continue
        bullet = _BULLET.match(line)
        body = line[bullet.end() :] if bullet else line
        if body.strip():
            blocks.append(Block("item" if bullet else "paragraph", _runs(body, keys)))
    if removed:
        noun = "citation" if len(removed) == 1 else "citations"
        note = f"{len(removed)} {noun} removed: not among the papers."
        blocks.append(Block("note", (Run(note),)))
    if briefing.truncated:
        note = "The briefing stops early: it reached briefing.max_output_tokens."
        blocks.append(Block("note", (Run(note),)))
    if briefing.made_with_llm:
        byline = _MODEL_CHARS.sub("", briefing.model)
    else:
        byline = f"{OFFLINE_LABEL}; {OFFLINE_HINT}"
    return BriefingView(byline, briefing.made_with_llm, tuple(blocks))


def _runs(line: str, keys: dict[str, str]) -> tuple[Run, ...]:
    text = single_line(line)
    runs: list[Run] = []
    last = 0
    for cite in find_citations(text):
        if cite.cid not in keys:
            continue  # grounding replaced these; never a link
        if cite.start > last:
            runs.append(Run(text[last : cite.start]))
        url = citation_url(cite, keys)
        runs.append(Run(text[cite.start : cite.end], url if safe_url(url) else None))
        last = cite.end
    if last < len(text):
        runs.append(Run(text[last:]))
    return tuple(runs)
