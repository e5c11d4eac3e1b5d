"""UMAP with umap-learn (an optional extra: ``pip install 'projector[umap]'``)."""

from __future__ import annotations

import time
import warnings

import numpy as np

from .. import _scale
from .._rows import Rows, resolve_spherize
from ..errors import MissingDependencyError, ParameterError
from ..types import Progress, ProgressEvent, Projection
from ._common import (
    DEFAULT_SEED,
    as_matrix,
    check_dims,
    check_metric,
    fit_rows,
    resolve_sample,
    resolve_threads,
)

TRANSFORM_BLOCK = 100_000  # points placed by one umap-learn transform call


class _EpochCounter:
    """A file for umap-learn's tqdm bar: it draws "{n}/{total}" epochs here, passed on as events.

    umap-learn has no callback, but it hands ``tqdm_kwds`` to the bar of its epoch loop.
    """

    def __init__(self, emit) -> None:
        self.emit = emit
        self.phase: str | None = "optimising layout"

    def write(self, text: str) -> None:
        done, _, total = text.strip().partition("/")
        if self.phase and done.isdigit() and total.isdigit():
            self.emit(self.phase, int(done), int(total))

    def flush(self) -> None:
        pass


def _import_umap():
    """Import umap-learn with numba's on-disk cache on for every function it compiles.

    umap-learn and pynndescent leave the cache off for most of their numba functions, so
    each new process spent about 10 s compiling them again (measured on 2,000 x 32: the
    first fit of a process 13 s, later ones 4 s). Defaulting ``cache=True`` while their
    modules are imported makes that cost once per machine. Nothing else is affected: the
    decorators are restored right after, and a umap already imported is used as it is.
    """
    import importlib
    import sys

    if "umap" in sys.modules:
        return importlib.import_module("umap")
    import numba

    njit, jit = numba.njit, numba.jit

    def cached(decorator):
        def wrapper(*args, **kwargs):
            kwargs.setdefault("cache", True)
            return decorator(*args, **kwargs)

        return wrapper

    numba.njit, numba.jit = cached(njit), cached(jit)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Cannot cache compiled function")
            return importlib.import_module("umap")
    finally:
        numba.njit, numba.jit = njit, jit


def umap(
    vectors: np.ndarray,
    *,
    dims: int = 2,
    n_neighbors: int = 15,
    min_dist: float = 0.1,
    metric: str = "euclidean",
    seed: int | None = DEFAULT_SEED,
    spherize: bool | None = None,
    sample: int | str | None = "auto",
    strata=None,
    progress: Progress | None = None,
) -> Projection:
    """UMAP of every point (TensorFlow samples 5,000), with umap-learn.

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(n_points, n_dims)``; converted to float32.
    dims : {2, 3}
    n_neighbors : int
        Size of the local neighbourhood (TensorFlow's default 15); lowered, with a
        note, when the data has too few points.
    min_dist : float
        How tightly points may pack (TensorFlow's default 0.1), from 0 to 1.
    metric : {"euclidean", "cosine"}
    seed : int or None
        Fixed by default for identical runs; umap-learn then runs on one thread.
        None lets it use every core, at the cost of repeatability.
    spherize : bool, optional
        Default on when ``n_dims >= 50``, as in TensorFlow.
    sample : int, "auto", "all" or None
        Fit on this many randomly chosen points, then place every other point with
        umap-learn's ``transform``. "auto" (the default) fits every point up to
        ``UMAP_FULL_FIT_MAX`` points and ``UMAP_AUTO_SAMPLE`` of them above, where that is
        at least twice as fast (measured: benchmarks/RESULTS.md); "all" or None always
        fits every point.
    strata : sequence, optional
        One label per point: the sample then takes each label in proportion.
    progress : callable, optional
        Called with :class:`~projector.types.ProgressEvent` for each phase: the
        neighbour graph and initial layout (of unknown length), then every few epochs.

    Returns
    -------
    Projection

    Raises
    ------
    MissingDependencyError
        When umap-learn is not installed.
    """
    try:
        umap_learn = _import_umap()
    except ImportError:
        raise MissingDependencyError("umap-learn", extra="umap", feature="projector umap") from None

    x = as_matrix(vectors, 4, "UMAP")
    n_points = x.shape[0]
    check_dims(dims)
    check_metric(metric)
    if not 0 <= min_dist <= 1:
        raise ParameterError(f"min_dist must be between 0 and 1, got {min_dist}")
    if n_neighbors < 2:
        raise ParameterError(f"n_neighbors must be at least 2, got {n_neighbors}")
    notes = []
    size, sample_reason = resolve_sample(sample, n_points, _scale.UMAP_FULL_FIT_MAX, _scale.UMAP_AUTO_SAMPLE, "UMAP")
    rows = fit_rows(n_points, size, seed, strata)
    n_fit = n_points if rows is None else len(rows)
    used_neighbors = n_neighbors
    if n_neighbors >= n_fit:
        used_neighbors = n_fit - 1
        notes.append(f"neighbours lowered from {n_neighbors} to {used_neighbors}: there are {n_fit} points")
    on, spherize_reason = resolve_spherize(spherize, x.shape[1])
    from .._memory import check

    # umap-learn's neighbour graph, search index, fuzzy graph and layout: calibrated on
    # benchmarks/scale.py, where 15 neighbours took 3.2-3.8 kB a point beyond the data
    # (1,000,000 x 128 peaked at 4.5 GB, 250,000 x 128 at 1.5 GB), so 250 bytes a neighbour.
    check(n_fit * (used_neighbors * 250 + x.shape[1] * 8) + (x.nbytes if on else 0),
          f"UMAP of {n_fit:,} points with {used_neighbors} neighbours",
          "fit on a sample with --sample N (every point is still placed), or lower --neighbors")
    data = Rows(x, on).materialize()
    threads = 1 if seed is not None else resolve_threads(None)

    def emit(phase: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(ProgressEvent(phase, done, total))

    counter = _EpochCounter(emit)
    reducer = umap_learn.UMAP(
        n_components=dims,
        n_neighbors=used_neighbors,
        min_dist=min_dist,
        metric=metric,
        random_state=seed,
        n_jobs=threads,
        init="spectral" if n_fit > dims + 1 else "random",
        verbose=False,
        tqdm_kwds=None if progress is None else {
            "file": counter, "bar_format": "{n}/{total}", "disable": False, "mininterval": 0.5},
    )
    timings = {}
    started = time.perf_counter()
    emit("nearest neighbours and initial layout (a machine's first UMAP also compiles code, ~30 s)")
    with warnings.catch_warnings():
        # umap-learn warns that a seed disables parallelism: the summary says so instead;
        # numba warns about the few functions its cache cannot keep: they compile as before.
        warnings.simplefilter("ignore", UserWarning)
        warnings.filterwarnings("ignore", message="Cannot cache compiled function")
        if rows is None:
            coords = np.asarray(reducer.fit_transform(data), dtype=np.float32)
        else:
            coords = np.empty((n_points, dims), dtype=np.float32)
            coords[rows] = reducer.fit_transform(data[rows])
        timings["fit"] = time.perf_counter() - started
        if rows is not None:
            rest = np.setdiff1d(np.arange(n_points), rows, assume_unique=True)
            phase = f"placing the other {len(rest):,} points"
            counter.phase = None  # transform's own epoch bars: the block count says more
            started = time.perf_counter()
            emit(phase, 0, len(rest))
            for s in range(0, len(rest), TRANSFORM_BLOCK):
                part = rest[s : s + TRANSFORM_BLOCK]
                coords[part] = reducer.transform(data[part])
                emit(phase, min(s + TRANSFORM_BLOCK, len(rest)), len(rest))
            timings["transform"] = time.perf_counter() - started
    params = {
        "dims": dims,
        "n_neighbors": used_neighbors,
        "min_dist": min_dist,
        "metric": metric,
        "seed": seed,
        "threads": threads,
        "spherize": on,
        "spherize_reason": spherize_reason,
        "sample": None if rows is None else int(n_fit),
        "sample_reason": sample_reason,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "notes": tuple(notes),
    }
    names = tuple(f"UMAP {i + 1}" for i in range(dims))
    return Projection(
        method="umap", coords=coords, axis_names=names, axis_titles=names,
        shown=tuple(range(dims)), params=params,
    )  # fmt: skip
