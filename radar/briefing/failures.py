"""Anthropic failures as one-line LLMErrors, and when (and how long) a retry should wait."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

from radar.briefing.settings import DEFAULT_MODEL, BriefingSettings
from radar.errors import LLMError

_MESSAGES = {
    400: ("Anthropic rejected the briefing request", "check briefing.model and briefing.thinking"),
    401: ("Anthropic rejected the API key", "check ANTHROPIC_API_KEY"),
    403: ("Anthropic refused this API key", "check that the key's workspace may use {model}"),
    404: ("Anthropic does not know the model {model}", f"set briefing.model, e.g. {DEFAULT_MODEL}"),
    413: ("the briefing request was too large", "lower briefing.max_input_tokens"),
    429: ("Anthropic rate-limited the briefing", "retry later"),
    529: ("Anthropic is overloaded", "retry in a few minutes"),
}
_RETRYABLE_TYPES = {"overloaded_error", "api_error", "rate_limit_error", "timeout_error"}


class StreamCut(Exception):
    """The stream ended without message_stop."""


def redact(text: str, api_key: str) -> str:
    return text.replace(api_key, "[redacted]") if api_key else text


def _one_line(text: object, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asked to wait (retry-after-ms, retry-after seconds or HTTP date)."""
    if not headers:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / scale)
        except ValueError:
            pass
        when = email.utils.parsedate_tz(value)
        if when is not None:
            return max(0.0, float(email.utils.mktime_tz(when) - time.time()))
    return None


def backoff(attempt: int) -> float:
    """The pause without Retry-After: 0.5 s, 1 s, 2 s ... capped at 8 s, as the SDK does."""
    return min(0.5 * 2.0**attempt, 8.0)


def status_wait(
    err: Any, received: list[str], last: bool, settings: BriefingSettings, attempt: int
) -> float | None:
    """Seconds to wait before retrying this status error, or None to give up now."""
    status, headers = err.status_code, err.response.headers
    should = headers.get("x-should-retry")
    retryable = status in (408, 409, 429) or status >= 500 or should == "true"
    if status == 200:  # an `error` event inside a streamed 200 response
        retryable = err.type in _RETRYABLE_TYPES
    if should == "false" or not retryable or received or last:
        return None
    asked = retry_after(headers)
    if asked is None:
        return backoff(attempt)
    return asked if asked <= settings.max_retry_wait else None


def status_error(err: Any, settings: BriefingSettings, tries: int, api_key: str) -> LLMError:
    status, kind = err.status_code, err.type or "error"
    text, hint = _MESSAGES.get(status, ("Anthropic failed to write the briefing", "retry later"))
    if status == 200:
        text, hint = "the Anthropic stream failed midway", "retry later; nothing was saved"
        if kind == "overloaded_error":
            text = "Anthropic became overloaded midway through the stream"
    elif status >= 500 and status != 529:
        text = "Anthropic had an internal error"
    detail = f"{status} {kind}" if status != 200 else kind
    if status == 400 and err.api_message:
        detail += f": {_one_line(err.api_message)}"
    message = f"{text.format(model=settings.model)} ({detail})"
    if tries > 1:
        message += f" after {tries} tries"
    if err.request_id:
        message += f"; request_id {_one_line(err.request_id, 80)}"
    asked = retry_after(err.response.headers)
    if asked is not None and asked > settings.max_retry_wait:
        hint = f"Anthropic asked to wait {asked:.0f} s; retry after that"
    return LLMError(redact(message, api_key), redact(hint.format(model=settings.model), api_key))


def deadline_error(settings: BriefingSettings, received: list[str]) -> LLMError:
    chars = sum(len(c) for c in received)
    got = f" ({chars} characters received)" if chars else ""
    return LLMError(
        f"the briefing did not finish within briefing.deadline ({settings.deadline:g} s){got}",
        "retry later, or raise briefing.deadline; nothing was saved",
    )


def connection_error(
    err: BaseException, settings: BriefingSettings, received: list[str], is_timeout: bool
) -> LLMError:
    chars = sum(len(c) for c in received)
    if received or isinstance(err, StreamCut):
        return LLMError(
            f"the Anthropic stream was cut off midway ({chars} characters received)",
            "retry; nothing was saved",
        )
    if is_timeout:
        return LLMError(
            f"Anthropic did not answer within {settings.timeout:g} s",
            "retry later, or raise briefing.timeout",
        )
    where = settings.base_url or "api.anthropic.com"
    return LLMError(
        f"could not reach Anthropic at {where.split('@')[-1]}",
        "check the network connection (and --base-url / ANTHROPIC_BASE_URL)",
    )
