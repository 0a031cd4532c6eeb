"""BibTeX files (Zotero, JabRef, Mendeley exports) read into LibraryEntry values.

A library file is the user's own data and often imperfect: a broken entry, an export in
Latin-1, a whole library of 50 MB. Each problem is one warning line; the entries that can
be read are kept, and nothing here raises for a bad file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path

from radar.ids import parse_arxiv_id
from radar.library.entries import LibraryEntry
from radar.names import decode_tex

# A Zotero export of a few thousand papers with abstracts is a few MB; far more is a
# whole-group export radar would spend seconds parsing for little gain.
MAX_BYTES = 25_000_000
_MAX_WARNINGS = 5  # per file: a hundred broken entries are one problem, not a hundred lines

# Zotero's escapes for characters BibTeX would read as syntax (longest first).
_ESCAPES = (
    ("\\{\\vphantom{\\}}", "{"),
    ("\\vphantom{\\{}\\}", "}"),
    ("{\\textbar}", "|"),
    ("{\\textless}", "<"),
    ("{\\textgreater}", ">"),
    ("{\\textasciitilde}", "~"),
    ("{\\textasciicircum}", "^"),
    ("{\\textbackslash}", "\\"),
    ("\\{", "{"),
    ("\\}", "}"),
    ("\\#", "#"),
    ("\\$", "$"),
    ("\\%", "%"),
    ("\\&", "&"),
    ("\\_", "_"),
)
_ESCAPE = re.compile("|".join(re.escape(a) for a, _ in _ESCAPES) + "|[{}]")
_PLAIN = dict(_ESCAPES)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>[^\s?#]+)", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def read_bibtex(path: Path) -> tuple[tuple[LibraryEntry, ...], tuple[str, ...]]:
    """The entries of the BibTeX file at `path`, and one warning line per problem found."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return (), (
                f"library: {name} is {size / 1e6:.0f} MB, more than radar reads "
                f"({MAX_BYTES / 1e6:.0f} MB); skipped (export one collection instead)",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return (), (f"library: {path} does not exist; skipped",)
    except OSError as exc:
        return (), (f"library: {path} cannot be read ({exc.strerror or exc}); skipped",)
    text, warnings = _decode(data, name)
    entries, problems = parse_bibtex(text, name)
    return entries, (*warnings, *problems)


def _decode(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        # Older JabRef and Mendeley exports are often Windows-1252 or Latin-1; every byte
        # decodes as Latin-1, so the entries are kept and only some letters may be wrong.
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        return text, (f"library: {name}:{line}: not UTF-8; read as Latin-1/Windows-1252",)


def parse_bibtex(text: str, name: str) -> tuple[tuple[LibraryEntry, ...], tuple[str, ...]]:
    """The entries of BibTeX `text` (from the file called `name`) and one warning per problem."""
    import bibtexparser  # here: only a run that reads a library pays for the parser

    # bibtexparser reports each broken block through logging as well; radar says it once.
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False
    try:
        parsed = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    except Exception as exc:  # the parser's own failure: the file is unusable, the day is not
        return (), (f"library: {name} could not be parsed ({type(exc).__name__}); skipped",)
    warnings = [
        f"library: {_at(name, block.start_line)}: an entry could not be read; skipped"
        for block in parsed.failed_blocks
    ]
    entries = []
    for entry in parsed.entries:
        fields = {k.lower(): str(f.value) for k, f in entry.fields_dict.items()}
        made = _entry(fields, _at(name, entry.start_line))
        if made is None:
            warnings.append(f"library: {_at(name, entry.start_line)}: an entry has no title")
        else:
            entries.append(made)
    if len(warnings) > _MAX_WARNINGS:
        more = len(warnings) - _MAX_WARNINGS + 1
        warnings[_MAX_WARNINGS - 1 :] = [f"library: {name}: {more} more problems like these"]
    return tuple(entries), tuple(warnings)


def _at(name: str, start_line: int | None) -> str:
    """`refs.bib:12` (bibtexparser counts lines from 0)."""
    return f"{name}:{start_line + 1}" if start_line is not None else name


def _entry(fields: Mapping[str, str], source: str) -> LibraryEntry | None:
    title = plain_text(fields.get("title", ""))
    if not title:
        return None
    doi = plain_text(fields.get("doi", "")).removeprefix("https://doi.org/") or None
    year = re.match(r"\d{4}", fields.get("year", "").strip())
    return LibraryEntry(
        title=title,
        abstract=plain_text(fields.get("abstract", "")),
        authors=_authors(fields.get("author", "")),
        keywords=tuple(
            k for k in (plain_text(k) for k in re.split(r"[,;]", fields.get("keywords", ""))) if k
        ),
        arxiv_id=_arxiv_id(fields, doi),
        doi=doi,
        year=int(year.group()) if year else None,
        source=source,
    )


def plain_text(value: str) -> str:
    """A BibTeX value as the text it stands for: TeX accents and escapes decoded, the braces
    that only protect case dropped, whitespace collapsed."""
    text = decode_tex(value)
    text = _ESCAPE.sub(lambda m: _PLAIN.get(m.group(), ""), text)
    return " ".join(text.split())


def _authors(value: str) -> tuple[str, ...]:
    names = []
    for piece in _split_outside_braces(value):
        name = plain_text(piece)
        if "," in name:  # "Fink, Olga" (and "King, Jr., Martin"): the given names go first
            last, _, first = name.partition(",")
            name = f"{first.strip().lstrip(',').strip()} {last.strip()}".strip()
        if name and name.lower() != "others":
            names.append(name)
    return tuple(names)


def _split_outside_braces(value: str) -> list[str]:
    """`A and B and {Barnes and Noble}` -> three names: an `and` in braces is a name's."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and char.isspace():
            match = _AND.match(value, i)
            if match and i >= start:
                pieces.append(value[start:i])
                start = match.end()
    pieces.append(value[start:])
    return [p for p in (p.strip() for p in pieces) if p]


def _arxiv_id(fields: Mapping[str, str], doi: str | None) -> str:
    candidates = []
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "")).strip().lower()
    if fields.get("eprint") and prefix in ("arxiv", ""):
        candidates.append(fields["eprint"])
    match = _ARXIV_URL.search(fields.get("url", ""))
    if match:
        candidates.append(match.group("id"))
    match = _ARXIV_DOI.match(doi or "")
    if match:
        candidates.append(match.group("id"))
    for candidate in candidates:
        parsed = parse_arxiv_id(plain_text(candidate))
        if parsed is not None:
            return parsed[0]
    return ""
