"""Watchlist keys for sources beyond arXiv: bioRxiv/medRxiv subjects, journals, author ids."""

from __future__ import annotations

import re

import yaml

from radar import biorxiv_taxonomy as subjects
from radar import yamlnodes as nodes
from radar.biorxiv_taxonomy import SERVER_NAMES, Server
from radar.watchlist import Journal
from radar.yamlnodes import Problems

SOURCE_KEYS = ("biorxiv", "medrxiv", "journals")

_ISSN = re.compile(r"(\d{4})-?(\d{3}[\dX])")
_ORCID = re.compile(
    r"(?:https?://(?:www\.)?orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE
)
_OPENALEX_AUTHOR = re.compile(r"(?:https?://openalex\.org/)?(A\d{1,12})", re.IGNORECASE)

_Found = dict[str, yaml.Node]


def issn_check_digit(first_seven: str) -> str:
    """ISSN's mod-11 check character for the first seven digits (ISO 3297)."""
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def parse_issn(text: str) -> tuple[str | None, str]:
    """("1234-5679", "") for a valid ISSN, else (None, why not)."""
    match = _ISSN.fullmatch(text.strip().upper())
    if match is None:
        return None, "an ISSN is 8 characters, e.g. 0028-0836"
    digits = match.group(1) + match.group(2)
    expected = issn_check_digit(digits[:7])
    if digits[7] != expected:
        return None, f"its check digit should be {expected}: a typo?"
    return f"{digits[:4]}-{digits[4:]}", ""


def orcid_check_digit(first_fifteen: str) -> str:
    """ORCID's ISO 7064 MOD 11-2 check character for the first fifteen digits."""
    total = 0
    for digit in first_fifteen:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def parse_orcid(text: str) -> tuple[str | None, str]:
    match = _ORCID.fullmatch(text.strip())
    if match is None:
        return None, "an ORCID looks like 0000-0002-1825-0097"
    orcid = match.group(1).upper()
    expected = orcid_check_digit(orcid.replace("-", "")[:15])
    if orcid[-1] != expected:
        return None, f"its check digit should be {expected}: a typo?"
    return orcid, ""


def parse_openalex_author(text: str) -> str | None:
    match = _OPENALEX_AUTHOR.fullmatch(text.strip())
    return "A" + match.group(1)[1:] if match else None


def wrote(found: _Found) -> bool:
    """Whether a mapping holds any source key with something in it (valid or not)."""
    for key in SOURCE_KEYS:
        node = found.get(key)
        if node is None or nodes.is_null(node):
            continue
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode) and not node.value:
            continue
        if isinstance(node, yaml.MappingNode):
            inner = {str(k.value): v for k, v in node.value}
            listed = inner.get("categories")
            if isinstance(listed, yaml.SequenceNode) and not listed.value:
                continue
        return True
    return False


def server_subjects(
    found: _Found, server: Server, problems: Problems, where: str
) -> tuple[str, ...]:
    """`biorxiv: {categories: [...]}` (or medrxiv): the subjects as the API spells them."""
    if server not in found or nodes.is_null(found[server]):
        return ()
    what = where + server
    section = nodes.fields(found[server], problems, ("categories",), what)
    if not section or "categories" not in section:
        return ()
    chosen: list[str] = []
    example = "[neuroscience, cell biology]" if server == "biorxiv" else "[epidemiology]"
    listed = nodes.text_list(section["categories"], problems, what + ".categories", example)
    for item, value in listed:
        known = subjects.canonical(server, value)
        if known is not None:
            chosen.append(known)
            continue
        other: Server = "medrxiv" if server == "biorxiv" else "biorxiv"
        if subjects.canonical(other, value) is not None:
            where_else = f"is a {SERVER_NAMES[other]} subject: list it under {other}"
            problems.at(item, f"{what}.categories: {value!r} {where_else}")
            continue
        guess = subjects.suggest(server, value)
        name = SERVER_NAMES[server]
        hint = f"did you mean {guess!r}?" if guess else f"{name} subjects are e.g. {example}"
        problems.at(item, f"{what}.categories: unknown {name} subject {value!r} ({hint})")
    return tuple(dict.fromkeys(chosen))


def journals(found: _Found, problems: Problems, where: str) -> tuple[Journal, ...]:
    """`journals: [{issn: 0028-0836, name: Nature}, 1476-4687]`: ISSNs checked digit by digit."""
    if "journals" not in found:
        return ()
    what = where + "journals"
    chosen: dict[str, Journal] = {}
    for node in nodes.items(found["journals"], problems, what, "[{issn: 0028-0836, name: Nature}]"):
        journal = _journal(node, problems, what)
        if journal is not None:
            chosen.setdefault(journal.issn, journal)  # the same ISSN twice: the first counts
    return tuple(chosen.values())


def _journal(node: yaml.Node, problems: Problems, what: str) -> Journal | None:
    name = ""
    if isinstance(node, yaml.MappingNode):
        entry = nodes.fields(node, problems, ("issn", "name"), f"an entry of {what}")
        if entry is None:
            return None
        if "name" in entry and not nodes.is_null(entry["name"]):
            name = " ".join((nodes.text(entry["name"], problems, f"{what}: name") or "").split())
        if "issn" not in entry or nodes.is_null(entry["issn"]):
            problems.at(node, f"{what}: each journal needs an issn, e.g. {{issn: 0028-0836}}")
            return None
        node = entry["issn"]
    # An unquoted 00280836 is a YAML number: its text, not its value, is the ISSN.
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (nodes.STR, nodes.INT):
        problems.at(node, f"{what}: expected an ISSN or {{issn, name}}, got {nodes.describe(node)}")
        return None
    issn, why = parse_issn(str(node.value))
    if issn is None:
        problems.at(node, f"{what}: {str(node.value)!r} is not a valid ISSN ({why})")
        return None
    return Journal(issn, name)


def author_ids(found: _Found, problems: Problems, what: str) -> tuple[str | None, str | None]:
    """An author entry's optional `orcid` and `openalex` (OpenAlex author id) keys."""
    orcid = openalex = None
    if "orcid" in found and not nodes.is_null(found["orcid"]):
        given = nodes.text(found["orcid"], problems, f"{what}: orcid")
        if given is not None:
            orcid, why = parse_orcid(given)
            if orcid is None:
                problems.at(found["orcid"], f"{what}: orcid {given!r} is not valid ({why})")
    if "openalex" in found and not nodes.is_null(found["openalex"]):
        given = nodes.text(found["openalex"], problems, f"{what}: openalex")
        if given is not None:
            openalex = parse_openalex_author(given)
            if openalex is None:
                example = "an OpenAlex author id looks like A5023888391"
                problems.at(found["openalex"], f"{what}: openalex {given!r}: {example}")
    return orcid, openalex
