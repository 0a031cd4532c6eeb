"""Keyword phrases: which configured phrases a title or abstract contains, in one regex pass
(a second only for phrases that start with punctuation, such as `(LLM)`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from radar.names import decode_tex

# Hyphens, dashes and any whitespace (abstracts wrap) are one separator: `on-policy` = `on policy`.
_GAP = r"[\s\-\u2010-\u2014]+"
_SPACING = re.compile(_GAP)
# The marks NFKD splits off Latin, Greek and Cyrillic letters; a regex drops them ~20x faster
# than testing unicodedata.combining() on every character of an abstract.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_WORD = re.compile(r"\w")
# Every byte of ASCII text that is not a word character, as a space (see KeywordMatcher).
_BLANKS = bytes(c if _WORD.match(chr(c)) else ord(" ") for c in range(256))
# Between a title and its abstract when they are scanned as one text: no gap spans the NUL,
# and no phrase starts inside it.
_BETWEEN = " \x00 "
_PLAIN = re.compile(r"\w+(?: \w+)*")  # a phrase of words and single spaces
_Trie = dict[str, "_Trie"]


@lru_cache(maxsize=1024)  # every topic's matchers look at the same few texts in turn
def _fold(text: str) -> str:
    """Texts and phrases are compared without TeX, accents or case."""
    if "\\" in text:
        text = decode_tex(text)
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold())).lower()


def _form(phrase: str) -> str:
    """A phrase's canonical form: folded, one space for every gap."""
    return _SPACING.sub(" ", _fold(phrase)).strip()


def _is_word(char: str) -> bool:
    return _WORD.match(char) is not None


def _trie_pattern(forms: Sequence[str], gap: str = _GAP) -> str:
    """One regex for all `forms` that, at any position, matches the longest one there.

    A trie rather than a flat alternation: at each position only the branch for the next
    character is tried, so the cost hardly grows with the number of phrases. Where a phrase
    may start is the caller's business (see KeywordMatcher).
    """
    trie: _Trie = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def pattern(node: _Trie, last: str) -> str:
        branches = []
        for char in sorted(c for c in node if c):
            chain, child = char, node[char]
            while len(child) == 1 and "" not in child:  # a run without branches: no group
                ((next_char, child),) = child.items()
                chain += next_char
            text = "".join(gap if c == " " else re.escape(c) for c in chain)
            branches.append(text + pattern(child, chain[-1]))
        if "" in node:  # last, so that longer phrases are tried first
            # A word character at a phrase's end must not continue a word of the text; a
            # non-word edge (`C++`, `(LLM)`) needs no boundary.
            branches.append(r"(?!\w)" if _is_word(last) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie, "")


def _is_prefix(short: str, long: str) -> bool:
    """Whether `short` matches where `long` does, its end boundary included."""
    if not long.startswith(short):
        return False
    return len(long) == len(short) or not _is_word(short[-1]) or not _is_word(long[len(short)])


class KeywordMatcher:
    """Finds the configured phrases in a text: case, accent, hyphen and line-wrap insensitive."""

    __slots__ = ("_blanked", "_implied", "_other", "_splittable", "_word", "_word_ascii", "phrases")

    def __init__(self, phrases: Sequence[str]) -> None:
        self.phrases = tuple(dict.fromkeys(phrases))
        by_form: dict[str, list[int]] = {}
        for index, phrase in enumerate(self.phrases):
            if form := _form(phrase):
                by_form.setdefault(form, []).append(index)
        # Overlapping phrases: a match reports only the longest phrase at its position, so
        # each form maps to every configured phrase that is a whole-word prefix of it
        # (`diffusion models` implies `diffusion`); and the next search starts one character
        # after the last match began, so a phrase starting inside another (`graph neural` /
        # `neural network`) is still found. No phrase gets a scan of its own.
        self._implied = {
            form: tuple(
                sorted(i for short, ids in by_form.items() if _is_prefix(short, form) for i in ids)
            )
            for form in by_form
        }
        # A phrase that starts with a word character must not start inside a word of the
        # text. Rather than testing that at every position, the pattern begins with the
        # non-word character before the phrase (the text is scanned with a space in front):
        # the regex engine then skips straight to such characters, ~3x faster on abstracts
        # than a look-behind. ASCII text gets that set spelled out in ASCII, which the
        # engine tests with a bitmap instead of a Unicode category look-up.
        words = [form for form in by_form if _is_word(form[0])]
        others = [form for form in by_form if not _is_word(form[0])]
        trie = _trie_pattern(words)
        self._word_ascii = re.compile("[^0-9A-Z_a-z](" + trie + ")") if words else None
        self._word = re.compile(r"\W(" + trie + ")") if words else None
        self._other = re.compile("(" + _trie_pattern(others) + ")") if others else None
        # Faster still, when every phrase is words and spaces: the regex engine finds a
        # literal first character far faster than a character class, so ASCII text is
        # scanned with each non-word character blanked to a space, and the phrases
        # after a space are sought. Where the text differs from the blanked copy (a
        # hyphen, a line break, punctuation in a gap) the exact pattern decides. ~30%
        # less time on abstracts.
        # (In bytes: encoding ASCII text and translating the bytes is 3x faster than
        # str.translate. A phrase that is not ASCII cannot be in ASCII text.)
        plain = all(_PLAIN.fullmatch(form) for form in words)
        ascii_words = [form for form in words if form.isascii()]
        self._blanked = (
            re.compile(f" ({_trie_pattern(ascii_words, ' +')})".encode("ascii"))
            if plain and ascii_words
            else None
        )
        # Only a YAML "\0" could put the separator in a phrase; then the texts go apart.
        self._splittable = not any("\x00" in form for form in by_form)

    def scan(self, text: str) -> set[int]:
        """The indexes in `phrases` of the phrases found in `text`."""
        if not text or not self._implied:
            return set()
        folded = _fold(text)
        return self._scan(" " + folded, len(folded) + 1)[0]

    def scan_pair(self, first: str, second: str) -> tuple[set[int], set[int]]:
        """(scan(first), scan(second)) in one pass over both: a title and its abstract."""
        if not self._implied:
            return set(), set()
        if self._splittable:
            folded = _fold(first) if first else ""
            return self._scan(
                f" {folded}{_BETWEEN}{_fold(second) if second else ''}", len(folded) + 1
            )
        return self.scan(first), self.scan(second)

    def _scan(self, text: str, split: int) -> tuple[set[int], set[int]]:
        """The phrases found in `text` (a space, then the folded text) that start before
        offset `split`, and those that start after it."""
        found: tuple[set[int], set[int]] = (set(), set())
        if self._word is not None:
            if self._blanked is not None and text.isascii():
                self._collect_blanked(text, split, found)
            else:
                regex = self._word_ascii if text.isascii() else self._word
                assert regex is not None
                self._collect(regex, text, split, found)
        if self._other is not None:
            self._collect(self._other, text, split, found)
        return found

    def _collect(
        self, regex: re.Pattern[str], text: str, split: int, found: tuple[set[int], set[int]]
    ) -> None:
        match = regex.search(text)
        while match:
            found[match.start(1) >= split].update(self._ids(match[1]))
            match = regex.search(text, match.start() + 1)

    def _collect_blanked(self, text: str, split: int, found: tuple[set[int], set[int]]) -> None:
        assert self._blanked is not None and self._word_ascii is not None
        search = self._blanked.search
        data = text.encode("ascii")
        blanked = data.translate(_BLANKS)
        match = search(blanked)
        while match:
            at = match.start()  # the space before the phrase
            hit: str | None = None
            if data.startswith(match[1], at + 1):
                hit = match[1].decode("ascii")
            elif exact := self._word_ascii.match(text, at):
                hit = exact[1]
            if hit is not None:
                found[at + 1 >= split].update(self._ids(hit))
            match = search(blanked, at + 1)

    def _ids(self, hit: str) -> tuple[int, ...]:
        """The phrases a matched text stands for (see _implied)."""
        # Most matches are written with single spaces: then they are a form as they are.
        ids = self._implied.get(hit)
        return ids if ids is not None else self._implied[_SPACING.sub(" ", hit)]

    def find(self, text: str) -> tuple[str, ...]:
        """The distinct configured phrases found in `text`, as written, in config order."""
        found = self.scan(text)
        return tuple(self.phrases[i] for i in sorted(found)) if found else ()


class PhraseLists:
    """Several phrase lists (a run's keywords and excludes) searched with one scan per text.

    `pick(n, scan(text))` equals `KeywordMatcher(lists[n]).find(text)`: a match reports every
    configured phrase found at its position, whichever list it came from.
    """

    __slots__ = ("_ids", "_lists", "_matcher", "_places")

    def __init__(self, lists: Sequence[Sequence[str]]) -> None:
        self._matcher = KeywordMatcher([phrase for phrases in lists for phrase in phrases])
        index = {phrase: i for i, phrase in enumerate(self._matcher.phrases)}
        self._lists = [tuple(dict.fromkeys(phrases)) for phrases in lists]
        # For each list: a phrase's index in the matcher -> its place in the list.
        self._places = [{index[p]: place for place, p in enumerate(ps)} for ps in self._lists]
        self._ids = [frozenset(places) for places in self._places]

    def scan(self, text: str) -> set[int]:
        return self._matcher.scan(text)

    def scan_pair(self, first: str, second: str) -> tuple[set[int], set[int]]:
        return self._matcher.scan_pair(first, second)

    def has(self, which: int, found: set[int]) -> bool:
        """Whether any phrase of list `which` is among `found`."""
        return bool(found) and not self._ids[which].isdisjoint(found)

    def pick(self, which: int, found: set[int]) -> tuple[str, ...]:
        """List `which`'s phrases among `found`, as written, in that list's order."""
        if not found or self._ids[which].isdisjoint(found):
            return ()
        places = self._places[which]
        phrases = self._lists[which]
        return tuple(phrases[p] for p in sorted(places[i] for i in found if i in places))
