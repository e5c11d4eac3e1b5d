"""UMAP with umap-learn (an optional extra: ``pip install 'projector[umap]'``)."""

from __future__ import annotations

import time
import warnings

import numpy as np

from .._rows import Rows, resolve_spherize
from ..errors import MissingDependencyError, ParameterError
from ..types import Progress, ProgressEvent, Projection
from ._common import DEFAULT_SEED, as_matrix, check_dims, check_metric, resolve_threads


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
    progress : callable, optional
        Called with :class:`~projector.types.ProgressEvent` when the fit starts; its
        length is unknown in advance.

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
    used_neighbors = n_neighbors
    if n_neighbors >= n_points:
        used_neighbors = n_points - 1
        notes.append(f"neighbours lowered from {n_neighbors} to {used_neighbors}: there are {n_points} points")
    on, spherize_reason = resolve_spherize(spherize, x.shape[1])
    data = Rows(x, on).materialize()
    threads = 1 if seed is not None else resolve_threads(None)
    if progress is not None:
        progress(ProgressEvent("UMAP (its first run on a machine compiles code for about 30 s)"))
    reducer = umap_learn.UMAP(
        n_components=dims,
        n_neighbors=used_neighbors,
        min_dist=min_dist,
        metric=metric,
        random_state=seed,
        n_jobs=threads,
        init="spectral" if n_points > dims + 1 else "random",
        verbose=False,
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        # umap-learn warns that a seed disables parallelism: the summary says so instead;
        # numba warns about the few functions its cache cannot keep: they compile as before.
        warnings.simplefilter("ignore", UserWarning)
        warnings.filterwarnings("ignore", message="Cannot cache compiled function")
        coords = np.asarray(reducer.fit_transform(data), dtype=np.float32)
    params = {
        "dims": dims,
        "n_neighbors": used_neighbors,
        "min_dist": min_dist,
        "metric": metric,
        "seed": seed,
        "threads": threads,
        "spherize": on,
        "spherize_reason": spherize_reason,
        "timings": {"fit": round(time.perf_counter() - started, 3)},
        "notes": tuple(notes),
    }
    names = tuple(f"UMAP {i + 1}" for i in range(dims))
    return Projection(
        method="umap", coords=coords, axis_names=names, axis_titles=names,
        shown=tuple(range(dims)), params=params,
    )  # fmt: skip
