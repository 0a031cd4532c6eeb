"""The LLM briefing engine: a grounded cross-field summary of the day's top papers.

Importing this package never imports `anthropic` (only `llm.stream_reply`/`count_tokens`
do, when called) nor `rich` (only the render functions, when called).
"""

from __future__ import annotations

from radar.briefing.codec import briefing_from_dict, briefing_to_dict
from radar.briefing.cost import PRICES_USD_PER_MTOK, estimate, price_for
from radar.briefing.engine import make_briefing
from radar.briefing.offline import OFFLINE_HINT, OFFLINE_LABEL, offline_briefing
from radar.briefing.prompt import PROMPT_VERSION
from radar.briefing.render import (
    briefing_markdown,
    briefing_text,
    render_briefing_terminal,
    usage_summary,
)
from radar.briefing.settings import DEFAULT_MODEL, BriefingSettings, parse_briefing_settings
from radar.briefing.store import BriefingStore, MemoryStore, load_briefing_for_day
from radar.briefing.values import (
    REMOVED_MARK,
    Briefing,
    BriefingOutcome,
    Estimate,
    Price,
    ReadFirst,
    Theme,
    Usage,
)

__all__ = [
    "DEFAULT_MODEL",
    "OFFLINE_HINT",
    "OFFLINE_LABEL",
    "PRICES_USD_PER_MTOK",
    "PROMPT_VERSION",
    "REMOVED_MARK",
    "Briefing",
    "BriefingOutcome",
    "BriefingSettings",
    "BriefingStore",
    "Estimate",
    "MemoryStore",
    "Price",
    "ReadFirst",
    "Theme",
    "Usage",
    "briefing_from_dict",
    "briefing_markdown",
    "briefing_text",
    "briefing_to_dict",
    "estimate",
    "load_briefing_for_day",
    "make_briefing",
    "offline_briefing",
    "parse_briefing_settings",
    "price_for",
    "render_briefing_terminal",
    "usage_summary",
]
