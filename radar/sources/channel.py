"""A polite way to one scholarly API host: its pacer, the run's retry budget, JSON answers."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

from radar.errors import SourceError
from radar.polite import Clock, Pacer, Sleep, WaitBudget
from radar.sources.http import get_with_retries

# A JSON answer nested deeper than any real API answer is refused before it is walked.
MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 40


@dataclass(frozen=True, slots=True)
class Channel:
    """Everything a request to one host needs; one Pacer per host keeps each host's spacing."""

    client: httpx.Client
    pacer: Pacer
    budget: WaitBudget
    retries: int
    timeout: float
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic

    def get_json(self, url: str, *, service: str, what: str) -> Any:
        """The answer's JSON; SourceError naming `service` when no usable answer came."""
        started, budget_then = self.clock(), self.budget.seconds
        try:
            answer = get_with_retries(
                self.client,
                url,
                what=what,
                pacer=self.pacer,
                budget=self.budget,
                retries=self.retries,
                timeout=self.timeout,
                sleep=self.sleep,
                clock=self.clock,
            )
        except SourceError as exc:
            # The shared helper's hint speaks of arXiv; this failure is another service's.
            raise SourceError(exc.message, hint=busy_hint(service)) from None
        try:
            data = json.loads(answer.body, parse_int=_bounded_int)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            reason = f"not JSON: {type(exc).__name__}"
        else:
            if _depth(data) <= MAX_JSON_DEPTH:
                return data
            reason = "nested too deeply"
        # A failed try like any other: its time counts against the run's budget.
        self.budget.charge_since(started, budget_then, self.clock())
        raise SourceError(f"{service} gave an unusable answer ({reason})", hint=busy_hint(service))


def _bounded_int(digits: str) -> int | float:
    # A number no field can hold stands in as infinity, which every record parser
    # refuses as a field: one record is skipped (radar.sources.records) instead of
    # the whole answer failing on Python's limit for converting long digit strings.
    return int(digits) if len(digits) <= MAX_INT_DIGITS else float("inf")


def busy_hint(service: str) -> str:
    return f"{service} may be busy or unreachable; try again later (other sources are still read)"


def _depth(value: Any) -> int:
    # Iterative, so a pathological answer cannot exhaust the stack here either.
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest
