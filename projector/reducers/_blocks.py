"""Row-block access to the vectors, optionally spherized on the fly.

Spherizing (centre, then scale each row to unit length) is applied block by block
wherever the reducers read the matrix, so it never costs a copy of the whole matrix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# TensorFlow's THRESHOLD_DIM_NORMALIZE: spherize by default from this many dimensions.
SPHERIZE_MIN_DIMS = 50
# Rows per block: large enough for BLAS to run at full speed, small enough to stay cheap.
BLOCK_BYTES = 32 << 20


def resolve_spherize(spherize: bool | None, n_dims: int) -> tuple[bool, str]:
    """The spherize setting to use and why, in words for the run summary.

    Examples
    --------
    >>> resolve_spherize(None, 64)
    (True, 'on (auto: 64 dims >= 50, as in TensorFlow)')
    >>> resolve_spherize(False, 64)
    (False, 'off (as asked)')
    """
    if spherize is None:
        on = n_dims >= SPHERIZE_MIN_DIMS
        cmp = ">=" if on else "<"
        return on, f"{'on' if on else 'off'} (auto: {n_dims} dims {cmp} {SPHERIZE_MIN_DIMS}, as in TensorFlow)"
    return spherize, f"{'on' if spherize else 'off'} (as asked)"


@dataclass(frozen=True)
class RowBlocks:
    """Iterate over ``vectors`` in row blocks, spherized when ``spherize`` is on.

    Parameters
    ----------
    vectors : numpy.ndarray
        float32 ``(n_points, n_dims)``; never modified.
    spherize : bool
        Centre on the mean of all rows, then scale each row to unit length (rows equal
        to the mean stay zero), as the TensorFlow projector does.
    """

    vectors: np.ndarray
    spherize: bool

    def __post_init__(self) -> None:
        if self.spherize:
            object.__setattr__(self, "_center", column_mean(self.vectors))

    @property
    def rows_per_block(self) -> int:
        return max(1, BLOCK_BYTES // (4 * max(1, self.vectors.shape[1])))

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        """Yield ``(first_row, block)``; a block may be a view of ``vectors``: do not write to it."""
        step = self.rows_per_block
        for start in range(0, self.vectors.shape[0], step):
            block = self.vectors[start : start + step]
            if self.spherize:
                block = block - self._center  # type: ignore[attr-defined]
                norms = np.sqrt(np.einsum("ij,ij->i", block, block))
                np.divide(block, norms[:, None], out=block, where=norms[:, None] > 0)
            yield start, block

    def mean(self) -> np.ndarray:
        """Column means of the (possibly spherized) rows, float64."""
        if not self.spherize:
            return column_mean(self.vectors)
        total = np.zeros(self.vectors.shape[1], dtype=np.float64)
        for _, block in self:
            total += block.sum(axis=0, dtype=np.float64)
        return total / max(1, self.vectors.shape[0])


def column_mean(vectors: np.ndarray) -> np.ndarray:
    """Column means in float64, accumulated block by block (no float64 copy of the matrix)."""
    total = np.zeros(vectors.shape[1], dtype=np.float64)
    step = max(1, BLOCK_BYTES // (4 * max(1, vectors.shape[1])))
    for start in range(0, vectors.shape[0], step):
        total += vectors[start : start + step].sum(axis=0, dtype=np.float64)
    return total / max(1, vectors.shape[0])
