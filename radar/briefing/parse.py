"""The model's reply made safe and structured: control characters, citation grounding, layout."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping

from radar.briefing.cite import (
    PENDING,
    Citation,
    canonical,
    citation_of_key,
    find_citations,
    fold,
    grounding_keys,
)
from radar.briefing.values import REMOVED_MARK, Briefing, ReadFirst, Theme

# Invisible characters that are not format controls (category Cf) but still show nothing
# and can hide inside a citation: the combining grapheme joiner, Hangul fillers, Khmer
# inherent vowels, Mongolian variation selectors and the variation selectors.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
# Cc (but tab and newline), Cf (bidi overrides and isolates, zero-width and joiner
# characters, soft hyphen, word joiner, BOM, tags, ...), Cs (lone surrogates cannot be
# written as UTF-8), and code points not yet assigned.
_DROP = frozenset({"Cc", "Cf", "Cs", "Cn"})


def _keep(char: str) -> bool:
    if char.isascii():
        return (char >= " " and char != "\x7f") or char in "\t\n"
    return char not in _INVISIBLE and unicodedata.category(char) not in _DROP


def clean(text: str) -> str:
    """Drop control, format and invisible characters (ANSI escapes lose their ESC and become
    inert text). Character by character, so cleaning chunks equals cleaning the whole."""
    return "".join(c for c in text if _keep(c))


def _keys(allowed: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """Canonical cited id -> the id the structured fields carry (a paper's key)."""
    if isinstance(allowed, Mapping):
        return {canonical(k): v for k, v in allowed.items()}
    return {canonical(a): a for a in allowed}


def cited_ids(
    text: str, allowed: Iterable[str] | Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The ids cited in `text`, in order, once each; with `allowed`, only those, as its keys."""
    ids = (c.cid for c in find_citations(text))
    if allowed is None:
        return tuple(dict.fromkeys(ids))
    keys = _keys(allowed)
    return tuple(dict.fromkeys(keys[i] for i in ids if i in keys))


def removal(citation: Citation) -> str:
    """What replaces a removed citation: the mark, with the brackets the citation had."""
    return _renamed(citation, REMOVED_MARK)


def _renamed(citation: Citation, name: str) -> str:
    if citation.opened == citation.closed:
        return f"[{name}]"
    return f"[{name}" if citation.opened else f"{name}]"


def ground(
    text: str,
    allowed: frozenset[str],
    removed: list[str],
    rename: Mapping[str, str] | None = None,
) -> str:
    """Replace every citation of an id outside `allowed` (canonical ids) by REMOVED_MARK;
    one whose canonical id is in `rename` is written as the name given there instead.

    `text` must be cleaned first (see `clean`): a format control inside a citation would
    otherwise hide it here and vanish later.
    """
    out: list[str] = []
    last = 0
    for cite in find_citations(text):
        out.append(text[last : cite.start])
        last = cite.end
        if rename and cite.cid in rename:
            out.append(_renamed(cite, rename[cite.cid]))
            continue
        if cite.cid in allowed:
            out.append(text[cite.start : cite.end])
            continue
        if cite.cid not in removed:
            removed.append(cite.cid)
        out.append(removal(cite))
    out.append(text[last:])
    return "".join(out)


def aliases(citable: Mapping[str, str]) -> dict[str, str]:
    """The citable ids a briefing's own `paper_ids` cannot vouch for later (an arXiv paper's
    journal DOI) -> the paper's own citation, which the text then carries instead."""
    keys = grounding_keys(citable.values())
    return {cid: citation_of_key(key) for cid, key in citable.items() if cid not in keys}


def reground(briefing: Briefing) -> Briefing:
    """`briefing` checked again against its own papers: one stored before a form of citation
    was checked comes back grounded like a new one (the count of removed ids included)."""
    keys = grounding_keys(briefing.paper_ids)
    removed = list(briefing.removed_citations)
    text = ground(clean(briefing.text), frozenset(keys), removed)
    if text == briefing.text:
        return briefing
    headline, themes, connections, read_first = parse_layout(text, keys)
    return dataclasses.replace(
        briefing,
        headline=headline,
        themes=themes,
        connections=connections,
        read_first=read_first,
        text=text,
        removed_citations=tuple(removed),
    )


class Grounder:
    """Cleans and grounds streamed text chunk by chunk, so what is shown live is already safe.

    Each chunk is cleaned first, then text is released up to the last whitespace that no
    citation can span: ids, DOIs and URLs hold no whitespace, and a citation's label
    (`arXiv `, `doi: `) still waiting for its id is held back. Joining everything `feed`
    and `finish` return gives exactly `ground(clean(full reply))`, however it is cut.
    """

    def __init__(self, allowed: Iterable[str], rename: Mapping[str, str] | None = None) -> None:
        self.allowed = frozenset(canonical(a) for a in allowed)
        self.rename = dict(rename or {})
        self.removed: list[str] = []
        self._pending = ""
        self._parts: list[str] = []

    def feed(self, chunk: str) -> str:
        chunk = clean(chunk)
        self._pending += chunk
        # Only the new text can hold a new cut: what is pending was held back already (and
        # scanning all of it again for each chunk would be quadratic).
        last = max(chunk.rfind(c) for c in " \n\t")
        if last < 0:
            return ""
        cut = len(self._pending) - len(chunk) + last + 1
        held = PENDING.search(fold(self._pending[:cut]))
        if held:
            cut = held.start()
        for cite in find_citations(self._pending):  # none may straddle the cut
            if cite.start < cut < cite.end:
                cut = cite.start
                break
        head, self._pending = self._pending[:cut], self._pending[cut:]
        return self._release(head)

    def finish(self) -> str:
        rest, self._pending = self._pending, ""
        return self._release(rest)

    def _release(self, cleaned: str) -> str:
        out = ground(cleaned, self.allowed, self.removed, self.rename)
        self._parts.append(out)
        return out

    @property
    def text(self) -> str:
        return "".join(self._parts)


_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+(?P<h>.+?)\s*#*|\*\*(?P<b>[^*]+?)\*\*:?)\s*$")
SECTION_NAMES = {
    "headline": "headline",
    "themes": "themes",
    "connections": "connections",
    "cross-field connections": "connections",
    "read first": "read_first",
    "read-first": "read_first",
    "what to read first": "read_first",
}
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(?P<item>.*)$")
_WHY_TRIM = " \t\u2014\u2013-:;,."  # em dash, en dash


def _paragraphs(lines: list[str]) -> list[str]:
    text = "\n".join(lines).strip()
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            items.append(bullet.group("item").strip())
        elif line.strip() and items:
            items[-1] = f"{items[-1]} {line.strip()}"
    return [i for i in items if i] or _paragraphs(lines)


def _read_first(lines: list[str], keys: Mapping[str, str]) -> tuple[ReadFirst, ...]:
    out: dict[str, ReadFirst] = {}
    for item in _items(lines):
        cite = next(find_citations(item), None)
        if cite is None or cite.cid not in keys:
            continue  # no citation, or only a removed one: nothing to point at
        rest = item[: cite.start].strip(_WHY_TRIM) + " " + item[cite.end :].strip(_WHY_TRIM)
        why = " ".join(rest.replace("**", "").split()).strip(_WHY_TRIM + "[]")
        key = keys[cite.cid]
        out.setdefault(key, ReadFirst(key, why))
    return tuple(out.values())


def parse_layout(
    text: str, allowed: Iterable[str] | Mapping[str, str]
) -> tuple[str, tuple[Theme, ...], tuple[str, ...], tuple[ReadFirst, ...]]:
    """(headline, themes, connections, read_first) from a grounded reply.

    `allowed` holds the ids the papers may be cited by (arXiv ids, `doi:DOI`), or maps each
    (see cite.citable_ids) to the paper key the structured fields then carry.

    Tolerant: headings match by name at any level (or as **bold** lines); a reply without
    the layout yields its first paragraph as the headline and empty structured fields.
    """
    keep = _keys(allowed)
    sections: dict[str, list[str]] = {"preamble": []}
    themes: list[tuple[str, list[str]]] = []
    current = "preamble"
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        title = (heading.group("h") or heading.group("b") or "").strip() if heading else ""
        name = SECTION_NAMES.get(title.strip("*_ ").rstrip(":").lower()) if heading else None
        if name:
            current = name
            sections.setdefault(name, [])
        elif heading and current == "themes":
            themes.append((title.strip("*_ ").rstrip(":"), []))
        elif current == "themes" and themes:
            themes[-1][1].append(line)
        else:
            sections.setdefault(current, []).append(line)
    head = _paragraphs(sections.get("headline", []))
    if len(sections) == 1:  # no recognised section at all: keep just a headline
        body = [p for p in _paragraphs(sections["preamble"]) if not _HEADING.match(p)]
        return (body[0] if body else "", (), (), ())
    parsed = tuple(
        Theme(title, "\n".join(lines).strip(), cited_ids("\n".join(lines), keep))
        for title, lines in themes
        if title
    )
    return (
        " ".join(head),
        parsed,
        tuple(_items(sections.get("connections", []))),
        _read_first(sections.get("read_first", []), keep),
    )
