"""Row-block access to the vectors, spherized on the fly, never copied whole.

Spherizing (centre on the mean, then scale each row to unit length) makes row i
``a_i * (x_i - c)``: an affine map of the raw row. The reducers keep it in that form
(one shift ``c`` and one scale per row) so that the spherized matrix is never built:
products with it are products with the raw matrix, corrected afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

# TensorFlow's THRESHOLD_DIM_NORMALIZE: spherize by default from this many dimensions.
SPHERIZE_MIN_DIMS = 50
# Rows per block: enough for BLAS to run at full speed, few enough that the element-wise
# work on a block stays in the processor's cache.
BLOCK_BYTES = 4 << 20


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


def block_rows(n_dims: int) -> int:
    return max(1, BLOCK_BYTES // (4 * max(1, n_dims)))


def raw_blocks(vectors: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """``(first_row, view)`` over row blocks of ``vectors``."""
    step = block_rows(vectors.shape[1])
    for start in range(0, vectors.shape[0], step):
        yield start, vectors[start : start + step]


def column_mean(vectors: np.ndarray) -> np.ndarray:
    """Column means in float64: float32 block sums (BLAS-fast), added up in float64."""
    total = np.zeros(vectors.shape[1], dtype=np.float64)
    for _, block in raw_blocks(vectors):
        total += np.ones(block.shape[0], dtype=np.float32) @ block
    return total / max(1, vectors.shape[0])


@dataclass(frozen=True)
class Rows:
    """The rows a reducer works on: ``scale[i] * (vectors[i] - shift)``.

    Without spherizing, ``shift`` is zero and ``scale`` is None (all ones).

    Parameters
    ----------
    vectors : numpy.ndarray
        float32 ``(n_points, n_dims)``; never modified.
    spherize : bool
        Centre on the mean of all rows, then scale each row to unit length (a row
        equal to the mean stays zero), as the TensorFlow projector does.
    """

    vectors: np.ndarray
    spherize: bool
    shift: np.ndarray = field(init=False)
    scale: np.ndarray | None = field(init=False)

    def __post_init__(self) -> None:
        n_dims = self.vectors.shape[1]
        if not self.spherize:
            object.__setattr__(self, "shift", np.zeros(n_dims, dtype=np.float32))
            object.__setattr__(self, "scale", None)
            return
        shift = column_mean(self.vectors).astype(np.float32)
        scale = np.empty(self.vectors.shape[0], dtype=np.float32)
        for start, block in raw_blocks(self.vectors):
            centred = block - shift
            norms = np.sqrt(np.einsum("ij,ij->i", centred, centred))
            np.divide(1.0, norms, out=scale[start : start + len(block)], where=norms > 0)
            scale[start : start + len(block)][norms <= 0] = 0.0
        object.__setattr__(self, "shift", shift)
        object.__setattr__(self, "scale", scale)

    def blocks(self) -> Iterator[tuple[int, np.ndarray]]:
        """``(first_row, block)`` of the prepared rows. A block may be a view: do not write to it."""
        for start, block in raw_blocks(self.vectors):
            if self.scale is not None:
                block = block - self.shift
                block *= self.scale[start : start + len(block), None]
            yield start, block

    def mean(self) -> np.ndarray:
        """Column means of the prepared rows, float64."""
        if self.scale is None:
            return column_mean(self.vectors)
        # mean of a_i (x_i - c) = (sum a_i x_i - c sum a_i) / n, with no pass of element-wise work
        total = np.zeros(self.vectors.shape[1], dtype=np.float64)
        for start, block in raw_blocks(self.vectors):
            total += self.scale[start : start + len(block)] @ block
        total -= self.shift.astype(np.float64) * float(self.scale.sum(dtype=np.float64))
        return total / max(1, self.vectors.shape[0])

    def times(self, matrix: np.ndarray, out: np.ndarray, minus: np.ndarray | None = None) -> np.ndarray:
        """``out = (prepared rows - minus) @ matrix`` for a thin ``matrix``, via the raw rows.

        ``a_i (x_i - c) W - m W = a_i (x_i W - c W) - m W``: one matrix product with
        the raw rows and a correction per row.
        """
        matrix = np.ascontiguousarray(matrix, dtype=out.dtype)
        shift_w = self.shift.astype(out.dtype) @ matrix
        minus_w = None if minus is None else minus.astype(out.dtype) @ matrix
        for start, block in raw_blocks(self.vectors):
            dest = out[start : start + len(block)]
            np.matmul(block, matrix, out=dest)
            if self.scale is not None:
                dest -= shift_w
                dest *= self.scale[start : start + len(block), None]
            if minus_w is not None:
                dest -= minus_w
        return out

    def take(self, indices: np.ndarray) -> np.ndarray:
        """The prepared rows at ``indices``, float32 (a new array)."""
        rows = self.vectors[indices]
        if self.scale is not None:
            rows = (rows - self.shift) * self.scale[indices, None]
        return rows

    def materialize(self) -> np.ndarray:
        """The whole prepared matrix: ``vectors`` itself when not spherized, else a new array."""
        if self.scale is None:
            return self.vectors
        out = np.empty_like(self.vectors)
        for start, block in self.blocks():
            out[start : start + len(block)] = block
        return out

    def transposed_times(self, u: np.ndarray, minus: np.ndarray | None = None) -> np.ndarray:
        """``(prepared rows - minus)^T @ u`` for a vector ``u``, float64."""
        u = np.asarray(u, dtype=np.float64).ravel()
        weights = u if self.scale is None else u * self.scale
        total = np.zeros(self.vectors.shape[1], dtype=np.float64)
        for start, block in raw_blocks(self.vectors):
            total += weights[start : start + len(block)] @ block
        total -= self.shift.astype(np.float64) * weights.sum()
        if minus is not None:
            total -= minus * u.sum()
        return total
