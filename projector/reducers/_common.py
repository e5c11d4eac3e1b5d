"""Checks and choices shared by the reducers."""

from __future__ import annotations

import os

import numpy as np

from ..errors import ParameterError

DEFAULT_SEED = 42


def as_matrix(vectors: np.ndarray, min_points: int, method: str) -> np.ndarray:
    """``vectors`` as C-contiguous float32 (no copy when it already is), checked."""
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if x.ndim != 2:
        raise ParameterError(f"vectors must be 2-D (points x dims), got shape {x.shape}")
    if x.shape[0] < min_points:
        raise ParameterError(f"{method} needs at least {min_points} points; the data has {x.shape[0]}")
    return x


def check_dims(dims: int) -> int:
    if dims not in (2, 3):
        raise ParameterError(f"dims must be 2 or 3, got {dims}")
    return dims


def check_metric(metric: str) -> str:
    if metric not in ("euclidean", "cosine"):
        raise ParameterError(f"metric must be 'euclidean' or 'cosine', got {metric!r}")
    return metric


def resolve_threads(n_jobs: int | None) -> int:
    """All the cores this process may use, unless told otherwise."""
    if n_jobs is None or n_jobs <= 0:
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            return os.cpu_count() or 1
    return int(n_jobs)


def sample_rows(
    n_points: int, size: int, seed: int | None, strata: np.ndarray | None = None
) -> np.ndarray:
    """``size`` distinct rows, ascending; proportional to each stratum when ``strata`` is given.

    Every stratum keeps at least one row (so small groups are still fitted), and the
    counts are rounded so that they add up to ``size``.

    Examples
    --------
    >>> strata = np.array([0] * 90 + [1] * 10)
    >>> rows = sample_rows(100, 20, seed=0, strata=strata)
    >>> len(rows), int((strata[rows] == 1).sum())
    (20, 2)
    """
    rng = np.random.default_rng(seed)
    if strata is None:
        return np.sort(rng.choice(n_points, size=size, replace=False))
    values, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
    share = counts / counts.sum() * size
    take = np.maximum(1, np.floor(share)).astype(int)
    take = np.minimum(take, counts)
    # Hand out what rounding left over to the largest remainders.
    for i in np.argsort(-(share - np.floor(share))):
        if take.sum() >= size:
            break
        if take[i] < counts[i]:
            take[i] += 1
    while take.sum() > size:  # more strata than rows asked for: trim the largest
        take[np.argmax(take)] -= 1
    picked = [rng.choice(np.flatnonzero(inverse == g), size=t, replace=False) for g, t in enumerate(take) if t]
    return np.sort(np.concatenate(picked))


def fit_rows(
    n_points: int, sample: int | None, seed: int | None, strata: object = None
) -> np.ndarray | None:
    """The rows to fit on when fitting on a sample, or None to fit on every point.

    Examples
    --------
    >>> fit_rows(100, None, 0) is None, fit_rows(100, 200, 0) is None, len(fit_rows(100, 10, 0))
    (True, True, 10)
    """
    if sample is None:
        return None
    if sample < 4:
        raise ParameterError(f"sample must be at least 4 points, got {sample}")
    if sample >= n_points:
        return None
    labels = None if strata is None else np.asarray(strata, dtype=object).astype(str)
    if labels is not None and len(labels) != n_points:
        raise ParameterError(f"strata has {len(labels)} labels for {n_points} points")
    return sample_rows(n_points, sample, seed, labels)


def resolve_sample(
    sample: int | str | None, n_points: int, full_fit_max: int, auto_size: int, method: str
) -> tuple[int | None, str | None]:
    """How many points to fit on (None: every point) for ``sample`` = N, "auto" or "all"/None, and
    why, when the choice was automatic.

    "auto" fits every point up to ``full_fit_max`` points, the measured size above which fitting
    ``auto_size`` points and placing the rest is at least twice as fast as a full fit
    (benchmarks/RESULTS.md).

    Examples
    --------
    >>> resolve_sample("auto", 1000, 300_000, 100_000, "t-SNE")
    (None, None)
    >>> resolve_sample("auto", 10**6, 300_000, 100_000, "t-SNE")[0]
    100000
    >>> resolve_sample(5000, 10**6, 300_000, 100_000, "t-SNE")
    (5000, None)
    """
    if sample is None or sample == "all":
        return None, None
    if sample == "auto":
        if n_points <= full_fit_max:
            return None, None
        return auto_size, (
            f"{method} fitted on a {auto_size:,}-point sample and placed the other {n_points - auto_size:,} "
            f"points: automatic above {full_fit_max:,} points, where that is at least twice as fast "
            f"as a full fit (measured, see the README); --sample all fits every point"
        )
    if isinstance(sample, (str, bool)) or int(sample) != sample:
        raise ParameterError(f"sample must be a number of points, 'auto' or 'all', got {sample!r}")
    return int(sample), None
