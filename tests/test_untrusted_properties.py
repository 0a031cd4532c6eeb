"""Properties of the code that meets text nobody controls: the feed parser, the author-name
matcher and the Markdown digest, over arbitrary input (hypothesis).

tests/test_names.py and tests/test_render.py hold the unit-level properties (TeX decoding,
name normalising, `escape_markdown` on one string); these go one layer out: whole feeds,
names inside a feed's creator string, whole digests.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from datetime import date

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from faults_support import EEG_ID, REAL_FEED, rewrite_item, xml_text
from radar.models import Counts, Paper, RankedPaper, Reason, Report
from radar.names import AuthorMatcher
from radar.render.markdown import render_markdown
from radar.sources.arxiv_feed import FeedQueryError, MalformedFeedError, parse_feed
from radar.watchlist import WatchedAuthor

# Unicode's bidi classes for the explicit embeddings, overrides, pops and isolates.
BIDI_CONTROLS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}

# Characters XML 1.0 can carry (everything but most C0 controls, surrogates, U+FFFE/U+FFFF).
XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(chr(c) for c in range(0x20) if c not in (0x9, 0xA, 0xD))
    + "\ufffe\uffff",
)
XML_TEXT = st.text(XML_CHARS, max_size=80)


def _xml(text: str) -> bytes:
    # A carriage return as a reference: XML turns raw line ends into "\n".
    return xml_text(text).replace(b"\r", b"&#13;")


def _only(feed: bytes, arxiv_id: str) -> bytes:
    return re.sub(
        rb"[ \t]*<item>(?:(?!</item>).)*?<link>https://arxiv\.org/abs/(?!"
        + re.escape(arxiv_id.encode())
        + rb"<).*?</item>\n?",
        b"",
        feed,
        flags=re.S,
    )


ONE_ITEM = _only(REAL_FEED, EEG_ID)  # the EEG item alone: small, so many examples run fast


def test_the_one_item_feed_holds_the_eeg_paper() -> None:
    assert [p.arxiv_id for p in parse_feed(ONE_ITEM).papers] == [EEG_ID]


# -- the feed parser ----------------------------------------------------------------------------


@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_raise_only_the_documented_errors(body: bytes) -> None:
    with contextlib.suppress(MalformedFeedError, FeedQueryError):
        parse_feed(body)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(ONE_ITEM)), st.binary(min_size=1, max_size=40))
def test_a_damaged_real_feed_parses_or_raises_only_the_documented_errors(
    at: int, junk: bytes
) -> None:
    with contextlib.suppress(MalformedFeedError, FeedQueryError):
        parse_feed(ONE_ITEM[:at] + junk + ONE_ITEM[at:])


@given(st.text(max_size=300))
def test_any_text_parses_or_raises_only_the_documented_errors(text: str) -> None:
    body = text.encode("utf-8", "surrogatepass")
    with contextlib.suppress(MalformedFeedError, FeedQueryError):
        parse_feed(
            b"<rss><channel><item><title>"
            + body
            + b"</title><description>arXiv:"
            + body
            + b"v1 Announce Type: "
            + body
            + b"</description><guid>"
            + body
            + b"</guid></item></channel></rss>"
        )


def test_a_version_with_thousands_of_digits_is_no_crash() -> None:
    # int() refuses more than 4,300 digits with a ValueError, which no caller expects.
    vid = "2411.00001v" + "9" * 5000
    for item in (
        f"<guid>oai:arXiv.org:{vid}</guid>",
        f"<link>https://arxiv.org/abs/{vid}</link>",
        f"<description>arXiv:{vid} Announce Type: new</description>",
    ):
        with contextlib.suppress(MalformedFeedError):
            parse_feed(f"<rss><channel><item>{item}</item></channel></rss>".encode())


# Without a backslash or a tie (`~`) there is no TeX to decode: the text comes back composed
# (NFC), the title on one line. TeX itself is checked against literal values below.
TEX_FREE_TEXT = st.text(XML_CHARS.filter(lambda c: c not in "\\~"), max_size=80)


@given(title=TEX_FREE_TEXT, abstract=TEX_FREE_TEXT)
def test_title_and_abstract_round_trip_through_the_feed(title: str, abstract: str) -> None:
    body = rewrite_item(EEG_ID, title=_xml(title), abstract=_xml(abstract), feed=ONE_ITEM)
    (paper,) = parse_feed(body).papers
    assert paper.arxiv_id == EEG_ID
    assert paper.title == " ".join(unicodedata.normalize("NFC", title).split())
    assert paper.abstract == unicodedata.normalize("NFC", abstract.strip())


def test_tex_accents_in_a_feeds_title_and_abstract_are_decoded() -> None:
    title = rb'Schr\"odinger meets Erd\H{o}s and \c{C}ela in $\alpha$ space'
    abstract = rb"""We thank Ji\v{r}\'i and the \aa ngstr\"om; $x^2$ stays."""
    (paper,) = parse_feed(
        rewrite_item(EEG_ID, title=title, abstract=abstract, feed=ONE_ITEM)
    ).papers
    assert paper.title == "Schr\u00f6dinger meets Erd\u0151s and \u00c7ela in $\\alpha$ space"
    assert paper.abstract == "We thank Ji\u0159\u00ed and the \u00e5ngstr\u00f6m; $x^2$ stays."


NAME = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Mn", "Nd", "So")),
    min_size=1,
    max_size=12,
)
PERSON = st.lists(NAME, min_size=1, max_size=3).map(" ".join)


@given(st.lists(PERSON, min_size=1, max_size=6))
def test_creators_round_trip_through_the_feed(names: list[str]) -> None:
    assume(all(" and " not in f" {n} " for n in names))  # "and" separates names too
    creator = ", ".join(names)
    (paper,) = parse_feed(rewrite_item(EEG_ID, creator=_xml(creator), feed=ONE_ITEM)).papers
    # Letters, marks, digits and symbols hold no TeX: each name comes back composed (NFC).
    assert paper.authors == tuple(unicodedata.normalize("NFC", n) for n in names)


# -- the author-name matcher ------------------------------------------------------------------

LATIN = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzéèüöäñçøåłš"), min_size=2, max_size=10
).map(str.capitalize)


@given(st.lists(LATIN, min_size=2, max_size=3).map(" ".join), st.lists(PERSON, max_size=4))
def test_a_watched_author_is_found_in_a_feed_however_the_name_is_spelt(
    name: str, others: list[str]
) -> None:
    assume(all(" and " not in f" {n} " for n in others))
    spellings = [
        name,
        name.upper(),
        "  " + name.replace(" ", "   ") + " ",
        unicodedata.normalize("NFD", name),  # accents as combining marks
    ]
    matcher = AuthorMatcher([WatchedAuthor(name)])
    for spelt in spellings:
        creator = ", ".join([*others, spelt])
        (paper,) = parse_feed(rewrite_item(EEG_ID, creator=_xml(creator), feed=ONE_ITEM)).papers
        exact = [hit for hit in matcher.match(paper.authors) if hit.exact]
        assert [hit.watched for hit in exact][-1:] == [name], (spelt, paper.authors)


@given(LATIN, LATIN, st.lists(PERSON, max_size=6))
def test_no_author_without_the_watched_surname_matches(
    given_name: str, surname: str, authors: list[str]
) -> None:
    key = unicodedata.normalize("NFKD", surname.casefold())
    assume(all(key not in unicodedata.normalize("NFKD", a.casefold()) for a in authors))
    assert AuthorMatcher([WatchedAuthor(f"{given_name} {surname}")]).match(authors) == ()


# -- the Markdown digest ------------------------------------------------------------------------

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
ANY_TEXT = st.text(max_size=120)


def _report(title: str, authors: list[str], abstract: str, journal: str, watch: str) -> Report:
    paper = Paper(
        arxiv_id="2411.17705",
        version=1,
        title=title,
        authors=tuple(authors),
        abstract=abstract,
        categories=("eess.SP",),
        announce_type="new",
        announced=date(2024, 11, 28),
        journal_ref=journal or None,
    )
    ranked = RankedPaper(
        paper=paper,
        score=1.0,
        reasons=(Reason("keyword-title", f"keyword in title: {watch}", 1.0),),
        watched_authors=tuple(authors[:1]),
    )
    return Report(
        watchlist=watch,
        day=date(2024, 11, 28),
        requested_day=date(2024, 11, 28),
        state="fresh",
        papers=(ranked,),
        total=1,
        counts=Counts(new=1),
        notices=(title,),
    )


def _tokens(tokens: list) -> list:  # type: ignore[type-arg]
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


@given(ANY_TEXT, st.lists(ANY_TEXT, max_size=4), ANY_TEXT, ANY_TEXT, ANY_TEXT)
def test_a_digest_of_any_text_has_no_html_and_only_our_links(
    title: str, authors: list[str], abstract: str, journal: str, watch: str
) -> None:
    md = render_markdown(_report(title, authors, abstract, journal, watch))
    body = md.split("\n---\n", 1)[1]  # after the YAML front matter
    kinds = set()
    for token in _tokens(_MD.parse(body)):
        kinds.add(token.type)
        if token.type == "link_open":
            assert str(token.attrs["href"]).startswith("https://arxiv.org/"), token.attrs
    assert not kinds & {"html_inline", "html_block", "image"}
    # No control character but line ends and tabs, and no bidi embedding/override/isolate.
    assert not [
        c
        for c in md
        if (unicodedata.category(c) == "Cc" and c not in "\n\t")
        or unicodedata.bidirectional(c) in BIDI_CONTROLS
    ]
