"""A Report as JSON (one document) or JSON Lines (one paper per line); see docs/json-schema.md.

Text fields carry the papers' text as radar read it (TeX decoded, titles on one line:
docs/json-schema.md says exactly what changes); JSON's own escaping keeps them safe to
parse, and consumers sanitise before display.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring  # the C encoder's, as json.dumps uses it
from typing import Any

import radar
from radar.models import RankedPaper, Reason, Report
from radar.nogc import paused_gc

SCHEMA_VERSION = 1
PAPER_SCHEMA = "radar.paper/1"

# Valid raw inside JSON strings, but U+2028/2029 and NEL are line breaks to
# str.splitlines() and older JavaScript (escaping them keeps every JSON Lines line whole),
# C1 controls are terminal commands (U+009B is CSI), and bidi controls reorder what a
# terminal shows. Written as \u escapes they parse to the same text and stay inert when
# `--format json` lands on a terminal. (json.dumps already escapes C0 controls and ESC.)
_INERT = re.compile("[\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def report_to_dict(
    report: Report, *, extra: Mapping[str, object] | None = None
) -> dict[str, object]:
    """The JSON document as plain values; `extra` adds top-level keys (e.g. "briefing").

    A key in `extra` that the schema already defines raises ValueError rather
    than silently replacing report data.
    """
    offset = report.offset
    # Papers share most of their reasons (radar.rank makes each once): so do their dicts,
    # and the writer writes each once.
    reasons: dict[int, dict[str, object]] = {}
    doc: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"radar {radar.__version__}",
        "watchlist": report.watchlist,
        "day": report.day.isoformat() if report.day is not None else None,
        "requested_day": report.requested_day.isoformat(),
        "state": report.state,
        "no_announcement": report.no_announcement,
        "counts": {
            "new": report.counts.new,
            "cross": report.counts.cross,
            "replace": report.counts.replace,
            "replace_cross": report.counts.replace_cross,
        },
        "total": report.total,
        "page": report.page,
        "limit": report.limit,
        "excluded": report.excluded,
        "hidden_seen": report.hidden_seen,
        "notices": list(report.notices),
        "papers": [paper_to_dict(p, offset + i + 1, reasons) for i, p in enumerate(report.papers)],
    }
    if report.since is not None:  # a report over several days (--since, catch_up)
        doc.update(
            since=report.since.isoformat(),
            days=[day.isoformat() for day in report.days],
            incomplete_days=[day.isoformat() for day in report.incomplete_days],
        )
    if extra:
        clash = sorted(set(extra) & set(doc))
        if clash:
            raise ValueError(f"extra keys would replace report fields: {', '.join(clash)}")
        doc.update(extra)
    return doc


def paper_to_dict(
    ranked: RankedPaper, rank: int, reasons: dict[int, dict[str, object]] | None = None
) -> dict[str, object]:
    """One paper object; `rank` is its 1-based place in the whole ranking. `reasons`, if
    given, keeps one dict per Reason object (alive for as long as it is used)."""
    paper = ranked.paper
    return {
        "id": paper.arxiv_id or paper.key,
        "version": paper.version,
        "url": paper.url,
        "pdf_url": paper.pdf_url,
        "title": paper.title,
        "authors": list(paper.authors),
        "watched_authors": list(ranked.watched_authors),
        "categories": list(paper.categories),
        "primary_category": paper.primary_category,
        "announce_type": paper.announce_type,
        "announced": paper.announced.isoformat() if paper.announced is not None else None,
        "abstract": paper.abstract,
        "doi": paper.doi,
        "journal_ref": paper.journal_ref,
        "score": round(ranked.score, 3),
        "reasons": [_reason(r, reasons) for r in ranked.reasons],
        "topics": list(ranked.topics),
        "rank": rank,
        "source": paper.source,
        "origin": paper.origin,
        "venue": paper.venue,
        "links": [{"label": link.label, "url": link.url} for link in paper.links],
    }


def paper_document(ranked: RankedPaper, *, found_in: str, lines: bool = False) -> str:
    """`radar show`'s JSON: one paper as itself (no score, rank or reasons: nothing ranked
    it), with `found_in` ("cache" or "arxiv-api") saying where it came from; with `lines`,
    the paper object alone on one line (JSON Lines)."""
    paper = paper_to_dict(ranked, 1)
    for ranking_only in ("score", "reasons", "topics", "rank"):
        del paper[ranking_only]
    if lines:
        return _dumps({**paper, "found_in": found_in}, end="\n")
    doc = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"radar {radar.__version__}",
        "found_in": found_in,
        "papers": [paper],
    }
    return _dumps(doc, indent=2, end="\n")


def _reason(reason: Reason, made: dict[int, dict[str, object]] | None) -> dict[str, object]:
    held = made.get(id(reason)) if made is not None else None
    if held is None:
        held = {"kind": reason.kind, "label": reason.label, "weight": round(reason.weight, 3)}
        if made is not None:
            made[id(reason)] = held
    return held


@paused_gc()
def render_json(report: Report, *, extra: Mapping[str, object] | None = None) -> str:
    """The report as one JSON document, indented, UTF-8 text kept as is, newline-terminated."""
    doc = report_to_dict(report, extra=extra)
    return _dumps(doc, indent=2, end="\n")


def render_jsonl(report: Report) -> str:
    """One JSON object per paper per line, each tagged `"schema": "radar.paper/1"`."""
    offset = report.offset
    return "".join(
        _dumps({"schema": PAPER_SCHEMA, **paper_to_dict(p, offset + i + 1)}) + "\n"
        for i, p in enumerate(report.papers)
    )


def _dumps(value: object, indent: int | None = None, end: str = "") -> str:
    """json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False), with _INERT
    characters written as \\u escapes."""
    # `end` is joined with the rest: at 100k papers, appending it after would copy ~170 MB.
    text = _indented(value, end) if indent == 2 else None
    if text is None:
        # allow_nan=False: a NaN score is a ranking bug, and NaN is not JSON.
        text = _inert(json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)) + end
    return text


def _inert(text: str) -> str:
    # isascii() is a flag test, not a scan: the regex runs only on text that could need it.
    if text.isascii() or not _INERT.search(text):
        return text
    return _INERT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Unusual(Exception):
    """A value _indented leaves to json.dumps (which also raises its usual errors)."""


def _indented(value: object, end: str = "") -> str | None:
    """_dumps(value, indent=2), byte for byte, or None for what only json.dumps handles.

    With `indent`, json.dumps uses its pure-Python encoder: a generator per nesting level
    and a call per value. This writes the same text faster: a scalar is formatted by one
    table look-up, each object is joined at once, a flat object met again (the same
    reason on many papers) is written once, and each string is checked for _INERT
    characters on its own (a flag test when it is ASCII) instead of rescanning the whole
    document.
    """
    out: list[str] = []
    try:
        _write(value, "\n", out, {}, levels=2)
    except (_Unusual, RecursionError):  # RecursionError: a cycle, which json.dumps reports
        return None
    out.append(end)
    return "".join(out)


# Texts of flat dicts already written, by (id, indent): the document holds every object
# alive while it is written, so an id stands for one object throughout.
_Written = dict[tuple[int, int], str]


def _write(value: object, newline: str, out: list[str], written: _Written, levels: int) -> None:
    """_text(value, newline), appended to `out` in pieces for the outer `levels`: the
    document and its list of papers are joined once at the end instead of copied whole
    at each level (at 100k papers, each copy is ~170 MB)."""
    kind = type(value)
    if levels == 0 or not value or (kind is not dict and kind is not list and kind is not tuple):
        out.append(_text(value, newline, written))
        return
    inner = newline + "  "
    opener = "{" if kind is dict else "["
    if kind is dict:
        assert isinstance(value, dict)
        for key, item in value.items():
            out.append(f"{opener}{inner}{_KEY_TEXTS.get(key) or _key(key)}")
            _write(item, inner, out, written, levels - 1)
            opener = ","
    else:
        assert isinstance(value, list | tuple)
        for item in value:
            out.append(opener + inner)
            _write(item, inner, out, written, levels - 1)
            opener = ","
    out.append(newline + ("}" if kind is dict else "]"))


def _text(value: object, newline: str, written: _Written) -> str:
    scalars = _SCALARS
    scalar = scalars.get(type(value))
    if scalar is not None:
        return scalar(value)
    if type(value) is dict:
        if not value:
            return "{}"
        seen = (id(value), len(newline))
        held = written.get(seen)
        if held is not None:
            return held
        inner = newline + "  "
        parts = []
        keys = _KEY_TEXTS
        flat = True
        for key, item in value.items():
            key_text = keys.get(key) or _key(key)
            # Inlined for the commonest value, an ASCII string (~60 per paper).
            if type(item) is str and item.isascii():
                parts.append(key_text + encode_basestring(item))
            elif (scalar := scalars.get(type(item))) is not None:
                parts.append(key_text + scalar(item))
            else:
                parts.append(key_text + _text(item, inner, written))
                flat = False
        text = f"{{{inner}{(',' + inner).join(parts)}{newline}}}"
        if flat:
            written[seen] = text
        return text
    if type(value) is list or type(value) is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        parts = []
        for item in value:
            if type(item) is str and item.isascii():
                parts.append(encode_basestring(item))
            elif (scalar := scalars.get(type(item))) is not None:
                parts.append(scalar(item))
            else:
                parts.append(_text(item, inner, written))
        # One f-string, not a chain of +: each + would copy the text built so far.
        return f"[{inner}{(',' + inner).join(parts)}{newline}]"
    raise _Unusual  # subclasses of dict or list, sets, other types


def _string(text: str) -> str:
    if text.isascii():
        return encode_basestring(text)
    return _inert(encode_basestring(text))


# A document repeats the same few keys thousands of times: each is encoded once.
_KEY_TEXTS: dict[str, str] = {}


def _key(key: object) -> str:
    if type(key) is not str:
        raise _Unusual  # json.dumps converts int/float/bool/None keys; leave that to it
    text = _KEY_TEXTS.get(key)
    if text is None:
        text = _string(key) + ": "
        if len(_KEY_TEXTS) < 512:  # arbitrary keys (extra fields) must not grow it forever
            _KEY_TEXTS[key] = text
    return text


def _float(value: float) -> str:
    if math.isfinite(value):
        return float.__repr__(value)
    raise _Unusual  # NaN and infinities: json.dumps raises its own error


def _constant(value: object) -> str:
    return "null" if value is None else ("true" if value else "false")


# Exact types only: a subclass (a str or int enum, say) is left to json.dumps.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _string,
    int: int.__repr__,
    float: _float,
    bool: _constant,
    type(None): _constant,
}
