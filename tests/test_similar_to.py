"""`similar_to` through the CLI: the seed is fetched by id from the export API, and a paper
of the day that reads like it gains the similarity reason and its weight."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Run
from faults_support import api_page, rewrite_item
from loopback import Answer, Loopback

SEED_ID = "2405.13786"  # an entry of the recorded export-API page
TWIN_ID = "2411.17705"  # the recorded day's item given the seed's abstract

_ENTRY = re.compile(rb"[ \t]*<entry>.*?</entry>\n?", re.S)

BASE = """\
name: Similar
categories: [eess.SP, cs.LG, quant-ph]
network: {spacing: 0, max_wait: 2}
"""


def seed_page() -> bytes:
    """The recorded page with only the seed's entry: what an id_list look-up answers."""
    page = api_page()
    entries = _ENTRY.findall(page)
    seed = next(e for e in entries if f"/abs/{SEED_ID}v".encode() in e)
    first = page.index(entries[0])
    last = page.rindex(entries[-1]) + len(entries[-1])
    page = page[:first] + seed + page[last:]
    page = re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>1<", page)
    return re.sub(rb"<opensearch:itemsPerPage>\d+<", b"<opensearch:itemsPerPage>1<", page)


def seed_summary() -> bytes:
    found = re.search(rb"<summary>(.*?)</summary>", seed_page(), re.S)
    assert found
    return found.group(1)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Loopback:
    loop = Loopback().start()
    loop.route("/rss/", Answer(body=rewrite_item(TWIN_ID, abstract=seed_summary())))
    loop.route("/api/query", Answer(body=seed_page(), content_type="application/atom+xml"))
    monkeypatch.setenv("RADAR_ARXIV_RSS_URL", loop.url + "/rss/")
    monkeypatch.setenv("RADAR_ARXIV_API_URL", loop.url + "/api/query")
    yield loop
    loop.stop()


def papers_of(run: Run, config: Path, cache: Path) -> dict[str, dict]:
    outcome = run("today", "-c", str(config), "--cache-dir", str(cache), "--format", "json")
    assert outcome.code == 0, outcome.err
    return {p["id"]: p for p in json.loads(outcome.out)["papers"]}


def test_similar_to_scores_a_paper_that_reads_like_the_seed(
    run: Run, server: Loopback, isolated_user: Path
) -> None:
    plain = isolated_user / "plain.yaml"
    plain.write_text(BASE, encoding="utf-8")
    seeded = isolated_user / "seeded.yaml"
    seeded.write_text(BASE + f"similar_to: ['{SEED_ID}']\n", encoding="utf-8")

    before = papers_of(run, plain, isolated_user / "cache-plain")
    assert server.count("/api/query") == 0
    after = papers_of(run, seeded, isolated_user / "cache-seeded")
    assert server.count("/api/query") == 1
    assert server.requests[-1].query["id_list"] == [SEED_ID]

    twin = after[TWIN_ID]
    similar = [r for r in twin["reasons"] if r["kind"] == "similar"]
    assert len(similar) == 1, twin["reasons"]
    label = re.fullmatch(rf"similar to {SEED_ID} \((\d\.\d\d)\)", similar[0]["label"])
    assert label, similar[0]["label"]
    cosine = float(label.group(1))
    # Same abstract, other title: clearly similar, if not identical.
    assert 0.5 <= cosine <= 1.0
    # README: similarity adds 6 x cosine (the label rounds the cosine to two places: 6 x 0.005).
    assert similar[0]["weight"] == pytest.approx(6 * cosine, abs=0.0301)
    assert twin["score"] == pytest.approx(before[TWIN_ID]["score"] + similar[0]["weight"])
    # The seed's words are its own: papers that do not read like it gain nothing.
    assert after[TWIN_ID]["rank"] <= before[TWIN_ID]["rank"]
    others = {k: v["score"] for k, v in after.items() if k != TWIN_ID}
    assert others == {k: v["score"] for k, v in before.items() if k != TWIN_ID}
