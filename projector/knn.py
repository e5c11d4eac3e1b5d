"""Exact k nearest neighbours in the original space, by chunked matrix products.

No n x n matrix is ever built: the points are scanned in blocks, each block compared with
a batch of queries by one matrix product, and the best candidates of each query kept.
The kept candidates' distances are then recomputed exactly in float64, so the order and
the distances do not carry float32 rounding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._rows import Rows, block_rows
from .errors import ParameterError
from .types import Neighbors, Progress, ProgressEvent

METRICS = ("cosine", "euclidean")
QUERY_BATCH = 1024
# Elements of the (queries x points) score block: 64 MB of float32.
SCORE_BLOCK = 16 << 20
# Candidates kept beyond k, so float32 ties and rounding cannot push a true neighbour out.
MARGIN = 8


def neighbors(
    vectors: np.ndarray,
    rows: int | Sequence[int] | np.ndarray,
    *,
    k: int = 10,
    metric: str = "cosine",
    spherize: bool = False,
    progress: Progress | None = None,
) -> Neighbors:
    """The ``k`` nearest points to each query row, exactly, excluding the row itself.

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(n_points, n_dims)``; converted to float32.
    rows : int or sequence of int
        The query points, as 0-based row numbers.
    k : int
        Neighbours per query; capped at ``n_points - 1``.
    metric : {"cosine", "euclidean"}
        Cosine distance is ``1 - cos``; a zero vector is at distance 1 from everything.
    spherize : bool
        Compare spherized vectors (centred, unit length), as the TensorFlow projector
        does when its "Spherize data" box is ticked. Off by default: the original space.
    progress : callable, optional
        Called with :class:`~projector.types.ProgressEvent` (points scanned).

    Returns
    -------
    Neighbors

    Examples
    --------
    >>> x = np.array([[1, 0], [0.9, 0.1], [0, 1], [-1, 0]], dtype=np.float32)
    >>> nn = neighbors(x, 0, k=2)
    >>> nn.indices.tolist(), [round(float(d), 4) for d in nn.distances[0]]
    ([[1, 2]], [0.0061, 1.0])
    >>> neighbors(x, [0, 3], k=1, metric="euclidean").indices.tolist()
    [[1], [2]]
    """
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if x.ndim != 2:
        raise ParameterError(f"vectors must be 2-D (points x dims), got shape {x.shape}")
    n_points = x.shape[0]
    if metric not in METRICS:
        raise ParameterError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    query_rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
    if query_rows.ndim != 1 or len(query_rows) == 0:
        raise ParameterError("give at least one query row")
    bad = query_rows[(query_rows < 0) | (query_rows >= n_points)]
    if len(bad):
        raise ParameterError(f"row {int(bad[0])} does not exist: rows are numbered 0 to {n_points - 1}")
    if n_points < 2:
        raise ParameterError("neighbours need at least 2 points")
    if k < 1:
        raise ParameterError(f"k must be at least 1, got {k}")
    k_used = min(k, n_points - 1)
    prepared = Rows(x, spherize)
    keep = min(k_used + MARGIN, n_points - 1)

    # Per-row factor for the ranking score, once (n floats): squared norms for euclidean,
    # inverse norms for cosine (0 for a zero row, which then ranks at distance 1).
    row_factor = np.empty(n_points, dtype=np.float32)
    for start, block in prepared.blocks():
        sq = np.einsum("ij,ij->i", block, block)
        if metric == "cosine":
            norms = np.sqrt(sq)
            sq = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        row_factor[start : start + len(block)] = sq

    indices = np.empty((len(query_rows), k_used), dtype=np.int64)
    distances = np.empty((len(query_rows), k_used), dtype=np.float32)
    step = max(256, min(SCORE_BLOCK // min(len(query_rows), QUERY_BATCH), block_rows(x.shape[1]) * 16))
    scanned = 0
    total = n_points * ((len(query_rows) + QUERY_BATCH - 1) // QUERY_BATCH)
    for q0 in range(0, len(query_rows), QUERY_BATCH):
        batch = query_rows[q0 : q0 + QUERY_BATCH]
        queries = prepared.take(batch)  # (b, d)
        if metric == "cosine":  # unit queries: the score is then -cos
            q_norms = np.linalg.norm(queries, axis=1, keepdims=True)
            queries = np.divide(queries, q_norms, out=np.zeros_like(queries), where=q_norms > 0)
        best_idx = np.empty((len(batch), 0), dtype=np.int64)
        best_score = np.empty((len(batch), 0), dtype=np.float32)
        for start in range(0, n_points, step):
            block = x[start : start + step] if prepared.scale is None else prepared.take(
                np.arange(start, min(start + step, n_points))
            )
            dots = queries @ block.T  # (b, block)
            score = _score(dots, row_factor[start : start + len(block)], metric)
            own = batch - start
            inside = (own >= 0) & (own < len(block))
            score[np.flatnonzero(inside), own[inside]] = np.inf  # never a point's own neighbour
            best_idx, best_score = _merge(best_idx, best_score, *_top(score, keep, start), keep)
            scanned += len(block)
            if progress is not None:
                progress(ProgressEvent("searching neighbours", scanned, total))
        exact = _exact_distances(prepared, batch, best_idx, metric)
        order = _order(exact, best_idx)
        chosen = np.take_along_axis(best_idx, order, axis=1)[:, :k_used]
        indices[q0 : q0 + len(batch)] = chosen
        distances[q0 : q0 + len(batch)] = np.take_along_axis(exact, order, axis=1)[:, :k_used]
    return Neighbors(
        queries=query_rows,
        indices=indices,
        distances=distances,
        metric=metric,
        params={"k": k_used, "k_asked": k, "spherize": spherize},
    )


def _top(score: np.ndarray, keep: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``keep`` smallest scores of each row of a block, and their point numbers."""
    if score.shape[1] <= keep:
        idx = np.broadcast_to(np.arange(offset, offset + score.shape[1]), score.shape)
        return idx, score
    part = np.argpartition(score, keep - 1, axis=1)[:, :keep]
    return part + offset, np.take_along_axis(score, part, axis=1)


def _merge(a_idx, a_score, b_idx, b_score, keep: int) -> tuple[np.ndarray, np.ndarray]:
    idx = np.concatenate([a_idx, b_idx], axis=1)
    score = np.concatenate([a_score, b_score], axis=1)
    if score.shape[1] <= keep:
        return idx, score
    part = np.argpartition(score, keep - 1, axis=1)[:, :keep]
    return np.take_along_axis(idx, part, axis=1), np.take_along_axis(score, part, axis=1)


def _score(dots: np.ndarray, row_factor: np.ndarray, metric: str) -> np.ndarray:
    """A float32 score, in place of ``dots``, that ranks candidates as the distance does.

    Euclidean: ``|x|^2 - 2 q.x`` (``|q|^2`` is the same for every candidate of a query).
    Cosine: ``-cos`` from unit queries and each row's inverse norm.
    """
    if metric == "euclidean":
        dots *= -2.0
        dots += row_factor[None, :]
    else:
        dots *= row_factor[None, :]
        np.negative(dots, out=dots)
    return dots


def _exact_distances(prepared: Rows, batch: np.ndarray, candidates: np.ndarray, metric: str) -> np.ndarray:
    """float64 distances from each query to its candidates."""
    q = prepared.take(batch).astype(np.float64)
    out = np.empty(candidates.shape, dtype=np.float64)
    for i in range(len(batch)):
        c = prepared.take(candidates[i]).astype(np.float64)
        if metric == "euclidean":
            out[i] = np.sqrt(((c - q[i]) ** 2).sum(axis=1))
        else:
            norms = np.linalg.norm(c, axis=1) * np.linalg.norm(q[i])
            dots = c @ q[i]
            with np.errstate(divide="ignore", invalid="ignore"):
                out[i] = 1.0 - np.where(norms > 0, dots / norms, 0.0)
    return out


def _order(distances: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Column order per row: nearest first, ties by row number (stable, repeatable)."""
    return np.stack([np.lexsort((indices[i], distances[i])) for i in range(len(distances))])
