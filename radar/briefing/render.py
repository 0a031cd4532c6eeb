"""A briefing for people: rich Text for the terminal and safe Markdown. LLM text is untrusted."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from radar.briefing.cite import find_citations, grounding_keys
from radar.briefing.offline import OFFLINE_HINT, OFFLINE_LABEL
from radar.briefing.parse import clean, ground
from radar.briefing.safemd import citation_url, safe_markdown
from radar.briefing.values import Briefing

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_HEADING = re.compile(r"^(\s{0,3})(#{1,6})(?=\s)", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*+]\s+")
_MODEL_CHARS = re.compile(r"[^A-Za-z0-9._:/@-]")


def _model(briefing: Briefing) -> str:
    return _MODEL_CHARS.sub("", briefing.model)


def usage_summary(briefing: Briefing) -> str | None:
    """One line for stderr, e.g. "claude-sonnet-5-5: 4,210 in + 812 out tokens, $0.0165"."""
    usage = briefing.usage
    if usage is None:
        return None
    sent = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
    line = f"{_model(briefing)}: {sent:,} in + {usage.output_tokens:,} out tokens"
    if usage.cache_read_input_tokens:
        line += f" ({usage.cache_read_input_tokens:,} from the prompt cache)"
    return line + (f", ${usage.cost_usd:.4f}" if usage.cost_usd is not None else ", price unknown")


def _checked(briefing: Briefing) -> tuple[str, dict[str, str], int]:
    """(the text grounded again against the briefing's own papers, their keys, how many
    ids were removed in all): a stored or hand-made briefing is checked like a new one."""
    keys = grounding_keys(briefing.paper_ids)
    removed = list(briefing.removed_citations)
    text = ground(clean(briefing.text), frozenset(keys), removed)
    return text, keys, len(removed)


def _notes(briefing: Briefing, removed: int) -> list[str]:
    notes = []
    if removed:
        plural = "citation" if removed == 1 else "citations"
        notes.append(f"{removed} {plural} removed: not among today's papers.")
    if briefing.truncated:
        notes.append("The briefing stops early: it reached briefing.max_output_tokens.")
    return notes


def briefing_text(briefing: Briefing) -> Text:
    """The briefing as rich Text: built from plain strings with styles, never parsed markup."""
    from rich.style import Style
    from rich.text import Text

    out = Text()
    out.append("Briefing", style="bold")
    if briefing.day:
        out.append(f" for {briefing.day.isoformat()}", style="bold")
    if briefing.made_with_llm:
        out.append(f"  written by {_model(briefing)}", style="dim")
    else:
        out.append(f"  ({OFFLINE_LABEL}; {OFFLINE_HINT})", style="yellow")
    out.append("\n\n")
    text, keys, removed = _checked(briefing)
    for line in text.replace("**", "").strip().split("\n"):
        heading = _HEADING.match(line)
        if heading:  # the Markdown marks go; the level shows as style
            major = len(heading.group(2)) <= 2
            out.append(
                line[heading.end() :].strip() + "\n", style="bold magenta" if major else "bold"
            )
            continue
        bullet = _BULLET.match(line)
        body = Text(f"• {line[bullet.end() :]}" if bullet else line)
        for cite in find_citations(body.plain):
            if cite.cid in keys:
                url = citation_url(cite, keys)
                body.stylize(Style(color="cyan", link=url), cite.start, cite.end)
        out.append_text(body)
        out.append("\n")
    for i, note in enumerate(_notes(briefing, removed)):
        out.append(("\n" if i == 0 else "") + note + "\n", style="yellow")
    out.rstrip()
    return out


def render_briefing_terminal(briefing: Briefing, console: Console) -> None:
    console.print(briefing_text(briefing))


def briefing_markdown(briefing: Briefing, level: int = 2) -> str:
    """A Markdown section: heading at `level`, the briefing's own headings nested below it."""
    title = "Briefing" + (f" for {briefing.day.isoformat()}" if briefing.day else "")
    if briefing.made_with_llm:
        byline = f"_Written by Claude ({_model(briefing)}) from {len(briefing.paper_ids)} papers._"
    else:
        byline = f"_This briefing was {OFFLINE_LABEL}: {OFFLINE_HINT}._"
    text, keys, removed = _checked(briefing)
    parts = [f"{'#' * level} {title}", byline, safe_markdown(text, keys, level - 1)]
    parts += [f"> {note}" for note in _notes(briefing, removed)]
    return "\n\n".join(p.strip() for p in parts) + "\n"
