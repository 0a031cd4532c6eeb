"""The frozen values the briefing engine hands to its callers: briefings, usage, estimates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

# Shown wherever a citation the model invented (an id not among the papers sent) used to be.
REMOVED_MARK = "citation removed: not among today's papers"


@dataclass(frozen=True, slots=True)
class Theme:
    title: str
    text: str
    # Keys of the papers cited (arXiv id without version, or "doi:<lower-cased DOI>"),
    # each among the papers sent.
    cited_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReadFirst:
    paper_id: str  # the paper's key: its arXiv id, or "doi:<lower-cased DOI>"
    why: str

    @property
    def arxiv_id(self) -> str:
        """The arXiv id; "" for a paper not on arXiv (as `Paper.arxiv_id`)."""
        return "" if self.paper_id.startswith("doi:") else self.paper_id


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts from the final message, and their cost (None when the price is unknown)."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cost_usd: float | None = None


@dataclass(frozen=True, slots=True)
class Briefing:
    """A cross-field briefing on one day's top papers, grounded in the ids that were sent.

    `text` is the full cleaned reply (control characters stripped, invented citations
    replaced by REMOVED_MARK); the structured fields are parsed from it and may be empty
    when the model departed from the layout. `model` is "" for an offline briefing.
    `paper_ids` are the keys of the papers sent (arXiv id, or "doi:<lower-cased DOI>");
    `removed_citations` the invented ids, in the same forms.
    """

    headline: str
    themes: tuple[Theme, ...]
    connections: tuple[str, ...]
    read_first: tuple[ReadFirst, ...]
    text: str
    model: str
    made_with_llm: bool
    removed_citations: tuple[str, ...] = ()
    usage: Usage | None = None
    day: date | None = None
    paper_ids: tuple[str, ...] = ()
    truncated: bool = False  # the model hit max_output_tokens: the text ends early


@dataclass(frozen=True, slots=True)
class BriefingOutcome:
    briefing: Briefing
    from_cache: bool
    dropped: int  # papers left out (max_papers / max_input_tokens), lowest-ranked first


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a briefing would send and cost, without asking for one.

    `estimated_cost_usd` prices the input plus a full `max_output_tokens` of output, so it
    is an upper bound; None when the model has no price in the table.
    """

    model: str
    papers_sent: int
    papers_dropped: int
    input_tokens: int
    source: Literal["count_tokens", "local estimate"]
    max_output_tokens: int
    estimated_cost_usd: float | None
