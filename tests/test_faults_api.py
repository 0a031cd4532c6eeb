"""arXiv's export API misbehaving while radar searches for watched authors: the same
catalogue of faults as the feed's (tests/test_faults_feed.py), the same promises.

The watchlist watches authors only, so the author search is the whole run: cold, a
fault is exit 3 with one `error:` line; warm, the last search is kept and one line says
that watched authors' papers may be missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run
from faults_support import (
    AUTHORS_WATCHLIST,
    OLD_DIGEST,
    RAMIREZ_ID,
    RUN_BOUND,
    SECRET,
    Fault,
    api_page,
    api_page_without_entries,
    catalogue,
    lines_matching,
    only_files,
    timed,
    write_watchlist,
)
from loopback import Answer, Loopback

pytestmark = pytest.mark.timeout(30)

FAULTS = catalogue(api_page(), root=b"feed")
ATOM = "application/atom+xml"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_with_nothing_cached(
    fault: Fault,
    run: Run,
    arxiv: Loopback,
    isolated_user: Path,
    secret: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_watchlist(isolated_user, AUTHORS_WATCHLIST)
    digest = isolated_user / "digest.md"
    digest.write_text(OLD_DIGEST, encoding="utf-8")
    fault.arm(arxiv, "/api/query", "RADAR_ARXIV_API_URL", secret, monkeypatch)

    result, seconds = timed(run, "today", "--output", str(digest))

    assert result.code == 3, result.err
    assert seconds < RUN_BOUND
    assert result.out == ""
    errors = lines_matching(result.err, "^error:")
    assert len(errors) == 1, result.err
    assert errors[0].startswith("error: searching arXiv's export API failed: ")
    assert lines_matching(errors[0], fault.says), errors[0]
    assert "Traceback" not in result.err
    assert SECRET not in result.err
    assert arxiv.count("/api/query") == fault.tries
    assert digest.read_text(encoding="utf-8") == OLD_DIGEST
    only_files(isolated_user, "digest.md", "radar.yaml")


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_keeps_the_last_author_search(
    fault: Fault,
    run: Run,
    arxiv: Loopback,
    isolated_user: Path,
    secret: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_watchlist(isolated_user, AUTHORS_WATCHLIST)
    first = run("today", "--format", "json")
    assert first.code == 0, first.err
    assert [p["id"] for p in json.loads(first.out)["papers"]] == [RAMIREZ_ID]
    fault.arm(arxiv, "/api/query", "RADAR_ARXIV_API_URL", secret, monkeypatch)

    result, seconds = timed(run, "today", "--refresh", "--format", "json")

    assert result.code == 0, result.err
    assert seconds < RUN_BOUND
    said = lines_matching(result.err, "failed")
    assert len(said) == 1, result.err
    assert lines_matching(said[0], fault.says), said[0]
    assert said[0].endswith("; watched authors' papers outside your categories may be missing")
    assert [p["id"] for p in json.loads(result.out)["papers"]] == [RAMIREZ_ID]
    assert SECRET not in result.out + result.err
    offline = run("today", "--offline", "--format", "json")
    assert [p["id"] for p in json.loads(offline.out)["papers"]] == [RAMIREZ_ID]


def test_an_empty_first_page_is_retried(run: Run, arxiv: Loopback, isolated_user: Path) -> None:
    # The arxiv package alone would take the empty page for "no papers" and say nothing.
    write_watchlist(isolated_user, AUTHORS_WATCHLIST.replace("max_wait: 2", "max_wait: 3"))
    arxiv.route(
        "/api/query",
        Answer(body=api_page_without_entries(), content_type=ATOM),
        Answer(body=api_page(), content_type=ATOM),
    )
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    assert [p["id"] for p in json.loads(result.out)["papers"]] == [RAMIREZ_ID]
    assert arxiv.count("/api/query") == 2


def test_an_xxe_reference_is_not_expanded_by_the_atom_parser_either(secret: Path) -> None:
    # radar refuses any DTD before the page is parsed (above); this checks the parser's
    # own defence, lxml with resolve_entities=False, in case a DTD ever got through.
    from faults_support import with_dtd, xxe
    from radar.sources.arxiv_atom import parse_page

    body = with_dtd(api_page(), xxe(secret, b"feed"), b"")
    body = body.replace(b"<title>", b"<title>&xxe;", 2)
    parsed = parse_page(body)
    assert parsed.papers, "the page should still parse"
    seen = repr([(p.title, p.abstract, p.authors) for p in parsed.papers])
    assert SECRET not in seen
