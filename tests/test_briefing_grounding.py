"""Grounding holds against every way of naming a paper, any chunking and any invisible character.

Expectations are explicit: the ids that must be removed are written out, the invisible
characters are listed by code point (and drawn from unicodedata's category Cf), never taken
from radar's own patterns.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_briefing import DAY, KEY, feed_papers, settings_for

from anthropic_server import AnthropicServer, briefing_stream, stream_reply
from radar.briefing import (
    REMOVED_MARK,
    Briefing,
    MemoryStore,
    briefing_markdown,
    load_briefing_for_day,
    make_briefing,
)
from radar.briefing.parse import Grounder, clean, ground
from radar.briefing.store import save_briefing

pytestmark = pytest.mark.timeout(30)

KNOWN = "2411.17705"  # among the captured feed's papers
INVENTED = "2501.00001"
# Format controls and other characters that show nothing, by code point.
INVISIBLE = [
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2069",  # POP DIRECTIONAL ISOLATE
    "\u200b",  # ZERO WIDTH SPACE
    "\u200c",  # ZERO WIDTH NON-JOINER
    "\u200d",  # ZERO WIDTH JOINER
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u2060",  # WORD JOINER
    "\u2063",  # INVISIBLE SEPARATOR
    "\ufeff",  # ZERO WIDTH NO-BREAK SPACE (BOM)
    "\u00ad",  # SOFT HYPHEN
    "\u061c",  # ARABIC LETTER MARK
    "\u180e",  # MONGOLIAN VOWEL SEPARATOR
    "\U000e0041",  # TAG LATIN CAPITAL LETTER A
    "\u034f",  # COMBINING GRAPHEME JOINER
    "\ufe0f",  # VARIATION SELECTOR-16
    "\u3164",  # HANGUL FILLER
]

# Every form a reader would follow to a paper, as (template, what grounding must report).
FORMS = [
    ("[arXiv:{id}]", "{id}"),
    ("arXiv:{id}", "{id}"),
    ("arXiv {id}", "{id}"),
    ("arxiv:{id}", "{id}"),
    ("ARXIV: {id}v3", "{id}"),
    ("[arXiv {id}]", "{id}"),
    ("arxiv.org/abs/{id}", "{id}"),
    ("www.arxiv.org/abs/{id}", "{id}"),
    ("https://arxiv.org/abs/{id}", "{id}"),
    ("HTTPS://ARXIV.ORG/ABS/{id}V2", "{id}"),
    ("https://arxiv.org/pdf/{id}v1.pdf", "{id}"),
    ("arxiv.org/pdf/{id}", "{id}"),
    ("https://arxiv.org/html/{id}v2", "{id}"),
    ("https://www.alphaxiv.org/abs/{id}", "{id}"),
    ("alphaxiv.org/abs/{id}", "{id}"),
    ("export.arxiv.org/abs/{id}", "{id}"),
    ("[doi:10.48550/arXiv.{id}]", "doi:10.48550/arxiv.{id}"),
    ("https://doi.org/10.48550/arXiv.{id}", "doi:10.48550/arxiv.{id}"),
    ("{id}", "{id}"),  # a bare new-style id
    ("arXiv.{id}", "{id}"),
    ("arXiv-{id}", "{id}"),
    ("arXiv\u00a0{id}", "{id}"),  # NO-BREAK SPACE
    ("arXiv\uff1a{id}", "{id}"),  # FULLWIDTH COLON
    ("https://arxiv.org/abs/{id}?context=cs", "{id}"),
    ("https://scholar.example/search?q={id}", "{id}"),
]
DOI_FORMS = [
    "[doi:{doi}]",
    "doi:{doi}",
    "DOI {doi}",
    "https://doi.org/{doi}",
    "doi.org/{doi}",
    "http://dx.doi.org/{doi}",
    "HTTPS://DX.DOI.ORG/{doi}",
    "{doi}",
]
OLD_FORMS = [
    "hep-th/9901001",
    "HEP-TH/9901001v2",
    "arXiv:hep-th/9901001",
    "arxiv.org/abs/hep-th/9901001",
]


@pytest.mark.parametrize(("form", "reported"), FORMS)
def test_every_arxiv_form_is_grounded(form: str, reported: str) -> None:
    text = f"Known {form.format(id=KNOWN)} and invented {form.format(id=INVENTED)} end."
    removed: list[str] = []
    # What the engine allows for an arXiv paper: its id and its arXiv DOI.
    out = ground(clean(text), frozenset({KNOWN, f"doi:10.48550/arxiv.{KNOWN}"}), removed)
    assert removed == [reported.format(id=INVENTED)]
    assert INVENTED not in out and REMOVED_MARK in out
    assert f"Known {form.format(id=KNOWN)} and" in out


@pytest.mark.parametrize("form", DOI_FORMS)
def test_every_doi_form_is_grounded(form: str) -> None:
    text = f"Known {form.format(doi='10.1101/300251')}; invented {form.format(doi='10.9999/X.1')}."
    removed: list[str] = []
    out = ground(clean(text), frozenset({"doi:10.1101/300251"}), removed)
    assert removed == ["doi:10.9999/x.1"]
    assert "10.9999" not in out
    assert f"Known {form.format(doi='10.1101/300251')};" in out


@pytest.mark.parametrize("form", OLD_FORMS)
def test_old_style_ids_are_grounded_in_any_case(form: str) -> None:
    removed: list[str] = []
    out = ground(clean(f"See {form} now."), frozenset({KNOWN}), removed)
    assert removed == ["hep-th/9901001"]
    assert "9901001" not in out


def test_look_alike_digits_and_a_link_to_another_host_are_grounded() -> None:
    fullwidth = "".join(chr(0xFF10 + int(d)) if d.isdigit() else d for d in INVENTED)
    bold = "".join(chr(0x1D7CE + int(d)) if d.isdigit() else d for d in INVENTED)
    arxiv_wide = "\uff41\uff52\uff38\uff49\uff56"  # FULLWIDTH a r X i v
    assert unicodedata.name(fullwidth[0]) == "FULLWIDTH DIGIT TWO"
    assert unicodedata.name(bold[0]) == "MATHEMATICAL BOLD DIGIT TWO"
    text = (
        f"A [arXiv:{fullwidth}] B [arXiv:{bold}] "
        f"C [arXiv:{KNOWN}](https://evil.example/{INVENTED}) D {arxiv_wide}:{KNOWN} end"
    )
    removed: list[str] = []
    out = ground(clean(text), frozenset({KNOWN}), removed)
    assert removed == [INVENTED]
    assert out.count(REMOVED_MARK) == 3 and f"{arxiv_wide}:{KNOWN}" in out


@pytest.fixture
def server() -> Iterator[AnthropicServer]:
    running = AnthropicServer().start()
    yield running
    running.stop()


def stream(server: AnthropicServer, chunks: list[str]) -> tuple[Briefing, str]:
    server.replies.append(stream_reply(briefing_stream(chunks)))
    shown: list[str] = []
    outcome = make_briefing(
        feed_papers(),
        DAY,
        settings_for(server),
        api_key=KEY,
        store=MemoryStore(),
        on_text=shown.append,
    )
    return outcome.briefing, "".join(shown)


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_citation_split_across_chunks_by_an_invisible_character_is_removed(
    server: AnthropicServer, char: str
) -> None:
    # The attack: the first chunk ends in the label plus an invisible character and a space,
    # so the raw text did not look like a label waiting for its id; the cleaner then joined
    # the two halves into a citation that was kept, linked and not counted.
    chunks = [
        "## Headline\nKnown [arXiv:2411.17705]; invented [arXiv:",
        f"{char} ",
        "9999.99999] and arXiv",
        f"{char} ",
        f"{INVENTED}, also https://",
        f"arxiv{char}.org/abs/2502.",
        f"{char}12345 end.\n",
    ]
    b, shown = stream(server, chunks)
    assert b.removed_citations == ("9999.99999", INVENTED, "2502.12345")
    for bad in ("9999.99999", INVENTED, "2502.12345", "99999", "12345"):
        assert bad not in b.text and bad not in shown
    assert shown.strip() == b.text and char not in b.text
    md = briefing_markdown(b)
    assert "3 citations removed" in md and "9999" not in md
    assert "[arXiv:2411.17705](https://arxiv.org/abs/2411.17705)" in md


TEXT = (
    f"See [arXiv:{KNOWN}] and [arXiv: {INVENTED}], arXiv {INVENTED}v2, "
    f"arxiv.org/abs/{KNOWN} and www.ArXiv.org/pdf/2502.12345v1 then\n"
    "- alphaxiv.org/abs/2503.00002 plus doi:10.1101/300251 and DOI 10.9999/X.1 and "
    "dx.doi.org/10.1101/300251 and hep-th/9901001.\n"
)
TEXT_REMOVED = [INVENTED, "2502.12345", "2503.00002", "doi:10.9999/x.1", "hep-th/9901001"]
ALLOWED = frozenset({KNOWN, "doi:10.1101/300251"})
CF = st.characters(categories=["Cf"])


@settings(deadline=None, max_examples=150)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=40),
    inserts=st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), st.sampled_from(INVISIBLE) | CF),
        max_size=25,
    ),
)
def test_any_chunking_with_any_invisible_characters_grounds_like_the_clean_text(
    cuts: list[int], inserts: list[tuple[int, str]]
) -> None:
    text = TEXT
    for at, char in sorted(inserts, reverse=True):
        assert unicodedata.category(char) == "Cf" or char in INVISIBLE
        at %= len(text) + 1
        text = text[:at] + char + text[at:]
    grounder = Grounder(ALLOWED)
    pieces, last = [], 0
    for cut in [*sorted({c % (len(text) + 1) for c in cuts}), len(text)]:
        pieces.append(grounder.feed(text[last:cut]))
        last = cut
    pieces.append(grounder.finish())
    expected_removed: list[str] = []
    expected = ground(TEXT, ALLOWED, expected_removed)
    assert "".join(pieces) == grounder.text == expected
    assert grounder.removed == expected_removed == TEXT_REMOVED
    for bad in ("2501", "2502", "2503", "10.9999", "9901001"):
        assert bad not in expected
    assert f"See [arXiv:{KNOWN}]" in expected and "dx.doi.org/10.1101/300251" in expected


def test_a_stored_briefing_is_grounded_again_when_shown() -> None:
    # A briefing read back from the cache (made before these forms were checked) or built by
    # hand: the renderers check its text against its own papers.
    b = Briefing(
        headline="",
        themes=(),
        connections=(),
        read_first=(),
        text=f"Known [arXiv:{KNOWN}], invented arxiv {INVENTED} and [arXiv:\u202e{INVENTED}].",
        model="claude-sonnet-5-5",
        made_with_llm=True,
        paper_ids=(KNOWN,),
    )
    md = briefing_markdown(b)
    assert INVENTED not in md and "1 citation removed" in md
    assert f"[arXiv:{KNOWN}](https://arxiv.org/abs/{KNOWN})" in md


def test_an_arxiv_paper_cited_by_its_journal_doi_is_written_as_its_arxiv_citation(
    server: AnthropicServer,
) -> None:
    # 2312.02826 was published in Sensors (10.3390/s24237539): citing that DOI names a paper
    # that was sent. The text carries [arXiv:ID] instead, which the briefing's own paper_ids
    # can vouch for when it is shown again or read back from the cache.
    papers = [
        dataclasses.replace(rp, paper=dataclasses.replace(rp.paper, doi="10.3390/s24237539"))
        if rp.paper.arxiv_id == "2312.02826"
        else rp
        for rp in feed_papers()
    ]
    reply = "## Headline\nFaults [doi:10.3390/S24237539] and https://doi.org/10.3390/s24237539.\n"
    server.replies.append(stream_reply(briefing_stream([reply])))
    store = MemoryStore()
    b = make_briefing(papers, DAY, settings_for(server), api_key=KEY, store=store).briefing
    assert b.text == "## Headline\nFaults [arXiv:2312.02826] and [arXiv:2312.02826]."
    assert b.removed_citations == ()
    assert b.headline == "Faults [arXiv:2312.02826] and [arXiv:2312.02826]."
    assert load_briefing_for_day(store, DAY) == b
    md = briefing_markdown(b)
    assert md.count("[arXiv:2312.02826](https://arxiv.org/abs/2312.02826)") == 2
    assert "removed" not in md


def test_a_briefing_stored_before_the_check_is_grounded_again_when_read_back() -> None:
    stored = Briefing(
        headline=f"Known [arXiv:{KNOWN}] and arxiv {INVENTED}.",
        themes=(),
        connections=(),
        read_first=(),
        text=f"## Headline\nKnown [arXiv:{KNOWN}] and arxiv {INVENTED}.\n",
        model="claude-sonnet-5-5",
        made_with_llm=True,
        removed_citations=("9999.99999",),
        day=DAY,
        paper_ids=(KNOWN,),
    )
    store = MemoryStore()
    save_briefing(store, "briefing:old", stored)
    b = load_briefing_for_day(store, DAY)
    assert b is not None and INVENTED not in b.text and INVENTED not in b.headline
    assert b.removed_citations == ("9999.99999", INVENTED)
    assert b.headline == f"Known [arXiv:{KNOWN}] and [{REMOVED_MARK}]."
