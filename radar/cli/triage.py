"""`radar save|dismiss|forget|saved`: the user's verdicts on papers, by card number or id."""

# Annotations are evaluated here, not postponed: typer reads each command's signature on
# every run, and real objects spare it compiling and evaluating annotation strings.

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from radar.cli.app import CacheOption, OutputOption, app, say
from radar.errors import UsageError

if TYPE_CHECKING:
    from radar.library.lastpage import ShownPage
    from radar.library.records import PaperRecord
    from radar.library.verdicts import Judged, Verdict, VerdictStore
    from radar.models import Report

_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_FIND_HINT = "give a card number of the last `radar today` page, an arXiv id or a DOI"

RefsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Card numbers of the last page shown (3 5), arXiv ids or DOIs.", show_default=False
    ),
]


@contextmanager
def user_data() -> Iterator["VerdictStore"]:
    """The verdict store in the user data directory ($RADAR_DATA_DIR or the platform's)."""
    from radar.cli.world import utcnow
    from radar.library.verdicts import open_verdicts
    from radar.wiring import default_data_dir

    store = open_verdicts(default_data_dir(os.environ), utcnow)
    try:
        yield store
    finally:
        store.close()


@app.command()
def save(refs: RefsArgument, cache_dir: CacheOption = None) -> None:
    """Save papers: they join your library and teach radar what you read."""
    _judge(refs, "saved", cache_dir)


@app.command()
def dismiss(refs: RefsArgument, cache_dir: CacheOption = None) -> None:
    """Dismiss papers: `radar today` stops showing them, and they count against."""
    _judge(refs, "dismissed", cache_dir)


@app.command()
def forget(refs: RefsArgument) -> None:
    """Take a verdict back (saved or dismissed), by id or card number."""
    with user_data() as store:
        keys = [r.key for r in _resolve(refs, store.last_page(), store, look_in_cache=False)]
        removed = store.forget(keys)
    gone = {j.record.key for j in removed}
    for judged in removed:
        say(f"forgot: {judged.verdict} {_label(judged.record)}")
    for key in keys:
        if key not in gone:
            say(f"no verdict on {key}")
    if not removed:
        raise UsageError(
            "nothing to forget: radar has no verdict on " + ", ".join(keys),
            hint="`radar saved` lists saved papers, `radar saved --dismissed` dismissed ones",
        )


class SavedFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    bibtex = "bibtex"


@app.command()
def saved(
    format_: Annotated[
        SavedFormat,
        typer.Option("--format", "-f", help="terminal, json, or bibtex (Zotero, JabRef, ...)."),
    ] = SavedFormat.terminal,
    output: OutputOption = None,
    dismissed: Annotated[
        bool, typer.Option("--dismissed", help="List the dismissed papers instead.")
    ] = False,
) -> None:
    """List your saved papers (oldest first), or export them as BibTeX."""
    from radar.cli.emit import check_output, write_text

    check_output(output)
    verdict: Verdict = "dismissed" if dismissed else "saved"
    with user_data() as store:
        judged = store.judged(verdict)
    if format_ is SavedFormat.bibtex:
        from radar.library.bibtex_export import to_bibtex

        text = to_bibtex([j.record for j in judged])
    elif format_ is SavedFormat.json:
        text = _json(judged, verdict)
    else:
        if not judged:
            say(f"no {verdict} papers yet; `radar {verdict[:-1]} 3` keeps card 3 of the last page")
            return
        text = "".join(_line(i, j) for i, j in enumerate(judged, 1))
    write_text(text, output, f"{len(judged)} {verdict} papers")


# -- what `radar today` hands over ----------------------------------------------------


def dismissed_papers() -> frozenset[str]:
    """The keys `radar today` leaves out; none (with a warning) if the data can't be read."""
    from radar.errors import RadarError

    try:
        with user_data() as store:
            return store.keys("dismissed")
    except RadarError as exc:
        say(f"warning: dismissed papers are shown: {exc.message}")
        return frozenset()


def remember_shown(report: "Report") -> None:
    """Keep which paper each card number of this page stands for (for `radar save 3`)."""
    from radar.cli.world import utcnow
    from radar.errors import RadarError
    from radar.library.lastpage import page_of

    try:
        with user_data() as store:
            store.remember_page(page_of(report, utcnow()))
    except RadarError as exc:
        say(f"warning: card numbers of this page are not kept for `radar save`: {exc.message}")


# -- resolving what the user typed ------------------------------------------------------


def _judge(refs: Sequence[str], verdict: "Verdict", cache_dir: Path | None) -> None:
    with user_data() as store:
        records = _resolve(refs, store.last_page(), store, cache_dir=cache_dir)
        store.judge(records, verdict)
    for record in records:
        say(f"{verdict}: {_label(record)}")


def _resolve(
    refs: Sequence[str],
    page: "ShownPage | None",
    store: "VerdictStore",
    *,
    cache_dir: Path | None = None,
    look_in_cache: bool = True,
) -> list["PaperRecord"]:
    """Every ref as a record, or a UsageError before anything is written."""
    from radar.library.records import bare_record

    records: dict[str, PaperRecord] = {}
    unknown: list[PaperRecord] = []
    for ref in refs:
        text = ref.strip()
        if text.isdigit():
            record = _card(int(text), page)
        else:
            known = _by_id(text, page, store)
            if known is None:
                known = bare_record(*_parse_id(text))
                unknown.append(known)
            record = known
        records.setdefault(record.key, record)
    if unknown and look_in_cache:
        found = _from_cache([r.key for r in unknown], cache_dir)
        records.update({k: v for k, v in found.items() if k in records})
    return list(records.values())


def _card(number: int, page: "ShownPage | None") -> "PaperRecord":
    if page is None:
        raise UsageError(
            f"no page has been shown yet, so {number} is not a card number",
            hint="run `radar today` first, or give an arXiv id or DOI",
        )
    record = page.at(number)
    if record is None:
        shown = f"cards {page.numbers()}" if len(page.papers) != 1 else f"card {page.first}"
        raise UsageError(
            f"there is no card {number}: the last page shown had {shown}",
            hint="use a number of that page, or an arXiv id or DOI; `radar today` shows a page",
        )
    return record


def _by_id(text: str, page: "ShownPage | None", store: "VerdictStore") -> "PaperRecord | None":
    """What is already known of the paper `text` names: the last page, an earlier verdict."""
    from radar.models import paper_key

    key = paper_key(*_parse_id(text))
    if page is not None and (record := page.find(key)) is not None:
        return record
    held = store.find(key)
    return held.record if held is not None else None


def _parse_id(text: str) -> tuple[str, str | None]:
    """(arXiv id, DOI) of `text`; a UsageError when it is neither."""
    from radar.ids import parse_arxiv_id

    parsed = parse_arxiv_id(text)
    if parsed is not None:
        return parsed[0], None
    match = _DOI.match(text.strip())
    if match is not None:
        doi = match.group(1).lower()
        arxiv = re.fullmatch(r"10\.48550/arxiv\.(.+)", doi)  # arXiv's own DOIs name the paper
        if arxiv is not None and (again := parse_arxiv_id(arxiv.group(1))) is not None:
            return again[0], None
        return "", doi
    raise UsageError(f"{text!r} is not a card number, an arXiv id or a DOI", hint=_FIND_HINT)


def _from_cache(keys: Sequence[str], cache_dir: Path | None) -> dict[str, "PaperRecord"]:
    """Papers radar has fetched before (any day, any search), by key; none if no cache."""
    from radar.cli.world import open_cache
    from radar.library.records import record_of

    found: dict[str, PaperRecord] = {}
    try:
        with open_cache(cache_dir) as cache:
            for key in keys:
                paper = cache.paper(key)
                if paper is not None:
                    found[key] = record_of(paper)
    except UsageError:  # no usable cache: what the user typed is all there is
        return {}
    return found


# -- showing verdicts -------------------------------------------------------------------


def _label(record: "PaperRecord") -> str:
    from radar.render.safe import single_line

    ident = record.arxiv_id or record.doi or record.key
    title = single_line(record.title)
    return f"{title} ({ident})" if title else f"{ident} (only its id is known)"


def _line(number: int, judged: "Judged") -> str:
    from radar.render.safe import single_line

    record = judged.record
    head = f"{number:>3}. {_label(record)}"
    details = [", ".join(single_line(a) for a in record.authors[:3])]
    if len(record.authors) > 3:
        details[0] += " et al."
    details.append(str(record.year) if record.year else "")
    details.append(f"{judged.verdict} {judged.decided_at:%Y-%m-%d}")
    return head + "\n     " + " · ".join(d for d in details if d) + "\n"


def _json(judged: Sequence["Judged"], verdict: "Verdict") -> str:
    import json

    papers = [
        {
            "id": j.record.arxiv_id or None,
            "doi": j.record.doi,
            "key": j.record.key,
            "title": j.record.title,
            "authors": list(j.record.authors),
            "abstract": j.record.abstract,
            "categories": list(j.record.categories),
            "year": j.record.year,
            "url": j.record.url or None,
            "venue": j.record.venue or None,
            "verdict": j.verdict,
            "decided_at": j.decided_at.isoformat(),
        }
        for j in judged
    ]
    doc = {
        "schema": "radar.verdicts/1",
        "verdict": verdict,
        "count": len(papers),
        "papers": papers,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
