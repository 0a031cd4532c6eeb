"""`briefing.deadline` bounds the whole briefing: pings, silence and retry waits included.

The loopback server keeps a real stream open with the capture's own `ping` event (the API
sends one while it works), so `briefing.timeout`, which bounds only silence, never fires.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_briefing import DAY, KEY, feed_papers

from anthropic_server import AnthropicServer, error_reply, stream_head, stream_reply
from conftest import Run
from loopback import Loopback
from radar.briefing import BriefingSettings, MemoryStore, make_briefing, parse_briefing_settings
from radar.errors import LLMError

pytestmark = pytest.mark.timeout(40)

HEAD = ["## Headline\nSignal processing [arXiv:2411.17705]", " leads"]


@pytest.fixture
def server() -> Iterator[AnthropicServer]:
    running = AnthropicServer().start()
    yield running
    running.stop()


def settings(server: AnthropicServer, deadline: float) -> BriefingSettings:
    return BriefingSettings(base_url=server.url, timeout=30.0, deadline=deadline)


def attempt(
    server: AnthropicServer, deadline: float
) -> tuple[LLMError, float, MemoryStore, list[float], str]:
    store, sleeps, shown = MemoryStore(), [], []
    start = time.monotonic()
    with pytest.raises(LLMError) as caught:
        make_briefing(
            feed_papers(),
            DAY,
            settings(server, deadline),
            api_key=KEY,
            store=store,
            on_text=shown.append,
            sleep=sleeps.append,
        )
    return caught.value, time.monotonic() - start, store, sleeps, "".join(shown)


@pytest.mark.parametrize("head", [[], HEAD], ids=["no text", "some text"])
def test_a_stream_kept_alive_by_pings_ends_at_the_deadline(
    server: AnthropicServer, head: list[str]
) -> None:
    server.replies.append(stream_reply(stream_head(head), ping_every=0.2))
    err, elapsed, store, sleeps, _ = attempt(server, deadline=1.5)
    assert err.message.startswith("the briefing did not finish within briefing.deadline (1.5 s)")
    assert "raise briefing.deadline" in err.hint
    assert 1.4 < elapsed < 15.0  # the pings alone would keep it open for ever
    assert store.data == {} and sleeps == [] and len(server.messages()) == 1


def test_a_silent_stream_is_shut_at_the_deadline_not_after_the_timeout(
    server: AnthropicServer,
) -> None:
    # One ping a minute: the read waits on the socket, which the deadline shuts down.
    server.replies.append(stream_reply(stream_head(HEAD), ping_every=60))
    err, elapsed, store, _, shown = attempt(server, deadline=1.0)
    assert "briefing.deadline (1 s)" in err.message
    assert elapsed < 15.0, "briefing.timeout (30 s) must not be what ended it"
    assert "Signal processing" in shown and store.data == {}


def test_a_retry_that_would_pass_the_deadline_is_not_waited_for(server: AnthropicServer) -> None:
    overloaded = "error-529-overloaded_error-with-request_id.json"
    server.replies.append(error_reply(overloaded, 529, **{"retry-after": "3"}))
    err, elapsed, _, sleeps, _ = attempt(server, deadline=2.0)
    assert err.message.startswith("Anthropic is overloaded (529")
    assert sleeps == [] and len(server.messages()) == 1 and elapsed < 2.0


def test_the_deadline_is_a_setting() -> None:
    assert BriefingSettings().deadline == 120.0
    parsed, problems = parse_briefing_settings({"deadline": 45})
    assert parsed.deadline == 45.0 and problems == []
    for bad in (0, -1, "soon", True, float("inf")):
        assert parse_briefing_settings({"deadline": bad})[1][0].startswith("briefing.deadline: ")


def test_today_brief_prints_the_cards_then_exits_4_at_the_deadline(
    run: Run,
    arxiv: Loopback,
    watchlist: Path,
    server: AnthropicServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    watchlist.write_text(
        watchlist.read_text(encoding="utf-8") + "\nbriefing:\n  deadline: 1.5\n", encoding="utf-8"
    )
    server.replies.append(stream_reply(stream_head([]), ping_every=0.3))
    start = time.monotonic()
    result = run("today", "--brief", "--format", "json")
    assert time.monotonic() - start < 20
    assert result.code == 4, result.err
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert errors == ["error: the briefing did not finish within briefing.deadline (1.5 s)"]
    assert "hint: retry later, or raise briefing.deadline" in result.err
    assert "Traceback" not in result.err
    cards = json.loads(result.out)
    assert cards["papers"] and "briefing" not in cards


def test_a_server_that_never_sends_its_headers_is_stopped_at_the_deadline(
    server: AnthropicServer,
) -> None:
    # Silent before the status line: no stream exists yet, so the timer must reach the
    # socket itself (briefing.timeout, 30 s here, would end it far later).
    server.replies.append(stream_reply(stream_head(HEAD), delay=25))
    err, elapsed, store, sleeps, _ = attempt(server, deadline=1.0)
    assert "briefing.deadline (1 s)" in err.message
    assert elapsed < 15.0 and store.data == {} and sleeps == []
