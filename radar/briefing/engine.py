"""The briefing run: select papers, reuse a stored briefing, or make one request and keep it."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from radar.briefing import llm
from radar.briefing.cite import citable_ids
from radar.briefing.cost import make_usage
from radar.briefing.offline import offline_briefing
from radar.briefing.parse import Grounder, aliases, parse_layout
from radar.briefing.prompt import build_request, select_papers
from radar.briefing.settings import BriefingSettings
from radar.briefing.store import BriefingStore, cache_key, load_briefing, save_briefing
from radar.briefing.values import Briefing, BriefingOutcome
from radar.errors import LLMError
from radar.models import RankedPaper


def _ignore(_: str) -> None:
    return None


def make_briefing(
    ranked: Sequence[RankedPaper],
    day: date | None,
    settings: BriefingSettings,
    *,
    api_key: str,
    store: BriefingStore,
    on_text: Callable[[str], None] = _ignore,
    refresh: bool = False,
    client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> BriefingOutcome:
    """The day's briefing by Claude: one streamed request, or none when it is stored.

    `ranked` is best first. `on_text` receives the reply as it streams, already cleaned and
    grounded (invented citations replaced). Raises LLMError (nothing stored) on failure,
    and when the request is not done within `settings.deadline` seconds of `clock`;
    KeyboardInterrupt passes through and also leaves nothing stored.
    """
    selected, dropped = select_papers(ranked, settings)
    if not selected:
        return BriefingOutcome(offline_briefing((), day), from_cache=False, dropped=dropped)
    request = build_request(selected, settings)
    key = cache_key(settings, selected, request)
    if not refresh:
        stored = load_briefing(store, key)
        if stored is not None:
            if stored.day != day:  # the same papers briefed for another day
                stored = dataclasses.replace(stored, day=day)
                save_briefing(store, key, stored)
            return BriefingOutcome(stored, from_cache=True, dropped=dropped)

    ids = [rp.paper.key for rp in selected]
    citable = citable_ids(rp.paper for rp in selected)
    # An arXiv paper cited by its journal DOI is written as [arXiv:ID]: the stored briefing
    # is then checked again (and linked) from its own paper_ids alone.
    grounder = Grounder(citable, rename=aliases(citable))

    def on_chunk(chunk: str) -> None:
        safe = grounder.feed(chunk)
        if safe:
            on_text(safe)

    reply = llm.stream_reply(
        request,
        settings,
        api_key=api_key,
        on_chunk=on_chunk,
        client=client,
        sleep=sleep,
        clock=clock,
    )
    tail = grounder.finish()
    if tail:
        on_text(tail)
    if reply.stop_reason == "refusal":
        raise LLMError(
            "Claude declined to write this briefing (stop_reason refusal)",
            "run again with --refresh, or choose another briefing.model",
        )
    text = grounder.text.strip()
    if not text:
        raise LLMError(
            f"Anthropic returned no briefing text (stop_reason {reply.stop_reason})",
            "raise briefing.max_output_tokens" if reply.stop_reason == "max_tokens" else "retry",
        )
    headline, themes, connections, read_first = parse_layout(text, citable)
    briefing = Briefing(
        headline=headline,
        themes=themes,
        connections=connections,
        read_first=read_first,
        text=text,
        model=reply.model,
        made_with_llm=True,
        removed_citations=tuple(grounder.removed),
        usage=make_usage(reply, settings),
        day=day,
        paper_ids=tuple(ids),
        truncated=reply.stop_reason == "max_tokens",
    )
    save_briefing(store, key, briefing)
    return BriefingOutcome(briefing, from_cache=False, dropped=dropped)
