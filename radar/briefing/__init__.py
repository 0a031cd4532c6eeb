"""The LLM briefing engine: a grounded cross-field summary of the day's top papers.

Importing this package never imports `anthropic` (only `llm.stream_reply`/`count_tokens`
do, when called) nor `rich` (only the render functions, when called).
"""

from __future__ import annotations

import importlib
from typing import Any

# Names resolve on first use (PEP 562), so `import radar.briefing.settings` from the
# config loader stays cheap: the engine, parser and renderers load only for a briefing.
_LAZY = {
    "Briefing": "radar.briefing.values",
    "BriefingOutcome": "radar.briefing.values",
    "BriefingSettings": "radar.briefing.settings",
    "BriefingStore": "radar.briefing.store",
    "DEFAULT_MODEL": "radar.briefing.settings",
    "Estimate": "radar.briefing.values",
    "MemoryStore": "radar.briefing.store",
    "OFFLINE_HINT": "radar.briefing.offline",
    "OFFLINE_LABEL": "radar.briefing.offline",
    "PRICES_USD_PER_MTOK": "radar.briefing.cost",
    "PROMPT_VERSION": "radar.briefing.prompt",
    "Price": "radar.briefing.values",
    "REMOVED_MARK": "radar.briefing.values",
    "ReadFirst": "radar.briefing.values",
    "Theme": "radar.briefing.values",
    "Usage": "radar.briefing.values",
    "briefing_from_dict": "radar.briefing.codec",
    "briefing_markdown": "radar.briefing.render",
    "briefing_text": "radar.briefing.render",
    "briefing_to_dict": "radar.briefing.codec",
    "estimate": "radar.briefing.cost",
    "load_briefing_for_day": "radar.briefing.store",
    "make_briefing": "radar.briefing.engine",
    "offline_briefing": "radar.briefing.offline",
    "parse_briefing_settings": "radar.briefing.settings",
    "price_for": "radar.briefing.cost",
    "render_briefing_terminal": "radar.briefing.render",
    "usage_summary": "radar.briefing.render",
}


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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'radar.briefing' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
