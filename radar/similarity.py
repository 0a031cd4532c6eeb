"""Lexical similarity to a few seed papers: TF-IDF cosine in plain Python, no ML stack."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from radar.models import Paper

_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")
# Words too common in abstracts to say anything about a topic.
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "are",
        "our",
        "which",
        "can",
        "has",
        "have",
        "been",
        "its",
        "these",
        "their",
        "into",
        "such",
        "than",
        "also",
        "both",
        "more",
        "most",
        "other",
        "based",
        "using",
        "used",
        "use",
        "show",
        "shows",
        "paper",
        "propose",
        "proposed",
        "approach",
        "method",
        "methods",
        "results",
        "new",
        "two",
        "one",
        "via",
        "over",
        "under",
        "between",
        "while",
        "where",
        "when",
        "how",
        "not",
        "all",
        "any",
        "each",
        "may",
        "however",
        "well",
        "here",
        "there",
        "they",
        "them",
        "then",
        "thus",
        "only",
        "being",
        "were",
        "was",
    ]
)
MIN_COSINE = 0.10  # below this the shared words are incidental


def _terms(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def similar_to_seeds(
    papers: Sequence[Paper], seeds: Sequence[Paper]
) -> dict[str, tuple[str, float]]:
    """Papers close to a seed -> (the closest seed's id, cosine); seeds themselves left out."""
    if not seeds or not papers:
        return {}
    docs = [_terms(f"{p.title} {p.abstract}") for p in papers]
    seed_docs = [_terms(f"{s.title} {s.abstract}") for s in seeds]
    frequency: Counter[str] = Counter()
    for doc in (*docs, *seed_docs):
        frequency.update(doc.keys())
    total = len(docs) + len(seed_docs)
    idf = {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in frequency.items()}
    seed_vectors = [(s.key, _unit(d, idf)) for s, d in zip(seeds, seed_docs, strict=True)]
    seed_ids = {s.key for s in seeds}
    found: dict[str, tuple[str, float]] = {}
    for paper, doc in zip(papers, docs, strict=True):
        if paper.key in seed_ids:
            continue
        vector = _unit(doc, idf)
        best = max(
            ((seed_id, _dot(vector, seed_vec)) for seed_id, seed_vec in seed_vectors),
            key=lambda pair: pair[1],
        )
        if best[1] >= MIN_COSINE:
            found[paper.key] = (best[0], round(best[1], 3))
    return found


def _unit(doc: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    weighted = {t: (1 + math.log(n)) * idf[t] for t, n in doc.items()}
    norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    return {t: v / norm for t, v in weighted.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
