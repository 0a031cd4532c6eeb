"""Where finished briefings are kept: the injected store protocol, cache keys, day pointers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from radar.briefing.codec import briefing_from_dict, briefing_to_dict
from radar.briefing.parse import reground
from radar.briefing.prompt import PROMPT_VERSION
from radar.briefing.settings import BriefingSettings
from radar.briefing.values import Briefing
from radar.models import RankedPaper

SCHEMA_VERSION = 1
KEY_PREFIX = "briefing:"
DAY_PREFIX = "briefing-latest:"


class BriefingStore(Protocol):
    """Any string key-value store (the CLI wraps its cache); values are JSON text."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...


class MemoryStore:
    """A BriefingStore in a dict, for tests and one-off runs."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def put(self, key: str, value: str) -> None:
        self.data[key] = value


def _sha256(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(
    settings: BriefingSettings, selected: Sequence[RankedPaper], request: Mapping[str, Any]
) -> str:
    """Same model, prompt version, papers (key+version), options and prompt text: same key.

    The digest of the exact request also covers what ids alone would miss (a changed
    abstract or ranking reason); the API key is never part of it.
    """
    return KEY_PREFIX + _sha256(
        {
            "prompt_version": PROMPT_VERSION,
            "model": settings.model,
            "papers": [f"{rp.paper.key}v{rp.paper.version}" for rp in selected],
            "max_papers": settings.max_papers,
            "max_input_tokens": settings.max_input_tokens,
            "max_output_tokens": settings.max_output_tokens,
            "request": _sha256(dict(request)),
        }
    )


def day_key(day: date) -> str:
    return DAY_PREFIX + day.isoformat()


def save_briefing(store: BriefingStore, key: str, briefing: Briefing) -> None:
    """Store a finished briefing; also point its day at it (the latest wins)."""
    store.put(key, json.dumps({"schema": SCHEMA_VERSION, "briefing": briefing_to_dict(briefing)}))
    if briefing.day is not None:
        store.put(day_key(briefing.day), json.dumps({"schema": SCHEMA_VERSION, "key": key}))


def _load_json(store: BriefingStore, key: str) -> dict[str, Any] | None:
    raw = store.get(key)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        return None  # another version's entry: a miss, never a crash
    return data


def load_briefing(store: BriefingStore, key: str) -> Briefing | None:
    data = _load_json(store, key)
    if data is None:
        return None
    try:
        # Stored by an older radar, it may cite in a form that was not checked then.
        return reground(briefing_from_dict(data["briefing"]))
    except (KeyError, TypeError, ValueError):
        return None


def load_briefing_for_day(store: BriefingStore, day: date) -> Briefing | None:
    """The latest briefing stored for `day` (for `radar brief --date`), or None."""
    pointer = _load_json(store, day_key(day))
    key = pointer.get("key") if pointer else None
    return load_briefing(store, key) if isinstance(key, str) else None
