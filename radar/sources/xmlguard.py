"""Screening a body before any XML parser sees it: arXiv sends UTF-8 without a DTD, so nothing else.

A DTD is what entity-expansion bombs ("billion laughs") and external-entity reads
(XXE) need. Searching the bytes for `<!DOCTYPE` is not enough on its own: a UTF-16
body hides it from a byte search while parsers still decode and honour it. So the
body must be strict UTF-8 and declare no other encoding; only then does a search
of its text find every DTD.
"""

from __future__ import annotations

import re

# The encoding a `<?xml ...?>` declaration names, if it names one.
_DECLARED = re.compile(r"""<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


class RefusedXmlError(ValueError):
    """The body is not XML that arXiv would send; the message says why, in the user's words."""


def screen(body: bytes) -> str:
    """The body as text when it is UTF-8 XML without a DTD; RefusedXmlError otherwise."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefusedXmlError(
            f"the answer is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    head = text[:4096].lstrip()
    if head[:14].lower() == "<!doctype html" or head[:5].lower() == "<html":
        raise RefusedXmlError("the answer is an HTML page, not an XML feed")
    declared = _DECLARED.match(head)
    if declared and declared.group(1).lower() not in _UTF8:
        raise RefusedXmlError(f"the answer declares the encoding {declared.group(1)!r}, not UTF-8")
    # XML keywords are case-sensitive, so these searches are exact.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise RefusedXmlError("the answer declares a DTD or entities, which arXiv never sends")
    return text
