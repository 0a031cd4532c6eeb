"""Sparse rows in numpy alone: the few operations the text model needs, without scipy.

scipy.sparse would do, but importing it costs ~0.4 s (it clones numpy's namespace, loading
numpy.f2py and numpy.testing on the way), more than the whole fit for a small library; the
model needs only products with vectors, a product of two sparse row sets and row slices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PAIRS_PER_CHUNK = 2_000_000  # bounds the memory of one step of `cosines`


@dataclass(frozen=True, slots=True)
class Rows:
    """`height` sparse rows over `width` columns, compressed: row i holds the (ascending)
    columns indices[indptr[i]:indptr[i + 1]] with the values data[...] (numpy arrays);
    `rows` names each value's row."""

    indptr: Any
    indices: Any
    data: Any
    width: int
    rows: Any

    @property
    def height(self) -> int:
        return len(self.indptr) - 1

    def with_data(self, data: Any) -> Rows:
        return Rows(self.indptr, self.indices, data, self.width, self.rows)

    def slice(self, start: int, stop: int) -> Rows:
        """Rows start..stop-1, as rows of their own."""
        begin, end = int(self.indptr[start]), int(self.indptr[stop])
        return Rows(
            self.indptr[start : stop + 1] - begin,
            self.indices[begin:end],
            self.data[begin:end],
            self.width,
            self.rows[begin:end] - start,
        )

    def row(self, i: int) -> tuple[Any, Any]:
        """Row i's columns and values."""
        begin, end = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.indices[begin:end], self.data[begin:end]

    def times(self, vector: Any) -> Any:
        """self @ vector: one value per row."""
        import numpy as np

        values = self.data * vector[self.indices]
        return np.bincount(self.rows, weights=values, minlength=self.height)

    def transposed_times(self, values: Any) -> Any:
        """self.T @ values: one value per column."""
        import numpy as np

        weights = self.data * values[self.rows]
        return np.bincount(self.indices, weights=weights, minlength=self.width)

    def column_sums(self) -> Any:
        import numpy as np

        return np.bincount(self.indices, weights=self.data, minlength=self.width)

    def row_sums(self) -> Any:
        import numpy as np

        return np.bincount(self.rows, weights=self.data, minlength=self.height)


def rows_from(indptr: Any, indices: Any, data: Any, width: int) -> Rows:
    import numpy as np

    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    return Rows(indptr, indices, data, width, rows)


def products(left: Rows, right: Rows) -> Any:
    """left @ right.T as a dense (left.height x right.height) array: for each of left's
    values, the values of right in the same column, summed per pair of rows."""
    import numpy as np

    out = np.zeros((left.height, right.height))
    if left.height == 0 or right.height == 0:
        return out
    order = np.argsort(right.indices, kind="stable")
    right_rows, right_values = right.rows[order], right.data[order]
    per_column = np.bincount(right.indices, minlength=right.width)
    column_start = np.cumsum(per_column) - per_column
    # Split left's rows into chunks of at most PAIRS_PER_CHUNK (value, value) pairs.
    pairs_per_row = np.bincount(
        left.rows, weights=per_column[left.indices], minlength=left.height
    )
    ends = np.cumsum(pairs_per_row)
    start = 0
    while start < left.height:
        limit = (ends[start - 1] if start else 0) + PAIRS_PER_CHUNK
        stop = max(start + 1, int(np.searchsorted(ends, limit, side="right")))
        stop = min(stop, left.height)
        chunk = left.slice(start, stop)
        lengths = per_column[chunk.indices]
        total = int(lengths.sum())
        if total:
            firsts = np.cumsum(lengths) - lengths
            at = np.arange(total) + np.repeat(column_start[chunk.indices] - firsts, lengths)
            pair_rows = np.repeat(chunk.rows, lengths) * right.height + right_rows[at]
            values = np.repeat(chunk.data, lengths) * right_values[at]
            size = (stop - start) * right.height
            block = np.bincount(pair_rows, weights=values, minlength=size)
            out[start:stop] = block.reshape(stop - start, right.height)
        start = stop
    return out
