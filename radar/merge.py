"""One paper, one card: the same work from several sources, known by DOI or arXiv id, merged.

A preprint and its journal version, an arXiv paper with a journal DOI, and one DOI
from two services become one card. The card is the preprint's record (arXiv first,
then bioRxiv/medRxiv, then a journal), and its `links` point to every other copy.
Two different preprints are never merged, even when a journal published them as one.

A DOI that one record gives for another (an arXiv submitter's DOI, bioRxiv's "published"
DOI, an OpenAlex link) is a claim, and a wrong claim would make the other paper vanish
into this card. So records of different kinds merge only when they are the same record
(one shares the other's own id, e.g. arXiv's DataCite DOI) or their titles agree (see
`titles_agree`); otherwise each keeps its card. A duplicate card can be seen; an absorbed
paper is lost.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from radar.models import Link, Paper
from radar.names import decode_tex

ARXIV_DOI_PREFIX = "10.48550/arxiv."  # arXiv's own DOIs: 10.48550/arXiv.2411.17700
GENERIC_LABELS = frozenset({"Journal version", "DOI"})

_RANK = {"arxiv": 0, "biorxiv": 1, "medrxiv": 1, "journal": 2}
_SOURCE_RANK = {
    "feed": 0,
    "recovered": 1,
    "api": 1,
    "biorxiv": 2,
    "medrxiv": 2,
    "openalex": 3,
    "crossref": 4,
}
_LABELS = {"arxiv": "arXiv", "biorxiv": "bioRxiv", "medrxiv": "medRxiv"}
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"^https?://(?:www\.)?arxiv\.org/abs/(.+?)(?:v\d+)?$", re.IGNORECASE)
_PREPRINT_URL = re.compile(
    r"^https?://(?:www\.)?(?:bio|med)rxiv\.org/content/(10\.1101/.+?)(?:v\d+)?$", re.IGNORECASE
)


def merge(papers: Sequence[Paper]) -> tuple[Paper, ...]:
    """Each work once, in the order its first copy came; the same input gives the same output."""
    order = sorted(range(len(papers)), key=lambda i: (*_rank(papers[i]), i))
    cards: list[_Card] = []
    owners: dict[str, list[int]] = {}  # identity -> the cards (indexes) that go by it
    for i in order:
        paper = papers[i]
        ids = identities(paper)
        joinable = sorted({c for k in ids for c in owners.get(k, ())}, key=lambda c: cards[c].first)
        target = next((c for c in joinable if cards[c].accepts(paper)), None)
        if target is None:
            target = len(cards)
            cards.append(_Card(paper=paper, first=i))
        else:
            cards[target].members.append(paper)
            cards[target].first = min(cards[target].first, i)
        for key in ids:
            held = owners.setdefault(key, [])
            if target not in held:
                held.append(target)
    cards.sort(key=lambda c: c.first)
    return tuple(c.build() for c in cards)


# Where a subtitle starts: a colon, a question mark, a dash (-, en, em) between spaces; not
# a dash inside a phrase ("Dimerization\u2013Not Catalytic Inactivity\u2013of").
_SUBTITLE = re.compile(r":|\?|\s[-\u2013\u2014]\s")
_TAG = re.compile(r"<[^<>]*>")  # Crossref and OpenAlex titles may carry <i>, <sub>, <scp>
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_NOT_WORD = re.compile(r"[\W_]+")
_TEX_GROUPING = str.maketrans("", "", "{}$")  # "{C}oding" is "Coding"


def _greek(match: re.Match[str]) -> str:
    """A TeX Greek letter as the letter (`\\alpha` -> U+03B1); any other command goes."""
    name = match.group(1).removeprefix("var")
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return " "


def normal_title(title: str) -> str:
    """A title as compared: no markup, TeX, accents, case, punctuation or extra spaces."""
    text = _TAG.sub(" ", html.unescape(title))
    text = _TEX_COMMAND.sub(_greek, decode_tex(text)).translate(_TEX_GROUPING)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def titles_agree(one: str, other: str) -> bool:
    """The same title, once normalised (see `normal_title`): a preprint and its journal
    version often differ in case, accents, TeX, markup and punctuation. Also when one
    adds a subtitle the other lacks ("EEG-DCNet" and "EEG-DCNet: a fast network ...").
    Anything else, even one changed word, is two titles: merging wrongly loses a paper."""
    a, b = normal_title(one), normal_title(other)
    if not a or not b:
        return False
    if a == b:
        return True
    main_a = normal_title(_SUBTITLE.split(one, maxsplit=1)[0])
    main_b = normal_title(_SUBTITLE.split(other, maxsplit=1)[0])
    return (main_a == b and main_a != a) or (main_b == a and main_b != b)


def identities(paper: Paper) -> frozenset[str]:
    """Every name the work goes by: "arxiv:<id>" and "doi:<lower-cased doi>" keys."""
    keys: set[str] = set(_own(paper))
    if paper.doi:
        keys |= _doi_keys(paper.doi)
    for link in paper.links:
        keys |= _url_keys(link.url)
    return frozenset(keys)


def _own(paper: Paper) -> frozenset[str]:
    """The keys of this record itself (not of the copies it links to)."""
    if paper.arxiv_id:
        arxiv_id = paper.arxiv_id.lower()
        return frozenset({f"arxiv:{arxiv_id}", f"doi:{ARXIV_DOI_PREFIX}{arxiv_id}"})
    return frozenset(_doi_keys(paper.doi)) if paper.doi else frozenset()


def _doi_keys(doi: str) -> set[str]:
    doi = doi.strip().lower()
    keys = {f"doi:{doi}"}
    if doi.startswith(ARXIV_DOI_PREFIX):
        keys.add(f"arxiv:{doi.removeprefix(ARXIV_DOI_PREFIX)}")
    return keys


def _url_keys(url: str) -> set[str]:
    for pattern in (_DOI_URL, _PREPRINT_URL):
        match = pattern.match(url.strip())
        if match:
            return _doi_keys(match.group(1))
    match = _ARXIV_URL.match(url.strip())
    return {f"arxiv:{match.group(1).lower()}"} if match else set()


def _rank(paper: Paper) -> tuple[int, int]:
    return _RANK.get(paper.origin, 3), _SOURCE_RANK.get(paper.source, 5)


def _same_kind(one: Paper, other: Paper) -> bool:
    return _RANK.get(one.origin) == _RANK.get(other.origin)


def _label(paper: Paper) -> str:
    return _LABELS.get(paper.origin) or paper.venue or "Journal version"


def _link_key(url: str) -> str:
    keys = _url_keys(url)
    return min(keys) if keys else url.strip().casefold()


@dataclass
class _Card:
    paper: Paper
    first: int
    members: list[Paper] = field(default_factory=list)

    def accepts(self, paper: Paper) -> bool:
        """Whether `paper` (sharing an identity with this card) is the same work."""
        papers = (self.paper, *self.members)
        if any(_RANK.get(p.origin) == _RANK.get(paper.origin) for p in papers):
            # Two arXiv papers (or two preprints, or two journal DOIs) are two works.
            return all(_own(p) == _own(paper) for p in papers if _same_kind(p, paper))
        own = _own(paper)
        if any(own & _own(p) for p in papers):
            return True  # the very same record, e.g. arXiv's DataCite DOI seen by OpenAlex
        return any(titles_agree(p.title, paper.title) for p in papers)

    def build(self) -> Paper:
        card = self.paper
        if not self.members:
            return card
        own = _own(card) | {card.url.strip().casefold()}
        links: dict[str, Link] = {}
        candidates = list(card.links)
        for member in self.members:
            candidates += [Link(_label(member), member.url), *member.links]
        for link in candidates:
            key = _link_key(link.url)
            if not link.url or key in own:
                continue
            held = links.get(key)
            if held is None:
                links[key] = link
            elif held.label in GENERIC_LABELS and link.label not in GENERIC_LABELS:
                links[key] = Link(link.label, held.url)  # "Journal version" -> "eLife"
        doi = card.doi
        if doi is None and card.arxiv_id:
            doi = next((m.doi for m in self.members if m.origin == "journal" and m.doi), None)
        abstract = card.abstract or next((m.abstract for m in self.members if m.abstract), "")
        return replace(card, links=tuple(links.values()), doi=doi, abstract=abstract)
