"""The bundled arXiv taxonomy: lookups, aliases, suggestions, archive coverage and search."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from radar import taxonomy
from radar.taxonomy import Category, all_categories, covers, is_valid, lookup, search, suggest

ARCHIVES = [
    *("astro-ph", "cond-mat", "cs", "econ", "eess", "gr-qc", "hep-ex", "hep-lat", "hep-ph"),
    *("hep-th", "math", "math-ph", "nlin", "nucl-ex", "nucl-th", "physics", "q-bio", "q-fin"),
    *("quant-ph", "stat"),
]


def test_lookup_gives_the_full_record() -> None:
    assert lookup("cs.AI") == Category(
        code="cs.AI",
        name="Artificial Intelligence",
        archive="cs",
        archive_name="Computer Science",
        group="Computer Science",
    )
    assert lookup("astro-ph.CO") == Category(
        "astro-ph.CO",
        "Cosmology and Nongalactic Astrophysics",
        "astro-ph",
        "Astrophysics",
        "Physics",
    )
    assert lookup("hep-th") == Category(
        "hep-th",
        "High Energy Physics - Theory",
        "hep-th",
        "High Energy Physics - Theory",
        "Physics",
    )
    signal = lookup("eess.SP")
    assert signal is not None
    assert signal.group == signal.archive_name == "Electrical Engineering and Systems Science"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("math.OC", "Optimization and Control"),
        ("quant-ph", "Quantum Physics"),
        ("q-bio.NC", "Neurons and Cognition"),
        ("econ.EM", "Econometrics"),
        ("stat.ML", "Machine Learning"),
        ("physics.gen-ph", "General Physics"),
        ("math-ph", "Mathematical Physics"),
        ("nlin.CD", "Chaotic Dynamics"),
        ("cond-mat.str-el", "Strongly Correlated Electrons"),
        ("q-fin.TR", "Trading and Market Microstructure"),
        ("gr-qc", "General Relativity and Quantum Cosmology"),
    ],
)
def test_known_categories(code: str, name: str) -> None:
    found = lookup(code)
    assert found is not None and found.name == name


def test_lookup_is_case_sensitive_like_arxiv() -> None:
    assert lookup("CS.AI") is None
    assert lookup("cs.ai") is None
    assert not is_valid("cs.ai")


def test_the_whole_active_taxonomy_is_there() -> None:
    codes = [c.code for c in all_categories()]
    assert len(codes) == len(set(codes)) == 155
    assert {c.archive for c in all_categories()} == set(ARCHIVES)
    assert {c.group for c in all_categories()} == {
        "Physics",
        "Mathematics",
        "Computer Science",
        "Quantitative Biology",
        "Quantitative Finance",
        "Statistics",
        "Electrical Engineering and Systems Science",
        "Economics",
    }
    per_archive = {a: sum(c.archive == a for c in all_categories()) for a in ARCHIVES}
    assert per_archive["cs"] == 40
    assert per_archive["math"] == 32
    assert per_archive["physics"] == 22
    assert per_archive["astro-ph"] == 6


def test_the_data_file_names_its_source() -> None:
    raw = json.loads(resources.files("radar").joinpath("data/arxiv_taxonomy.json").read_text())
    assert raw["source"]["repository"] == "arXiv/arxiv-base"
    assert len(raw["source"]["commit"]) == 40


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("math.MP", "math-ph"),
        ("cs.SY", "eess.SY"),
        ("math.IT", "cs.IT"),
        ("q-fin.EC", "econ.GN"),
        ("stat.TH", "math.ST"),
        ("cs.NA", "math.NA"),
    ],
)
def test_aliases_are_valid_codes_of_their_own(alias: str, canonical: str) -> None:
    assert is_valid(alias) and is_valid(canonical)
    assert taxonomy.alias_of(alias) == canonical
    assert taxonomy.alias_of(canonical) == alias
    assert covers(alias, canonical) and covers(canonical, alias)


@pytest.mark.parametrize("code", ["cmp-lg", "alg-geom", "solv-int", "chao-dyn", "test", "bayes-an"])
def test_defunct_archives_are_not_valid(code: str) -> None:
    assert not is_valid(code)


@pytest.mark.parametrize("code", ARCHIVES)
def test_every_archive_the_feed_accepts_is_valid(code: str) -> None:
    assert is_valid(code)
    assert taxonomy.is_archive(code)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("CS.ai", "cs.AI"),
        ("cs.ai", "cs.AI"),
        ("cs.LGG", "cs.LG"),
        ("astroph.CO", "astro-ph.CO"),
        ("astro-ph.C0", "astro-ph.CO"),
        ("hepth", "hep-th"),
        ("quant_ph", "quant-ph"),
        ("Math", "math"),
        ("math.oc", "math.OC"),
        ("cond-mat.str-e1", "cond-mat.str-el"),
        ("cs.ML", "cs.LG"),
        (" cs.LG ", "cs.LG"),
    ],
)
def test_suggestions(typed: str, meant: str) -> None:
    assert not is_valid(typed)
    assert suggest(typed) == meant


def test_no_suggestion_for_valid_or_hopeless_codes() -> None:
    assert suggest("cs.LG") is None
    assert suggest("math") is None
    assert suggest("zzzzzz") is None
    assert suggest("") is None


def test_covers() -> None:
    assert covers("math.OC", "math.OC")
    assert covers("math", "math.OC")
    assert covers("astro-ph", "astro-ph.CO")
    assert covers("cond-mat", "cond-mat.str-el")
    assert covers("hep-th", "hep-th")
    assert covers("physics", "physics.optics")
    assert not covers("math.OC", "math")  # a category does not cover its archive
    assert not covers("cs", "stat.ML")
    assert not covers("physics", "quant-ph")  # quant-ph is an archive of its own
    assert not covers("hep-th", "hep-ph")
    assert not covers("cs.LG", "stat.ML")
    assert not covers("math.OC", "math.OCX")


def test_covers_follows_aliases_as_arxiv_lists_them() -> None:
    # A math-ph paper is listed under math.MP too, so watching all of math catches it.
    assert covers("math", "math-ph")
    assert covers("eess", "cs.SY")
    assert covers("cs", "eess.SY")
    assert not covers("math", "hep-th")


def test_covers_unknown_categories_by_their_prefix() -> None:
    # Legacy or future codes on a paper are not in the table; the archive is the prefix.
    assert covers("math", "math.XY")
    assert not covers("cs", "math.XY")


def test_search() -> None:
    assert [c.code for c in search("learning")] == ["cs.LG", "stat.ML"]
    assert [c.code for c in search("LEARNING")] == ["cs.LG", "stat.ML"]
    assert [c.code for c in search("astro-ph.")] == [
        "astro-ph.CO",
        "astro-ph.EP",
        "astro-ph.GA",
        "astro-ph.HE",
        "astro-ph.IM",
        "astro-ph.SR",
    ]
    assert {c.code for c in search("Systems and Control")} == {"cs.SY", "eess.SY"}
    assert search("no such field") == ()
    assert len(search("")) == 155


def test_the_data_is_read_on_first_use_not_at_import() -> None:
    # With every resource read failing, importing still works: nothing is read until asked.
    code = (
        "import importlib.resources as r\n"
        "def refuse(*a, **k): raise RuntimeError('read at import')\n"
        "r.files = refuse\n"
        "import radar.taxonomy\n"
        "print('imported')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout == "imported\n", done.stderr
    assert all_categories() is all_categories()  # read once, then kept
