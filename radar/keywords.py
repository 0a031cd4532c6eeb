"""Keyword phrases: which configured phrases a title or abstract contains, in one regex pass."""

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


def _trie_pattern(forms: Sequence[str]) -> str:
    """One regex for all `forms` that, at any position, matches the longest one there.

    A trie rather than a flat alternation: at each position only the branch for the next
    character is tried, so the cost hardly grows with the number of phrases; and as every
    branch starts with a literal, the engine skips straight to possible first characters.
    """
    trie: _Trie = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def pattern(node: _Trie, last: str, root: bool) -> str:
        branches = []
        for char in sorted(c for c in node if c):
            chain, child = char, node[char]
            while len(child) == 1 and "" not in child:  # a run without branches: no group
                ((next_char, child),) = child.items()
                chain += next_char
            text = "".join(_GAP if c == " " else re.escape(c) for c in chain)
            # A word character at a phrase's edge must not continue a word of the text (the
            # start is checked after the first character, keeping that a literal); a
            # non-word edge (`C++`, `(LLM)`) needs no boundary.
            if root and _is_word(char):
                text = text[: len(re.escape(char))] + r"(?<!\w\w)" + text[len(re.escape(char)) :]
            branches.append(text + pattern(child, chain[-1], root=False))
        if "" in node:  # last, so that longer phrases are tried first
            branches.append(r"(?!\w)" if _is_word(last) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie, "", root=True)


def _is_prefix(short: str, long: str) -> bool:
    """Whether `short` matches where `long` does, its end boundary included."""
    if not long.startswith(short):
        return False
    return len(long) == len(short) or not _is_word(short[-1]) or not _is_word(long[len(short)])


class KeywordMatcher:
    """Finds the configured phrases in a text: case, accent, hyphen and line-wrap insensitive."""

    __slots__ = ("_implied", "_regex", "phrases")

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
        self._regex = re.compile(_trie_pattern(list(by_form))) if by_form else None

    def find(self, text: str) -> tuple[str, ...]:
        """The distinct configured phrases found in `text`, as written, in config order."""
        if self._regex is None or not text:
            return ()
        folded = _fold(text)
        found: set[int] = set()
        match = self._regex.search(folded)
        while match:
            found.update(self._implied[_SPACING.sub(" ", match[0])])
            match = self._regex.search(folded, match.start() + 1)
        return tuple(self.phrases[i] for i in sorted(found))
