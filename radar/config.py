"""The YAML watchlist: where it is found, how it is validated, and the frozen Config it becomes."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from radar import sourcekeys, taxonomy
from radar import yamlnodes as nodes
from radar.briefing.settings import BriefingSettings, parse_briefing_settings
from radar.datafiles import data_file
from radar.errors import ConfigError
from radar.ids import parse_arxiv_id
from radar.models import ANNOUNCE_TYPES, AnnounceType
from radar.watchlist import (
    MAX_BYTES,
    Config,
    Endpoints,
    LibrarySettings,
    NetworkSettings,
    Topic,
    WatchedAuthor,
    Weights,
    ZoteroSettings,
)
from radar.yamlnodes import Problems, TooManyProblems, compose

# -- finding and loading ------------------------------------------------------------------

HINT = (
    "every key is described in radar.example.yaml; "
    "`radar init --path radar.example.yaml` writes a copy to read"
)


def example_config_text() -> str:
    """The commented example watchlist shipped in the package (radar.example.yaml)."""
    return data_file("radar.example.yaml").read_text("utf-8")


def load_config(path: Path) -> Config:
    """Read and validate the watchlist at `path`; every problem is raised in one ConfigError."""
    problems = Problems()
    try:
        text = nodes.read_text(path, problems, MAX_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"watchlist not found: {path}", hint=HINT) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(
            f"{path}: cannot be read ({reason})", hint="check its permissions"
        ) from None
    if text is None:
        raise _failure(str(path), problems)
    return parse_config(text, path)


def parse_config(text: str, path: Path | None) -> Config:
    """Validate watchlist `text` (from `path`, if any) into a Config, before any network use."""
    label = str(path) if path is not None else "watchlist"
    problems = Problems()
    if len(text) > MAX_BYTES:  # characters, not bytes: close enough, and free to count
        problems.add(0, nodes.too_large(MAX_BYTES))
        raise _failure(label, problems)
    try:
        root = compose(text, problems)
        config = _build(root, problems, path) if root is not None else None
    except TooManyProblems:
        raise _failure(label, problems, stopped=True) from None
    if config is None or len(problems):
        raise _failure(label, problems)
    return config


def _failure(label: str, problems: Problems, stopped: bool = False) -> ConfigError:
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    more = " (and maybe more: radar stopped looking there)" if stopped else ""
    return ConfigError(
        f"{label}: {count} {noun} in the watchlist{more}",
        hint=problems.hint or HINT,
        problems=problems.lines(label),
    )


# -- validation: YAML nodes -> Config -------------------------------------------------------

_WATCH_KEYS = ("categories", "authors", "keywords", "exclude", *sourcekeys.SOURCE_KEYS)
_TOP_KEYS: tuple[str, ...] = ("name", *_WATCH_KEYS, "announce_types", "author_window_days")
_TOP_KEYS += ("source_window_days", "catch_up")
_TOP_KEYS += ("similar_to", "weights", "topics", "arxiv", "network", "briefing", "language")
_TOP_KEYS += ("library",)
_NETWORK_KEYS = ("timeout", "retries", "max_wait", "spacing", "contact")
_WEIGHT_KEYS = tuple(f.name for f in fields(Weights))
_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+")
_Found = dict[str, yaml.Node]


def _build(root: yaml.Node, problems: Problems, path: Path | None) -> Config | None:
    top = nodes.fields(root, problems, _TOP_KEYS, "")
    if top is None:
        return None
    name = nodes.text(top["name"], problems, "name") if _given(top, "name") else "radar"
    if name == "":
        problems.at(top["name"], "name: is empty (leave it out for the default, 'radar')")
    name = name or "radar"
    main = _topic(name, top, problems, "")
    # The top-level exclude applies to every paper (Config.exclude), not to this topic alone.
    watching = main.categories or main.authors or main.keywords or _watches_sources(main)
    topics = [replace(main, exclude=())] if watching else []
    wrote_any = _wrote(top, "categories", "authors") or sourcekeys.wrote(top)
    if _given(top, "topics"):
        topic_pairs = nodes.entries(top["topics"], problems, "topics") or []
        topics += _topics(topic_pairs, problems, taken=name if topics else None)
        wrote_any = wrote_any or any(
            isinstance(v, yaml.MappingNode)
            and (
                _wrote(dict(_pairs(v)), "categories", "authors")
                or sourcekeys.wrote(dict(_pairs(v)))
            )
            for _, v in topic_pairs
        )
    if not wrote_any:
        # Keywords alone cannot be fetched: the feed is asked by category, the API by author.
        problems.at(root, f"the watchlist watches nothing: add {_WATCHABLE}")
    briefing = _briefing(top, problems)
    config = Config(path=path, name=name, topics=tuple(topics), exclude=main.exclude)
    window = _number(top, "author_window_days", problems, whole=True, minimum=1, maximum=30)
    sources_window = _number(top, "source_window_days", problems, whole=True, minimum=1, maximum=30)
    # 0 (off) up to the longest span `--since` covers (radar.catchup.MAX_SPAN_DAYS).
    catch_up = _number(top, "catch_up", problems, whole=True, minimum=0, maximum=31)
    return replace(
        config,
        announce_types=_announce_types(top, problems) or config.announce_types,
        weights=_weights(top, problems),
        author_window_days=config.author_window_days if window is None else int(window),
        source_window_days=(
            config.source_window_days if sources_window is None else int(sources_window)
        ),
        catch_up=config.catch_up if catch_up is None else int(catch_up),
        similar_to=_similar_to(top, problems),
        endpoints=_endpoints(top, problems),
        network=_network(top, problems),
        briefing=briefing,
        library=_library(top, problems),
        language=_language(top, problems),
    )


def _language(top: _Found, problems: Problems) -> str:
    """`language:` as written ("en", "zh-CN", "Chinese"); each output falls back to English."""
    if not _given(top, "language"):
        return "en"
    value = nodes.text(top["language"], problems, "language")
    if value is None:
        return "en"
    if not value or len(value) > 35:
        problems.at(top["language"], "language: expected a language tag such as en or zh")
        return "en"
    return value


def _briefing(top: _Found, problems: Problems) -> BriefingSettings:
    """The `briefing:` section, whose keys radar.briefing owns and validates."""
    if not _given(top, "briefing"):
        return BriefingSettings()
    node = top["briefing"]
    if not isinstance(node, yaml.MappingNode):
        problems.at(node, f"briefing: expected a mapping of keys, got {nodes.describe(node)}")
        return BriefingSettings()
    data = yaml.SafeLoader("").construct_object(node, deep=True)
    settings, found = parse_briefing_settings(data if isinstance(data, dict) else {})
    for problem in found:
        problems.at(node, problem)
    return settings


_WATCHABLE = "categories, authors, journals or bioRxiv/medRxiv subjects"
_TOPIC_WATCHES = "categories, authors, keywords, journals or bioRxiv/medRxiv subjects"


def _watches_sources(topic: Topic) -> bool:
    return bool(topic.biorxiv or topic.medrxiv or topic.journals)


def _given(found: _Found, key: str) -> bool:
    # A key left blank (`weights:`) means "the default", as if it were not written.
    return key in found and not nodes.is_null(found[key])


def _wrote(found: _Found, *keys: str) -> bool:
    """Whether any of `keys` holds something, valid or not (an empty list holds nothing)."""
    return any(
        _given(found, k) and not (isinstance(found[k], yaml.SequenceNode) and not found[k].value)
        for k in keys
    )


def _pairs(node: yaml.MappingNode) -> list[tuple[str, yaml.Node]]:
    return [(str(k.value), v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def _number(found: _Found, key: str, problems: Problems, **bounds: Any) -> float | None:
    if not _given(found, key):
        return None
    return nodes.number(found[key], problems, bounds.pop("what", key), **bounds)


def _section(top: _Found, key: str, allowed: tuple[str, ...], problems: Problems) -> _Found:
    if not _given(top, key):
        return {}
    return nodes.fields(top[key], problems, allowed, key) or {}


def _topic(name: str, found: _Found, problems: Problems, where: str) -> Topic:
    categories: list[str] = []
    if "categories" in found:
        what = where + "categories"
        for node, code in nodes.text_list(found["categories"], problems, what, "[cs.LG, math]"):
            if taxonomy.is_valid(code):
                categories.append(code)
                continue
            guess = taxonomy.suggest(code)
            hint = f"did you mean {guess!r}?" if guess else "codes look like cs.LG, math, hep-th"
            problems.at(node, f"unknown arXiv category {code!r} ({hint})")
    authors: list[WatchedAuthor] = []
    if "authors" in found:
        for node in nodes.items(found["authors"], problems, where + "authors", "[Olga Fink]"):
            author = _author(node, problems, where + "authors")
            if author is not None:
                authors.append(author)
    return Topic(
        name=name,
        categories=tuple(dict.fromkeys(categories)),
        authors=tuple(dict.fromkeys(authors)),
        keywords=_phrases(found, "keywords", problems, where),
        exclude=_phrases(found, "exclude", problems, where),
        biorxiv=sourcekeys.server_subjects(found, "biorxiv", problems, where),
        medrxiv=sourcekeys.server_subjects(found, "medrxiv", problems, where),
        journals=sourcekeys.journals(found, problems, where),
    )


def _phrases(found: _Found, key: str, problems: Problems, where: str) -> tuple[str, ...]:
    if key not in found:
        return ()
    unique: dict[str, str] = {}
    for _, phrase in nodes.text_list(found[key], problems, where + key, "[anomaly detection]"):
        tidy = " ".join(phrase.split())
        # Matching ignores case, so "EEG" and "eeg" are one phrase: the first spelling stays.
        unique.setdefault(tidy.casefold(), tidy)
    return tuple(unique.values())


def _author(node: yaml.Node, problems: Problems, what: str) -> WatchedAuthor | None:
    aliases: tuple[str, ...] = ()
    orcid = openalex = None
    if isinstance(node, yaml.MappingNode):
        allowed = ("name", "aliases", "orcid", "openalex")
        found = nodes.fields(node, problems, allowed, f"an entry of {what}")
        if found is None:
            return None
        orcid, openalex = sourcekeys.author_ids(found, problems, what)
        if "aliases" in found:
            listed = nodes.text_list(found["aliases"], problems, f"{what}: aliases", "[B. Name]")
            aliases = tuple(dict.fromkeys(" ".join(a.split()) for _, a in listed))
        if not _given(found, "name"):
            detail = "aliases" if aliases or not (orcid or openalex) else "an orcid or openalex id"
            problems.at(node, f"{what}: an entry with {detail} needs a name")
            return None
        node = found["name"]
    if isinstance(node, yaml.SequenceNode):
        problems.at(node, f"{what}: expected a name or {{name, aliases}}, got a list")
        return None
    name = "" if nodes.is_null(node) else nodes.text(node, problems, what)
    if name == "":
        problems.at(node, f"{what}: an author name is empty")
    if not name:
        return None
    return WatchedAuthor(" ".join(name.split()), aliases, orcid=orcid, openalex=openalex)


def _topics(
    pairs: list[tuple[yaml.ScalarNode, yaml.Node]], problems: Problems, taken: str | None
) -> list[Topic]:
    topics: list[Topic] = []
    for key_node, value in pairs:
        name = str(key_node.value).strip()
        if key_node.tag != nodes.STR or not name:
            shown = nodes.describe(key_node)
            problems.at(key_node, f"topics: a topic name must be non-empty text, not {shown}")
            continue
        if name == taken:
            problems.at(key_node, f"topics: {name!r} is also the watchlist's name; rename one")
            continue
        where = f"topics.{name}"
        found = {} if nodes.is_null(value) else nodes.fields(value, problems, _WATCH_KEYS, where)
        if found is None:
            continue
        if not (_wrote(found, "categories", "authors", "keywords") or sourcekeys.wrote(found)):
            problems.at(key_node, f"{where}: has no {_TOPIC_WATCHES}")
        topics.append(_topic(name, found, problems, where + "."))
    return topics


def _announce_types(top: _Found, problems: Problems) -> tuple[AnnounceType, ...]:
    if not _given(top, "announce_types"):
        return ()
    node = top["announce_types"]
    chosen: list[AnnounceType] = []
    for item, value in nodes.text_list(node, problems, "announce_types", "[new, cross]"):
        known = next((t for t in ANNOUNCE_TYPES if t == value), None)
        if known is None:
            guess = nodes.suggestion(value, ANNOUNCE_TYPES)
            choices = ", ".join(ANNOUNCE_TYPES)
            problems.at(item, f"unknown announce type {value!r}{guess}; choose from {choices}")
        elif known not in chosen:
            chosen.append(known)
    if isinstance(node, yaml.SequenceNode) and not node.value:
        problems.at(node, "announce_types: is empty, so no paper would be shown; e.g. [new, cross]")
    return tuple(chosen)


def _weights(top: _Found, problems: Problems) -> Weights:
    found = _section(top, "weights", _WEIGHT_KEYS, problems)
    values = {k: _number(found, k, problems, what=f"weights.{k}") for k in found}
    return Weights(**{k: v for k, v in values.items() if v is not None})


def _similar_to(top: _Found, problems: Problems) -> tuple[str, ...]:
    if not _given(top, "similar_to"):
        return ()
    ids: list[str] = []
    for node in nodes.items(top["similar_to"], problems, "similar_to", "[2312.02826]"):
        # An unquoted 2312.02826 is a YAML float: its text, not its value, is the id.
        scalar = node.tag in (nodes.STR, nodes.INT, nodes.FLOAT)
        parsed = parse_arxiv_id(str(node.value)) if scalar else None
        if parsed is None:
            shown = repr(str(node.value)) if scalar else nodes.describe(node)
            example = "e.g. 2411.17700 or hep-th/9901001"
            problems.at(node, f"similar_to: {shown} is not an arXiv id ({example})")
            continue
        ids.append(parsed[0] + (f"v{parsed[1]}" if parsed[1] else ""))
    return tuple(dict.fromkeys(ids))


def _endpoints(top: _Found, problems: Problems) -> Endpoints:
    found = _section(top, "arxiv", ("rss_url", "api_url"), problems)
    urls: dict[str, str] = {}
    for key, node in found.items():
        url = nodes.text(node, problems, f"arxiv.{key}")
        if url is None:
            continue
        if _is_web_url(url):
            urls["arxiv_" + key] = url
        else:
            problems.at(node, f"arxiv.{key}: expected an http(s) URL, got {url!r}")
    return Endpoints(**urls)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        _ = parts.port  # reading it is what checks it
    except ValueError:  # e.g. "http://[::1" or a port that is not a number
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _network(top: _Found, problems: Problems) -> NetworkSettings:
    found = _section(top, "network", _NETWORK_KEYS, problems)
    default = NetworkSettings()

    def number(key: str, default_value: float, **bounds: Any) -> float:
        value = _number(found, key, problems, what=f"network.{key}", **bounds)
        return default_value if value is None else value

    contact = default.contact
    if _given(found, "contact"):
        given = nodes.text(found["contact"], problems, "network.contact")
        # It goes into the User-Agent header: anything but a bare address could break requests.
        if given is not None and not _EMAIL.fullmatch(given):
            problems.at(found["contact"], f"network.contact: expected an email, got {given!r}")
        contact = given if given and _EMAIL.fullmatch(given) else contact
    return NetworkSettings(
        timeout=number("timeout", default.timeout, above=0),
        retries=int(number("retries", default.retries, whole=True, minimum=0, maximum=10)),
        max_wait=number("max_wait", default.max_wait, minimum=0),
        spacing=number("spacing", default.spacing, minimum=0),
        contact=contact,
    )


# -- library: the papers the user reads (radar.library.load reads them) ------------------------

_LIBRARY_KEYS = ("bibtex", "zotero", "orcid", "openalex")
_ZOTERO_KEYS = ("library_id", "library_type", "collection", "api_key_env", "path")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _library(top: _Found, problems: Problems) -> LibrarySettings:
    found = _section(top, "library", _LIBRARY_KEYS, problems)
    bibtex = tuple(dict.fromkeys(p for _, p in _texts(found, "bibtex", problems, "[~/refs.bib]")))
    orcids: list[str] = []
    for node, text in _texts(found, "orcid", problems, "[0000-0002-1825-0097]"):
        orcid, why = sourcekeys.parse_orcid(text)
        if orcid is None:
            problems.at(node, f"library.orcid: {text!r} is not an ORCID ({why})")
        else:
            orcids.append(orcid)
    authors: list[str] = []
    for node, text in _texts(found, "openalex", problems, "[A5023888391]"):
        author = sourcekeys.parse_openalex_author(text)
        if author is None:
            what = "is not an OpenAlex author id (e.g. A5023888391)"
            problems.at(node, f"library.openalex: {text!r} {what}")
        else:
            authors.append(author)
    return LibrarySettings(
        bibtex=bibtex,
        zotero=_zotero(found, problems),
        orcid=tuple(dict.fromkeys(orcids)),
        openalex=tuple(dict.fromkeys(authors)),
    )


def _texts(
    found: _Found, key: str, problems: Problems, example: str
) -> list[tuple[yaml.Node, str]]:
    if key not in found:
        return []
    return nodes.text_list(found[key], problems, f"library.{key}", example)


def _zotero(found: _Found, problems: Problems) -> ZoteroSettings | None:
    if not _given(found, "zotero"):
        return None
    node = found["zotero"]
    keys = nodes.fields(node, problems, _ZOTERO_KEYS, "library.zotero")
    if keys is None:
        return None
    given: dict[str, str] = {}
    for key, value in keys.items():
        # A library id is a number in YAML (`library_id: 475425`): its text is what is meant.
        if key == "library_id" and isinstance(value, yaml.ScalarNode) and value.tag == nodes.INT:
            given[key] = str(value.value)
            continue
        text = nodes.text(value, problems, f"library.zotero.{key}")
        if text:
            given[key] = text
    settings = ZoteroSettings(**given)
    if settings.library_type not in ("user", "group"):
        problems.at(keys["library_type"], "library.zotero.library_type: choose user or group, "
                    f"not {settings.library_type!r}")
    if not _ENV_NAME.fullmatch(settings.api_key_env):
        problems.at(keys["api_key_env"], "library.zotero.api_key_env: the name of an environment "
                    f"variable (ZOTERO_API_KEY), not {settings.api_key_env!r}")
    if bool(settings.library_id) == bool(settings.path):
        problems.at(node, "library.zotero: give library_id (the web API) or path (a local "
                    "zotero.sqlite), one of the two")
    elif settings.library_id and not settings.library_id.isdigit():
        problems.at(keys["library_id"], "library.zotero.library_id: the number on "
                    f"zotero.org/settings/keys, not {settings.library_id!r}")
    return settings
