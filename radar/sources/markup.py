"""Plain text from the little markup scholarly APIs put in titles and abstracts (HTML, JATS)."""

from __future__ import annotations

import html
import re

# Only tags these APIs are known to send are taken out: a bare pattern for "anything in
# angle brackets" would also eat "p<0.05 and n>3" from an abstract.
_TAG = re.compile(
    r"</?(?:(?:jats|mml):[\w.-]+|p|i|b|em|strong|sub|sup|sc|scp|u|br|span|div|italic|bold)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# Tags that end a block of text: they become line breaks, not nothing.
_BLOCK_END = re.compile(r"</(?:jats:)?(?:p|title|sec|list-item)>|<br\s*/?>", re.IGNORECASE)
_LITERAL_BREAKS = re.compile(r"(?:\\n){2,}")


def plain(text: str, *, literal_breaks: bool = False) -> str:
    """Tags out, entities decoded, spaces tidied; paragraphs kept as single newlines.

    `literal_breaks`: bioRxiv's abstracts separate sections with the two characters
    backslash-n, doubled. A single one is left alone: it may be TeX (`$\\nu$`).
    """
    if literal_breaks:
        text = _LITERAL_BREAKS.sub("\n", text)
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", text)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    kept = [line for line in lines if line]
    if kept and kept[0].casefold() == "abstract":  # JATS abstracts open with this heading
        kept = kept[1:]
    return "\n".join(kept)


def one_line(text: str) -> str:
    """A title: markup out and all whitespace, newlines included, as single spaces."""
    return " ".join(plain(text).split())
