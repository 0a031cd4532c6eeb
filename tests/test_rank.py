"""Ranking, with hand-built papers and watchlists: every reason's weight, exclusion, the
announce-type filter and the order of ties.

Every expected score is added up by hand in the test from literal numbers, never read
back from radar's own Weights. The custom weights below are distinct powers of two, so
any reason added, dropped or given another reason's weight changes the score.
"""

from __future__ import annotations

from datetime import date

import pytest

from radar.models import AnnounceType, Paper
from radar.rank import rank
from radar.watchlist import Config, Topic, WatchedAuthor, Weights

ALL_TYPES: tuple[AnnounceType, ...] = ("new", "cross", "replace", "replace-cross")

# author 64, initials 32, title 16, abstract 8, primary 4, cross-list 2,
# new 1, cross 0.5, replace 0.25, replace-cross 0.125, similar 128 x cosine.
POWERS = Weights(
    author=64,
    author_initials=32,
    keyword_title=16,
    keyword_abstract=8,
    primary_category=4,
    cross_list=2,
    new=1,
    cross=0.5,
    replace=0.25,
    replace_cross=0.125,
    similar=128,
)

PLAIN_TITLE = "A study of things"
PLAIN_ABSTRACT = "We look at some things and report what we saw."


def paper(
    arxiv_id: str,
    *,
    title: str = PLAIN_TITLE,
    abstract: str = PLAIN_ABSTRACT,
    authors: tuple[str, ...] = ("Nobody Watched",),
    categories: tuple[str, ...] = ("math.CO",),
    announce_type: AnnounceType = "new",
) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        version=1,
        title=title,
        authors=authors,
        abstract=abstract,
        categories=categories,
        announce_type=announce_type,
        announced=date(2024, 11, 28),
    )


def config(
    *topics: Topic,
    weights: Weights = POWERS,
    exclude: tuple[str, ...] = (),
    announce_types: tuple[AnnounceType, ...] = ALL_TYPES,
) -> Config:
    return Config(
        path=None,
        name="test",
        topics=topics,
        exclude=exclude,
        announce_types=announce_types,
        weights=weights,
    )


def scores(ranking_config: Config, *papers: Paper, similarity: dict | None = None) -> dict:
    ranking = rank(papers, ranking_config, similarity)
    return {r.paper.arxiv_id: r.score for r in ranking.ranked}


def only(ranking_config: Config, item: Paper, similarity: dict | None = None):
    ranked = rank([item], ranking_config, similarity).ranked
    assert len(ranked) == 1, ranked
    return ranked[0]


def reasons(ranked) -> dict[str, float]:
    return {r.label: r.weight for r in ranked.reasons}


# -- the defaults are the documented ones -----------------------------------------------


def test_default_weights_are_the_documented_ones() -> None:
    # README ("weights"): author 10, initials 4, keyword in title 4, in abstract 2, primary
    # category 1.5, cross-list 0.5, new 1, cross 0.5, replacements 0, similarity 6 x cosine.
    assert Weights() == Weights(
        author=10.0,
        author_initials=4.0,
        keyword_title=4.0,
        keyword_abstract=2.0,
        primary_category=1.5,
        cross_list=0.5,
        new=1.0,
        cross=0.5,
        replace=0.0,
        replace_cross=0.0,
        similar=6.0,
    )
    # README: announce_types defaults to [new, cross].
    assert Config(path=None, name="x", topics=()).announce_types == ("new", "cross")


def test_default_weights_add_up_as_documented() -> None:
    topic = Topic(
        "t", categories=("cs.LG",), authors=(WatchedAuthor("Olga Fink"),), keywords=("fault",)
    )
    item = paper(
        "2411.00001",
        title="Fault diagnosis",
        authors=("Olga Fink",),
        categories=("cs.LG",),
    )
    # author 10 + keyword in title 4 + primary category 1.5 + new 1
    assert only(config(topic, weights=Weights()), item).score == 16.5
    # ... and a similarity of 0.5 adds 6 x 0.5 = 3
    found = only(config(topic, weights=Weights()), item, {"2411.00001": ("2312.02826", 0.5)})
    assert found.score == 19.5


def test_default_weights_for_a_cross_list_and_initials() -> None:
    topic = Topic("t", categories=("cs.LG",), authors=(WatchedAuthor("Olga Fink"),))
    item = paper(
        "2411.00002",
        authors=("O. Fink",),
        categories=("math.OC", "cs.LG"),
        announce_type="cross",
    )
    # initials 4 + cross-list 0.5 + cross 0.5
    assert only(config(topic, weights=Weights()), item).score == 5.0


# -- each reason's weight ---------------------------------------------------------------


def test_a_watched_author_scores_the_author_weight() -> None:
    topic = Topic("t", authors=(WatchedAuthor("Sijie Wang"),))
    found = only(config(topic), paper("2411.00001", authors=("Ann Other", "Sijie Wang")))
    assert found.score == 65  # author 64 + new 1
    assert reasons(found) == {"author: Sijie Wang": 64, "new submission": 1}
    assert found.watched_authors == ("Sijie Wang",)


def test_a_paper_author_by_initials_scores_the_initials_weight() -> None:
    topic = Topic("t", authors=(WatchedAuthor("Sijie Wang"),))
    found = only(config(topic), paper("2411.00001", authors=("S. Wang",)))
    assert found.score == 33  # initials 32 + new 1
    assert [r.kind for r in found.reasons] == ["author-initials", "announce"]


@pytest.mark.parametrize("author", ["J. Moldón", "J. Moldon", "Javier Moldón"])
def test_an_initials_only_watched_name_scores_the_initials_weight(author: str) -> None:
    # radar.example.yaml: a name given by initials only (`J. Moldón`) could be anyone with
    # those initials, so even the same spelling on a paper scores the lower weight.
    topic = Topic("t", authors=(WatchedAuthor("J. Moldón"),))
    found = only(config(topic), paper("2411.00001", authors=(author,)))
    assert found.score == 33  # initials 32 + new 1, never author 64
    assert [r.kind for r in found.reasons] == ["author-initials", "announce"]


def test_an_initials_only_alias_is_the_users_word() -> None:
    # An alias says "this spelling is this person": a full match.
    topic = Topic("t", authors=(WatchedAuthor("Javier Moldón", aliases=("J. Moldón",)),))
    assert only(config(topic), paper("2411.00001", authors=("J. Moldón",))).score == 65


def test_a_keyword_in_the_title_scores_the_title_weight() -> None:
    topic = Topic("t", keywords=("diffusion",))
    found = only(config(topic), paper("2411.00001", title="Diffusion on graphs"))
    assert found.score == 17  # title 16 + new 1
    assert reasons(found) == {"keyword in title: diffusion": 16, "new submission": 1}


def test_a_keyword_in_the_abstract_scores_the_abstract_weight() -> None:
    topic = Topic("t", keywords=("diffusion",))
    found = only(config(topic), paper("2411.00001", abstract="We study diffusion on graphs."))
    assert found.score == 9  # abstract 8 + new 1
    assert reasons(found) == {"keyword in abstract: diffusion": 8, "new submission": 1}


def test_a_keyword_in_title_and_abstract_counts_once_as_title() -> None:
    topic = Topic("t", keywords=("diffusion",))
    item = paper("2411.00001", title="Diffusion", abstract="More diffusion.")
    assert only(config(topic), item).score == 17  # title 16 + new 1


def test_a_watched_primary_category_scores_the_category_weight() -> None:
    topic = Topic("t", categories=("cs.LG",))
    found = only(config(topic), paper("2411.00001", categories=("cs.LG", "stat.ML")))
    assert found.score == 5  # primary 4 + new 1
    assert reasons(found) == {"category: cs.LG": 4, "new submission": 1}


def test_a_watched_archive_covers_its_categories() -> None:
    topic = Topic("t", categories=("math",))
    assert only(config(topic), paper("2411.00001", categories=("math.OC",))).score == 5


def test_a_watched_secondary_category_scores_the_cross_list_weight() -> None:
    topic = Topic("t", categories=("cs.LG",))
    item = paper("2411.00001", categories=("math.OC", "cs.LG"), announce_type="cross")
    found = only(config(topic), item)
    assert found.score == 2.5  # cross-list 2 + cross 0.5
    assert sorted(r.kind for r in found.reasons) == ["announce", "cross-list"]


@pytest.mark.parametrize(
    ("announce_type", "categories", "expected"),
    [
        ("new", ("cs.LG",), 5.0),  # primary 4 + new 1
        ("cross", ("math.OC", "cs.LG"), 2.5),  # cross-list 2 + cross 0.5
        ("replace", ("cs.LG",), 4.25),  # primary 4 + replace 0.25
        ("replace-cross", ("math.OC", "cs.LG"), 2.125),  # cross-list 2 + replace-cross 0.125
    ],
)
def test_each_announce_type_scores_its_own_weight(
    announce_type: AnnounceType, categories: tuple[str, ...], expected: float
) -> None:
    topic = Topic("t", categories=("cs.LG",))
    item = paper("2411.00001", categories=categories, announce_type=announce_type)
    assert only(config(topic), item).score == expected


def test_announce_labels_name_the_type() -> None:
    topic = Topic("t", categories=("cs.LG",))
    labels = {}
    for n, kind in enumerate(ALL_TYPES):
        found = only(config(topic), paper(f"2411.0000{n}", announce_type=kind,
                                          categories=("cs.LG",)))
        labels[kind] = [r.label for r in found.reasons if r.kind == "announce"]
    assert labels == {
        "new": ["new submission"],
        "cross": ["cross-list"],
        "replace": ["replacement"],
        "replace-cross": ["replacement (cross-list)"],
    }


def test_similarity_scores_the_similar_weight_times_the_cosine() -> None:
    topic = Topic("t", categories=("cs.LG",))
    item = paper("2411.00001", categories=("cs.LG",))
    found = only(config(topic), item, {"2411.00001": ("2312.02826", 0.25)})
    assert found.score == 37  # similar 128 x 0.25 = 32 + primary 4 + new 1
    assert reasons(found)["similar to 2312.02826 (0.25)"] == 32


def test_similarity_only_for_the_papers_it_names() -> None:
    topic = Topic("t", categories=("cs.LG",))
    found = scores(
        config(topic),
        paper("2411.00001", categories=("cs.LG",)),
        paper("2411.00002", categories=("cs.LG",)),
        similarity={"2411.00002": ("2312.02826", 0.5)},
    )
    assert found == {"2411.00002": 69, "2411.00001": 5}  # 64 + 4 + 1, and 4 + 1


def test_every_reason_at_once() -> None:
    topic = Topic(
        "t",
        categories=("cs.LG",),
        authors=(WatchedAuthor("Olga Fink"), WatchedAuthor("Sijie Wang")),
        keywords=("fault", "bearing"),
    )
    item = paper(
        "2411.00001",
        title="Fault detection",
        abstract="Rolling bearing data.",
        authors=("Olga Fink", "S. Wang"),
        categories=("cs.LG",),
    )
    found = only(config(topic), item, {"2411.00001": ("2312.02826", 0.5)})
    # author 64 + initials 32 + title 16 + abstract 8 + primary 4 + new 1 + similar 64
    assert found.score == 189


# -- exclusion ---------------------------------------------------------------------------


def test_exclude_drops_a_paper_by_its_title_or_its_abstract() -> None:
    topic = Topic("t", categories=("cs.LG",))
    ranking = rank(
        [
            paper("2411.00001", categories=("cs.LG",), title="A survey of things"),
            paper("2411.00002", categories=("cs.LG",), abstract="This survey covers things."),
            paper("2411.00003", categories=("cs.LG",)),
        ],
        config(topic, exclude=("survey",)),
    )
    assert [r.paper.arxiv_id for r in ranking.ranked] == ["2411.00003"]
    assert ranking.excluded == 2


def test_exclude_drops_a_paper_whatever_caught_it() -> None:
    topic = Topic("t", authors=(WatchedAuthor("Olga Fink"),))
    item = paper("2411.00001", authors=("Olga Fink",), abstract="A survey.")
    assert rank([item], config(topic, exclude=("survey",))).ranked == ()


@pytest.mark.parametrize(
    "where", [{"title": "A survey of things"}, {"abstract": "This survey covers things."}]
)
def test_a_topics_exclude_stops_only_that_topic(where: dict[str, str]) -> None:
    strict = Topic("strict", categories=("cs.LG",), keywords=("things",), exclude=("survey",))
    broad = Topic("broad", categories=("math.OC",))
    caught_by_both = paper("2411.00001", categories=("cs.LG", "math.OC"), **where)
    caught_by_strict = paper("2411.00002", categories=("cs.LG",), **where)
    ranking = rank([caught_by_both, caught_by_strict], config(strict, broad))
    assert [r.paper.arxiv_id for r in ranking.ranked] == ["2411.00001"]
    found = ranking.ranked[0]
    assert found.topics == ("broad",)
    # Only the broad topic's reasons: a cross-list 2 + new 1, no keyword, no primary category.
    assert found.score == 3
    assert ranking.excluded == 0  # a topic's exclude is not the global one


# -- the announce-type filter -----------------------------------------------------------


def test_only_the_watched_announce_types_are_ranked() -> None:
    topic = Topic("t", categories=("cs.LG",))
    day = [
        paper("2411.00001", categories=("cs.LG",), announce_type="new"),
        paper("2411.00002", categories=("math.OC", "cs.LG"), announce_type="cross"),
        paper("2411.00003", categories=("cs.LG",), announce_type="replace"),
        paper("2411.00004", categories=("math.OC", "cs.LG"), announce_type="replace-cross"),
    ]
    ranked = {
        kinds: [r.paper.arxiv_id for r in rank(day, config(topic, announce_types=kinds)).ranked]
        for kinds in [("new",), ("new", "cross"), ("replace", "replace-cross"), ALL_TYPES]
    }
    assert ranked == {
        ("new",): ["2411.00001"],
        ("new", "cross"): ["2411.00001", "2411.00002"],
        ("replace", "replace-cross"): ["2411.00003", "2411.00004"],
        ALL_TYPES: ["2411.00001", "2411.00003", "2411.00002", "2411.00004"],
    }
    default = Config(path=None, name="x", topics=(topic,))
    assert [r.paper.arxiv_id for r in rank(day, default).ranked] == ["2411.00001", "2411.00002"]


def test_counts_tally_the_ranked_announce_types() -> None:
    topic = Topic("t", categories=("cs.LG",))
    counts = rank(
        [
            paper("2411.00001", categories=("cs.LG",), announce_type="new"),
            paper("2411.00002", categories=("cs.LG",), announce_type="new"),
            paper("2411.00003", categories=("math.OC", "cs.LG"), announce_type="cross"),
            paper("2411.00004", categories=("cs.LG",), announce_type="replace"),
            paper("2411.00005", categories=("math.OC", "cs.LG"), announce_type="replace-cross"),
            paper("2411.00006", categories=("math.OC",), announce_type="new"),  # not caught
        ],
        config(topic),
    ).counts
    assert (counts.new, counts.cross, counts.replace, counts.replace_cross) == (2, 1, 1, 1)


# -- order -------------------------------------------------------------------------------


def test_best_first_then_ties_by_id_whatever_the_feed_order() -> None:
    topic = Topic("t", categories=("cs.LG",), keywords=("bearing",))
    feed_order = [
        paper("2411.00009", categories=("cs.LG",)),  # 5
        paper("2411.00002", categories=("cs.LG",)),  # 5
        paper("2411.00005", categories=("cs.LG",), title="Bearing faults"),  # 21
        paper("2411.00007", categories=("cs.LG",)),  # 5
        paper("2411.00001", categories=("cs.LG",)),  # 5
        paper("2411.00003", categories=("math.OC", "cs.LG"), announce_type="cross"),  # 2.5
    ]
    expected = ["2411.00005", "2411.00001", "2411.00002", "2411.00007", "2411.00009", "2411.00003"]
    for order in (feed_order, feed_order[::-1]):
        ranked = rank(order, config(topic)).ranked
        assert [r.paper.arxiv_id for r in ranked] == expected
        assert [r.score for r in ranked] == [21, 5, 5, 5, 5, 2.5]


def test_a_reasons_list_is_heaviest_first() -> None:
    topic = Topic("t", categories=("cs.LG",), keywords=("bearing",))
    item = paper("2411.00001", categories=("cs.LG",), abstract="Bearing data.")
    weights = [r.weight for r in only(config(topic), item).reasons]
    assert weights == [8, 4, 1]
