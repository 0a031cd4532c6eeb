"""The faster paths give the answers of the plain ones (benchmarks/ measures how much faster)."""

from __future__ import annotations

import gc
import re
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from radar.briefing.prompt import paper_entry
from radar.keywords import KeywordMatcher, PhraseLists
from radar.models import Paper, RankedPaper, Reason
from radar.names import AuthorMatcher, _initials_agree, _parse, normalize_name
from radar.nogc import paused_gc
from radar.render.safe import clean_text, escape_markdown, single_line
from radar.watchlist import WatchedAuthor

# Texts and phrases made of the characters that matter to matching: letters that fold
# (accents, case), every kind of gap, word and non-word edges.
_PIECES = st.sampled_from(
    [*"ab -\u2013\u2010\u00e9E\u0301C+()\n_1", "\\'e", "ab", "b a", "graph neural", "network"]
)
_TEXT = st.lists(_PIECES, max_size=25).map("".join)


@settings(max_examples=300)
@given(st.lists(st.lists(_TEXT, max_size=4), max_size=4), _TEXT)
def test_one_scan_finds_what_each_list_alone_finds(lists: list[list[str]], text: str) -> None:
    phrases = PhraseLists(lists)
    found = phrases.scan(text)
    for which, phrase_list in enumerate(lists):
        alone = KeywordMatcher(phrase_list).find(text)
        assert phrases.pick(which, found) == alone
        assert phrases.has(which, found) == bool(alone)


# The matching rules as README states them, written out here rather than read from radar:
# case, accents and TeX accents are ignored; any run of whitespace, hyphens and dashes
# (U+2010..U+2014) is one gap; a phrase starting or ending in a word character matches only
# at a word edge.
_GAP_CHARS = "-\u2010\u2011\u2012\u2013\u2014"
_ORACLE_GAP = "(?:[" + re.escape(_GAP_CHARS) + r"]|\s)+"


def plain_fold(text: str) -> str:
    # `\'e` is the one TeX accent the pieces above hold: an e, once its accent is dropped.
    text = text.replace("\\'e", "e")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def plain_form(phrase: str) -> str:
    folded = plain_fold(phrase)
    return " ".join(re.sub(_ORACLE_GAP, " ", folded).split(" ")).strip()


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def each_phrase_alone(phrases: list[str], text: str) -> tuple[str, ...]:
    """KeywordMatcher.find's promise, kept the slow way: each phrase with a regex of its own."""
    folded = " " + plain_fold(text)
    found = []
    for phrase in dict.fromkeys(phrases):
        form = plain_form(phrase)
        if not form:
            continue
        body = "".join(_ORACLE_GAP if c == " " else re.escape(c) for c in form)
        start = r"(?<=\W)" if is_word_char(form[0]) else ""
        end = r"(?!\w)" if is_word_char(form[-1]) else ""
        if re.search(start + body + end, folded):
            found.append(phrase)
    return tuple(found)


# ASCII only: the blanked fast path (every phrase plain words) and the exact one.
_ASCII_PIECES = st.sampled_from(
    ["ab", "b", " ", "  ", "-", "\n", ".", ". ", "(", ")", "c+", "_1", "a", "a-b", "ab b", "ea"]
)
_ASCII_TEXT = st.lists(_ASCII_PIECES, max_size=25).map("".join)
# Words and spaces only (what the blanked scan takes), "éa" ASCII once folded, "αβ" never.
_PLAIN_PHRASES = st.lists(st.sampled_from(["ab", "b", "ab b", "b ab", "a b", "a b ab", "éa", "αβ"]))


@settings(max_examples=400)
@given(st.one_of(_PLAIN_PHRASES, st.lists(_TEXT, max_size=4)), st.one_of(_ASCII_TEXT, _TEXT))
def test_the_one_pattern_finds_what_each_phrase_alone_finds(phrases: list[str], text: str) -> None:
    assert KeywordMatcher(phrases).find(text) == each_phrase_alone(phrases, text)


@settings(max_examples=300)
@given(
    st.one_of(_PLAIN_PHRASES, st.lists(_TEXT, max_size=4)),
    st.one_of(_ASCII_TEXT, _TEXT),
    st.one_of(_ASCII_TEXT, _TEXT),
)
def test_a_title_and_abstract_scanned_together_as_apart(
    phrases: list[str], title: str, abstract: str
) -> None:
    matcher = KeywordMatcher(phrases)
    assert matcher.scan_pair(title, abstract) == (matcher.scan(title), matcher.scan(abstract))


def test_no_phrase_spans_a_title_and_its_abstract() -> None:
    matcher = KeywordMatcher(["graph neural", "neural", "(x)", "\0"])
    assert matcher.scan_pair("A graph", "neural nets (x)") == (set(), {1, 2})
    assert matcher.scan_pair("A graph\0", "\0neural") == ({3}, {1, 3})


def test_gaps_of_several_blanks_in_ascii_text() -> None:
    for text in ("ab  b", "ab\n b", "ab.b", "ab- b", "(ab b)"):
        assert KeywordMatcher(["ab b", "b"]).find(text) == each_phrase_alone(["ab b", "b"], text)


def test_a_phrase_in_two_lists_is_reported_in_each_lists_order() -> None:
    phrases = PhraseLists([["graph", "neural network"], ["neural network", "graph neural"]])
    found = phrases.scan("A graph neural network.")
    assert phrases.pick(0, found) == ("graph", "neural network")
    assert phrases.pick(1, found) == ("neural network", "graph neural")


def test_non_ascii_text_and_phrases_without_word_edges() -> None:
    matcher = KeywordMatcher(["Schrödinger", "(LLM)", "C++", "é"])
    assert matcher.find("Schro\u0308dinger's (LLM) in C++ é") == (
        "Schrödinger",
        "(LLM)",
        "C++",
        "é",
    )
    assert matcher.find("(LLM)") == ("(LLM)",)
    assert matcher.find("Schrödingers") == ()


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError
    assert gc.isenabled()


# Terminal escape sequences (ECMA-48), recognised by hand, left to right: what clean_text
# promises to remove whole. The 7-bit introducers are ESC and a letter; the 8-bit (C1) ones a
# single character.
_ESC = "\x1b"


def _csi_end(s: str, i: int) -> int | None:
    while i < len(s) and "0" <= s[i] <= "?":  # parameter bytes
        i += 1
    while i < len(s) and " " <= s[i] <= "/":  # intermediate bytes
        i += 1
    return i + 1 if i < len(s) and "@" <= s[i] <= "~" else None  # the final byte


def _string_end(s: str, i: int, bell: bool) -> int | None:
    # A control string runs to ST (ESC \\ or U+009C); an OSC may also end at BEL.
    stops = {_ESC, "\n", *map(chr, range(0x80, 0xA0))} | ({"\x07"} if bell else set())
    while i < len(s) and s[i] not in stops:
        i += 1
    if i < len(s) and (s[i] == "\x9c" or (bell and s[i] == "\x07")):
        return i + 1
    return i + 2 if s[i : i + 2] == _ESC + "\\" else None


def _escape_end(s: str, i: int) -> int | None:
    """Where the escape sequence starting at s[i] ends, or None if none starts there."""
    c, nxt = s[i], s[i + 1 : i + 2]
    if c == "\x9b":
        return _csi_end(s, i + 1)
    if c == "\x9d":
        return _string_end(s, i + 1, bell=True)
    if c in "\x90\x98\x9e\x9f":
        return _string_end(s, i + 1, bell=False)
    if c != _ESC:
        return None
    end = None
    if nxt == "[":
        end = _csi_end(s, i + 2)
    elif nxt == "]":
        end = _string_end(s, i + 2, bell=True)
    elif nxt and nxt in "PX^_":
        end = _string_end(s, i + 2, bell=False)
    if end is None:  # any other ESC sequence: intermediates, then one final byte
        j = i + 1
        while j < len(s) and " " <= s[j] <= "/":
            j += 1
        end = j + 1 if j < len(s) and "0" <= s[j] <= "~" else None
    return end


def without_sequences(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        end = _escape_end(s, i)
        if end is None:
            out.append(s[i])
            i += 1
        else:
            i = end
    return "".join(out)


_BIDI_CONTROLS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}


def removed_control(c: str, keep: str) -> bool:
    # Every C0 and C1 control but those kept, and the bidi embeddings/overrides/isolates.
    return (unicodedata.category(c) == "Cc" and c not in keep) or (
        unicodedata.bidirectional(c) in _BIDI_CONTROLS
    )


def plain_clean_text(s: str, keep_newlines: bool, keep_tabs: bool) -> str:
    """clean_text's promise, step by step, from the standards rather than radar's patterns."""
    s = without_sequences(s)
    # Line ends: CRLF, CR, NEL, LS, PS, VT and FF each become one newline.
    s = s.replace("\r\n", "\n")
    s = "".join("\n" if c in "\r\x85\u2028\u2029\x0b\x0c" else c for c in s)
    if not keep_newlines:
        s = s.replace("\n", " ")
    if not keep_tabs:
        s = s.replace("\t", " ")
    s = "".join(c for c in s if not removed_control(c, keep="\n\t"))
    # A lone surrogate cannot be encoded: the replacement character stands in.
    return "".join("\ufffd" if unicodedata.category(c) == "Cs" else c for c in s)


_HOSTILE = st.lists(
    st.characters()
    | st.sampled_from(
        [*"\x1b[31m\x9b\x9d\x07\x9c\r\n\t\x85\u2028\u2029\x0b\u202e\u2066\ud800*_[]#.-"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500)
@given(_HOSTILE, st.booleans(), st.booleans())
def test_clean_text_shortcut_changes_nothing(s: str, keep_newlines: bool, keep_tabs: bool) -> None:
    expected = plain_clean_text(s, keep_newlines, keep_tabs)
    assert clean_text(s, keep_newlines=keep_newlines, keep_tabs=keep_tabs) == expected


# What means something only in context: schemes, www., entities, shortcodes, list markers.
_CONTEXT_PIECES = [
    *("http://", "https://x.org", "www.", "WwW.", ":smile:", "&amp;", "&#169;", "&", ";"),
    *("==", "%%", "=", "%", "1.", "2)", "-", "+", ":", "/", " ", "a", ".", "!", "(", ")"),
]
_MARKDOWNISH = st.lists(_HOSTILE | st.sampled_from(_CONTEXT_PIECES), max_size=12).map("".join)
_COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@settings(max_examples=500)
@given(_MARKDOWNISH)
def test_markdown_escaping_adds_backslashes_only_where_they_matter(s: str) -> None:
    escaped = escape_markdown(s)
    tokens = _COMMONMARK.parse(escaped)  # renders as the literal text, and nothing else
    if single_line(s):
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
        assert {c.type for c in tokens[1].children or []} <= {"text"}
        assert "".join(c.content for c in tokens[1].children or []) == single_line(s)
    # Only backslashes before punctuation are added: removing them gives the text back.
    assert re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escaped) == single_line(s)
    # What is left bare once each escape pair is taken out (as NUL, which matches nothing).
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "\0", escaped)
    assert not re.search(r"[\\`*_{}\[\]<>#|~$^@]", bare)  # syntax anywhere
    assert not re.search(r"&#?\w+;", bare)  # an entity
    assert not re.search(r":(?://|[\w+-]+:)", bare)  # a URL scheme, an :emoji:
    assert not re.search(r"(?i)www\.", bare)  # www. autolinks
    assert "==" not in bare and "%%" not in bare  # Obsidian highlights and comments
    assert not re.match(r"[-+=]|\d+[.)]", bare)  # a list, rule or underline


def test_markdown_escaping_leaves_ordinary_punctuation_bare() -> None:
    text = "End-to-end (IFD): 42.5% better & faster, e.g. R&D. Really! x=1, 2+2; see 1."
    assert escape_markdown(text) == text


def test_the_briefing_leaves_out_reasons_the_entry_already_says() -> None:
    paper = Paper(
        arxiv_id="2411.17705",
        version=1,
        title="EEG-DCNet",
        authors=("Wei Peng",),
        abstract="An EEG classifier.",
        categories=("eess.SP", "cs.LG"),
        announce_type="new",
        announced=date(2024, 11, 28),
    )
    reasons = (
        Reason("keyword-title", "keyword in title: EEG", 4.0),
        Reason("category", "category: eess.SP", 1.5),
        Reason("announce", "new submission", 1.0),
    )
    entry = paper_entry(RankedPaper(paper, 6.5, reasons), 1)
    assert "ranked for: keyword in title: EEG\n" in entry
    only_watch = paper_entry(RankedPaper(paper, 2.5, reasons[1:]), 1)
    assert "ranked for: category watch\n" in only_watch
    replaced = replace(paper, announce_type="replace", version=2)
    kept = paper_entry(
        RankedPaper(replaced, 4.0, (reasons[0], Reason("announce", "replacement", 0.5))), 1
    )
    assert "ranked for: keyword in title: EEG; replacement\n" in kept


def test_authors_skipped_before_normalising_are_those_that_cannot_match() -> None:
    matcher = AuthorMatcher([WatchedAuthor("A Osmith"), WatchedAuthor("Olga Fink")])
    hits = matcher.match(["A \\o Smith", "A. Smith", "O. FINK", "Olga Fink-Smith", "Olga Fink"])
    assert [(h.watched, h.author, h.exact) for h in hits] == [
        # TeX: `\o Smith` is `øSmith`, not a Smith; `A Osmith` names only an initial, so
        # even the same spelling is an initials match (issue 11).
        ("A Osmith", "A \\o Smith", False),
        ("Olga Fink", "O. FINK", False),
        ("Olga Fink", "Olga Fink", True),
    ]


def every_author_alone(
    watched: list[WatchedAuthor], authors: list[str]
) -> list[tuple[str, str, bool]]:
    """AuthorMatcher's promise kept the slow way: every name against every watched form."""
    hits: dict[tuple[str, str], bool] = {}
    for author in authors:
        key = normalize_name(author)
        for person in watched:
            forms = (person.name, *person.aliases)
            same = [i for i, form in enumerate(forms) if key and normalize_name(form) == key]
            if same:
                # Sure only through an alias, or a name with a given name beyond initials.
                sure = any(i > 0 or not _only_initials(forms[i]) for i in same)
                hits.setdefault((person.name, author), sure)
        given, surname = _parse(author)
        for person in watched:
            for form in (person.name, *person.aliases):
                their_given, their_surname = _parse(form)
                if their_given and their_surname == surname and _initials_agree(given, their_given):
                    hits.setdefault((person.name, author), False)
    return [(name, author, exact) for (name, author), exact in hits.items()]


def _only_initials(name: str) -> bool:
    given, _ = _parse(name)
    return bool(given) and all(token.endswith(".") for token in given)  # "o." is an initial


_GIVEN = st.sampled_from(["Olga", "O.", "O", "olga", "Ola", "S. J.", "Sijie", "\\'Eva", "Éva"])
_SURNAME = st.sampled_from(["Fink", "FINK", "Fink-Smith", "van Fink", "Smith", "\\o Smith"])
_NAME = st.builds(lambda g, s: f"{g} {s}", _GIVEN, _SURNAME) | _SURNAME


@settings(max_examples=300)
@given(
    st.lists(st.builds(WatchedAuthor, _NAME, st.lists(_NAME, max_size=2).map(tuple)), max_size=3),
    st.lists(st.lists(_NAME, max_size=4), max_size=3),
)
def test_author_matching_finds_what_every_name_alone_finds(
    watched: list[WatchedAuthor], papers: list[list[str]]
) -> None:
    matcher = AuthorMatcher(watched)
    for authors in papers:  # one matcher for several papers, as in a run
        hits = [(h.watched, h.author, h.exact) for h in matcher.match(authors)]
        assert hits == every_author_alone(watched, authors)
