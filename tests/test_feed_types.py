"""Announce types as the feed writes them: `replace-cross` is not `cross`, and a type arXiv
might add one day is never read as one radar knows.

The feeds are the recorded day (2024-11-28) with one item's type rewritten; arXiv writes the
type twice, in the description's first line and in `<arxiv:announce_type>`.
"""

from __future__ import annotations

import re

import pytest

from faults_support import feed_items
from radar.sources.arxiv_feed import parse_feed

CROSS_ID = "2202.06515"  # a cross-list in the recorded day
NEW_ID = "2411.17705"  # a new submission in the recorded day


def retyped(arxiv_id: str, kind: str, *, element: bool = True, prefix: bool = True) -> bytes:
    """The recorded feed with one item's announce type written as `kind` (where asked)."""
    head, items, tail = feed_items()
    out = []
    for item in items:
        if f"<link>https://arxiv.org/abs/{arxiv_id}</link>".encode() in item:
            if prefix:
                item = re.sub(rb"(Announce Type: )\S+", lambda m: m[1] + kind.encode(), item)
            element_text = f"<arxiv:announce_type>{kind}</arxiv:announce_type>".encode()
            item = re.sub(
                rb"<arxiv:announce_type>[^<]*</arxiv:announce_type>",
                (element_text if element else b"").replace(b"\\", b"\\\\"),
                item,
            )
        out.append(item)
    return head + b"".join(out) + tail


def types_of(body: bytes) -> dict[str, str]:
    return {p.arxiv_id: p.announce_type for p in parse_feed(body).papers}


def test_the_recorded_types_are_read_as_written() -> None:
    found = types_of(retyped(NEW_ID, "new"))
    assert found[NEW_ID] == "new"
    assert found[CROSS_ID] == "cross"
    assert sorted(set(found.values())) == ["cross", "new", "replace"]


@pytest.mark.parametrize(
    ("element", "prefix"),
    [(True, True), (True, False), (False, True)],
    ids=["both", "element", "description"],
)
@pytest.mark.parametrize("kind", ["new", "cross", "replace", "replace-cross"])
def test_each_announce_type_is_read_exactly(kind: str, element: bool, prefix: bool) -> None:
    assert types_of(retyped(CROSS_ID, kind, element=element, prefix=prefix))[CROSS_ID] == kind


def test_replace_cross_is_not_cross() -> None:
    found = types_of(retyped(CROSS_ID, "replace-cross"))
    assert found[CROSS_ID] == "replace-cross"


@pytest.mark.parametrize("kind", ["withdrawn", "replace-new", "Replace", "crosslist"])
def test_an_unknown_announce_type_is_skipped_never_guessed(kind: str) -> None:
    # radar could only guess what a new type means (and a guess of `new` or `replace` puts
    # a wrong label and weight on the card): the item is left out, the rest of the day kept.
    recorded = types_of(retyped(NEW_ID, "new"))
    found = types_of(retyped(NEW_ID, kind))
    assert NEW_ID not in found
    assert found == {k: v for k, v in recorded.items() if k != NEW_ID}
    # ... and said, naming the item.
    notices = parse_feed(retyped(NEW_ID, kind)).notices
    assert len(notices) == 1
    assert NEW_ID in notices[0] and f"announce type {kind!r} is unknown" in notices[0]
