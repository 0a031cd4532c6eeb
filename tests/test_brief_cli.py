"""`radar brief` and `radar today --brief` through the CLI: loopback arXiv + loopback Claude."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from anthropic_server import (
    AnthropicServer,
    briefing_stream,
    error_reply,
    split_text,
    stream_reply,
)
from conftest import Run
from loopback import Loopback

pytestmark = pytest.mark.timeout(30)

KEY = "sk-ant-api03-cli-test-SECRET-0123456789"
# A reply in the layout the prompt asks for; 9999.99999 is not among the day's papers.
REPLY = """\
## Headline
Signal processing dominates: an EEG classifier [arXiv:2411.17705] and a fault-diagnosis \
model [arXiv:2411.17707] lead the day.

## Themes
### Physiological signals
EEG-DCNet [arXiv:2411.17705] and ECG views [arXiv:2411.17702] share a focus on fast models.

### Fault diagnosis
A composite model for nuclear plants [arXiv:2411.17707] builds on earlier work [arXiv:9999.99999].

## Connections
- Space weather forecasting [arXiv:2411.17703] and ECG [arXiv:2411.17702] both forecast risk.

## Read first
- [arXiv:2411.17707] — closest to the fault-diagnosis watchlist.
"""


@pytest.fixture
def claude(monkeypatch: pytest.MonkeyPatch) -> Iterator[AnthropicServer]:
    server = AnthropicServer().start()
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    yield server
    server.stop()


def queue_reply(server: AnthropicServer) -> None:
    server.replies.append(stream_reply(briefing_stream(split_text(REPLY))))


def test_brief_json_is_grounded_and_the_second_run_is_free(
    run: Run, arxiv: Loopback, watchlist: Path, claude: AnthropicServer
) -> None:
    queue_reply(claude)
    first = run("brief", "--format", "json")
    assert first.code == 0, first.err
    doc = json.loads(first.out)["briefing"]
    assert doc["made_with_llm"] is True
    assert [t["title"] for t in doc["themes"]] == ["Physiological signals", "Fault diagnosis"]
    assert "9999.99999" not in json.dumps(doc["themes"])
    assert doc["removed_citations"] == ["9999.99999"]
    assert "1 citation of papers not among today's was removed" in first.err
    assert "4,210 in + 812 out tokens" in first.err
    assert len(claude.messages()) == 1
    sent = claude.messages()[0].body
    prompt = json.dumps(sent)
    for arxiv_id in ("2411.17705", "2411.17707", "2405.13786"):
        assert arxiv_id in prompt
    assert sent["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert KEY not in first.out + first.err

    second = run("brief", "--format", "json")
    assert second.code == 0, second.err
    assert json.loads(second.out)["briefing"]["text"] == doc["text"]
    assert len(claude.messages()) == 1, "a repeated briefing must make no request"
    assert "from the cache" in second.err


def test_today_brief_writes_briefing_and_cards_to_markdown(
    run: Run, arxiv: Loopback, watchlist: Path, claude: AnthropicServer, isolated_user: Path
) -> None:
    queue_reply(claude)
    target = isolated_user / "digest.md"
    result = run("today", "--brief", "--output", str(target))
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert "## Briefing for 2024-11-28" in text
    assert "[arXiv:2411.17705](https://arxiv.org/abs/2411.17705)" in text
    assert text.index("## Briefing") < text.index("## 1.")
    assert "9999.99999" not in text


def test_no_key_gives_an_offline_briefing(
    run: Run, arxiv: Loopback, watchlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    result = run("brief", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)["briefing"]
    assert doc["made_with_llm"] is False
    assert doc["themes"], "the offline briefing still groups the top papers"
    assert "set ANTHROPIC_API_KEY" in result.err


def test_dry_run_sends_nothing(
    run: Run, arxiv: Loopback, watchlist: Path, claude: AnthropicServer
) -> None:
    result = run("brief", "--dry-run")
    assert result.code == 0, result.err
    assert "papers:       6 sent, 0 left out" in result.out
    assert "input tokens:" in result.out
    assert "cost:         at most $" in result.out
    assert claude.messages() == []


def test_an_api_error_still_shows_the_cards_and_caches_nothing(
    run: Run, arxiv: Loopback, watchlist: Path, claude: AnthropicServer
) -> None:
    claude.replies.append(
        error_reply("error-401-authentication_error-2024-no-request_id.json", 401)
    )
    result = run("today", "--brief", "--format", "json")
    assert result.code == 4
    assert "error: Anthropic rejected the API key (401" in result.err
    assert "hint:" in result.err
    cards = json.loads(result.out)
    assert "briefing" not in cards
    assert cards["papers"][0]["id"] == "2405.13786"
    # Nothing was cached: the next run asks again and gets its briefing.
    queue_reply(claude)
    again = run("brief", "--format", "json")
    assert again.code == 0, again.err
    assert len(claude.messages()) == 2


def test_a_past_briefing_comes_from_the_cache(
    run: Run, arxiv: Loopback, watchlist: Path, claude: AnthropicServer
) -> None:
    queue_reply(claude)
    assert run("brief").code == 0
    past = run("brief", "--date", "2024-11-28", "--format", "markdown")
    assert past.code == 0, past.err
    assert past.out.startswith("# Briefing for 2024-11-28")
    assert len(claude.messages()) == 1
    missing = run("brief", "--date", "2024-11-27")
    assert missing.code == 3
    assert "no briefing of 2024-11-27 is cached" in missing.err
