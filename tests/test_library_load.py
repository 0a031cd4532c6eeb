"""The `library:` key and radar.library.load: every source read, cached, and each problem one
warning line (never an error that would hide the day's cards)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from loopback import Answer, Loopback, fixture
from radar.config import example_config_text, parse_config
from radar.errors import ConfigError
from radar.library.entries import LibraryEntry
from radar.library.load import MAX_BIBTEX_BYTES, LibraryWorld, load_library
from radar.library.records import PaperRecord
from radar.library.verdicts import VerdictStore
from radar.library.zotero import read_zotero_web
from radar.polite import FilePacer, WaitBudget
from radar.sources.channel import Channel
from radar.store import open_store
from radar.watchlist import (
    LibrarySettings,
    ZoteroSettings,
    config_from_plain,
    config_to_plain,
)

NOW = datetime(2024, 11, 28, 12, tzinfo=UTC)
ZOTERO_ITEMS = "zotero/items-z-public-library-475425.json"


def config_with(library: str) -> LibrarySettings:
    return parse_config("categories: [cs.LG]\nlibrary:\n" + library, None).library


# -- the watchlist key ------------------------------------------------------------------------


def test_the_library_key_is_validated_and_round_trips() -> None:
    text = (
        "categories: [cs.LG]\n"
        "library:\n"
        "  bibtex: [refs.bib, ~/more.bib]\n"
        "  zotero: {library_id: 475425, library_type: group, collection: N7W92H48}\n"
        "  orcid: [0000-0002-1825-0097]\n"
        "  openalex: [A5023888391]\n"
    )
    config = parse_config(text, None)
    assert config.library == LibrarySettings(
        bibtex=("refs.bib", "~/more.bib"),
        zotero=ZoteroSettings(library_id="475425", library_type="group", collection="N7W92H48"),
        orcid=("0000-0002-1825-0097",),
        openalex=("A5023888391",),
    )
    assert config_from_plain(config_to_plain(config)) == config


def test_library_problems_are_named_with_their_lines() -> None:
    text = (
        "categories: [cs.LG]\n"
        "library:\n"
        "  bibtex: refs.bib\n"
        "  zotero: {library_type: team}\n"
        "  orcid: [0000-0002-1825-0096]\n"
        "  zoterro: x\n"
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("radar.yaml"))
    problems = "\n".join(caught.value.problems)
    assert "radar.yaml:3" in problems and "library.bibtex: expected a list" in problems
    assert "radar.yaml:4" in problems and "choose user or group, not 'team'" in problems
    assert "give library_id (the web API) or path" in problems
    assert "radar.yaml:5" in problems and "check digit should be 7" in problems
    assert "radar.yaml:6" in problems and "unknown key 'zoterro'" in problems


def test_the_examples_commented_library_is_valid() -> None:
    lines = example_config_text().splitlines()
    start = lines.index("# library:")
    block = ["categories: [cs.LG]"]
    for line in lines[start:]:
        if not line.startswith("#   ") and line != "# library:":
            break
        block.append(line.removeprefix("# "))
    library = parse_config("\n".join(block) + "\n", None).library
    assert library.bibtex == ("~/papers/library.bib",)
    assert library.zotero == ZoteroSettings(library_id="475425", collection="N7W92H48")
    assert library.orcid == ("0000-0002-1825-0097",)


# -- BibTeX files ---------------------------------------------------------------------------


class CountingReader:
    def __init__(self) -> None:
        self.calls: list[Path] = []

    def __call__(self, path: Path) -> tuple[tuple[LibraryEntry, ...], tuple[str, ...]]:
        self.calls.append(path)
        return (LibraryEntry(title="A paper", source=f"{path.name}:1"),), (f"{path.name}:9: bad",)


def world(tmp_path: Path, **more: object) -> LibraryWorld:
    store = open_store(tmp_path / "cache")
    return LibraryWorld(cache=store, now=lambda: NOW, base_dir=tmp_path, **more)  # type: ignore[arg-type]


def test_a_bibtex_file_is_read_once_per_change(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={A paper}}\n", encoding="utf-8")
    reader = CountingReader()
    here = world(tmp_path, read_bibtex=reader)
    settings = config_with("  bibtex: [refs.bib]\n")
    first = load_library(settings, None, here)
    assert [e.title for e in first.positives] == ["A paper"]
    assert first.warnings == ("refs.bib:9: bad",)  # the reader's own warnings pass through
    assert load_library(settings, None, here) == first
    assert len(reader.calls) == 1
    # Touched, same bytes: still no parse. Changed bytes: parsed again.
    bib.touch()
    load_library(settings, None, here)
    assert len(reader.calls) == 1
    bib.write_text("@article{b, title={Another}}\n", encoding="utf-8")
    load_library(settings, None, here)
    assert len(reader.calls) == 2


def test_a_missing_or_huge_bibtex_file_is_one_warning_each(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bib"
    with huge.open("wb") as f:
        f.truncate(MAX_BIBTEX_BYTES + 1)
    reader = CountingReader()
    settings = config_with("  bibtex: [missing.bib, huge.bib]\n")
    library = load_library(settings, None, world(tmp_path, read_bibtex=reader))
    assert library.positives == ()
    assert len(library.warnings) == 2
    assert "missing.bib does not exist; left out" in library.warnings[0]
    assert "huge.bib is 20 MB, over radar's 20 MB limit" in library.warnings[1]
    assert reader.calls == []


def test_a_reader_that_fails_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "latin1.bib").write_bytes("@article{a, title={Caf\xe9}}".encode("latin-1"))

    def failing(path: Path) -> tuple[tuple[LibraryEntry, ...], tuple[str, ...]]:
        path.read_text(encoding="utf-8")
        raise AssertionError("unreachable")

    settings = config_with("  bibtex: [latin1.bib]\n")
    library = load_library(settings, None, world(tmp_path, read_bibtex=failing))
    (warning,) = library.warnings
    assert "latin1.bib could not be read (UnicodeDecodeError" in warning


# -- verdicts -------------------------------------------------------------------------------


def test_saved_papers_are_positives_and_dismissed_ones_negatives(tmp_path: Path) -> None:
    with VerdictStore(tmp_path / "v.sqlite3", lambda: NOW) as verdicts:
        verdicts.judge([PaperRecord("2411.00001", "2411.00001", title="Kept")], "saved")
        verdicts.judge([PaperRecord("2411.00002", "2411.00002", title="Skipped")], "dismissed")
        library = load_library(LibrarySettings(), verdicts, world(tmp_path))
    assert [(e.title, e.source) for e in library.positives] == [("Kept", "saved")]
    assert [(e.title, e.source) for e in library.negatives] == [("Skipped", "dismissed")]


# -- Zotero: the local database ---------------------------------------------------------------

# The tables and columns of Zotero 7's userdata.sql (and system.sql's itemTypes and
# fieldsCombined) that radar reads; other columns are left out.
ZOTERO_SCHEMA = """
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT, templateItemTypeID INT,
    display INT DEFAULT 1);
CREATE TABLE fieldsCombined (fieldID INT NOT NULL, fieldName TEXT NOT NULL, label TEXT,
    fieldFormatID INT, custom INT NOT NULL, PRIMARY KEY (fieldID));
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL, libraryID INT NOT NULL,
    key TEXT NOT NULL, version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
    fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL,
    creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    parentCollectionID INT DEFAULT NULL, libraryID INT NOT NULL, key TEXT NOT NULL);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID));
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
"""


def tiny_zotero(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(ZOTERO_SCHEMA)
    db.executemany(
        "INSERT INTO itemTypes (itemTypeID, typeName) VALUES (?, ?)",
        [(3, "attachment"), (22, "journalArticle"), (30, "preprint")],
    )
    db.executemany(
        "INSERT INTO fieldsCombined VALUES (?, ?, NULL, NULL, 0)",
        [(1, "title"), (2, "abstractNote"), (6, "date"), (59, "DOI"), (13, "url"), (16, "extra")],
    )
    items = [(1, 22, "AAAA1111"), (2, 30, "BBBB2222"), (3, 3, "CCCC3333"), (4, 22, "DDDD4444")]
    db.executemany(
        "INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (?, ?, 1, ?)", items
    )
    values = {
        1: {
            1: "Calibrated Adaptive Teacher",
            2: "Fault diagnosis.",
            6: "2024-11-28",
            59: "10.3390/S24237539",
        },
        2: {1: "A preprint", 13: "https://arxiv.org/abs/2411.17705v1", 6: "2024"},
        3: {1: "Full Text PDF"},
        4: {1: "In the trash"},
    }
    value_id = 0
    for item_id, fields in values.items():
        for field_id, value in fields.items():
            value_id += 1
            db.execute("INSERT INTO itemDataValues VALUES (?, ?)", (value_id, value))
            db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item_id, field_id, value_id))
    db.executemany(
        "INSERT INTO creators (creatorID, firstName, lastName, fieldMode) VALUES (?, ?, ?, 0)",
        [(1, "Florent", "Forest"), (2, "Olga", "Fink")],
    )
    order = [(1, 2, 1), (1, 1, 0), (2, 2, 0)]  # item, creator, place: Fink second on item 1
    db.executemany("INSERT INTO itemCreators VALUES (?, ?, 1, ?)", order)
    db.execute("INSERT INTO collections VALUES (7, 'Reading', NULL, 1, 'COLL0007')")
    db.execute("INSERT INTO collectionItems VALUES (7, 2, 0)")
    db.execute("INSERT INTO deletedItems (itemID) VALUES (4)")
    db.commit()
    db.close()


def test_a_local_zotero_database_is_read_without_attachments_or_trash(tmp_path: Path) -> None:
    tiny_zotero(tmp_path / "zotero.sqlite")
    before = (tmp_path / "zotero.sqlite").read_bytes()
    settings = config_with("  zotero: {path: zotero.sqlite}\n")
    library = load_library(settings, None, world(tmp_path))
    assert library.warnings == ()
    assert [(e.title, e.authors, e.doi, e.arxiv_id, e.year) for e in library.positives] == [
        ("Calibrated Adaptive Teacher", ("Florent Forest", "Olga Fink"), "10.3390/s24237539",
         "", 2024),
        ("A preprint", ("Olga Fink",), None, "2411.17705", 2024),
    ]
    assert library.positives[0].abstract == "Fault diagnosis."
    assert (tmp_path / "zotero.sqlite").read_bytes() == before  # never written
    one = load_library(config_with("  zotero: {path: zotero.sqlite, collection: Reading}\n"),
                       None, world(tmp_path))
    assert [e.title for e in one.positives] == ["A preprint"]


def test_a_local_zotero_database_is_read_while_zotero_holds_a_write_lock(tmp_path: Path) -> None:
    tiny_zotero(tmp_path / "zotero.sqlite")
    zotero = sqlite3.connect(tmp_path / "zotero.sqlite", isolation_level=None)
    zotero.execute("BEGIN EXCLUSIVE")  # Zotero keeps its database locked while it runs
    try:
        library = load_library(config_with("  zotero: {path: zotero.sqlite}\n"), None,
                               world(tmp_path))
    finally:
        zotero.execute("ROLLBACK")
        zotero.close()
    assert library.warnings == ()
    assert len(library.positives) == 2


def test_a_missing_or_unreadable_zotero_database_is_one_warning(tmp_path: Path) -> None:
    (tmp_path / "broken.sqlite").write_text("not a database", encoding="utf-8")
    for name, said in (("missing.sqlite", "does not exist"), ("broken.sqlite", "is not a Zotero")):
        settings = config_with(f"  zotero: {{path: {name}}}\n")
        library = load_library(settings, None, world(tmp_path))
        (warning,) = library.warnings
        assert said in warning and warning.startswith("library: Zotero")


# -- Zotero: the web API --------------------------------------------------------------------


@pytest.fixture
def zotero_server() -> Loopback:
    server = Loopback().start()
    yield server  # type: ignore[misc]
    server.stop()


def web_world(
    tmp_path: Path, server: Loopback, settings: ZoteroSettings, key: str = ""
) -> LibraryWorld:
    headers = {"Zotero-API-Version": "3", **({"Zotero-API-Key": key} if key else {})}
    client = httpx.Client(headers=headers, timeout=2)
    pacer = FilePacer(tmp_path / "pace.lock", interval=0)
    channel = Channel(client, pacer, WaitBudget(1.0), retries=1, timeout=2, sleep=lambda s: None)
    return world(tmp_path, zotero_web=lambda: read_zotero_web(channel, server.url, settings))


def test_the_zotero_web_api_is_read_and_kept_for_a_day(
    tmp_path: Path, zotero_server: Loopback
) -> None:
    items = Answer(body=fixture(ZOTERO_ITEMS), content_type="application/json")
    zotero_server.route("/users/475425/items/top", items)
    settings = ZoteroSettings(library_id="475425")
    here = web_world(tmp_path, zotero_server, settings, key="secret-key")
    library = load_library(LibrarySettings(zotero=settings), None, here)
    assert library.warnings == ()
    titles = [e.title for e in library.positives]
    assert len(titles) == 20 and "Sherlock Holmes in Babylon" in titles
    holmes = next(e for e in library.positives if e.title == "Sherlock Holmes in Babylon")
    assert holmes.doi == "10.2307/2321200" and holmes.year == 1980
    assert holmes.authors == ("R. Creighton Buck",)
    request = zotero_server.requests[0]
    assert request.headers["zotero-api-key"] == "secret-key"
    assert request.query["limit"] == ["100"] and request.query["start"] == ["0"]
    load_library(LibrarySettings(zotero=settings), None, here)
    assert zotero_server.count("/users/") == 1  # the second run used the cache


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (Answer(status=403, body=b"Forbidden", content_type="text/plain"), "HTTP 403"),
        (Answer(status=429, body=b"", headers={"Retry-After": "1"}), "HTTP 429"),
        (Answer(status=200, stall=3.0, body=b"[]", content_type="application/json"), "timed out"),
    ],
)
def test_a_zotero_failure_is_one_warning(
    tmp_path: Path, zotero_server: Loopback, answer: Answer, said: str
) -> None:
    zotero_server.route("/users/", answer)
    settings = ZoteroSettings(library_id="475425")
    library = load_library(
        LibrarySettings(zotero=settings), None, web_world(tmp_path, zotero_server, settings)
    )
    assert library.positives == ()
    (warning,) = library.warnings
    assert warning.startswith("library: Zotero: reading Zotero failed: ") and said in warning
    assert warning.endswith("; left out")
