"""The model's Markdown made inert: its words stay, only radar's own citation links are links.

Nothing the model writes is trusted to be a link, image or HTML. Rather than hunting for
every construct some renderer turns into one (reference images, nested brackets, autolinks,
bare URLs a GFM renderer links, footnotes, raw HTML), every character that could start such
a construct is escaped, and the only links emitted are built here, from citations of the
papers that were sent, to arxiv.org/abs or doi.org. Kept from the model: headings, bullet
and numbered lists, paragraphs, and emphasis (`*`, `_`), which cannot make a link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote

from radar.briefing.cite import Citation, doi_url, find_citations
from radar.models import ARXIV_ABS_URL

# A link or image as the model may write one, brackets and parentheses nested one level.
# Parsing it wrongly is harmless: whatever is not recognised is escaped as text.
_MODEL_LINK = re.compile(
    r"(?P<bang>!)?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"(?:\(\s*<?(?P<dest>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)|\[[^\[\]\n]*\])"
)
_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})(?:\s+(?P<text>.*?))?(?:\s+#+)?\s*$")
_BULLET = re.compile(r"^(?P<indent>\s*)[-*+]\s+(?P<text>.*)$")
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?P<n>[0-9]{1,9})(?P<d>[.)])\s+(?P<text>.*)$")
# What would make the start of a line (or of a list item's text) a block of its own: a
# nested list item, a block quote, a rule or a setext heading's underline.
_BLOCK_START = re.compile(r"^(?:[-+*](?:\s|$)|>|[-*_=\s]+$|[0-9]{1,9}(?=[.)](?:\s|$)))")
# Escaped wherever they appear: backslash first (so the model cannot undo an escape), then
# the brackets and `!` of links and images, code, tables, strikethrough, math, attributes
# and headings/tags. `<` becomes `&lt;`, so no HTML tag or <autolink> can open.
_ALWAYS = re.compile(r"[\\`\[\]!|~${}#]")
# `.`, `:` and `@` inside a word are what bare URLs, www. links and e-mail addresses need;
# escaped there, no autolinker (GFM's, linkify's fuzzy links) sees one.
_IN_WORD = re.compile(r"[.:@](?=\S)")


def _escape(text: str) -> str:
    text = _ALWAYS.sub(lambda m: "\\" + m.group(0), text)
    text = _IN_WORD.sub(lambda m: "\\" + m.group(0), text)
    return text.replace("<", "&lt;")


def citation_url(cite: Citation, keys: Mapping[str, str]) -> str:
    """Where radar links a citation: arxiv.org/abs or doi.org for the id as cited, except a
    DOI the prompt had to shorten, which links to the paper's full DOI (its key)."""
    if not cite.is_doi:
        return ARXIV_ABS_URL + cite.written
    key = keys.get(cite.cid, "")
    doi = unquote(cite.written)
    return doi_url(key[4:] if key.startswith("doi:") and key[4:] != doi.lower() else doi)


def _citation_link(cite: Citation, keys: Mapping[str, str]) -> str:
    label = ("doi:" if cite.is_doi else "arXiv:") + cite.written
    # A DOI may hold `_`, `(` and `)`, harmless in a link's text; `[`, `]`, `\\` and `<`
    # never occur in a citation (see cite.DOI).
    link = f"[{label}]({citation_url(cite, keys)})"
    if cite.opened == cite.closed:
        return link
    return "\\[" + link if cite.opened else link + "\\]"


def _escape_label(label: str) -> str:
    # A DOI may hold `_`, `(` and `)`; inside a link's text they are harmless, and `[`, `]`,
    # `\`, `<` never occur in a citation (see cite.DOI).
    return label


def _text(text: str, keys: Mapping[str, str]) -> str:
    """Plain model text: citations of the papers sent become links, the rest is escaped."""
    out: list[str] = []
    last = 0
    for cite in find_citations(text):
        if cite.cid not in keys:
            continue  # grounding has removed these; never a link
        out.append(_escape(text[last : cite.start]))
        out.append(_citation_link(cite, keys))
        last = cite.end
    out.append(_escape(text[last:]))
    return "".join(out)


def _only_citation(dest: str, keys: Mapping[str, str]) -> Citation | None:
    """The citation a model link's destination is, when it is exactly one of a paper sent."""
    cites = list(find_citations(dest))
    if len(cites) == 1 and cites[0].start == 0 and cites[0].end == len(dest):
        return cites[0] if cites[0].cid in keys else None
    return None


def _inline(text: str, keys: Mapping[str, str]) -> str:
    """A line's content. A model link keeps its text (destination dropped), or becomes
    radar's own link when its destination is a citation of a paper sent and its text
    cites nothing itself; an image keeps only its alt text."""
    out: list[str] = []
    last = 0
    for match in _MODEL_LINK.finditer(text):
        out.append(_text(text[last : match.start()], keys))
        last = match.end()
        inner = match.group("text")
        cite = _only_citation(match.group("dest") or "", keys)
        if cite and not match.group("bang") and not any(find_citations(inner)):
            out.append(f"[{_escape(inner)}]({citation_url(cite, keys)})")
        else:
            out.append(_text(inner, keys))
    out.append(_text(text[last:], keys))
    return "".join(out)


def _line(line: str, keys: Mapping[str, str], shift: int) -> str:
    heading = _HEADING.match(line)
    if heading:
        level = min(6, len(heading.group("marks")) + shift)
        return "#" * level + " " + _inline(heading.group("text") or "", keys)
    for pattern in (_BULLET, _NUMBERED):
        item = pattern.match(line)
        if item:
            indent = "  " * min(2, len(item.group("indent").expandtabs(4)) // 2)
            marker = f"{item.group('n')}{item.group('d')}" if pattern is _NUMBERED else "-"
            return f"{indent}{marker} {_guard(_inline(item.group('text'), keys))}"
    return _guard(_inline(line.strip(), keys))


def _guard(out: str) -> str:
    """`out` kept inline: an escape before what would open a block of its own."""
    start = _BLOCK_START.match(out)
    if not start:
        return out
    at = start.end() if out[0].isdigit() else 0  # "1." is escaped at its dot
    return out[:at] + "\\" + out[at:]


def safe_markdown(text: str, keys: Mapping[str, str], shift: int = 1) -> str:
    """Grounded, cleaned briefing text as inert Markdown, headings `shift` levels deeper.

    `keys` maps each canonical id a citation may carry to the paper's key (see
    cite.grounding_keys); a citation of any other id is never a link.
    """
    return "\n".join(_line(line, keys, shift) for line in text.split("\n"))
