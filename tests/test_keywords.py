"""Phrase matching in titles and abstracts."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from radar.keywords import KeywordMatcher

# The start of a recorded abstract (fixtures/arxiv-api, au:del_maestro search), wrapped as served.
ABSTRACT = r"""  We consider the R\'{e}nyi entanglement entropy of bosonic Luttinger liquids
under a particle bipartition and demonstrate that the leading order finite-size
scaling is logarithmic in the system size with a prefactor equal to the inverse
"""


def test_phrases_across_wrapped_lines_tex_and_case() -> None:
    matcher = KeywordMatcher(
        [
            "Luttinger liquid",
            "bosonic Luttinger liquids",
            "rényi entropy",
            "Renyi entanglement entropy",
            "finite size scaling",
            "leading order",
        ]
    )
    assert matcher.find(ABSTRACT) == (
        "bosonic Luttinger liquids",
        "Renyi entanglement entropy",
        "finite size scaling",
        "leading order",
    )


def test_whole_words_only() -> None:
    matcher = KeywordMatcher(["Luttinger liquid", "order", "size"])
    assert matcher.find("Luttinger liquids of disordered sizes") == ()
    assert matcher.find("LUTTINGER\n\tLIQUID, ordered") == ("Luttinger liquid",)


def test_overlapping_phrases_are_all_reported_in_config_order() -> None:
    matcher = KeywordMatcher(
        ["diffusion models", "models", "diffusion", "graph neural", "neural network", "graph"]
    )
    text = "Diffusion models meet graph neural networks and a graph neural network."
    assert matcher.find(text) == (
        "diffusion models",
        "models",
        "diffusion",
        "graph neural",
        "neural network",
        "graph",
    )
    assert matcher.find("a diffusion model") == ("diffusion",)


def test_hyphen_and_space_are_interchangeable() -> None:
    matcher = KeywordMatcher(["on-policy", "off policy"])
    assert matcher.find("on policy and off-policy") == ("on-policy", "off policy")
    assert matcher.find("on\u2010policy, off\u2013policy") == (
        "on-policy",
        "off policy",
    )  # unicode dashes
    assert matcher.find("onpolicy offpolicy") == ()


@pytest.mark.parametrize(
    ("phrase", "hit", "miss"),
    [
        ("C++", "written in C++, fast", "ObjC++ only"),
        ("C++", "a C++17 library", "C+ and C"),
        ("(LLM)", "a large language model (LLM) that", "an LLM that"),
        ("LLM", "a model (LLM) that", "LLMs that"),
        ("k-NN", "a k-NN classifier", "a kNN classifier"),
        ("Schrödinger equation", "the Schrodinger equation", "Schrödingers equation"),
    ],
)
def test_phrases_with_special_characters(phrase: str, hit: str, miss: str) -> None:
    matcher = KeywordMatcher([phrase])
    assert matcher.find(hit) == (phrase,)
    assert matcher.find(miss) == ()


def test_duplicates_and_same_form_phrases() -> None:
    matcher = KeywordMatcher(["on-policy", "On Policy", "on-policy", "  "])
    assert matcher.phrases == ("on-policy", "On Policy", "  ")
    assert matcher.find("on policy") == ("on-policy", "On Policy")


def test_no_phrases() -> None:
    assert KeywordMatcher([]).find(ABSTRACT) == ()
    assert KeywordMatcher(["x"]).find("") == ()


def test_many_phrases_share_prefixes() -> None:
    phrases = [f"topic {i}" for i in range(500)] + ["topic"]
    matcher = KeywordMatcher(phrases)
    assert matcher.find("on topic 42 and topic 7") == ("topic 7", "topic 42", "topic")


_TEXT = st.text(st.characters(exclude_characters="\\"), max_size=80)
_PHRASE = st.text(st.characters(exclude_characters="\\"), min_size=1, max_size=20)


@given(_TEXT, _PHRASE, _TEXT)
def test_an_inserted_phrase_is_found(left: str, phrase: str, right: str) -> None:
    matcher = KeywordMatcher([phrase, "unrelated phrase"])
    assume(matcher.find(phrase))  # phrases of only spaces or combining marks find nothing
    assert phrase in matcher.find(f"{left} {phrase} {right}")


@given(st.lists(st.text(max_size=12), max_size=6), st.text())
def test_find_never_raises(phrases: list[str], text: str) -> None:
    found = KeywordMatcher(phrases).find(text)
    assert set(found) <= set(phrases)
