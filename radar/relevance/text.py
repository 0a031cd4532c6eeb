"""What the words say: TF-IDF over title and abstract, and three views of it combined.

A paper is scored by its largest cosine to a library paper (arxiv-sanity's "most like one
of mine"), its cosine to the library's centroid ("like my field as a whole"), and a linear
SVM trained with the library as positives and the day's papers and dismissed ones as
negatives (arxiv-sanity-lite's recipe). Each is standardised over the day's papers and the
three are averaged: on the dev benchmark the mix beats each alone (docs/relevance.md).
This is the one module that imports scikit-learn (and numpy and scipy with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# arxiv-sanity-lite's settings: word uni- and bigrams, sublinear tf, English stop words.
NGRAMS = (1, 2)
SVM_C = 0.1
# Terms in more than this share of the texts say little about a topic. It applies from
# MIN_DOCS_FOR_MAX_DF texts on: a handful of texts share most of their words.
MAX_DF = 0.2
MIN_DOCS_FOR_MAX_DF = 50
DISMISSED_WEIGHT = 3.0  # a dismissed paper counts as three background papers against


@dataclass(frozen=True, slots=True)
class TextScores:
    """Per paper: the combined standardised score, the nearest positive (index, cosine) and
    the nearest negative (index, cosine, or -1 when there are none); for the papers scoring
    at least `explain_from`, the terms each shares most with its nearest positive."""

    score: tuple[float, ...]
    nearest: tuple[tuple[int, float], ...]
    terms: dict[int, tuple[str, ...]]
    nearest_negative: tuple[tuple[int, float], ...]


def document(title: str, abstract: str, keywords: Sequence[str] = ()) -> str:
    """The text a paper is known by; the title counts twice (it is the paper's summary)."""
    return " ".join((title, title, abstract, *keywords))


def text_scores(
    positives: Sequence[str],
    negatives: Sequence[str],
    papers: Sequence[str],
    explain_from: float = float("-inf"),
) -> TextScores | None:
    """Scores for `papers` against the `positives` (and the user's `negatives`), or None
    when the texts share no usable word. Shared terms are found only for the papers whose
    score reaches `explain_from` (the others get no reason that would show them)."""
    import numpy as np
    from scipy.sparse import vstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts = [*positives, *negatives, *papers]
    vectorizer = TfidfVectorizer(
        strip_accents="unicode",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=NGRAMS,
        sublinear_tf=True,
        max_df=MAX_DF if len(texts) >= MIN_DOCS_FOR_MAX_DF else 1.0,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no term left (empty texts, stop words only)
        return None
    n_pos, n_neg = len(positives), len(negatives)
    pos, neg, day = matrix[:n_pos], matrix[n_pos : n_pos + n_neg], matrix[n_pos + n_neg :]

    cosines = (day @ pos.T).toarray()
    best = cosines.argmax(axis=1)
    nearest_cos = cosines[np.arange(len(papers)), best]
    centroid = np.asarray(pos.mean(axis=0)).ravel()
    centroid /= np.linalg.norm(centroid) or 1.0
    central = day @ centroid

    labels = np.r_[np.ones(n_pos), np.zeros(n_neg + len(papers))]
    weights = np.r_[np.ones(n_pos), np.full(n_neg, DISMISSED_WEIGHT), np.ones(len(papers))]
    svm = LinearSVC(C=SVM_C, class_weight="balanced", tol=1e-6, max_iter=10_000)
    svm.fit(vstack([pos, neg, day]).tocsr(), labels, sample_weight=weights)
    learned = svm.decision_function(day)

    combined = (_standard(nearest_cos) + _standard(central) + _standard(learned)) / 3
    if n_neg:
        against = (day @ neg.T).toarray()
        worst = against.argmax(axis=1)
        nearest_neg = [(int(j), float(against[i, j])) for i, j in enumerate(worst)]
    else:
        nearest_neg = [(-1, 0.0)] * len(papers)
    explained = [i for i in range(len(papers)) if combined[i] >= explain_from]
    terms = _shared_terms(day, pos, explained, best, vectorizer.vocabulary_)
    return TextScores(
        score=tuple(float(x) for x in combined),
        nearest=tuple((int(j), float(c)) for j, c in zip(best, nearest_cos, strict=True)),
        terms=terms,
        nearest_negative=tuple(nearest_neg),
    )


def _standard(values: Any) -> Any:  # numpy arrays in and out
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else values * 0.0


def _shared_terms(
    day: Any, pos: Any, rows: list[int], best: Any, vocabulary: dict[str, int], most: int = 2
) -> dict[int, tuple[str, ...]]:
    """For each of `rows`, the terms the paper and its nearest library paper share that weigh
    most in both; a phrase says its words better than they do alone ("domain adaptation"
    over "domain")."""
    import numpy as np

    if not rows:
        return {}
    # One sparse product for every row at once: row k is paper rows[k] times its nearest.
    product = day[rows].multiply(pos[best[rows]]).tocsr()
    tops: dict[int, list[int]] = {}
    for k, row in enumerate(rows):
        begin, end = product.indptr[k], product.indptr[k + 1]
        order = np.argsort(-product.data[begin:end], kind="stable")[: 4 * most]
        tops[row] = [int(c) for c in product.indices[begin:end][order]]
    wanted = {c for columns in tops.values() for c in columns}
    names = {c: term for term, c in vocabulary.items() if c in wanted}
    found: dict[int, tuple[str, ...]] = {}
    for row, columns in tops.items():
        chosen: list[str] = []
        for column in columns:
            words = set(names[column].split())
            if any(words <= set(c.split()) for c in chosen):
                continue
            chosen = [c for c in chosen if not set(c.split()) <= words]
            chosen.append(names[column])
        found[row] = tuple(chosen[:most])
    return found
