"""The watchlist `radar init` writes: the commented example, with a person's own choices put in."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from radar.render.markdown import yaml_string

# Example-specific parts that would surprise someone who chose their own categories (a
# quant-ph topic, a seed paper, exclusions about lane rendering): kept, but commented out.
_COMMENT_OUT = ("exclude", "similar_to", "topics")
_KEY_LINE = re.compile(r"(?P<key>[A-Za-z_]+):")
# Text that YAML reads back as the same string without quotes, in block and flow context.
_PLAIN = re.compile(r"[^\W\d_][\w .'\-]*")
# The example's own authors show the aliases form; a person's list keeps one line of it.
_ALIAS_EXAMPLE = "  # - {name: Bernhard Schölkopf, aliases: [B. Schoelkopf]}   # other spellings"


@dataclass(frozen=True, slots=True)
class Choices:
    """What someone watches; an empty tuple leaves that key empty."""

    categories: tuple[str, ...]
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class TemplateError(ValueError):
    """The example watchlist lacks a key the template needs (a packaging bug)."""


def starter_text(example: str, choices: Choices | None) -> str:
    """`example` as is when `choices` is None; else with its watch keys replaced by `choices`.

    Works on lines, not on parsed YAML, so that every comment survives.
    """
    if choices is None:
        return example
    blocks = _blocks(example.splitlines())
    missing = [k for k in ("name", "categories", "authors", "keywords") if k not in blocks]
    if missing:
        raise TemplateError(f"the example watchlist has no top-level {', '.join(missing)}")
    replacements = {
        "name": ["name: radar"],
        "categories": _flow("categories", choices.categories, "[cs.LG, math]"),
        "authors": _block_list("authors", choices.authors, "[Olga Fink, F. Forest]")
        + ([_ALIAS_EXAMPLE] if choices.authors else []),
        "keywords": _block_list("keywords", choices.keywords, "[anomaly detection, EEG]"),
    }
    lines = example.splitlines()
    out: list[str] = []
    index = 0
    starts = {start: (key, end) for key, (start, end) in blocks.items()}
    while index < len(lines):
        if index in starts:
            key, end = starts[index]
            if key in replacements:
                out += replacements[key]
            elif key in _COMMENT_OUT:
                out += ["# " + line if line.strip() else line for line in lines[index:end]]
            else:
                out += lines[index:end]
            index = end
            continue
        out.append(lines[index])
        index += 1
    return "\n".join(out) + "\n"


def split_list(answer: str) -> tuple[str, ...]:
    """A comma-separated answer as distinct, tidied items, in the order given."""
    items = (" ".join(part.split()) for part in answer.split(","))
    return tuple(dict.fromkeys(item for item in items if item))


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Each top-level key: the line it starts on and the line after its last indented line."""
    found: dict[str, tuple[int, int]] = {}
    index = 0
    while index < len(lines):
        match = _KEY_LINE.match(lines[index])
        if match is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end][:1] in (" ", "\t") and lines[end].strip():
            end += 1
        found.setdefault(match["key"], (index, end))
        index = end
    return found


def _scalar(text: str) -> str:
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return yaml_string(text)  # double-quoted: valid YAML whatever the text holds


def _flow(key: str, items: tuple[str, ...], example: str) -> list[str]:
    if not items:
        return [f"{key}: []   # e.g. {example}"]
    return [f"{key}: [{', '.join(_scalar(i) for i in items)}]"]


def _block_list(key: str, items: tuple[str, ...], example: str) -> list[str]:
    if not items:
        return [f"{key}: []   # e.g. {example}"]
    return [f"{key}:", *(f"  - {_scalar(i)}" for i in items)]
