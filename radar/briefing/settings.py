"""The `briefing:` settings: defaults, the default model, validation of the YAML section."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

# The current Sonnet in the SDK's model list (anthropic 2.14 `types/model.py`) and on
# platform.claude.com (released 2026, "Latest"); claude-sonnet-4-5 reaches end of life on
# 2026-11-30 (the SDK's `_data/deprecated_models.py`). Sonnet, not Opus: a daily summary of
# ~30 abstracts needs speed and a low price more than the deepest reasoning.
DEFAULT_MODEL = "claude-sonnet-5-5"

THINKING_CHOICES = ("auto", "adaptive", "between_tools", "disabled", "omit")

# "auto" asks for no up-front thinking where the model lets us turn it off: a briefing reads
# and summarises, and thinking tokens would share max_output_tokens with the text. Sonnet 5.5
# rejects "disabled" (400) and offers "between_tools" instead; Opus 5.5 and Fable always think
# and reject both; models before the 5 family do not think unless asked. Those send no field.
_NO_UPFRONT_THINKING = {
    "claude-sonnet-5-5": "between_tools",
    "claude-sonnet-5": "disabled",
    "claude-haiku-5-5": "disabled",
    "claude-opus-5": "disabled",
}


class Price(NamedTuple):
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float  # 5-minute cache writes, the only kind the briefing asks for
    cache_read: float


@dataclass(frozen=True, slots=True)
class BriefingSettings:
    """How a briefing is asked for. Holds no API key: the key is passed per call."""

    model: str = DEFAULT_MODEL
    max_papers: int = 30  # the top N ranked papers are sent
    max_input_tokens: int = 60_000  # lowest-ranked papers are dropped to stay under this
    max_output_tokens: int = 4_000
    base_url: str | None = None  # None: the SDK's default (or ANTHROPIC_BASE_URL)
    timeout: float = 60.0  # seconds: connect, and the longest silence inside the stream
    # Seconds for the whole briefing, retries and their waits included: a server that keeps
    # the stream alive with pings (or trickles bytes) cannot hold the run for longer.
    deadline: float = 120.0
    max_retries: int = 2  # further tries after the first, on 408/409/429/5xx/529/timeouts
    max_retry_wait: float = 30.0  # a longer Retry-After ends the run instead of waiting
    thinking: str = "auto"  # one of THINKING_CHOICES
    prices: tuple[tuple[str, Price], ...] = ()  # overrides PRICES_USD_PER_MTOK, per model


def thinking_param(settings: BriefingSettings) -> dict[str, str] | None:
    """The request's `thinking` field, or None to send none."""
    choice = settings.thinking
    if choice == "auto":
        choice = _NO_UPFRONT_THINKING.get(settings.model, "omit")
    return None if choice == "omit" else {"type": choice}


_KNOWN = tuple(f.name for f in fields(BriefingSettings))
_PRICE_KEYS = ("input", "output", "cache_write", "cache_read")


def parse_briefing_settings(data: Mapping[str, object]) -> tuple[BriefingSettings, list[str]]:
    """Validate the `briefing:` mapping; returns the settings and one line per problem.

    Problems name the key (`briefing.max_papers: ...`); a bad value keeps its default.
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, raw in data.items():
        name = str(key)
        if name not in _KNOWN:
            close = difflib.get_close_matches(name, _KNOWN, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"briefing.{name}: unknown key{hint}")
            continue
        try:
            values[name] = _check(name, raw)
        except ValueError as err:
            problems.append(f"briefing.{name}: {err}")
    return BriefingSettings(**values), problems


def _check(name: str, raw: object) -> object:
    if name == "model":
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"expected a model name such as {DEFAULT_MODEL!r}, got {raw!r}")
        return raw.strip()
    if name in ("max_papers", "max_retries", "max_input_tokens", "max_output_tokens"):
        low = {"max_papers": 1, "max_retries": 0, "max_input_tokens": 2_000}.get(name, 256)
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
            raise ValueError(f"expected a whole number >= {low}, got {raw!r}")
        return raw
    if name in ("timeout", "deadline", "max_retry_wait"):
        low_ok = name == "max_retry_wait"
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise ValueError(f"expected a number of seconds, got {raw!r}")
        if raw < 0 or (raw == 0 and not low_ok):
            raise ValueError(f"expected a number of seconds above 0, got {raw!r}")
        return float(raw)
    if name == "base_url":
        if raw is None:
            return None
        if not isinstance(raw, str) or not raw.startswith(("http://", "https://")):
            raise ValueError(f"expected an http:// or https:// URL, got {raw!r}")
        return raw
    if name == "thinking":
        if raw not in THINKING_CHOICES:
            raise ValueError(f"expected one of {', '.join(THINKING_CHOICES)}, got {raw!r}")
        return raw
    return _check_prices(raw)


def _check_prices(raw: object) -> tuple[tuple[str, Price], ...]:

    if not isinstance(raw, Mapping):
        raise ValueError("expected a mapping of model name to prices (USD per million tokens)")
    out: list[tuple[str, Price]] = []
    for model, spec in raw.items():
        if isinstance(spec, list | tuple) and len(spec) == 4:
            spec = dict(zip(_PRICE_KEYS, spec, strict=True))
        if not isinstance(spec, Mapping) or not {"input", "output"} <= set(spec):
            raise ValueError(
                f"{model}: expected input, output (and optionally cache_write, cache_read)"
            )
        unknown = set(spec) - set(_PRICE_KEYS)
        if unknown:
            raise ValueError(f"{model}: unknown price key {sorted(map(str, unknown))[0]!r}")
        nums = {k: spec.get(k) for k in _PRICE_KEYS}
        for key, val in nums.items():
            ok = val is None or (isinstance(val, int | float) and not isinstance(val, bool))
            if not ok or (val is not None and (val < 0 or not math.isfinite(val))):
                raise ValueError(f"{model}.{key}: expected a price >= 0, got {val!r}")
        inp, outp = float(nums["input"] or 0), float(nums["output"] or 0)
        write = nums["cache_write"]
        read = nums["cache_read"]
        # Anthropic's usual ratios: 5-minute writes at 1.25x input, reads at 0.1x.
        price = Price(
            inp,
            outp,
            float(write) if write is not None else inp * 1.25,
            float(read) if read is not None else inp * 0.1,
        )
        out.append((str(model), price))
    return tuple(out)
