"""BibTeX libraries: Zotero exports read into entries, and every bad file one warning line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import radar.library.bibtex
from loopback import FIXTURES
from radar.library.bibtex import read_bibtex

SAMPLE = FIXTURES / "library" / "zotero-sample.bib"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_zotero_export_gives_titles_authors_ids_and_abstracts() -> None:
    entries, warnings = read_bibtex(SAMPLE)
    assert warnings == ()
    assert [e.arxiv_id for e in entries] == ["2511.09195", "2507.20512", "2507.02672"]
    first = entries[0]
    assert first.title == (
        "Towards Trustworthy Dermatology MLLMs: A Benchmark and Multimodal Evaluator "
        "for Diagnostic Narratives"
    )
    assert first.authors[:2] == ("Yuhao Shen", "Jiahe Qian")
    assert "Tao Lu" in first.authors
    assert first.year == 2025
    assert first.abstract.startswith("Multimodal large language models")
    assert first.source == "zotero-sample.bib:1"
    assert entries[1].source == "zotero-sample.bib:15"


def test_zotero_escapes_braces_and_tex_accents_become_plain_text(tmp_path: Path) -> None:
    bib = write(
        tmp_path / "refs.bib",
        "@article{k,\n"
        "  title = {{Fast} {\\textbar}x{\\textbar} and {\\\"O}ptimal"
        " 10\\% {\\textless}1 \\& more},\n"
        "  author = {M{\\\"u}ller, J{\\'e}r{\\^o}me and Fink, Olga and {Barnes and Noble}},\n"
        "  keywords = {fault diagnosis, domain adaptation},\n"
        "  url = {https://arxiv.org/abs/2411.17700v2},\n"
        "}\n",
    )
    [entry], warnings = read_bibtex(bib)
    assert warnings == ()
    assert entry.title == "Fast |x| and \u00d6ptimal 10% <1 & more"
    assert entry.authors == (
        unicodedata.normalize("NFC", "Je\u0301ro\u0302me Mu\u0308ller"),
        "Olga Fink",
        "Barnes and Noble",
    )
    assert entry.keywords == ("fault diagnosis", "domain adaptation")
    assert entry.arxiv_id == "2411.17700"
    assert entry.abstract == ""  # title and keywords carry its text


def test_an_arxiv_doi_names_the_arxiv_id(tmp_path: Path) -> None:
    bib = write(tmp_path / "r.bib", "@misc{k, title={T}, doi={10.48550/arXiv.2501.01234}}\n")
    [entry], _ = read_bibtex(bib)
    assert (entry.arxiv_id, entry.doi) == ("2501.01234", "10.48550/arXiv.2501.01234")


def test_a_broken_entry_is_named_by_file_and_line_and_the_others_kept(tmp_path: Path) -> None:
    bib = write(
        tmp_path / "broken.bib",
        "@article{a, title = {First}}\n"
        "\n"
        "@article{b,\n"
        "  title = {never closed\n"
        "\n"
        "@article{c, title = {Third}}\n",
    )
    entries, warnings = read_bibtex(bib)
    assert [e.title for e in entries] == ["First", "Third"]
    assert warnings == ("library: broken.bib:3: an entry could not be read; skipped",)


def test_a_latin_1_file_is_read_with_one_warning(tmp_path: Path) -> None:
    bib = write(tmp_path / "old.bib", "@article{a,\n title = {Caf\u00e9 theory}}\n", "latin-1")
    entries, warnings = read_bibtex(bib)
    assert [e.title for e in entries] == ["Caf\u00e9 theory"]
    assert warnings == ("library: old.bib:2: not UTF-8; read as Latin-1/Windows-1252",)


def test_a_file_too_large_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(radar.library.bibtex, "MAX_BYTES", 1_000_000)
    bib = tmp_path / "huge.bib"
    bib.write_bytes(b"@article{a, title={T}}\n" + b" " * 2_000_000)
    entries, warnings = read_bibtex(bib)
    assert entries == ()
    assert len(warnings) == 1
    assert warnings[0].startswith("library: huge.bib is 2 MB, more than radar reads (1 MB)")


def test_a_missing_file_is_one_warning(tmp_path: Path) -> None:
    entries, warnings = read_bibtex(tmp_path / "nowhere.bib")
    assert entries == ()
    assert warnings == (f"library: {tmp_path / 'nowhere.bib'} does not exist; skipped",)


def test_many_broken_entries_are_summed_up(tmp_path: Path) -> None:
    text = "".join("@article{k" + str(i) + ", title = {x\n\n" for i in range(12))
    _, warnings = read_bibtex(write(tmp_path / "bad.bib", text + "@article{ok, title={Ok}}\n"))
    assert len(warnings) <= 5
    assert warnings[-1].endswith("more problems like these")
