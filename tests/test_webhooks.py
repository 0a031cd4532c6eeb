"""examples/webhooks/*.sh: `radar today --format json` through jq and curl to Slack, Discord
and Teams, each posting to a recording server on 127.0.0.1. Paper text stays literal in
every payload. Skipped where jq or curl is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

HOOKS = Path(__file__).parent.parent / "examples" / "webhooks"
MISSING = [tool for tool in ("jq", "curl", "sh") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"the webhook examples need {', '.join(MISSING)} (apt-get install jq)"
)
HOSTILE = (
    "*bold* _it_ ~s~ `code` ||spoiler|| <!channel> @everyone & <https://evil.example|click> "
    "[x](https://evil.example) # h \\ http://evil.example/p"
)


@dataclass
class Recorder:
    status: int = 200
    posts: list[tuple[str, bytes]] = field(default_factory=list)  # (content type, body)


@pytest.fixture
def hook() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            recorder.posts.append((self.headers.get("Content-Type", ""), self.rfile.read(length)))
            self.send_response(recorder.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", recorder
    server.shutdown()
    server.server_close()


@pytest.fixture
def day_json(run: Run) -> dict[str, Any]:
    """The demo day as `radar today --format json` writes it, its top paper made hostile."""
    result = run("today", "--demo", "--format", "json")
    assert result.code == 0, result.err
    doc: dict[str, Any] = json.loads(result.out)
    doc["watchlist"] = "ML & <monitoring>"
    doc["papers"][0]["title"] = HOSTILE
    doc["papers"][0]["authors"] = ["@here Eve <x>", "Olga Fink"]
    return doc


def post(
    script: str, doc: dict[str, Any], url: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(HOOKS / script), url],
        input=json.dumps(doc),
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **env},
        check=False,
    )


def only_post(recorder: Recorder) -> Any:
    assert len(recorder.posts) == 1
    content_type, body = recorder.posts[0]
    assert content_type == "application/json"
    return json.loads(body)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_slack_text_is_escaped_and_papers_are_plain_text(
    hook: tuple[str, Recorder], day_json: dict[str, Any]
) -> None:
    url, recorder = hook
    result = post("slack.sh", day_json, url)
    assert result.returncode == 0, result.stderr
    payload = only_post(recorder)
    assert payload["text"] == "radar — ML &amp; &lt;monitoring&gt; — 2024-11-28: 8 matched"
    blocks = payload["blocks"]
    assert blocks[0]["type"] == "header"
    assert len(blocks) == 1 + 2 * 5  # RADAR_WEBHOOK_TOP's default
    first = blocks[1]["text"]
    assert first == {
        "type": "plain_text",
        "emoji": False,
        "text": f"1. {HOSTILE}\n@here Eve <x>, Olga Fink",
    }
    mrkdwn = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
              if e["type"] == "mrkdwn"]  # fmt: skip
    assert mrkdwn[:2] == [
        "<https://arxiv.org/abs/2312.02826|abs>",
        "<https://arxiv.org/pdf/2312.02826v2|pdf>",
    ]
    assert all(m.startswith("<https://arxiv.org/") for m in mrkdwn)


def test_slack_takes_at_most_fifty_blocks(
    hook: tuple[str, Recorder], day_json: dict[str, Any]
) -> None:
    url, recorder = hook
    day_json["papers"] = day_json["papers"] * 10  # 80 papers
    result = post("slack.sh", day_json, url, RADAR_WEBHOOK_TOP="100")
    assert result.returncode == 0, result.stderr
    assert len(only_post(recorder)["blocks"]) == 49


def test_discord_content_is_escaped_mentions_off_and_under_2000(
    hook: tuple[str, Recorder], day_json: dict[str, Any]
) -> None:
    url, recorder = hook
    result = post("discord.sh", day_json, url)
    assert result.returncode == 0, result.stderr
    payload = only_post(recorder)
    assert payload["allowed_mentions"] == {"parse": []}
    lines = payload["content"].split("\n")
    assert lines[0] == "**radar — ML & \\<monitoring\\> — 2024-11-28: 8 matched**"
    assert lines[1] == (
        "**1.** \\*bold\\* \\_it\\_ \\~s\\~ \\`code\\` \\|\\|spoiler\\|\\| \\<!channel\\> "
        "\\@everyone & \\<https\\://evil.example\\|click\\> \\[x\\]\\(https\\://evil.example\\) "
        "\\# h \\\\ http\\://evil.example/p"
    )
    assert lines[2] == "\\@here Eve \\<x\\>, Olga Fink"
    assert lines[3] == "<https://arxiv.org/abs/2312.02826>"

    recorder.posts.clear()
    day_json["papers"] = [dict(p, title="x" * 290) for p in day_json["papers"] * 5]
    result = post("discord.sh", day_json, url, RADAR_WEBHOOK_TOP="40")
    assert result.returncode == 0, result.stderr
    content = only_post(recorder)["content"]
    assert 1500 < len(content) <= 2000
    # Whole papers only: the last one still has its title, authors and link.
    tail = content.split("\n")[-3:]
    assert tail[0].startswith("**") and tail[0].endswith("x" * 290)
    assert tail[2].startswith("<https://arxiv.org/abs/") and tail[2].endswith(">")


def test_teams_card_keeps_paper_text_out_of_markdown(
    hook: tuple[str, Recorder], day_json: dict[str, Any]
) -> None:
    url, recorder = hook
    result = post("teams.sh", day_json, url)
    assert result.returncode == 0, result.stderr
    payload = only_post(recorder)
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.2"
    # Paper text only in TextRuns (never Markdown); no TextBlock, which would parse it.
    kinds = {b["type"] for b in card["body"]}
    assert kinds == {"RichTextBlock"}
    runs = [i for b in card["body"] for i in b["inlines"]]
    assert {r["type"] for r in runs} == {"TextRun"}
    assert runs[1]["text"] == f"1. {HOSTILE}\n"
    assert runs[1]["selectAction"] == {
        "type": "Action.OpenUrl",
        "url": "https://arxiv.org/abs/2312.02826",
    }
    assert runs[2]["text"] == "@here Eve <x>, Olga Fink"
    urls = [r["selectAction"]["url"] for r in runs if "selectAction" in r]
    assert len(urls) == 5 and all(u.startswith("https://arxiv.org/abs/") for u in urls)


@pytest.mark.parametrize("script", ["slack.sh", "discord.sh", "teams.sh"])
def test_a_missing_url_or_a_failing_hook_is_an_error(
    script: str, hook: tuple[str, Recorder], day_json: dict[str, Any]
) -> None:
    url, recorder = hook
    result = post(script, day_json, "", RADAR_WEBHOOK_URL="")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no webhook URL\nhint: ")
    assert recorder.posts == []
    recorder.status = 500
    result = post(script, day_json, url)
    assert result.returncode == 22  # curl --fail
    assert len(recorder.posts) == 1
