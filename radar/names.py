"""Author names: decoding TeX accents, splitting arXiv creator strings, matching watched authors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from radar.watchlist import WatchedAuthor

# Combining marks for LaTeX's text accents; \t (a tie over two letters) has no one-letter form.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_LETTERS = {
    "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø",
    "ss": "ß", "l": "ł", "L": "Ł", "i": "\u0131", "j": "ȷ", "dj": "đ", "DJ": "Đ", "dh": "ð",
    "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
}  # fmt: skip
_TEX = re.compile(
    r"""
    (?=[\\{$])  # lets the engine skip to candidate characters: 5x faster on abstracts
    (?: \\[\\$] | \$\$.*?\$\$ | \$[^$]*\$ | \\\(.*?\\\) | \\\[.*?\\\]  # escapes, math: kept
    | (?P<open>\{\s*)?                                    # {\"o}: the group goes with the macro
      \\(?: (?P<sym>['`^"~=.]) | (?P<word>[uvHckrdb])(?![A-Za-z]) ) \s*
      (?: \{\s* (?P<arg>\\[ij](?![A-Za-z])|[^{}\\\s]) \s*\}
        | (?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]) )
      (?(open)\s*\})
    | (?P<open2>\{\s*)?
      \\(?P<letter>aa|AA|ae|AE|oe|OE|ss|dj|DJ|dh|DH|th|TH|ng|NG|[oOlLij])(?![A-Za-z])
      (?(open2)\s*\}|(?:\{\}|[ \t]*))                    # TeX eats the spaces after a control word
    )""",
    re.VERBOSE | re.DOTALL,
)


def _decode_one(m: re.Match[str]) -> str:
    if m["letter"]:
        return _LETTERS[m["letter"]]
    base = m["arg"] or m["bare"]
    if base is None:
        return m[0]
    # An accent over a dotless \i or \j is an ordinary accented i or j.
    return base[-1] + _ACCENTS[m["sym"] or m["word"]]


def decode_tex(text: str) -> str:
    """Turn TeX accent macros into composed (NFC) Unicode; math and unknown macros stay as is."""
    text = unicodedata.normalize("NFC", text)
    # Repeat to a fixed point so the result is stable (`\'{\'e}`); every change removes a
    # backslash, so this ends.
    while "\\" in text:
        decoded = unicodedata.normalize("NFC", _TEX.sub(_decode_one, text))
        if decoded == text:
            break
        text = decoded
    return text


_SPLIT = re.compile(r",|(?:(?<=\s)|^)and(?=\s|$)")


def split_authors(creator: str) -> tuple[str, ...]:
    """The names in a dc:creator string: comma- and `and`-separated, TeX decoded, tidied."""
    pieces, start, depth, scanned = [], 0, 0, 0
    for m in _SPLIT.finditer(creator):
        between = creator[scanned : m.start()]
        depth = max(0, depth + between.count("{") - between.count("}"))
        scanned = m.start()
        if depth == 0:  # a separator inside braces belongs to the name
            pieces.append(creator[start : m.start()])
            start = m.end()
    pieces.append(creator[start:])
    names = (" ".join(decode_tex(piece).split()) for piece in pieces)
    return tuple(name for name in names if name)


# Letters that NFKD leaves whole but a reader (and arXiv's search) treats as plain Latin.
_FOLD = str.maketrans(
    {"ø": "o", "ß": "ss", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th",
     "\u0131": "i", "ȷ": "j", "ŋ": "ng", "ħ": "h"}
)  # fmt: skip
_SEPARATORS = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """A comparison key: no accents, casefolded, hyphens/periods/apostrophes as spaces.

    Transliterations are not guessed: `Schoelkopf` does not equal `Schölkopf`. A watched
    author written either way lists the other spelling as an alias.
    """
    text = decode_tex(name)
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD)
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return " ".join(_SEPARATORS.sub(" ", text).split())


# Lower-case words that join a surname (`van Arem`, `de la Cruz`) when a given name precedes them.
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "dei", "des", "di", "da", "das", "do",
    "dos", "du", "la", "le", "lo", "ter", "ten", "zu", "zur", "vom", "al", "el", "bin", "ibn",
    "st",
})  # fmt: skip
_WORDS = re.compile(r"[\s.]+")
_PARTS = re.compile(r"[^\W_]+")


def _tokens(word: str) -> tuple[str, ...]:
    # A one-letter part is an initial, marked by a trailing period: `Þ.` folds to `th`, and
    # must still stand for `Þórður` without `Li` standing for `Lixin`.
    tokens: list[str] = []
    for part in _PARTS.findall(word):
        folded = normalize_name(part).split()
        tokens.extend([folded[0] + "."] if len(part) == 1 and len(folded) == 1 else folded)
    return tuple(tokens)


@lru_cache(maxsize=65536)
def _parse(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(given-name tokens, surname tokens); a hyphenated surname stays whole (`Taylor-Sakyi`)."""
    words = [w for w in map(_tokens, _WORDS.split(decode_tex(name))) if w]
    if len(words) < 2:
        return (), tuple(t.rstrip(".") for w in words for t in w)
    cut = len(words) - 1
    while cut > 1 and len(words[cut - 1]) == 1 and words[cut - 1][0] in _PARTICLES:
        cut -= 1
    given = tuple(t for w in words[:cut] for t in w)
    return given, tuple(t.rstrip(".") for w in words[cut:] for t in w)


def _agree(paper: str, watched: str) -> bool:
    if paper.endswith("."):
        return watched.startswith(paper[:-1])
    return paper == watched or (watched.endswith(".") and paper.startswith(watched[:-1]))


def _initials_agree(paper: tuple[str, ...], watched: tuple[str, ...]) -> bool:
    # Position by position, a name agrees with itself or its initial. The paper may drop
    # trailing middle names but never add given names: `S. J. Wang` is not `Sijie Wang`.
    return 0 < len(paper) <= len(watched) and all(map(_agree, paper, watched))


@dataclass(frozen=True, slots=True)
class AuthorHit:
    watched: str  # the watched author's canonical name
    author: str  # the paper's author string as given
    exact: bool  # False: only initials agree (`S. Wang` for `Sijie Wang`)


class AuthorMatcher:
    """Finds watched authors among a paper's authors with dictionary look-ups only.

    Exact: the normalized token sequences are equal, to the name or one of its aliases.
    Reversed order (`Wang Sijie`) and transliterations (`Schoelkopf`) are not guessed:
    list them as aliases. Initials (weak): same surname, given names agreeing by initial.
    """

    __slots__ = ("_ends", "_exact", "_initials", "_seen", "_surnames")

    def __init__(self, watched: Sequence[WatchedAuthor]) -> None:
        # Each normalised form -> (watched name, whether a paper spelling it so is surely
        # that person). A name whose given names are all initials (`J. Moldón`) could be
        # anyone with those initials: the same spelling on a paper is still an initials
        # match (radar.example.yaml promises the lower weight). An alias is the user's word
        # that a spelling is this person, initials or not.
        self._exact: dict[str, list[tuple[str, bool]]] = {}
        self._surnames: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}
        for author in watched:
            for place, form in enumerate((author.name, *author.aliases)):
                key = normalize_name(form)
                given, surname = _parse(form)
                initials_only = bool(given) and all(token.endswith(".") for token in given)
                full = place > 0 or not initials_only  # place 0: the name; then aliases
                forms = self._exact.setdefault(key, []) if key else []
                if key and (author.name, full) not in forms:
                    forms.append((author.name, full))
                if given:
                    self._surnames.setdefault(surname, []).append((author.name, given))
        # An initials match needs the surname's last word and the first given name's first
        # letter to agree: most paper authors fail this before any parsing.
        initials: dict[str, set[str]] = {}
        for surname, entries in self._surnames.items():
            initials.setdefault(surname[-1], set()).update(given[0][0] for _, given in entries)
        self._initials = {last: frozenset(letters) for last, letters in initials.items()}
        # ... and this before normalising: the last word any watched form can end in.
        self._ends = set(self._initials) | {key.rpartition(" ")[2] for key in self._exact}
        # Each distinct author string is judged once per matcher (one run): prolific
        # authors recur on paper after paper.
        self._seen: dict[str, tuple[AuthorHit, ...]] = {}

    def match(self, authors: Sequence[str]) -> tuple[AuthorHit, ...]:
        hits: list[AuthorHit] = []
        seen = self._seen
        for author in authors:
            found = seen.get(author)
            if found is None:
                found = seen[author] = self._judge(author)
            hits += found
        # The same name twice on one paper is one hit.
        return tuple(dict.fromkeys(hits)) if len(hits) > 1 else tuple(hits)

    def _judge(self, author: str) -> tuple[AuthorHit, ...]:
        # A plain ASCII last word (no TeX anywhere) is the normalised name's last word,
        # lower-cased: when no watched name ends so, the author cannot match. Most
        # authors of a day end here, without a normalisation (~2 us each).
        end = author.rpartition(" ")[2]
        plain = end.isascii() and end.isalnum() and "\\" not in author
        if plain and end.lower() not in self._ends:
            return ()
        key = normalize_name(author)
        forms = self._exact.get(key, ())
        # A watched author listed both in full and by initials counts once, as its best.
        best = {watched: False for watched, _ in forms}
        for watched, full in forms:
            best[watched] |= full
        exact = tuple(best)
        hits = [AuthorHit(watched, author, exact=full) for watched, full in best.items()]
        if key[:1] in self._initials.get(key.rpartition(" ")[2], ()):
            given, surname = _parse(author)
            hits += [
                AuthorHit(watched, author, exact=False)
                for watched, watched_given in self._surnames.get(surname, ())
                if watched not in exact and _initials_agree(given, watched_given)
            ]
        return tuple(hits)
