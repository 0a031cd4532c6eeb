"""The learned relevance: co-authors and library-like text lift a paper, dismissed-like text
lowers it, each with a reason naming what it rests on; no library changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from radar.config import example_config_text, parse_config
from radar.library.entries import Library, LibraryEntry
from radar.models import Paper, RankedPaper
from radar.rank import rank
from radar.relevance.model import learn
from radar.watchlist import Config, Weights

SAMPLE = Path(__file__).parent / "fixtures" / "library" / "zotero-sample.bib"
ME = "Ada Example"
LIBRARY = (
    LibraryEntry(
        "Calibrated Adaptive Teacher for Domain Adaptive Fault Diagnosis",
        "Unsupervised domain adaptation transfers fault diagnosis models for rotating "
        "machinery bearings from a labelled source domain to an unlabelled target domain.",
        authors=(ME, "Olga Fink"),
    ),
    LibraryEntry(
        "Physics-informed anomaly detection for railway wheels",
        "Anomaly detection with physics-informed neural networks on railway vibration data.",
        authors=(ME, "Olga Fink", "Gaetan Frusque"),
    ),
    LibraryEntry(
        "Remaining useful life prediction of turbofan engines",
        "Prognostics and remaining useful life estimation with recurrent networks.",
        authors=(ME, "Raffael Theiler"),
    ),
)
OTHER_TOPICS = [
    ("Dark matter halos in galaxy clusters", "We simulate halos and lensing of clusters."),
    ("Quantum error correction with surface codes", "Logical qubits and decoders for codes."),
    ("A proof of a conjecture on prime gaps", "We bound gaps between consecutive primes."),
    ("Protein folding with language models", "Sequence models predict protein structure."),
    ("Sparse attention for long documents", "Transformers read long documents with sparse heads."),
    ("Monetary policy and inflation expectations", "A survey of central bank communication."),
]
NO_TOPICS = Config(path=None, name="test", topics=())


def paper(arxiv_id: str, title: str, abstract: str, authors: tuple[str, ...] = ()) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        version=1,
        title=title,
        authors=authors or ("Someone Else",),
        abstract=abstract,
        categories=("cs.LG",),
        announce_type="new",
        announced=date(2025, 1, 6),
    )


def day(*extra: Paper) -> list[Paper]:
    others = [paper(f"2501.0000{i}", t, a) for i, (t, a) in enumerate(OTHER_TOPICS)]
    return [*extra, *others]


def ranked(papers: list[Paper], library: Library) -> list[RankedPaper]:
    learned = learn(library, papers, Weights())
    return list(rank(papers, NO_TOPICS, None, learned, everything=True).ranked)


def by_id(items: list[RankedPaper]) -> dict[str, RankedPaper]:
    return {r.paper.arxiv_id: r for r in items}


def labels(item: RankedPaper) -> list[str]:
    return [r.label for r in item.reasons]


def test_a_shared_co_author_lifts_a_paper_above_its_twin() -> None:
    text = ("Graph networks for power grids", "We model power grids with graph networks.")
    with_her = paper("2501.10001", *text, authors=("Olga Fink", "Jane Roe"))
    without = paper("2501.10002", *text, authors=("Jane Roe", "John Doe"))
    result = ranked(day(with_her, without), Library(positives=LIBRARY))
    order = [r.paper.arxiv_id for r in result]
    assert order.index("2501.10001") < order.index("2501.10002")
    found = by_id(result)
    assert "co-author of yours: Olga Fink (2 papers with you)" in labels(found["2501.10001"])
    assert not any("co-author" in label for label in labels(found["2501.10002"]))
    assert found["2501.10001"].score > found["2501.10002"].score


def test_names_match_across_accents_case_dots_and_hyphens() -> None:
    entry = LibraryEntry("A", "b", authors=("Jun-Yan Zhu", "Ga\u00ebtan Frusque", "O. Fink"))
    spelled = paper("2501.10003", "T", "x", authors=("Junyan ZHU", "Gaetan Frusque", "O Fink"))
    learned = learn(Library(positives=(entry,)), [spelled], Weights(library=0))
    [reason] = learned["2501.10003"]
    assert reason.label == "co-authors of yours: Junyan ZHU, Gaetan Frusque, O Fink"
    assert reason.weight == 18.0  # three co-authors of one paper each: 3 x 6


def test_the_libraries_owner_is_not_their_own_co_author() -> None:
    mine = paper("2501.10004", "Bearings", "Vibration of bearings.", authors=(ME,))
    learned = learn(Library(positives=LIBRARY), day(mine), Weights(library=0))
    assert "2501.10004" not in learned


def test_a_paper_like_a_library_entry_names_that_entry_and_what_they_share() -> None:
    alike = paper(
        "2501.10005",
        "Domain adaptation for bearing fault diagnosis under varying loads",
        "Fault diagnosis of rotating machinery bearings with unsupervised domain adaptation "
        "from a source domain to a target domain.",
    )
    result = ranked(day(alike), Library(positives=LIBRARY))
    assert result[0].paper.arxiv_id == "2501.10005"
    [like] = [r for r in result[0].reasons if r.kind == "library"]
    # A long title is cut at a word, with an ellipsis.
    assert like.label.startswith(
        "like 'Calibrated Adaptive Teacher for Domain Adaptive Fault\u2026' in your library ("
    )
    assert "fault diagnosis" in like.label or "domain adaptation" in like.label
    assert 0 < like.weight <= 5.0


def test_keywords_carry_an_entry_without_an_abstract() -> None:
    entry = LibraryEntry("Notes", keywords=("spiking neural networks", "neuromorphic chips"))
    alike = paper("2501.10006", "Spiking neural networks", "On neuromorphic chips, spiking.")
    result = ranked(day(alike), Library(positives=(entry, *LIBRARY)))
    assert result[0].paper.arxiv_id == "2501.10006"
    assert any(label.startswith("like 'Notes' in your library") for label in labels(result[0]))


def test_a_dismissed_paper_pushes_papers_like_it_down() -> None:
    graph = paper(
        "2501.10007",
        "Graph neural networks for bearing fault diagnosis",
        "Graph neural networks diagnose bearing faults from vibration graphs.",
    )
    other = paper(
        "2501.10008",
        "Transfer learning for bearing fault diagnosis",
        "Domain adaptation transfers bearing fault diagnosis between machines.",
    )
    dismissed = LibraryEntry(
        "Graph neural networks on vibration graphs",
        "Graph neural networks learn from vibration graphs of machines.",
        source="dismissed",
    )
    before = by_id(ranked(day(graph, other), Library(positives=LIBRARY)))
    after_list = ranked(day(graph, other), Library(positives=LIBRARY, negatives=(dismissed,)))
    after = by_id(after_list)
    assert after["2501.10007"].score < before["2501.10007"].score
    [why] = [r for r in after["2501.10007"].reasons if r.kind == "dismissed"]
    assert why.label == "like 'Graph neural networks on vibration graphs' you dismissed"
    assert why.weight < 0
    order = [r.paper.arxiv_id for r in after_list]
    assert order.index("2501.10008") < order.index("2501.10007")


def test_without_a_library_the_ranking_is_exactly_todays() -> None:
    config = parse_config(example_config_text(), None)
    papers = day(paper("2501.10009", "Fault diagnosis", "Anomaly detection in EEG."))
    plain = rank(papers, config)
    assert rank(papers, config, None, learn(Library(), papers, config.weights)) == plain
    assert learn(Library(), papers, config.weights) == {}


def test_a_warm_day_with_a_library_never_imports_the_model(tmp_path: Path) -> None:
    """The first run fits the model (and imports numpy, never scipy or scikit-learn); the
    next finds the ranking in the cache, keyed by the library too, and needs none of them."""
    script = f"""
import json, sys
from pathlib import Path
from radar.config import example_config_text, parse_config
from radar.demo import demo_world
from radar.library.bibtex import read_bibtex
from radar.library.entries import Library
from radar.report import TodayOptions, build_today
from radar.store import open_store
from dataclasses import replace
entries, _ = read_bibtex(Path({str(SAMPLE)!r}))
store = open_store(Path({str(tmp_path / "cache")!r}))
world = replace(demo_world(store), library=Library(positives=entries))
config = parse_config(example_config_text(), None)
report = build_today(config, TodayOptions(mark_seen=False), world)
store.close()
heavy = "scipy" in sys.modules or "sklearn" in sys.modules
print(json.dumps([len(report.ranking), "numpy" in sys.modules, heavy,
                  sorted({{r.kind for p in report.ranking for r in p.reasons}})]))
"""
    outcomes = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        outcomes.append(json.loads(done.stdout))
    (cold_n, cold_numpy, cold_heavy, cold_kinds), (warm_n, warm_numpy, warm_heavy, warm_kinds) = (
        outcomes
    )
    assert cold_numpy is True and "library" in cold_kinds  # the model was fitted
    assert (warm_n, warm_kinds) == (cold_n, cold_kinds)
    assert warm_numpy is False
    assert cold_heavy is False and warm_heavy is False


def test_an_empty_library_leaves_todays_report_as_it_was(tmp_path: Path) -> None:
    from dataclasses import replace

    from radar.demo import demo_world
    from radar.report import TodayOptions, build_today
    from radar.store import open_store

    config = parse_config(example_config_text(), None)
    reports = []
    for name, library in (("none", None), ("empty", Library())):
        store = open_store(tmp_path / name)
        try:
            world = replace(demo_world(store), library=library)
            reports.append(build_today(config, TodayOptions(mark_seen=False), world))
        finally:
            store.close()
    assert reports[0].ranking == reports[1].ranking
    assert reports[0].ranking  # the demo day ranks papers


def test_the_learned_weights_are_set_in_the_watchlist() -> None:
    text = example_config_text() + "\n"
    config = parse_config(
        text.replace("weights:\n", "weights:\n  library: 2.5\n  coauthor: 0\n  dismissed: 1\n", 1)
        .replace("  library: 5 ", "  # library: 5 ")
        .replace("  coauthor: 6 ", "  # coauthor: 6 ")
        .replace("  dismissed: 4 ", "  # dismissed: 4 "),
        None,
    )
    assert (config.weights.library, config.weights.coauthor, config.weights.dismissed) == (
        2.5,
        0.0,
        1.0,
    )


def test_a_co_author_of_a_co_author_lifts_a_paper_with_a_reason_naming_both() -> None:
    together = paper(
        "2501.10001", "Bearing faults under shifting loads", "Vibration.", ("Olga Fink", "Jane Roe")
    )
    hers = paper("2501.10002", "Dark matter halos in dwarf galaxies", "Halos.", ("Jane Roe",))
    twin = paper("2501.10003", "Dark matter halos in dwarf galaxies", "Halos.", ("Max Other",))
    result = by_id(ranked(day(together, hers, twin), Library(positives=LIBRARY)))
    assert "co-author of a co-author: Jane Roe (with Olga Fink on 'Bearing faults under " \
        "shifting loads')" in labels(result["2501.10002"])
    weights = {r.label: r.weight for r in result["2501.10002"].reasons}
    assert weights["co-author of a co-author: Jane Roe (with Olga Fink on 'Bearing faults " \
        "under shifting loads')"] == 4.0
    assert result["2501.10002"].score == result["2501.10003"].score + 4.0
    # The paper written with the co-author is theirs: a co-author reason, not this one.
    assert not [x for x in labels(result["2501.10001"]) if "co-author of a co-author" in x]
    assert not [x for x in labels(result["2501.10003"]) if "co-author" in x]


def test_a_co_author_of_a_co_author_needs_another_paper_and_a_weight() -> None:
    # Jane Roe wrote with Olga Fink only on this very paper, which has its co-author reason.
    alone = paper("2501.10004", "Halos", "Dark matter.", ("Olga Fink", "Jane Roe"))
    learned = learn(Library(positives=LIBRARY), day(alone), Weights(library=0))
    assert [r.label for r in learned["2501.10004"]] == [
        "co-author of yours: Olga Fink (2 papers with you)"
    ]
    together = paper("2501.10005", "Bearings", "Faults.", ("Olga Fink", "Jane Roe"))
    hers = paper("2501.10006", "Halos", "Dark matter.", ("Jane Roe",))
    off = learn(Library(positives=LIBRARY), day(together, hers), Weights(library=0, colleague=0))
    assert "2501.10006" not in off
    on = learn(Library(positives=LIBRARY), day(together, hers), Weights(library=0, colleague=1.5))
    assert [(r.kind, r.weight) for r in on["2501.10006"]] == [("coauthor", 1.5)]


def test_the_colleague_weight_is_set_in_the_watchlist() -> None:
    text = example_config_text().replace("  colleague: 4 ", "  colleague: 2.5 ", 1)
    assert parse_config(text, None).weights.colleague == 2.5
    assert parse_config(example_config_text(), None).weights.colleague == 4.0
