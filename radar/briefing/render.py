"""A briefing for people: rich Text for the terminal and safe Markdown. LLM text is untrusted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from radar.briefing.cite import CITATION, cited_id, doi_url, key_map
from radar.briefing.offline import OFFLINE_HINT, OFFLINE_LABEL
from radar.briefing.parse import clean
from radar.briefing.values import Briefing
from radar.models import ARXIV_ABS_URL

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_SAFE_LINK = re.compile(r"^<?\s*(?:https?://|mailto:)", re.IGNORECASE)
_DESTINATION = r"\(((?:[^()]|\([^()]*\))*)\)"  # one level of nested parentheses, as in URLs
_IMAGE = re.compile(r"!\[([^\]]*)\]" + _DESTINATION)
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]" + _DESTINATION)
_REF_DEF = re.compile(r"^(\s{0,3})\[([^\]]+)\]:\s*(\S+).*$", re.MULTILINE)
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


def _notes(briefing: Briefing) -> list[str]:
    notes = []
    removed = len(briefing.removed_citations)
    if removed:
        plural = "citation" if removed == 1 else "citations"
        notes.append(f"{removed} {plural} removed: not among today's papers.")
    if briefing.truncated:
        notes.append("The briefing stops early: it reached briefing.max_output_tokens.")
    return notes


def _target(match: re.Match[str], keys: Mapping[str, str]) -> str:
    """The URL a citation links to: arxiv.org/abs or doi.org for the id as cited, except a
    DOI the prompt had to shorten, which links to the paper's full DOI (its key)."""
    doi = match.group("doi")
    if not doi:
        return ARXIV_ABS_URL + match.group("id")
    key = keys.get(cited_id(match), "")
    return doi_url(key[4:] if key.startswith("doi:") and key[4:] != doi.lower() else doi)


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
    keys = key_map(briefing.paper_ids)
    for line in clean(briefing.text).replace("**", "").strip().split("\n"):
        heading = _HEADING.match(line)
        if heading:  # the Markdown marks go; the level shows as style
            major = len(heading.group(2)) <= 2
            out.append(
                line[heading.end() :].strip() + "\n", style="bold magenta" if major else "bold"
            )
            continue
        bullet = _BULLET.match(line)
        body = Text(f"• {line[bullet.end() :]}" if bullet else line)
        for match in CITATION.finditer(body.plain):
            url = _target(match, keys)
            body.stylize(Style(color="cyan", link=url), match.start(), match.end())
        out.append_text(body)
        out.append("\n")
    for i, note in enumerate(_notes(briefing)):
        out.append(("\n" if i == 0 else "") + note + "\n", style="yellow")
    out.rstrip()
    return out


def render_briefing_terminal(briefing: Briefing, console: Console) -> None:
    console.print(briefing_text(briefing))


def _link_citations(text: str, keys: Mapping[str, str]) -> str:
    def link(match: re.Match[str]) -> str:
        whole = match.group(0)
        if match.group("arxiv_url") or match.group("doi_url"):
            return whole  # already a URL
        if text[match.end() : match.end() + 1] == "(":
            return whole  # the text of a link the model wrote
        if match.group("doi"):
            inner = f"[doi:{match.group('doi')}]({_target(match, keys)})"
        else:
            inner = f"[arXiv:{match.group('id')}]({_target(match, keys)})"
        if match.group("open") and match.group("close"):
            return inner
        return f"{'[' if match.group('open') else ''}{inner}{']' if match.group('close') else ''}"

    return CITATION.sub(link, text)


def safe_markdown(text: str, shift: int = 1, paper_ids: tuple[str, ...] = ()) -> str:
    """LLM Markdown kept, made inert: no raw HTML, images, or links but http(s)/mailto.

    Citations become links (`paper_ids`, the briefing's, give a shortened DOI in full)."""
    text = clean(text).replace("<", "&lt;")
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(0) if _SAFE_LINK.match(m.group(2)) else m.group(1), text)
    text = _REF_DEF.sub(
        lambda m: m.group(0) if _SAFE_LINK.match(m.group(3)) else f"{m.group(1)}\\[{m.group(2)}]",
        text,
    )
    text = _link_citations(text, key_map(paper_ids))
    return _HEADING.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + shift), text)


def briefing_markdown(briefing: Briefing, level: int = 2) -> str:
    """A Markdown section: heading at `level`, the briefing's own headings nested below it."""
    title = "Briefing" + (f" for {briefing.day.isoformat()}" if briefing.day else "")
    if briefing.made_with_llm:
        byline = f"_Written by Claude ({_model(briefing)}) from {len(briefing.paper_ids)} papers._"
    else:
        byline = f"_This briefing was {OFFLINE_LABEL}: {OFFLINE_HINT}._"
    parts = [
        f"{'#' * level} {title}",
        byline,
        safe_markdown(briefing.text, level - 1, briefing.paper_ids),
    ]
    parts += [f"> {note}" for note in _notes(briefing)]
    return "\n\n".join(p.strip() for p in parts) + "\n"
