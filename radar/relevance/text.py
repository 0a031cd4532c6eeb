"""What the words say: TF-IDF over title and abstract, and four views of it combined.

A paper is scored by its largest cosine to a library paper (arxiv-sanity's "most like one
of mine"), its cosine to the library's centroid ("like my field as a whole"), a linear
classifier trained with the library as positives and the day's papers and dismissed ones as
negatives (arxiv-sanity-lite's recipe), and BM25 with the library as one long query (the
search engines' weighting: repeated words saturate, long abstracts do not win by length).
Each is standardised over the day's papers and the four are averaged: on the dev benchmark
the mix beats each alone (docs/relevance.md).

It is numpy only, on purpose: importing scikit-learn alone costs more than a second, and
scipy.sparse 0.4 s, which `radar rank` on a small pool cannot afford (docs/performance.md,
figure 7); radar.relevance.sparse has the few sparse operations it needs.
The tokenizer, the TF-IDF weighting and the classifier's loss are scikit-learn's and
arxiv-sanity-lite's (word uni- and bigrams, English stop words, sublinear tf, smoothed idf,
l2 rows; an L2-regularised squared-hinge linear SVM with balanced classes, as LinearSVC).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from radar.relevance.sparse import Rows, products, rows_from
from radar.relevance.stopwords import STOP_WORDS

_TOKEN = re.compile(r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b")  # scikit-learn's, letters first
# A term in a single text links no two texts: it would only dilute that text's weights
# (and, over a large library and day, make most of the vocabulary).
MIN_DF = 2
# Terms in more than this share of the texts say little about a topic. It applies from
# MIN_DOCS_FOR_MAX_DF texts on: a handful of texts share most of their words.
MAX_DF = 0.2
MIN_DOCS_FOR_MAX_DF = 50
SVM_C = 0.1  # arxiv-sanity-lite's
SVM_STEPS = 8  # Newton steps; the margin violators rarely change after a few
CG_TOLERANCE = 1e-10  # squared relative residual at which a Newton step is solved
DISMISSED_WEIGHT = 3.0  # a dismissed paper counts as three background papers against
BM25_K1, BM25_B, BM25_K3 = 1.2, 0.75, 8.0  # the textbook constants


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


def _plain(text: str) -> str:
    """`text` in lower case without accents ("Schrödinger" is "schrodinger")."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def text_scores(
    positives: Sequence[str],
    negatives: Sequence[str],
    papers: Sequence[str],
    explain_from: float = float("-inf"),
) -> TextScores | None:
    """Scores for `papers` against the `positives` (and the user's `negatives`), or None
    when the texts share no usable term. Shared terms are found only for the papers whose
    score reaches `explain_from` (the others get no reason that would show them)."""
    import numpy as np

    texts = [*positives, *negatives, *papers]
    n_pos, n_neg = len(positives), len(negatives)
    counts, name = _counts(texts)
    if counts.width == 0:
        return None
    matrix = _tfidf(counts)
    pos, neg = matrix.slice(0, n_pos), matrix.slice(n_pos, n_pos + n_neg)
    day = matrix.slice(n_pos + n_neg, len(texts))

    cosines = products(day, pos)
    best = cosines.argmax(axis=1)
    nearest_cos = cosines[np.arange(len(papers)), best]
    centroid = pos.column_sums() / n_pos
    centroid /= np.linalg.norm(centroid) or 1.0
    central = day.times(centroid)
    labels = np.r_[np.ones(n_pos), -np.ones(n_neg + len(papers))]
    weights = np.r_[np.ones(n_pos), np.full(n_neg, DISMISSED_WEIGHT), np.ones(len(papers))]
    learned = linear_svm(matrix, labels, weights)[n_pos + n_neg :]
    matched = bm25(counts.slice(n_pos + n_neg, len(texts)), counts.slice(0, n_pos))

    views = (nearest_cos, central, learned, matched)
    combined = sum(_standard(view) for view in views) / len(views)
    if n_neg:
        against = products(day, neg)
        worst = against.argmax(axis=1)
        nearest_neg = [(int(j), float(against[i, j])) for i, j in enumerate(worst)]
    else:
        nearest_neg = [(-1, 0.0)] * len(papers)
    explained = [i for i in range(len(papers)) if combined[i] >= explain_from]
    return TextScores(
        score=tuple(float(x) for x in combined),
        nearest=tuple((int(j), float(c)) for j, c in zip(best, nearest_cos, strict=True)),
        terms=_shared_terms(day, pos, explained, best, name),
        nearest_negative=tuple(nearest_neg),
    )


def _counts(texts: Sequence[str]) -> tuple[Rows, Callable[[int], str]]:
    """Term counts (texts x terms) of the terms in at least MIN_DF texts (and, from
    MIN_DOCS_FOR_MAX_DF texts on, in at most MAX_DF of them), and a column's term.

    Words are numbered as they come (one dict look-up each); a pair of neighbouring words
    is numbered from the two words' numbers, in numpy, with no string made for it. Columns
    are in the order of those numbers: nothing needs them sorted by name."""
    import numpy as np

    # Each new word gets the next number as it is first looked up (a C-level map, no Python
    # per word); stop words are numbered first, so that they are the numbers below n_stop.
    numbers: defaultdict[str, int] = defaultdict()
    numbers.default_factory = numbers.__len__
    for stop_word in STOP_WORDS:
        numbers[stop_word]
    n_stop = len(numbers)
    look_up = numbers.__getitem__
    found: list[int] = []
    lengths: list[int] = []
    for text in texts:
        before = len(found)
        found.extend(map(look_up, _TOKEN.findall(_plain(text))))
        lengths.append(len(found) - before)
    n_words, n_texts = len(numbers), len(texts)
    every = np.array(found, dtype=np.int64)
    wanted = every >= n_stop
    tokens = every[wanted]
    owner = np.repeat(np.arange(n_texts), lengths)[wanted]
    same = owner[:-1] == owner[1:]  # neighbours within one text
    pairs = n_words + tokens[:-1][same] * n_words + tokens[1:][same]
    codes = np.concatenate([tokens, pairs])
    owners = np.concatenate([owner, owner[:-1][same]])
    distinct, column = np.unique(codes, return_inverse=True)
    cells, tf = np.unique(owners * len(distinct) + column, return_counts=True)
    row, column = np.divmod(cells, max(len(distinct), 1))
    df = np.bincount(column, minlength=len(distinct))
    keep = df >= MIN_DF
    if n_texts >= MIN_DOCS_FOR_MAX_DF:
        keep &= df <= MAX_DF * n_texts
    renumbered = np.cumsum(keep) - 1
    chosen = keep[column]
    row, column, tf = row[chosen], renumbered[column[chosen]], tf[chosen]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n_texts))])
    kept = distinct[keep]
    vocabulary = list(numbers)

    def name(col: int) -> str:
        code = int(kept[col])
        if code < n_words:
            return vocabulary[code]
        first, second = divmod(code - n_words, n_words)
        return f"{vocabulary[first]} {vocabulary[second]}"

    counts = rows_from(indptr, column, tf.astype(np.float64), int(keep.sum()))
    return counts, name


def _tfidf(counts: Rows) -> Rows:
    """scikit-learn's TfidfVectorizer(sublinear_tf=True) weighting of `counts`: (1 + ln tf)
    times ln((1 + n) / (1 + df)) + 1, each row scaled to length 1."""
    import numpy as np

    df = np.bincount(counts.indices, minlength=counts.width)
    idf = np.log((1 + counts.height) / (1 + df)) + 1
    data = (1 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.bincount(counts.rows, weights=data**2, minlength=counts.height))
    return counts.with_data(data / norms[counts.rows])


def linear_svm(x: Rows, y: Any, weights: Any, c: float = SVM_C) -> Any:
    """The decision values on `x`'s rows of a linear SVM fitted to them: squared hinge loss,
    L2 penalty, an intercept penalised as one more feature, classes weighted to balance (all
    as scikit-learn's LinearSVC), `weights` per row. Solved in the primal by Newton steps
    over the rows inside the margin, each a conjugate-gradient solve (Keerthi and DeCoste,
    JMLR 2005); a few steps reach LinearSVC's ranking, and no solver library is needed."""
    import numpy as np

    n_rows = x.height
    share = {label: n_rows / (2 * np.count_nonzero(y == label)) for label in (-1.0, 1.0)}
    cost = c * weights * np.where(y > 0, share[1.0], share[-1.0])
    w, b = np.zeros(x.width), 0.0

    def objective(w: Any, b: float) -> float:
        slack = np.maximum(0.0, 1 - y * (x.times(w) + b))
        return float(0.5 * (w @ w + b * b) + cost @ slack**2)

    inside = np.ones(n_rows, dtype=bool)
    for _ in range(SVM_STEPS):
        d = 2 * cost * inside  # the Hessian's row weights: the rows inside the margin

        def hessian(v: Any, s: float, d: Any = d) -> tuple[Any, float]:
            t = d * (x.times(v) + s)
            return v + x.transposed_times(t), s + float(t.sum())

        target_w, target_b = x.transposed_times(d * y), float((d * y).sum())
        new_w, new_b = _conjugate_gradient(hessian, target_w, target_b, w, b)
        step = 1.0  # halve the step until the objective falls (it rarely needs to)
        before = objective(w, b)
        while step > 1e-3 and objective(w + step * (new_w - w), b + step * (new_b - b)) > before:
            step /= 2
        w, b = w + step * (new_w - w), b + step * (new_b - b)
        now_inside = y * (x.times(w) + b) < 1
        if np.array_equal(now_inside, inside):
            break
        inside = now_inside
    return x.times(w) + b


def _conjugate_gradient(
    apply: Any, target_w: Any, target_b: float, w: Any, b: float, steps: int = 100
) -> tuple[Any, float]:
    """Solve apply(w, b) = (target_w, target_b) for a symmetric positive definite `apply`,
    starting from (w, b): the last Newton step's answer is close to the next one's."""
    import numpy as np

    aw, ab = apply(w, b)
    rw, rb = target_w - aw, target_b - ab
    pw, pb = rw.copy(), rb
    rr = float(rw @ rw + rb * rb)
    goal = CG_TOLERANCE * float(target_w @ target_w + target_b * target_b)
    for _ in range(steps):
        if rr <= goal:
            break
        qw, qb = apply(pw, pb)
        alpha = rr / float(pw @ qw + pb * qb)
        w, b = w + alpha * pw, b + alpha * pb
        rw, rb = rw - alpha * qw, rb - alpha * qb
        new_rr = float(rw @ rw + rb * rb)
        pw, pb = rw + (new_rr / rr) * pw, rb + (new_rr / rr) * pb
        rr = new_rr
    return np.asarray(w), b


def bm25(day: Rows, library: Rows) -> Any:
    """Okapi BM25 of each of the day's papers (term counts) for the library's texts taken as
    one query, with the day's papers as the collection."""
    import numpy as np

    n = day.height
    df = np.bincount(day.indices, minlength=day.width)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    asked = library.column_sums()
    query = idf * (BM25_K3 + 1) * asked / (BM25_K3 + asked)
    length = day.row_sums()
    scale = BM25_K1 * (1 - BM25_B + BM25_B * length / (length.mean() or 1.0))
    saturated = day.data * (BM25_K1 + 1) / (day.data + scale[day.rows])
    return day.with_data(saturated).times(query)


def _standard(values: Any) -> Any:  # numpy arrays in and out
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else values * 0.0


def _shared_terms(
    day: Rows, pos: Rows, rows: list[int], best: Any, name: Callable[[int], str], most: int = 2
) -> dict[int, tuple[str, ...]]:
    """For each of `rows`, the terms the paper and its nearest library paper share that weigh
    most in both; a phrase says its words better than they do alone ("domain adaptation"
    over "domain")."""
    import numpy as np

    found: dict[int, tuple[str, ...]] = {}
    for row in rows:
        columns, values = day.row(row)
        theirs, their_values = pos.row(int(best[row]))
        both, mine_at, theirs_at = np.intersect1d(
            columns, theirs, assume_unique=True, return_indices=True
        )
        weight = values[mine_at] * their_values[theirs_at]
        order = np.argsort(-weight, kind="stable")[: 4 * most]
        chosen: list[str] = []
        for column in both[order]:
            term = name(int(column))
            in_term = set(term.split())
            if any(in_term <= set(c.split()) for c in chosen):
                continue
            chosen = [c for c in chosen if not set(c.split()) <= in_term]
            chosen.append(term)
        found[row] = tuple(chosen[:most])
    return found
