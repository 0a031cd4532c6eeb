"""Briefing Markdown rendered by a real CommonMark/GFM renderer: only radar's own links survive.

The oracle is the HTML markdown-it-py (GFM-like preset: tables, strikethrough, raw HTML
allowed, linkify with fuzzy links and e-mail addresses) makes of what radar writes: every
`<a href>` must go to arxiv.org/abs or doi.org for a paper that was sent, there is no `<img>`
and no tag the model could have written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from anthropic_server import AnthropicServer, briefing_stream, split_text, stream_reply
from conftest import Run
from loopback import Loopback
from radar.briefing import Briefing, briefing_markdown

pytestmark = pytest.mark.timeout(60)

SENT = ("2411.17705", "2411.17707", "doi:10.1101/300251")
ARXIV_SENT = {"2411.17705", "2411.17707"}
DOIS_SENT = {"10.1101/300251", "10.48550/arxiv.2411.17705", "10.48550/arxiv.2411.17707"}
ARXIV_HREF = re.compile(r"^https://arxiv\.org/(?:abs|pdf)/(?P<id>[0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?$")
DOI_HREF = re.compile(r"^https://doi\.org/(?P<doi>10\..+)$")
# The only elements a briefing's Markdown may produce; the model's own <b>, <img>, <a>,
# <script>, <table>, <code>, <del>, <sup> ... must all arrive as text.
TAGS = {"p", "ul", "ol", "li", "a", "em", "strong", "blockquote", *(f"h{n}" for n in range(1, 7))}

HOSTILE = [
    "![t][r]\n\n[r]: https://evil.com/pixel.png",
    "![t][]\n\n[t]: https://evil.com/p.png",
    "[t][r] and [r]\n\n[r]: https://evil.com/ 'title'",
    "[a [b] c](https://evil.com/x)",
    "![a [b] c](https://evil.com/i.png)",
    "[x](https://evil.com/a_(b)_c)",
    "[x [y (z)] w](https://evil.com/(q))",
    "[ftp](ftp://evil.com/file) [f](file:///etc/passwd) [j](javascript:alert(1))",
    "[d](data:text/html;base64,PHNjcmlwdD4=) [m](mailto:a@evil.com)",
    "[arXiv:2411.17705](https://evil.com/2411.17705)",
    "[[arXiv:2411.17705]](https://evil.com)",
    "[doi:10.1101/300251](https://evil.com)",
    "[x](https://arxiv.org) [y](https://arxiv.org/abs/2501.00001)",
    "<https://evil.com> <mailto:a@evil.com> <a@evil.com>",
    '<a href="https://evil.com">x</a> <img src="https://evil.com/p.png"> <script>1</script>',
    "<div>\n[x](https://evil.com)\n</div>",
    "https://evil.com/path www.evil.com evil.com/x evil.com a@evil.com http://127.0.0.1:8/",
    "[^1] text\n\n[^1]: https://evil.com",
    "[x]: <https://evil.com>\n[x]",
    "\\[x](https://evil.com) \\\\[y](https://evil.com) \\![z](https://evil.com/i.png)",
    "`[x](https://evil.com)` ```\n[y](https://evil.com)\n```",
    "| a | b |\n|---|---|\n| [x](https://evil.com) | ![i](https://evil.com/i.png) |",
    "&#60;img src=x&#62; &lt;b&gt; &#91;x&#93;(https://evil.com)",
    "> [q](https://evil.com)\n\n    [code](https://evil.com)",
    "* [s](https://evil.com)\n1. ![n](https://evil.com/n.png)\n- <https://evil.com>",
    "Heading\n===\n[h](https://evil.com)\n---",
    "# [x](https://evil.com) #\n## ![y](https://evil.com/y.png)",
    "arxiv.org/abs/2501.00001 ARXIV.ORG/abs/2411.17705 https://alphaxiv.org/abs/2411.17707",
    "[arXiv:2411.17705]![x](https://evil.com/x.png) ![arXiv:2411.17707](https://evil.com/i.png)",
    "!" + "[arXiv:2411.17705]",
    "\u202e[x](https://evil.com)\u2066 [y](https://evil\u200b.com)",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def html_of(markdown: str) -> str:
    return MarkdownIt("gfm-like").render(markdown)


def assert_only_radar_links(markdown: str) -> list[str]:
    """Every element is one radar may make; every href a paper that was sent. The hrefs."""
    parser = _Tags()
    parser.feed(html_of(markdown))
    hrefs = []
    for tag, attrs in parser.tags:
        assert tag in TAGS, (tag, markdown)
        if tag == "a":
            assert set(attrs) == {"href"}, attrs
            href = attrs["href"] or ""
            arxiv, doi = ARXIV_HREF.match(href), DOI_HREF.match(href)
            assert (arxiv and arxiv["id"] in ARXIV_SENT) or (
                doi and unquote(doi["doi"]).lower() in DOIS_SENT
            ), (href, markdown)
            hrefs.append(href)
    return hrefs


def briefing(text: str, removed: tuple[str, ...] = ()) -> Briefing:
    return Briefing(
        headline="",
        themes=(),
        connections=(),
        read_first=(),
        text=text,
        model="claude-sonnet-5-5",
        made_with_llm=True,
        removed_citations=removed,
        paper_ids=SENT,
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_the_model_writes_becomes_a_link_image_or_html(text: str) -> None:
    md = briefing_markdown(briefing(f"## Themes\n### T\nBefore {text} after [arXiv:2411.17705]."))
    hrefs = assert_only_radar_links(md)
    assert "https://arxiv.org/abs/2411.17705" in hrefs  # radar's own link is still made
    assert "evil" not in "".join(hrefs)


def test_citation_forms_of_papers_sent_link_to_arxiv_or_doi_org() -> None:
    md = briefing_markdown(
        briefing(
            "See arxiv.org/abs/2411.17705, ARXIV 2411.17707, [doi:10.1101/300251] and "
            "[x](https://doi.org/10.1101/300251) but not [t](https://evil.com/2411.17705)."
        )
    )
    hrefs = assert_only_radar_links(md)
    assert hrefs == [
        "https://arxiv.org/abs/2411.17705",
        "https://arxiv.org/abs/2411.17707",
        "https://doi.org/10.1101/300251",
        "https://doi.org/10.1101/300251",
        "https://arxiv.org/abs/2411.17705",
    ]
    # The last link's target named another host: radar's own URL for the id replaces it.
    assert "evil" not in html_of(md)


def test_the_words_survive_as_text() -> None:
    text = "A [x](https://evil.com) b <b>c</b> ![alt](https://evil.com/i.png) **bold** e.g. 3.5"
    html = html_of(briefing_markdown(briefing(text)))
    plain = re.sub(r"<[^>]+>", "", html)
    for word in ("A x b", "&lt;b&gt;c&lt;/b&gt;", "alt", "e.g. 3.5"):
        assert word in plain, (word, plain)
    assert "<strong>bold</strong>" in html


FRAGMENTS = [
    *HOSTILE,
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    "\\",
    "`",
    "\n",
    "\n\n",
    "# ",
    "- ",
    "1. ",
    "> ",
    "    ",
    ": ",
    "https://",
    "http://evil.com",
    "www.",
    "evil.com",
    "@",
    "[arXiv:2411.17705]",
    "arXiv:2501.00001",
    "doi:10.9999/x",
    "arxiv.org/abs/",
    "2411.17707",
    "](",
    "][",
    "]: ",
    "&#91;",
    "&lt;",
    "\u202e",
    "\u200b",
]


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=30))
def test_any_model_output_yields_only_radar_links(parts: list[str]) -> None:
    assert_only_radar_links(briefing_markdown(briefing("".join(parts))))


@pytest.fixture
def claude(monkeypatch: pytest.MonkeyPatch) -> Iterator[AnthropicServer]:
    server = AnthropicServer().start()
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-markdown-test-0123456789")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    yield server
    server.stop()


def test_a_digest_with_a_hostile_briefing_links_only_the_days_papers(
    run: Run, arxiv: Loopback, watchlist: Path, claude: AnthropicServer, isolated_user: Path
) -> None:
    reply = "## Headline\nToday [arXiv:2411.17705].\n\n## Themes\n### Odd\n" + "\n".join(HOSTILE)
    claude.replies.append(stream_reply(briefing_stream(split_text(reply, 5))))
    target = isolated_user / "digest.md"
    result = run("today", "--brief", "--output", str(target))
    assert result.code == 0, result.err
    digest = target.read_text(encoding="utf-8")
    section = digest[digest.index("## Briefing") : digest.index("## 1.")]
    parser = _Tags()
    parser.feed(html_of(digest))
    assert not [t for t, _ in parser.tags if t in ("img", "script", "b", "div", "table", "sup")]
    hrefs = [a.get("href") or "" for t, a in parser.tags if t == "a"]
    # The cards link to arxiv.org and to the DOI arXiv lists for a paper; nothing else.
    assert hrefs and all(h.startswith(("https://arxiv.org/", "https://doi.org/")) for h in hrefs)
    assert not [h for h in hrefs if "evil" in h or "127.0.0.1" in h]
    assert "https://arxiv.org/abs/2411.17705" in assert_only_radar_links(section)
