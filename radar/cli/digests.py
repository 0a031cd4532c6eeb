"""`radar today --output-dir DIR`: one dated digest per day, and DIR/index.md of them.

Markdown here; HTML pages (index.html) and Atom feeds (feed.xml) in radar.cli.pagedirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.cli.app import Format, say
from radar.errors import OutputError, UsageError

if TYPE_CHECKING:
    from radar.models import Report

INDEX_NAME = "index.md"
_DIGEST_NAME = re.compile(r"(?:(\d{4}-\d{2}-\d{2})--)?(\d{4}-\d{2}-\d{2})\.md")
_COUNT_NOUNS = (("new", "new", "new"), ("cross", "cross-list", "cross-lists"))
# The dated file's suffix and the file kept beside them, by format.
_DIR_FORMATS = {
    Format.markdown: (".md", INDEX_NAME),
    Format.html: (".html", "index.html"),
    Format.atom: (".atom", "feed.xml"),
}


def check_digest_dir(
    output_dir: Path | None, output: Path | None, fmt: Format | None, page: int = 1
) -> Path | None:
    """Refuse bad combinations and make DIR, all before any network use; DIR, expanded."""
    if output_dir is None:
        return None
    if output is not None:
        raise UsageError(
            "--output and --output-dir cannot be used together",
            hint="--output writes one file; --output-dir writes DIR/YYYY-MM-DD.md and an index",
        )
    if fmt is not None and fmt not in _DIR_FORMATS:
        raise UsageError(
            f"--output-dir writes Markdown, HTML or Atom digests, not {fmt.value}",
            hint="use --format markdown, html or atom, or --output FILE for other formats",
        )
    if page != 1:
        # A later page would replace the day's digest under the same name.
        raise UsageError(
            "--page cannot be used with --output-dir",
            hint="--output-dir keeps one digest a day, from the top; --output FILE saves a page",
        )
    folder = output_dir.expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the digest directory {folder}: {exc.strerror or exc}",
            hint="choose another --output-dir",
        ) from None
    from radar.output import check_writable

    check_writable(folder / _DIR_FORMATS[fmt or Format.markdown][1])
    return folder


def digest_path(folder: Path, report: Report, fmt: Format = Format.markdown) -> Path | None:
    """Where this report's digest goes, or None when there is nothing new to write."""
    if report.day is None:
        say(f"no announcement to write a digest of; {folder} is unchanged")
        return None
    # A report over several days is one digest, named by its span: 2024-11-25--2024-11-28.md
    span = f"{report.since.isoformat()}--" if report.since and report.since < report.day else ""
    target = folder / f"{span}{report.day.isoformat()}{_DIR_FORMATS[fmt][0]}"
    if report.no_announcement and target.exists():
        # A weekend run would otherwise rewrite Friday's digest with a "no announcement" note.
        say(
            f"no arXiv announcement on {report.requested_day.isoformat()}; "
            f"{target} already holds the last one"
        )
        return None
    return target


def update_index(folder: Path | None, fmt: Format = Format.markdown, language: str = "en") -> None:
    """Rebuild DIR/index.md (index.html, feed.xml) from the digests in DIR, atomically."""
    if folder is None:
        return
    if fmt is not Format.markdown:
        from radar.cli.pagedirs import update_feed, update_html_index

        if fmt is Format.html:
            update_html_index(folder, language)
        else:
            update_feed(folder)
        return
    from radar.output import write_atomically

    write_atomically(folder / INDEX_NAME, index_text(folder))


@dataclass(frozen=True, slots=True)
class _Entry:
    day: date  # the digest's (last) day
    name: str
    front: dict[str, Any] | None
    first: date | None = None  # a digest over several days: its first day


def index_text(folder: Path) -> str:
    import radar
    from radar.render.markdown import yaml_string

    entries = sorted(_entries(folder), key=lambda e: e.day, reverse=True)
    lines = [
        "---",
        f"digests: {len(entries)}",
        f"generated_by: {yaml_string('radar ' + radar.__version__)}",
        "---",
        "",
        "# radar digests",
        "",
    ]
    lines += [_line(entry) for entry in entries] or ["No digests yet."]
    return "\n".join(lines) + "\n"


def _entries(folder: Path) -> list[_Entry]:
    found = []
    for path in folder.iterdir():
        match = _DIGEST_NAME.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        try:
            day = date.fromisoformat(match[2])
            first = date.fromisoformat(match[1]) if match[1] else None
        except ValueError:  # 2024-13-45.md: not one of ours
            continue
        found.append(_Entry(day, path.name, _front_matter(path), first))
    return found


def _front_matter(path: Path) -> dict[str, Any] | None:
    """The digest's YAML front matter, or None when it has none radar can read."""
    import yaml

    try:
        with path.open(encoding="utf-8") as handle:
            head = handle.read(8192)  # front matter is a few hundred bytes at the top
    except (OSError, UnicodeDecodeError):
        return None
    if not head.startswith("---\n"):
        return None
    end = head.find("\n---\n", 3)
    if end < 0:
        return None
    try:
        data = yaml.safe_load(head[4:end])
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _line(entry: _Entry) -> str:
    from radar.render.safe import RANGE_DASH, day_label, escape_markdown
    from radar.render.words import counted

    days = day_label(entry.day)
    if entry.first is not None:
        days = f"{day_label(entry.first)}{RANGE_DASH}{days}"
    link = f"- [{days}]({entry.name})"
    front = entry.front
    if front is None:
        return f"{link} — no radar front matter"
    total = _int(front.get("total"))
    raw = front.get("counts")
    counts: dict[str, Any] = raw if isinstance(raw, dict) else {}
    parts = [counted(_int(counts.get(key)), one, many) for key, one, many in _COUNT_NOUNS]
    replaced = _int(counts.get("replace")) + _int(counts.get("replace_cross"))
    parts.append(counted(replaced, "replacement"))
    # The same wording as the digest's own count line: the day's announcements, then matches.
    text = f"{link} — {' · '.join(parts)} — **{total}** matched"
    watchlist = front.get("watchlist")
    if isinstance(watchlist, str) and watchlist:
        text += f" — {escape_markdown(watchlist)}"
    return text


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
