"""The model's reply made safe and structured: control characters, citation grounding, layout."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from radar.briefing.cite import CITATION, canonical, cited_id
from radar.briefing.values import REMOVED_MARK, ReadFirst, Theme

# C0/C1 controls except tab and newline, plus bidi overrides that can reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A citation can straddle a chunk boundary only at whitespace after `arXiv:` or `doi:`
# (ids, DOIs and URLs hold none); hold that back.
_PENDING = re.compile(r"\[?(?i:arxiv|doi)\s*:?\s*$")


def clean(text: str) -> str:
    """Strip control characters (ANSI escapes lose their ESC and become inert text)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def _keys(allowed: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """Canonical cited id -> the id the structured fields carry (a paper's key)."""
    if isinstance(allowed, Mapping):
        return {canonical(k): v for k, v in allowed.items()}
    return {canonical(a): a for a in allowed}


def cited_ids(
    text: str, allowed: Iterable[str] | Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The ids cited in `text`, in order, once each; with `allowed`, only those, as its keys."""
    ids = (cited_id(m) for m in CITATION.finditer(text))
    if allowed is None:
        return tuple(dict.fromkeys(ids))
    keys = _keys(allowed)
    return tuple(dict.fromkeys(keys[i] for i in ids if i in keys))


def ground(text: str, allowed: frozenset[str], removed: list[str]) -> str:
    """Replace every citation of an id outside `allowed` (canonical ids) by REMOVED_MARK."""

    def replace(match: re.Match[str]) -> str:
        cid = cited_id(match)
        if cid in allowed:
            return match.group(0)
        if cid not in removed:
            removed.append(cid)
        opened, closed = bool(match.group("open")), bool(match.group("close"))
        if opened == closed:
            return f"[{REMOVED_MARK}]"
        return f"[{REMOVED_MARK}" if opened else f"{REMOVED_MARK}]"

    return CITATION.sub(replace, text)


class Grounder:
    """Cleans and grounds streamed text chunk by chunk, so what is shown live is already safe.

    Text is released up to the last whitespace that cannot split a citation; joining
    everything `feed` and `finish` return gives exactly `ground(clean(full reply))`.
    """

    def __init__(self, allowed: Iterable[str]) -> None:
        self.allowed = frozenset(canonical(a) for a in allowed)
        self.removed: list[str] = []
        self._pending = ""
        self._parts: list[str] = []

    def feed(self, chunk: str) -> str:
        self._pending += chunk
        cut = max(self._pending.rfind(c) for c in " \n\t")
        if cut < 0:
            return ""
        head = self._pending[: cut + 1]
        held = _PENDING.search(head)
        if held:
            head = head[: held.start()]
        self._pending = self._pending[len(head) :]
        return self._release(head)

    def finish(self) -> str:
        rest, self._pending = self._pending, ""
        return self._release(rest)

    def _release(self, raw: str) -> str:
        out = ground(clean(raw), self.allowed, self.removed)
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
        match = CITATION.search(item)
        if not match or cited_id(match) not in keys:
            continue  # no citation, or only a removed one: nothing to point at
        rest = item[: match.start()].strip(_WHY_TRIM) + " " + item[match.end() :].strip(_WHY_TRIM)
        why = " ".join(rest.replace("**", "").split()).strip(_WHY_TRIM + "[]")
        key = keys[cited_id(match)]
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
