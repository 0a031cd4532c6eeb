"""The one JSON shape of a briefing, shared by `--format json` and the briefing store."""

from __future__ import annotations

from datetime import date
from typing import Any

from radar.briefing.cite import url_for
from radar.briefing.values import Briefing, ReadFirst, Theme, Usage


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    usage = briefing.usage
    return {
        "made_with_llm": briefing.made_with_llm,
        "model": briefing.model or None,
        "day": briefing.day.isoformat() if briefing.day else None,
        "headline": briefing.headline,
        "themes": [
            {"title": t.title, "text": t.text, "cited_ids": list(t.cited_ids)}
            for t in briefing.themes
        ],
        "connections": list(briefing.connections),
        "read_first": [
            {
                "id": r.paper_id,
                "arxiv_id": r.arxiv_id or None,
                "why": r.why,
                "url": url_for(r.paper_id),
            }
            for r in briefing.read_first
        ],
        "text": briefing.text,
        "removed_citations": list(briefing.removed_citations),
        "paper_ids": list(briefing.paper_ids),
        "truncated": briefing.truncated,
        "usage": None
        if usage is None
        else {
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "cache_creation_input_tokens": usage.cache_creation_input_tokens,
            "cache_read_input_tokens": usage.cache_read_input_tokens,
            "cost_usd": usage.cost_usd,
        },
    }


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return tuple(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def briefing_from_dict(data: Any) -> Briefing:
    """The inverse of briefing_to_dict; raises ValueError (or KeyError/TypeError) on bad data."""
    if not isinstance(data, dict):
        raise ValueError("expected an object")
    raw_usage = data["usage"]
    usage = None
    if raw_usage is not None:
        counts = {
            k: int(raw_usage[k])
            for k in (
                "input_tokens",
                "output_tokens",
                "cache_creation_input_tokens",
                "cache_read_input_tokens",
            )
        }
        cost = raw_usage["cost_usd"]
        usage = Usage(**counts, cost_usd=None if cost is None else float(cost))
    return Briefing(
        headline=_str(data["headline"]),
        themes=tuple(
            Theme(_str(t["title"]), _str(t["text"]), _strs(t["cited_ids"])) for t in data["themes"]
        ),
        connections=_strs(data["connections"]),
        read_first=tuple(
            # "id" since DOIs can be cited; older entries have only "arxiv_id".
            ReadFirst(_str(r["id"] if "id" in r else r["arxiv_id"]), _str(r["why"]))
            for r in data["read_first"]
        ),
        text=_str(data["text"]),
        model=data["model"] or "",
        made_with_llm=bool(data["made_with_llm"]),
        removed_citations=_strs(data["removed_citations"]),
        usage=usage,
        day=date.fromisoformat(data["day"]) if data["day"] else None,
        paper_ids=_strs(data["paper_ids"]),
        truncated=bool(data["truncated"]),
    )
