"""The Anthropic request, the only module importing `anthropic` (lazily): stream and retry.

Retries are ours, not the SDK's: anthropic 2.14 (`_base_client._calculate_retry_timeout`)
obeys any Retry-After (and retry-after-ms) the server sends, capped only at ~49 days, and
sleeps with `time.sleep`. So the client is built with max_retries=0 and this module retries
408/409/429/5xx/529 and connection failures itself: up to `max_retries` more tries, waiting
what Retry-After asks when that is at most `max_retry_wait` (a longer wait ends the run with
the server's figure in the hint), else 0.5 s, 1 s, 2 s ... capped at 8 s, as the SDK does.
Nothing is retried once text has arrived: the caller has already shown it. The whole
request, retries and their waits included, ends at `briefing.deadline` (see watchdog.py).
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from radar.briefing.failures import (
    StreamCut,
    backoff,
    connection_error,
    deadline_error,
    status_error,
    status_wait,
)
from radar.briefing.settings import BriefingSettings
from radar.briefing.watchdog import DeadlinePassed, Watchdog
from radar.errors import LLMError


@dataclass(frozen=True, slots=True)
class Reply:
    """A completed reply: the raw text (not yet cleaned or grounded) and its final usage."""

    text: str
    model: str
    stop_reason: str | None
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    request_id: str | None


def _transport_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(every HTTP error, the timeouts) of the HTTP library the SDK uses (httpx2 or httpx)."""
    errors: list[type[BaseException]] = []
    timeouts: list[type[BaseException]] = []
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        errors.append(module.HTTPError)
        timeouts.append(module.TimeoutException)
    return tuple(errors), tuple(timeouts)


def _client(
    settings: BriefingSettings,
    api_key: str,
    client: Any,
    timeout: float,
    watch: Watchdog | None = None,
) -> Any:
    try:
        import anthropic
    except ImportError:
        raise LLMError("the anthropic package is not installed", "pip install anthropic") from None
    if client is not None:
        return client.with_options(max_retries=0, timeout=timeout)
    if not api_key:
        raise LLMError("no Anthropic API key was given", "set ANTHROPIC_API_KEY")
    extra: dict[str, Any] = {}
    if watch is not None:  # the SDK's own HTTP client, plus the hook that lets `watch` stop it
        hooks = {"request": [watch.on_request]}
        extra["http_client"] = anthropic.DefaultHttpxClient(event_hooks=hooks)
    return anthropic.Anthropic(
        api_key=api_key, base_url=settings.base_url, timeout=timeout, max_retries=0, **extra
    )


def count_tokens(
    request: Mapping[str, Any], settings: BriefingSettings, *, api_key: str, client: Any = None
) -> int | None:
    """Input tokens by the API's count_tokens endpoint; None on any failure (best effort)."""
    fields = {k: v for k, v in request.items() if k != "max_tokens"}
    try:
        sdk = _client(settings, api_key, client, min(settings.timeout, 10.0))
        try:
            return int(sdk.messages.count_tokens(**fields).input_tokens)
        finally:
            if client is None:
                sdk.close()
    except Exception:  # the estimate falls back to counting characters
        return None


def stream_reply(
    request: Mapping[str, Any],
    settings: BriefingSettings,
    *,
    api_key: str,
    on_chunk: Callable[[str], None],
    client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Reply:
    """Make the request, passing each text delta to `on_chunk`; raise LLMError on failure,
    at the latest when `settings.deadline` seconds have passed."""
    import anthropic

    watch = Watchdog(settings.deadline, clock)
    sdk = _client(settings, api_key, client, settings.timeout, watch)
    http_errors, timeouts = _transport_errors()
    retry_on: tuple[type[BaseException], ...] = (
        anthropic.APIConnectionError,
        *http_errors,
        StreamCut,
        json.JSONDecodeError,  # a garbled event: treated like a cut connection
    )
    received: list[str] = []
    try:
        with watch.running():
            for attempt in range(settings.max_retries + 1):
                last = attempt == settings.max_retries
                try:
                    return _stream_once(sdk, request, received, on_chunk, watch)
                except DeadlinePassed:
                    raise deadline_error(settings, received) from None
                except anthropic.APIStatusError as err:
                    if watch.expired:
                        raise deadline_error(settings, received) from None
                    wait = status_wait(err, received, last, settings, attempt)
                    if wait is None or wait >= watch.remaining():
                        raise status_error(err, settings, attempt + 1, api_key) from None
                except retry_on as err:
                    if watch.expired:
                        raise deadline_error(settings, received) from None
                    is_timeout = isinstance(err, (anthropic.APITimeoutError, *timeouts))
                    wait = backoff(attempt)
                    if received or last or wait >= watch.remaining():
                        raise connection_error(err, settings, received, is_timeout) from None
                except anthropic.APIError as err:  # e.g. a response that fails validation
                    raise LLMError(
                        f"Anthropic sent an unexpected response ({type(err).__name__})",
                        "retry later; nothing was saved",
                    ) from None
                sleep(wait)
    finally:
        if client is None:
            sdk.close()
    raise AssertionError("unreachable: the last attempt returns or raises")


def _stream_once(
    sdk: Any,
    request: Mapping[str, Any],
    received: list[str],
    on_chunk: Callable[[str], None],
    watch: Watchdog,
) -> Reply:
    watch.check()
    saw_stop = False
    with sdk.messages.stream(**request) as stream, watch.watching(stream):
        try:
            for event in stream:
                watch.check()  # a ping every few seconds must not keep the stream open
                if event.type == "content_block_delta" and event.delta.type == "text_delta":
                    received.append(event.delta.text)
                    on_chunk(event.delta.text)
                elif event.type == "message_stop":
                    saw_stop = True
        except Exception:
            if watch.fired:  # whatever the shut socket made the SDK raise
                raise DeadlinePassed() from None
            raise
        if not saw_stop:
            watch.check()  # a stream ended by the timer is not a cut connection
            raise StreamCut()
        message = stream.get_final_message()
        usage = message.usage
        return Reply(
            text="".join(received),
            model=str(message.model or request["model"]),
            stop_reason=message.stop_reason,
            input_tokens=int(usage.input_tokens or 0),
            output_tokens=int(usage.output_tokens or 0),
            cache_creation_input_tokens=int(usage.cache_creation_input_tokens or 0),
            cache_read_input_tokens=int(usage.cache_read_input_tokens or 0),
            request_id=stream.request_id,
        )
