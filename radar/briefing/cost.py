"""What a briefing costs: the dated price table, usage pricing, and the pre-flight estimate."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from radar.briefing import llm
from radar.briefing.prompt import build_request, local_tokens, select_papers
from radar.briefing.settings import BriefingSettings, Price
from radar.briefing.values import Estimate, Usage
from radar.models import RankedPaper

# USD per million tokens: (input, output, 5-minute cache write, cache read).
# As of 2026-11-26, from platform.claude.com/docs/en/about-claude/pricing and each model's
# overview page. Sonnet 5.5 cache reads were halved to $0.10 ("What's new in Claude Sonnet
# 5.5"); Haiku 5.5 shows its band for prompts up to 100k tokens (a briefing stays below).
# Override per model with `briefing.prices` in the watchlist when prices change.
PRICES_USD_PER_MTOK: dict[str, Price] = {
    "claude-sonnet-5-5": Price(2.00, 10.00, 2.50, 0.10),
    "claude-sonnet-5": Price(2.00, 10.00, 2.50, 0.20),
    "claude-haiku-5-5": Price(0.10, 0.50, 0.125, 0.01),
    "claude-opus-5-5": Price(4.00, 20.00, 5.00, 0.20),
    "claude-opus-5": Price(5.00, 25.00, 6.25, 0.50),
    "claude-fable-5-1": Price(10.00, 50.00, 12.50, 0.25),
    "claude-opus-4-8": Price(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-7": Price(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-6": Price(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-5": Price(5.00, 25.00, 6.25, 0.50),
    "claude-sonnet-4-6": Price(3.00, 15.00, 3.75, 0.30),
    "claude-sonnet-4-5": Price(3.00, 15.00, 3.75, 0.30),
    "claude-haiku-4-5": Price(1.00, 5.00, 1.25, 0.10),
}

_DATED = re.compile(r"-\d{8}$")  # "claude-haiku-4-5-20251001" is priced as "claude-haiku-4-5"


def price_for(model: str, settings: BriefingSettings) -> Price | None:
    overrides = dict(settings.prices)
    for name in (model, _DATED.sub("", model)):
        if name in overrides:
            return overrides[name]
        if name in PRICES_USD_PER_MTOK:
            return PRICES_USD_PER_MTOK[name]
    return None


def usage_cost(
    price: Price | None,
    input_tokens: int,
    output_tokens: int,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
) -> float | None:
    if price is None:
        return None
    total = (
        input_tokens * price.input
        + output_tokens * price.output
        + cache_creation_input_tokens * price.cache_write
        + cache_read_input_tokens * price.cache_read
    )
    return round(total / 1_000_000, 6)


def make_usage(reply: llm.Reply, settings: BriefingSettings) -> Usage:
    counts = (
        reply.input_tokens,
        reply.output_tokens,
        reply.cache_creation_input_tokens,
        reply.cache_read_input_tokens,
    )
    return Usage(*counts, cost_usd=usage_cost(price_for(settings.model, settings), *counts))


def estimate(
    ranked: Sequence[RankedPaper],
    settings: BriefingSettings,
    *,
    api_key: str | None = None,
    client: Any = None,
) -> Estimate:
    """Papers sent and dropped, input tokens and an upper-bound cost, with no briefing made.

    With a key (or client) the API's free count_tokens endpoint is tried once; any failure
    falls back to the local estimate (characters / CHARS_PER_TOKEN). Never calls /v1/messages.
    """
    selected, dropped = select_papers(ranked, settings)
    request = build_request(selected, settings)
    counted = None
    if selected and (api_key or client is not None):
        counted = llm.count_tokens(request, settings, api_key=api_key or "", client=client)
    tokens = counted
    if tokens is None:
        message = request["messages"][0]["content"][0]["text"]
        tokens = local_tokens(request["system"][0]["text"]) + local_tokens(message)
    return Estimate(
        model=settings.model,
        papers_sent=len(selected),
        papers_dropped=dropped,
        input_tokens=tokens,
        source="count_tokens" if counted is not None else "local estimate",
        max_output_tokens=settings.max_output_tokens,
        estimated_cost_usd=usage_cost(
            price_for(settings.model, settings), tokens, settings.max_output_tokens
        ),
    )
