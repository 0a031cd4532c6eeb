"""The text model's parts against values worked out by hand: the terms, BM25 and the
linear SVM (scikit-learn's LinearSVC objective, solved without scikit-learn), the sparse
product."""

from __future__ import annotations

import math

import numpy as np
import pytest

from radar.relevance.sparse import Rows, products, rows_from
from radar.relevance.text import bm25, linear_svm, text_scores


def csr_matrix(dense: np.ndarray) -> Rows:
    """Sparse rows holding `dense`'s non-zero values."""
    columns = [np.flatnonzero(row) for row in dense]
    indptr = np.cumsum([0] + [len(c) for c in columns])
    indices = np.concatenate(columns).astype(np.int64)
    data = np.concatenate([row[c] for row, c in zip(dense, columns, strict=True)])
    return rows_from(indptr, indices, data, dense.shape[1])


def test_shared_terms_are_words_and_pairs_without_accents_case_or_stop_words() -> None:
    # Every shared term weighs the same here, so the two shown are the first phrases:
    # "schrodinger equation" (accents and case aside) and "h2 molecules" (across the stop
    # words "of the" in the paper and "of" in the library's text).
    scores = text_scores(
        ["The Schr\u00f6dinger equation for a gas of H2 molecules"],
        [],
        ["Solving the SCHRODINGER equation of the H2 molecules", "Dark matter halos"],
    )
    assert scores is not None
    assert scores.terms[0] == ("schrodinger equation", "h2 molecules")
    assert scores.terms[1] == ()


def test_bm25_by_hand() -> None:
    # Two papers: the first says term 0 twice, the second term 1 once; the library says term 0.
    day = csr_matrix(np.array([[2.0, 0.0], [0.0, 1.0]]))
    library = csr_matrix(np.array([[1.0, 0.0]]))
    idf = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))  # ln 2
    scale = 1.2 * (1 - 0.75 + 0.75 * 2 / 1.5)  # k1 (1 - b + b |d| / avgdl) = 1.5
    first = 2 * (1.2 + 1) / (2 + scale) * idf * (8 + 1) * 1 / (8 + 1)
    assert bm25(day, library).tolist() == pytest.approx([first, 0.0])
    assert first == pytest.approx(0.871385, abs=1e-6)


def test_linear_svm_balanced_classes_by_hand() -> None:
    # min 1/2 (w1^2 + w2^2 + b^2) + C sum_i s_i max(0, 1 - y_i (w.x_i + b))^2, C = 0.1.
    # Balanced weights s = 3/2 for the one positive, 3/4 for each negative; by symmetry
    # b = 0 and w = (a, -a) with a - 3C (1 - a) = 0, a = 3C / (1 + 3C) = 3/13.
    x = csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]))
    y = np.array([1.0, -1.0, -1.0])
    scores = linear_svm(x, y, np.ones(3), c=0.1)
    assert scores.tolist() == pytest.approx([3 / 13, -3 / 13, -3 / 13], abs=1e-6)


def test_linear_svm_row_weights_scale_a_rows_cost() -> None:
    # One positive, one negative: a = 2C / (1 + 2C). Weighting both rows 2 doubles C.
    x = csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0]]))
    y = np.array([1.0, -1.0])
    one = linear_svm(x, y, np.array([1.0, 1.0]), c=0.1)
    assert one.tolist() == pytest.approx([1 / 6, -1 / 6], abs=1e-6)
    two = linear_svm(x, y, np.array([2.0, 2.0]), c=0.1)
    assert two.tolist() == pytest.approx([2 / 7, -2 / 7], abs=1e-6)  # 0.4 / 1.4


def test_a_word_in_one_text_alone_does_not_count() -> None:
    # "zebra" (and "networks zebra") link no two texts: the first paper is as like the
    # library paper as the second, word for word.
    scores = text_scores(["graph networks"], [], ["graph networks zebra", "graph networks"])
    assert scores is not None
    assert [round(cosine, 6) for _, cosine in scores.nearest] == [1.0, 1.0]
    assert scores.score[0] == scores.score[1]


def test_products_of_sparse_rows_by_hand() -> None:
    left = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [0.0, 3.0, 1.0]])
    right = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 5.0]])
    expected = [[1.0, 10.0], [0.0, 0.0], [3.0, 5.0]]
    assert products(csr_matrix(left), csr_matrix(right)).tolist() == expected
    assert products(csr_matrix(right), csr_matrix(left)).tolist() == [
        [1.0, 0.0, 3.0],
        [10.0, 0.0, 5.0],
    ]


def test_products_in_small_chunks_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    import radar.relevance.sparse as sparse

    rng = np.random.default_rng(7)
    left = rng.random((40, 30)) * (rng.random((40, 30)) < 0.2)
    right = rng.random((25, 30)) * (rng.random((25, 30)) < 0.3)
    monkeypatch.setattr(sparse, "PAIRS_PER_CHUNK", 3)
    small = products(csr_matrix(left), csr_matrix(right))
    assert np.allclose(small, left @ right.T)
