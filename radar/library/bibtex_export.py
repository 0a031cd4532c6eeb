"""Saved papers as BibTeX that Zotero, JabRef and Mendeley import.

An arXiv paper is an @misc with eprint/archivePrefix/primaryClass (the form arXiv's own
"Export BibTeX" gives and biblatex reads); a paper with a journal is an @article. Values are
brace-delimited UTF-8 with TeX's special characters escaped, so that a title or abstract with
`{`, `%` or `&` in it can neither unbalance an entry nor turn into markup; citation keys are
ASCII (author + year + first title word) and unique within the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from radar.library.records import PaperRecord
from radar.render.safe import single_line

# One pass (str.translate), so an escape is never escaped again. Braces become commands:
# BibTeX counts every brace, even a backslashed one, so only a command keeps an unbalanced
# brace in a title from ending the value early.
_ESCAPES = str.maketrans(
    {
        "\\": "\\textbackslash{}",
        "{": "\\textbraceleft{}",
        "}": "\\textbraceright{}",
        "%": "\\%",
        "&": "\\&",
        "#": "\\#",
        "$": "\\$",
        "_": "\\_",
        "~": "\\textasciitilde{}",
        "^": "\\textasciicircum{}",
    }
)
_STOP_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from"})
_WORD = re.compile(r"[a-z0-9]+")
_AND = re.compile(r"\band\b", re.IGNORECASE)


def escape(text: str) -> str:
    """`text` as one line of literal BibTeX value text (inside braces)."""
    return single_line(text).translate(_ESCAPES)


def to_bibtex(records: Sequence[PaperRecord]) -> str:
    """One entry per record, in order, separated by blank lines."""
    taken: set[str] = set()
    return "\n".join(_entry(record, _unique(_key(record), taken)) for record in records)


def _entry(record: PaperRecord, key: str) -> str:
    article = bool(record.venue and record.doi)
    fields: list[tuple[str, str]] = [("title", escape(record.title) or "Untitled")]
    if record.authors:
        fields.append(("author", " and ".join(_name(a) for a in record.authors)))
    if record.year is not None:
        fields.append(("year", str(record.year)))
    if article:
        fields.append(("journal", escape(record.venue)))
    if record.arxiv_id:
        fields += [("eprint", escape(record.arxiv_id)), ("archivePrefix", "arXiv")]
        if record.categories:
            fields.append(("primaryClass", escape(record.categories[0])))
    if record.doi:
        fields.append(("doi", escape(record.doi)))
    if record.url:
        fields.append(("url", escape(record.url)))
    if record.abstract:
        fields.append(("abstract", escape(record.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{'article' if article else 'misc'}{{{key},\n{body}\n}}\n"


def _name(author: str) -> str:
    """"Olga Fink" as "Fink, Olga"; a name with "and" or a comma in it stays whole, braced,
    so it is neither split into two people nor read as "Last, First" wrongly."""
    name = escape(author)
    parts = name.split(" ")
    if _AND.search(name) or "," in name or len(parts) == 1:
        return "{" + name + "}"
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def _key(record: PaperRecord) -> str:
    surname = "".join(_words(record.authors[0].split()[-1])) if record.authors else ""
    words = [w for w in _words(record.title) if w not in _STOP_WORDS]
    year = str(record.year) if record.year is not None else ""
    key = f"{surname}{year}{words[0] if words else ''}"
    if not surname and record.arxiv_id:
        key = "arxiv" + "".join(_words(record.arxiv_id))
    return key or "paper"


def _words(text: str) -> list[str]:
    """The ASCII words of `text`, lower-cased, accents dropped ("Ramírez" -> "ramirez")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded.lower())


def _unique(key: str, taken: set[str]) -> str:
    """`key`, else key + a, b, ... z, aa, ab ...: the first one not yet taken."""
    candidate, n = key, 0
    while candidate in taken:
        n += 1
        candidate = key + _letters(n)
    taken.add(candidate)
    return candidate


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
