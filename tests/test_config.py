"""The watchlist: finding it, reading it, and every problem reported with its file and line."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import radar.config
import radar.yamlnodes
from radar.config import example_config_text, load_config, parse_config
from radar.configpath import find_config
from radar.errors import EXIT_USAGE, ConfigError
from radar.watchlist import Config, Endpoints, NetworkSettings, Topic, WatchedAuthor, Weights

REPO = Path(__file__).resolve().parent.parent
DEMO_DAY = (
    Path(__file__).parent
    / "fixtures"
    / "arxiv-rss"
    / ("rss-2024-11-28-all-archives-trimmed-8new-7cross-6replace.xml")
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "radar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    """The problem lines for watchlist `text`, with the file's path taken off the front."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.exit_code == EXIT_USAGE
    for line in info.value.problems:
        assert line.startswith(f"{path}:"), line
    return [line.removeprefix(f"{path}:") for line in info.value.problems]


def problem(tmp_path: Path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


# -- the example watchlist -----------------------------------------------------------------


def test_the_example_loads_into_the_expected_config() -> None:
    config = parse_config(example_config_text(), Path("radar.example.yaml"))
    assert config.name == "Machine learning for monitoring"
    main, quantum = config.topics
    assert main == Topic(
        name="Machine learning for monitoring",
        categories=("cs.LG", "cs.AI", "eess.SP", "stat.ML"),
        authors=(
            WatchedAuthor("Olga Fink"),
            WatchedAuthor("Sebastian Pokutta"),
            WatchedAuthor("Bernhard Schölkopf", ("B. Schoelkopf", "Bernhard Scholkopf")),
            WatchedAuthor("F. Forest"),
        ),
        keywords=(
            "anomaly detection",
            "fault diagnosis",
            "EEG",
            "electrocardiogram",
            "domain adaptation",
        ),
        exclude=(),  # the top-level exclude is the whole watchlist's, below
    )
    assert quantum == Topic(
        name="quantum",
        categories=("quant-ph",),
        keywords=("quantum machine learning", "parametrized quantum circuit"),
        exclude=("quantum chemistry",),
    )
    assert config.exclude == ("lane rendering", "a survey of")
    assert config.announce_types == ("new", "cross", "replace")
    assert config.weights == Weights()  # the example spells out the defaults
    assert config.author_window_days == 7
    assert config.similar_to == ("2312.02826",)
    assert config.endpoints == Endpoints()
    assert config.network == NetworkSettings()
    assert config.categories == ("cs.LG", "cs.AI", "eess.SP", "stat.ML", "quant-ph")


def test_the_example_is_shipped_in_the_package_byte_for_byte() -> None:
    shipped = resources.files("radar").joinpath("data", "radar.example.yaml").read_bytes()
    assert (REPO / "radar.example.yaml").read_bytes() == shipped
    assert example_config_text().encode("utf-8") == shipped


def test_the_example_catches_papers_of_the_demo_day() -> None:
    day = DEMO_DAY.read_text(encoding="utf-8")
    config = parse_config(example_config_text(), None)
    main = config.topics[0]
    for phrase in ("Olga Fink", "Sebastian Pokutta", *main.keywords[:3]):
        assert phrase in day, phrase
    for code in main.categories:
        assert f"<category>{code}</category>" in day, code


def test_every_key_of_the_example_is_commented() -> None:
    lines = example_config_text().splitlines()
    section = ""
    for before, line in itertools.pairwise(lines):
        if line and not line.startswith((" ", "#")):
            section = line.split(":")[0]
            # A top-level key comes after a comment saying what it does...
            assert before.startswith("#"), line
        elif section in ("weights", "network") and line.strip() and not line.startswith("#"):
            # ...and each number under weights and network says so on its own line.
            assert "#" in line, line


# -- what a good watchlist becomes ---------------------------------------------------------


def test_a_minimal_watchlist_gets_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "categories: [cs.LG]\n")
    assert load_config(path) == Config(
        path=path, name="radar", topics=(Topic("radar", categories=("cs.LG",)),)
    )


def test_topics_and_the_top_level_exclude(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "exclude: [survey]\n"
            "topics:\n"
            "  optimisation:\n"
            "    categories: [math.OC]\n"
            "    authors: [Sebastian Pokutta]\n"
            "    exclude: [quantum]\n"
            "  cosmology:\n"
            "    categories: [astro-ph]\n",
        )
    )
    # No top-level categories/authors/keywords: no topic named after the watchlist.
    assert [t.name for t in config.topics] == ["optimisation", "cosmology"]
    assert config.exclude == ("survey",)
    assert config.topics[0].exclude == ("quantum",)
    assert config.topics[0].authors == (WatchedAuthor("Sebastian Pokutta"),)
    assert config.topics[1].categories == ("astro-ph",)


def test_blank_keys_mean_defaults_and_repeats_are_dropped(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "name:\n"
            "categories: [cs.LG, cs.LG, math]\n"
            "authors: [Olga Fink, '  Olga   Fink ']\n"
            "keywords: [EEG, eeg, ' anomaly   detection ', EEG]\n"
            "weights:\n"
            "network:\n"
            "announce_types: [new, new, replace-cross]\n",
        )
    )
    topic = config.topics[0]
    assert config.name == "radar"
    assert topic.categories == ("cs.LG", "math")
    assert topic.authors == (WatchedAuthor("Olga Fink"),)
    assert topic.keywords == ("EEG", "anomaly detection")
    assert config.weights == Weights()
    assert config.announce_types == ("new", "replace-cross")


def test_values_are_read_as_written(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "authors: [Olga Fink]\n"
            "similar_to: [2312.02820, 'arXiv:2411.17700v2', hep-th/9901001]\n"
            "weights: {author: 12, new: -1, similar: 0.5}\n"
            "author_window_days: 30\n"
            "arxiv: {rss_url: 'http://127.0.0.1:8080/rss/'}\n"
            "network: {timeout: 1e3, retries: 0, max_wait: 0, spacing: 0.5, contact: a@b.org}\n"
            "briefing: {model: anything, max_papers: 5}\n",
        )
    )
    # Unquoted 2312.02820 is a YAML float; the id keeps its trailing zero.
    assert config.similar_to == ("2312.02820", "2411.17700v2", "hep-th/9901001")
    assert config.weights == Weights(author=12, new=-1, similar=0.5)
    assert config.author_window_days == 30
    assert config.endpoints.arxiv_rss_url == "http://127.0.0.1:8080/rss/"
    assert config.endpoints.arxiv_api_url == Endpoints().arxiv_api_url
    assert config.network == NetworkSettings(
        timeout=1000, retries=0, max_wait=0, spacing=0.5, contact="a@b.org"
    )


def test_aliased_and_archive_codes_are_accepted(tmp_path: Path) -> None:
    codes = "math.MP, math-ph, cs.SY, eess.SY, math.IT, q-fin.EC, stat.TH, cs.NA, math, hep-th"
    config = load_config(write(tmp_path, f"categories: [{codes}]\n"))
    assert config.categories == tuple(codes.split(", "))


# -- problems, each with its line ----------------------------------------------------------


def test_unknown_keys_get_a_suggestion_wherever_they_are(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "categories: [cs.LG]\n"
        "autors: [Olga Fink]\n"
        "authors:\n"
        "  - name: Olga Fink\n"
        "    alias: [O. Fink]\n"
        "weights: {autor: 3}\n"
        "topics:\n"
        "  q: {categories: [quant-ph], keyword: [qubits]}\n"
        "arxiv: {rss: 'https://x.org/'}\n"
        "network:\n"
        "  timout: 3\n"
        "zzzzzz: 1\n",
    ) == [
        "2: unknown key 'autors' (did you mean 'authors'?)",
        "5: unknown key 'alias' in an entry of authors (did you mean 'aliases'?)",
        "6: unknown key 'autor' in weights (did you mean 'author'?)",
        "8: unknown key 'keyword' in topics.q (did you mean 'keywords'?)",
        "9: unknown key 'rss' in arxiv (did you mean 'rss_url'?)",
        "11: unknown key 'timout' in network (did you mean 'timeout'?)",
        "12: unknown key 'zzzzzz'",
    ]


def test_unknown_categories_get_the_likely_code(tmp_path: Path) -> None:
    assert problems(
        tmp_path, "categories:\n  - cs.LGG\n  - CS.ai\n  - astroph.CO\n  - cs.LG\n  - qwerty\n"
    ) == [
        "2: unknown arXiv category 'cs.LGG' (did you mean 'cs.LG'?)",
        "3: unknown arXiv category 'CS.ai' (did you mean 'cs.AI'?)",
        "4: unknown arXiv category 'astroph.CO' (did you mean 'astro-ph.CO'?)",
        "6: unknown arXiv category 'qwerty' (codes look like cs.LG, math, hep-th)",
    ]


def test_legacy_codes_are_not_categories(tmp_path: Path) -> None:
    found = problems(tmp_path, "categories: [cmp-lg, alg-geom]\n")
    assert [p.split(" (")[0] for p in found] == [
        "1: unknown arXiv category 'cmp-lg'",
        "1: unknown arXiv category 'alg-geom'",
    ]


def test_wrong_types(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "name: 2024\n"
        "categories: cs.AI\n"
        "authors: {name: Olga Fink}\n"
        "keywords: [EEG, 42, yes, [nested]]\n"
        "weights: {author: lots}\n"
        "topics: [quantum]\n"
        "network: 3\n"
        "briefing: on\n",
    ) == [
        '1: name: expected text, got the number 2024 (put it in quotes: "2024")',
        "2: categories: expected a list, e.g. [cs.AI], got text 'cs.AI'",
        "3: authors: expected a list, e.g. [Olga Fink], got a mapping",
        '4: keywords: expected text, got the number 42 (put it in quotes: "42")',
        '4: keywords: expected text, got the yes/no value yes (put it in quotes: "yes")',
        "4: keywords: expected text, got a list",
        "5: weights.author: expected a number, got text 'lots'",
        "6: topics: expected a mapping of keys, got a list",
        "7: network: expected a mapping of keys, got the number 3",
        "8: briefing: expected a mapping of keys, got the yes/no value on",
    ]


def test_numbers_out_of_range(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "categories: [cs.LG]\n"
        "author_window_days: 45\n"
        "network:\n"
        "  timeout: 0\n"
        "  retries: 11\n"
        "  max_wait: -1\n"
        "  spacing: .nan\n"
        "weights:\n"
        "  new: .inf\n",
    ) == [
        "2: author_window_days: must be between 1 and 30 (got 45)",
        "4: network.timeout: must be greater than 0 (got 0)",
        "5: network.retries: must be between 0 and 10 (got 11)",
        "6: network.max_wait: must be at least 0 (got -1)",
        "7: network.spacing: expected a finite number, got .nan",
        "9: weights.new: expected a finite number, got .inf",
    ]


def test_whole_numbers_and_booleans(tmp_path: Path) -> None:
    assert problems(
        tmp_path, "categories: [cs.LG]\nauthor_window_days: 2.5\nnetwork: {retries: true}\n"
    ) == [
        "2: author_window_days: expected a whole number, got the number 2.5",
        "3: network.retries: expected a whole number, got the yes/no value true",
    ]


def test_announce_types(tmp_path: Path) -> None:
    choices = "choose from new, cross, replace, replace-cross"
    assert problems(tmp_path, "categories: [cs.LG]\nannounce_types: [new, replaced]\n") == [
        f"2: unknown announce type 'replaced' (did you mean 'replace'?); {choices}"
    ]
    assert problem(tmp_path, "categories: [cs.LG]\nannounce_types: []\n") == (
        "2: announce_types: is empty, so no paper would be shown; e.g. [new, cross]"
    )


def test_malformed_similar_to_ids(tmp_path: Path) -> None:
    example = "(e.g. 2411.17700 or hep-th/9901001)"
    assert problems(
        tmp_path, "categories: [cs.LG]\nsimilar_to:\n  - 2312.028\n  - hep-th/99\n  - {a: 1}\n"
    ) == [
        f"3: similar_to: '2312.028' is not an arXiv id {example}",
        f"4: similar_to: 'hep-th/99' is not an arXiv id {example}",
        f"5: similar_to: a mapping is not an arXiv id {example}",
    ]


def test_empty_author_names(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "categories: [cs.LG]\n"
        "authors:\n"
        "  - ''\n"
        "  -\n"
        "  - {aliases: [B. Schoelkopf]}\n"
        "  - {name: '  '}\n",
    ) == [
        "3: authors: an author name is empty",
        "4: authors: an author name is empty",
        "5: authors: an entry with aliases needs a name",
        "6: authors: an author name is empty",
    ]


def test_a_watchlist_that_watches_nothing(tmp_path: Path) -> None:
    message = (
        "the watchlist watches nothing: "
        "add categories, authors, journals or bioRxiv/medRxiv subjects"
    )
    assert problem(tmp_path, "name: x\nkeywords: [EEG]\n") == f"1: {message}"
    assert problem(tmp_path, "# mine\ncategories: []\nauthors:\n") == f"2: {message}"
    # A written but misspelt category is reported as that, not as "watches nothing".
    assert problem(tmp_path, "categories: [cs.LGG]\n").startswith("1: unknown arXiv category")


def test_topic_names_and_empty_topics(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "name: mine\n"
        "categories: [cs.LG]\n"
        "topics:\n"
        "  '': {categories: [cs.AI]}\n"
        "  1: {categories: [cs.AI]}\n"
        "  mine: {categories: [cs.AI]}\n"
        "  idle:\n",
    ) == [
        "4: topics: a topic name must be non-empty text, not text ''",
        "5: topics: a topic name must be non-empty text, not the number 1",
        "6: topics: 'mine' is also the watchlist's name; rename one",
        "7: topics.idle: has no categories, authors, keywords, journals or bioRxiv/medRxiv "
        "subjects",
    ]


def test_duplicate_keys(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "categories: [cs.LG]\n"
        "authors: [Olga Fink]\n"
        "topics:\n"
        "  q: {categories: [quant-ph]}\n"
        "  q: {categories: [hep-th]}\n"
        "authors: [Sebastian Pokutta]\n",
    ) == [
        "5: duplicate key 'q' in topics (first at line 4)",
        "6: duplicate key 'authors' (first at line 2)",
    ]


def test_endpoints_and_contact(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        "categories: [cs.LG]\n"
        "arxiv: {rss_url: 'ftp://mirror.org/rss/', api_url: 'export.arxiv.org'}\n"
        'network: {contact: "me@x.org\\r\\nX-Evil: 1"}\n',
    ) == [
        "2: arxiv.rss_url: expected an http(s) URL, got 'ftp://mirror.org/rss/'",
        "2: arxiv.api_url: expected an http(s) URL, got 'export.arxiv.org'",
        "3: network.contact: expected an email, got 'me@x.org\\r\\nX-Evil: 1'",
    ]


@pytest.mark.parametrize("url", ["http://[::1", "http://mirror:port/", "https://", "file:///x"])
def test_malformed_urls(tmp_path: Path, url: str) -> None:
    found = problem(tmp_path, f"categories: [cs.LG]\narxiv:\n  api_url: '{url}'\n")
    assert found == f"3: arxiv.api_url: expected an http(s) URL, got {url!r}"


def test_all_problems_are_reported_together_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "categories: [cs.LGG]\nautors: [x]\nnetwork: {retries: -1}\nannounce_types: [old]\n",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == f"{path}: 4 problems in the watchlist"
    assert [p.split(": ", 1)[0] for p in info.value.problems] == [
        f"{path}:1",
        f"{path}:2",
        f"{path}:3",
        f"{path}:4",
    ]
    assert "radar.example.yaml" in info.value.hint


def test_one_problem_reads_as_one(tmp_path: Path) -> None:
    path = write(tmp_path, "categories: [cs.LGG]\n")
    with pytest.raises(ConfigError, match=r"1 problem in the watchlist$"):
        load_config(path)


def test_a_flood_of_problems_is_cut_short(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"key{i}: 1\n" for i in range(5000)))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert len(info.value.problems) == radar.yamlnodes.MAX_PROBLEMS
    assert "stopped looking" in info.value.message


# -- problems with the file itself ---------------------------------------------------------


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both of PyYAML's parsers: libyaml where it was built, the Python one elsewhere."""
    if request.param == "pure-python":
        monkeypatch.setattr(radar.yamlnodes, "_LOADER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml here")


def test_yaml_syntax_error_names_the_line(tmp_path: Path, parser: None) -> None:
    found = problem(tmp_path, "name: x\ncategories: [cs.LG\nauthors: [Olga Fink]\n")
    assert found.startswith("3: YAML syntax error:"), found


def test_tabs_are_named_as_the_cause(tmp_path: Path, parser: None) -> None:
    assert problems(tmp_path, "categories:\n\t- cs.LG\nauthors:\n  \t- Olga Fink\n") == [
        "2: a tab is used for indentation; YAML needs spaces",
        "4: a tab is used for indentation; YAML needs spaces",
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "---\n"])
def test_an_empty_watchlist(tmp_path: Path, text: str, parser: None) -> None:
    assert problem(tmp_path, text) == "1: the watchlist is empty"


def test_the_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert problem(tmp_path, "- cs.LG\n- cs.AI\n") == (
        "1: the watchlist: expected a mapping of keys, got a list"
    )
    assert problem(tmp_path, "cs.LG\n") == (
        "1: the watchlist: expected a mapping of keys, got text 'cs.LG'"
    )


def test_two_documents_are_a_syntax_error(tmp_path: Path, parser: None) -> None:
    assert problem(tmp_path, "categories: [cs.LG]\n---\nauthors: [x]\n").startswith(
        "2: YAML syntax error"
    )


def test_anchors_and_aliases_are_refused(tmp_path: Path, parser: None) -> None:
    message = "anchors and aliases are not supported in a watchlist"
    assert problem(tmp_path, "categories: &c [cs.LG]\nkeywords: *c\n") == f"1: {message}"
    assert problem(tmp_path, "categories: [cs.LG]\nkeywords: *c\n") == f"2: {message}"


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path, parser: None) -> None:
    # Nine levels of nine: 9**9 (387 million) strings if anything expanded it.
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    text = "categories: [cs.LG]\n" + "\n".join(lines) + "\n"
    assert problem(tmp_path, text) == "2: anchors and aliases are not supported in a watchlist"


def test_deep_nesting_is_refused(tmp_path: Path, parser: None) -> None:
    text = "categories: [cs.LG]\n" + "".join("  " * i + f"k{i}:\n" for i in range(200))
    found = problem(tmp_path, text)
    assert found == f"{radar.yamlnodes.MAX_DEPTH + 2}: nested more than 32 levels deep"
    flow = problem(tmp_path, "categories: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert flow.startswith("1: "), flow


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.problems == (f"{tmp_path}: is a directory, not a watchlist file",)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"watchlist not found: .*nope\.yaml"):
        load_config(tmp_path / "nope.yaml")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "radar.yaml"
    path.write_bytes(b"categories: [cs.LG]\nname: caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems == (f"{path}:2: is not UTF-8 text (byte 0xe9); save it as UTF-8",)


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "radar.yaml"
    path.write_bytes("\ufeffname: Schölkopf watch\ncategories: [cs.LG]\n".encode())
    assert load_config(path).name == "Schölkopf watch"


def test_a_10_mb_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_parse(*args: object) -> None:
        raise AssertionError("parsed a file that is over the limit")

    monkeypatch.setattr(radar.config, "compose", must_not_parse)
    path = tmp_path / "radar.yaml"
    path.write_bytes(b"categories: [cs.LG]\nkeywords:\n" + b"  - a keyword phrase\n" * 500_000)
    assert path.stat().st_size > 10_000_000
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems == (f"{path}: is larger than 1 MB; a watchlist is a short file",)
    with pytest.raises(ConfigError, match="1 problem"):
        parse_config(path.read_text(encoding="utf-8"), None)


def test_a_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    head = "categories: [cs.LG]\nkeywords:\n"
    item = "  - a keyword phrase\n"
    text = head + item * ((radar.config.MAX_BYTES - len(head)) // len(item))
    assert len(text) <= radar.config.MAX_BYTES
    config = load_config(write(tmp_path, text))
    assert config.topics[0].keywords == ("a keyword phrase",)


def test_without_a_path_problems_are_labelled_watchlist() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("categories: [cs.LGG]\n", None)
    assert info.value.message == "watchlist: 1 problem in the watchlist"
    assert info.value.problems[0].startswith("watchlist:1: unknown arXiv category")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_config_or_a_config_error(text: str) -> None:
    try:
        parse_config(text, None)
    except ConfigError as exc:
        assert exc.problems
        assert all(line.startswith("watchlist:") for line in exc.problems)


# -- finding the watchlist -----------------------------------------------------------------


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(an explicit file, a working directory, a user config directory), all with watchlists."""
    explicit = write(tmp_path, "categories: [cs.LG]\n").rename(tmp_path / "explicit.yaml")
    cwd = tmp_path / "cwd"
    user = tmp_path / "user"
    for folder in (cwd, user):
        folder.mkdir()
        (folder / "radar.yaml").write_text("categories: [cs.LG]\n", encoding="utf-8")
    return explicit, cwd, user


def test_find_order(places: tuple[Path, Path, Path], tmp_path: Path) -> None:
    explicit, cwd, user = places
    env = tmp_path / "env.yaml"
    env.write_text("categories: [cs.AI]\n", encoding="utf-8")
    assert find_config(explicit, str(env), cwd, user) == explicit
    assert find_config(None, str(env), cwd, user) == env
    assert find_config(None, None, cwd, user) == cwd / "radar.yaml"
    assert find_config(None, "", cwd, user) == cwd / "radar.yaml"  # RADAR_CONFIG= is unset
    (cwd / "radar.yaml").unlink()
    assert find_config(None, None, cwd, user) == user / "radar.yaml"


def test_a_missing_explicit_or_env_path_is_named(places: tuple[Path, Path, Path]) -> None:
    _, cwd, user = places
    missing = cwd / "missing.yaml"
    with pytest.raises(ConfigError, match=f"watchlist not found: {missing}$"):
        find_config(missing, None, cwd, user)
    with pytest.raises(ConfigError, match=r"from \$RADAR_CONFIG") as info:
        find_config(None, str(missing), cwd, user)
    assert str(missing) in info.value.message


def test_no_watchlist_anywhere(tmp_path: Path) -> None:
    cwd, user = tmp_path / "cwd", tmp_path / "user"
    with pytest.raises(ConfigError) as info:
        find_config(None, None, cwd, user)
    assert info.value.message == (
        f"no watchlist found (looked in: {cwd / 'radar.yaml'}, {user / 'radar.yaml'})"
    )
    assert "radar init" in info.value.hint
    assert "radar today --demo" in info.value.hint
