"""Helpers for the bioRxiv/OpenAlex/Crossref tests: real captured records served in pages."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx

from loopback import FIXTURES, Answer, Seen
from radar.polite import MemoryPacer, WaitBudget
from radar.sources.channel import Channel

BIORXIV_INTERVAL = (
    "biorxiv/details-interval-2018-08-21_2018-08-28-cursor45-records-1-20-of-100-"
    "from-paperview-notebook.json"
)
BIORXIV_456574 = "biorxiv/details-doi-10.1101_456574-two-versions-from-paperview-notebook.json"
OPENALEX_WORK = (
    "openalex/work-W1982728624-doi-10.1371-journal.pone.0000030-abstract-inverted-index.body.json"
)
OPENALEX_LIST = "openalex/works-sample1-2025-W2394913703-no-doi-no-abstract.body.json"
OPENALEX_LIST_2026 = (
    "openalex/works-sample1-2026-W7152634373-dataset-org-author-meta-cost_usd.body.json"
)
CROSSREF_LIST = (
    "crossref/works-filter-prefix-10.5555-type-journal-article-rows20-work-list.body.json"
)
CROSSREF_CURSOR = "crossref/works-query-widget-cursor-star-next-cursor-work-list.body.json"

JSON = "application/json; charset=utf-8"


def load(name: str) -> Any:
    return json.loads(FIXTURES.joinpath(name).read_text(encoding="utf-8"))


def json_answer(data: Any, status: int = 200) -> Answer:
    return Answer(status=status, body=json.dumps(data).encode("utf-8"), content_type=JSON)


@contextmanager
def channel(retries: int = 0, max_wait: float = 60.0) -> Iterator[tuple[Channel, list[float]]]:
    """A Channel with no spacing and a sleep that only records: tests never wait on backoff."""
    slept: list[float] = []
    with httpx.Client(headers={"User-Agent": "radar-tests"}) as client:
        yield (
            Channel(
                client,
                MemoryPacer(interval=0),
                WaitBudget(max_wait),
                retries=retries,
                timeout=5.0,
                sleep=slept.append,
            ),
            slept,
        )


def biorxiv_pages(records: Sequence[dict[str, Any]], page_size: int) -> Callable[[Seen], Answer]:
    """/details/{server}/{from}/{to}/{cursor} over real records, as the API pages them.

    The `messages` block keeps the real capture's shape (cursor as a string, count and
    total as numbers); cursor is an offset into the interval, as the help page documents.
    """
    message = load(BIORXIV_INTERVAL)["messages"][0]

    def route(seen: Seen) -> Answer:
        cursor = int(seen.path.rstrip("/").rsplit("/", 1)[1])
        page = list(records[cursor : cursor + page_size])
        messages = [{**message, "cursor": str(cursor), "count": len(page), "total": len(records)}]
        return json_answer({"messages": messages, "collection": page})

    return route


def openalex_pages(works: Sequence[dict[str, Any]], per_page: int) -> Callable[[Seen], Answer]:
    """/works with cursor paging over real work objects.

    No capture holds a cursor-paged answer: each page wraps real `results` in the real
    `meta` shape and adds `next_cursor` as OpenAlex documents it (an opaque string;
    null once the results are used up).
    """
    meta = load(OPENALEX_LIST)["meta"]

    def route(seen: Seen) -> Answer:
        cursor = seen.query.get("cursor", ["*"])[0]
        start = 0 if cursor == "*" else int(cursor.removeprefix("page-"))
        page = list(works[start : start + per_page])
        more = start + per_page < len(works)
        next_cursor = f"page-{start + per_page}" if more else None
        body = {
            "meta": {**meta, "count": len(works), "per_page": per_page, "next_cursor": next_cursor},
            "results": page,
        }
        return json_answer(body)

    return route


def work_variant(work: dict[str, Any], n: int, **changes: Any) -> dict[str, Any]:
    """The real work object as the n-th distinct work (its own id and DOI), for paging tests."""
    return {
        **work,
        "id": f"{work['id']}{n}",
        "doi": f"{work['doi']}.{n}",
        **changes,
    }
