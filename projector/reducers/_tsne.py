"""t-SNE with openTSNE, in 2D or 3D, on every point."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .. import _scale
from .._rows import Rows, resolve_spherize
from ..errors import ParameterError
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

# openTSNE picks Barnes-Hut below this many points and FFT interpolation from it up.
FFT_MIN_POINTS = 10_000
EARLY_EXAGGERATION_ITER = 250
CALLBACK_EVERY = 10
# Placing points not in the sample: openTSNE's transform, on blocks this large (each block
# pays for the fitted points' repulsion again in every iteration, so blocks are large), for
# openTSNE's default number of iterations.
TRANSFORM_BLOCK = 200_000
TRANSFORM_ITER = 250


def resolve_perplexity(perplexity: float, n_points: int) -> tuple[float, str | None]:
    """Perplexity the data allows: openTSNE looks at 3 x perplexity neighbours of each point.

    Examples
    --------
    >>> resolve_perplexity(30, 1000)
    (30.0, None)
    >>> resolve_perplexity(30, 40)
    (13.0, 'perplexity lowered from 30 to 13: 40 points allow at most (40 - 1) / 3')
    """
    if perplexity <= 0:
        raise ParameterError(f"perplexity must be positive, got {perplexity}")
    limit = float(np.floor((n_points - 1) / 3))
    if perplexity > limit:
        return limit, (
            f"perplexity lowered from {perplexity:g} to {limit:g}: {n_points} points allow at "
            f"most ({n_points} - 1) / 3"
        )
    return float(perplexity), None


def resolve_gradient(dims: int, n_points: int) -> tuple[str, str]:
    """openTSNE's negative-gradient method and why: FFT interpolation is 2D only."""
    if dims == 3:
        return "bh", "Barnes-Hut (FFT interpolation works in 2D only)"
    if n_points < FFT_MIN_POINTS:
        return "bh", f"Barnes-Hut (fewer than {FFT_MIN_POINTS:,} points)"
    return "fft", f"FFT interpolation ({FFT_MIN_POINTS:,} points or more)"


def _annoy_index(data: np.ndarray, k: int, metric: str, threads: int, seed: int | None, emit):
    """openTSNE's Annoy neighbour index, searched in blocks so that the search reports progress.

    The same index and queries as ``openTSNE.nearest_neighbors.Annoy`` (same seed, 50
    trees, the point itself dropped from its own neighbours), so the neighbours are the
    same; openTSNE hands all N queries to joblib at once and says nothing for minutes on a
    million points. Annoy releases the GIL while it searches, so threads run in parallel.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from openTSNE.dependencies.annoy import AnnoyIndex
    from openTSNE.nearest_neighbors import Annoy
    from sklearn.utils import check_random_state

    class ProgressAnnoy(Annoy):
        def build(self):
            n, dims = self.data.shape
            emit("nearest neighbours: building the index")
            self.index = AnnoyIndex(dims, "angular" if self.metric == "cosine" else self.metric)
            self.index.set_seed(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
            for i in range(n):
                self.index.add_item(i, self.data[i])
            self.index.build(n_jobs=self.n_jobs, n_trees=50)
            indices = np.zeros((n, self.k), dtype=np.int64)
            distances = np.zeros((n, self.k))

            def search(start: int, stop: int) -> int:
                for i in range(start, stop):
                    found, dist = self.index.get_nns_by_item(i, self.k + 1, include_distances=True)
                    indices[i] = found[1:]
                    distances[i] = dist[1:]
                return stop - start

            phase = "nearest neighbours"
            emit(phase, 0, n)
            step = max(1, min(2_000, n // (4 * self.n_jobs) or 1))
            done = 0
            with ThreadPoolExecutor(self.n_jobs) as pool:
                for job in as_completed([pool.submit(search, s, min(s + step, n)) for s in range(0, n, step)]):
                    done += job.result()
                    emit(phase, done, n)
            emit("affinities and initial layout")  # what openTSNE does next, without a callback
            return indices, distances

    return ProgressAnnoy(data, k, metric=metric, n_jobs=threads, random_state=seed)


def _place_rest(embedding, data: np.ndarray, rows: np.ndarray, dims: int, emit) -> np.ndarray:
    """Every point's coordinates: the fitted ``rows`` as they are, the others by openTSNE's transform.

    transform re-centres the fitted embedding in place (on its bounding box), so the
    fitted rows are read after it, in the same frame as the points it placed.
    """
    n_points = data.shape[0]
    rest = np.setdiff1d(np.arange(n_points), rows, assume_unique=True)
    coords = np.empty((n_points, dims), dtype=np.float32)
    phase = f"placing the other {len(rest):,} points"
    state = {"start": 0, "size": 0}

    def callback(iteration: int, _error: float, _embedding) -> None:
        emit(phase, state["start"] + state["size"] * iteration // TRANSFORM_ITER, len(rest))

    # The placed points' own optimisation inherits these from the fitted embedding.
    embedding.gradient_descent_params.update(callbacks=[callback], callbacks_every_iters=CALLBACK_EVERY)
    emit(phase, 0, len(rest))
    for start in range(0, len(rest), TRANSFORM_BLOCK):
        part = rest[start : start + TRANSFORM_BLOCK]
        state.update(start=start, size=len(part))
        coords[part] = np.asarray(embedding.transform(data[part], n_iter=TRANSFORM_ITER), dtype=np.float32)
        emit(phase, start + len(part), len(rest))
    coords[rows] = np.asarray(embedding, dtype=np.float32)
    return coords


def tsne(
    vectors: np.ndarray,
    *,
    dims: int = 2,
    perplexity: float = 30.0,
    learning_rate: float | str = "auto",
    n_iter: int = 500,
    early_exaggeration: float = 12.0,
    early_exaggeration_iter: int = EARLY_EXAGGERATION_ITER,
    metric: str = "euclidean",
    seed: int | None = DEFAULT_SEED,
    n_jobs: int | None = None,
    spherize: bool | None = None,
    sample: int | str | None = "auto",
    strata: Sequence[object] | np.ndarray | None = None,
    progress: Progress | None = None,
) -> Projection:
    """t-SNE of every point with openTSNE (no 10,000-point cap).

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(n_points, n_dims)``; converted to float32.
    dims : {2, 3}
        3D uses the Barnes-Hut gradient (openTSNE's FFT gradient is 2D only).
    perplexity : float
        Lowered, with a note in ``params["notes"]``, when the data has too few points.
    learning_rate : float or "auto"
        "auto" is openTSNE's: N / exaggeration in each phase (N/12 in early
        exaggeration, then N).
    n_iter : int
        Iterations after the early-exaggeration phase.
    early_exaggeration : float
        Exaggeration during the first ``early_exaggeration_iter`` iterations.
    metric : {"euclidean", "cosine"}
        Distance for the nearest-neighbour affinities.
    seed : int or None
        Fixed by default, so two runs give identical coordinates; None for a random one.
    n_jobs : int, optional
        Threads; default all cores.
    spherize : bool, optional
        Default on when ``n_dims >= 50``, as in TensorFlow.
    sample : int, "auto", "all" or None
        Fit on this many randomly chosen points, then place every other point with
        openTSNE's ``transform``. "auto" (the default) fits every point up to
        ``TSNE_FULL_FIT_MAX`` points and ``TSNE_AUTO_SAMPLE`` of them above, where that is
        at least twice as fast (measured: benchmarks/RESULTS.md); "all" or None always
        fits every point.
    strata : sequence, optional
        One label per point: the sample then takes each label in proportion.
    progress : callable, optional
        Called with :class:`~projector.types.ProgressEvent` for each phase and every
        few iterations (KL divergence in ``detail``).

    Returns
    -------
    Projection

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.concatenate([rng.normal(0, 1, (60, 5)), rng.normal(8, 1, (60, 5))])
    >>> p = tsne(x, n_iter=100, early_exaggeration_iter=50)
    >>> p.coords.shape, p.params["gradient"], p.params["perplexity"]
    ((120, 2), 'bh', 30.0)
    """
    import openTSNE

    x = as_matrix(vectors, 4, "t-SNE")
    n_points = x.shape[0]
    check_dims(dims)
    check_metric(metric)
    if n_iter < 0 or early_exaggeration_iter < 0:
        raise ParameterError("iterations must be 0 or more")
    notes: list[str] = []
    on, spherize_reason = resolve_spherize(spherize, x.shape[1])

    size, sample_reason = resolve_sample(sample, n_points, _scale.TSNE_FULL_FIT_MAX, _scale.TSNE_AUTO_SAMPLE, "t-SNE")
    rows = fit_rows(n_points, size, seed, strata)
    n_fit = n_points if rows is None else len(rows)
    used_perplexity, note = resolve_perplexity(perplexity, n_fit)
    if note:
        notes.append(note)
    gradient, gradient_reason = resolve_gradient(dims, n_fit)
    threads = resolve_threads(n_jobs)
    from .._memory import check

    # openTSNE: the neighbours of 3 x perplexity a point (int64 index + float64 distance), the
    # symmetrized affinities (up to twice as many entries), Annoy's index (a copy of the rows
    # and 50 trees), gradients and the embedding in float64. Calibrated on benchmarks/scale.py:
    # at perplexity 30, 1,000,000 x 128 peaked at 8.3 GB and 250,000 x 128 at 2.3 GB, about
    # 7.2 kB a point beyond the data. Checked before the spherized copy is made, which it counts.
    check(n_fit * (3 * used_perplexity * 80 + x.shape[1] * 8 + dims * 64) + (x.nbytes if on else 0),
          f"t-SNE of {n_fit:,} points at perplexity {used_perplexity:g}",
          "fit on a sample with --sample N (every point is still placed), or lower --perplexity")
    if learning_rate != "auto" and float(learning_rate) <= 0:
        raise ParameterError(f"learning rate must be positive, got {learning_rate}")
    data = Rows(x, on).materialize()
    fit_data = data if rows is None else data[rows]

    def emit(phase: str, done: int = 0, total: int = 0, detail: str = "") -> None:
        if progress is not None:
            progress(ProgressEvent(phase, done, total, detail))

    timings: dict[str, float] = {}
    # From 1,000 points openTSNE would search with Annoy: the same search, with progress.
    k_neighbors = min(n_fit - 1, int(3 * used_perplexity))
    neighbors = _annoy_index(fit_data, k_neighbors, metric, threads, seed, emit) if n_fit >= 1000 else "auto"
    engine = openTSNE.TSNE(
        n_components=dims,
        neighbors=neighbors,
        perplexity=used_perplexity,
        learning_rate=learning_rate,
        early_exaggeration=early_exaggeration,
        early_exaggeration_iter=early_exaggeration_iter,
        n_iter=n_iter,
        metric=metric,
        negative_gradient_method=gradient,
        n_jobs=threads,
        random_state=seed,
        verbose=False,
    )
    started = time.perf_counter()
    if neighbors == "auto":  # else the index reports its own phases
        emit("nearest neighbours")
    embedding = engine.prepare_initial(fit_data)
    timings["affinities"] = time.perf_counter() - started

    total_iter = early_exaggeration_iter + n_iter
    extra = {}
    if progress is not None:
        state = {"offset": 0, "phase": "early exaggeration"}

        def callback(iteration: int, error: float, _embedding) -> None:
            detail = f"KL {error:.3f}" if state["phase"] == "optimising" else ""
            emit(state["phase"], state["offset"] + iteration, total_iter, detail)

        extra = {"callbacks": [callback], "callbacks_every_iters": CALLBACK_EVERY}
    started = time.perf_counter()
    if early_exaggeration_iter:
        emit("early exaggeration", 0, total_iter)
        embedding = embedding.optimize(
            n_iter=early_exaggeration_iter,
            exaggeration=early_exaggeration,
            momentum=0.5,
            inplace=True,
            **extra,
        )
    if progress is not None:
        state.update(offset=early_exaggeration_iter, phase="optimising")
    if n_iter:
        emit("optimising", early_exaggeration_iter, total_iter)
        embedding = embedding.optimize(n_iter=n_iter, momentum=0.8, inplace=True, **extra)
    timings["optimisation"] = time.perf_counter() - started
    kl = float(embedding.kl_divergence) if getattr(embedding, "kl_divergence", None) is not None else None

    if rows is None:
        coords = np.asarray(embedding, dtype=np.float32)
    else:
        coords = _place_rest(embedding, data, rows, dims, emit)
        timings["transform"] = time.perf_counter() - started - timings["optimisation"]

    lr_used = (
        f"auto (N/{early_exaggeration:g} = {n_fit / early_exaggeration:.0f}, then N = {n_fit})"
        if learning_rate == "auto"
        else float(learning_rate)
    )
    params = {
        "dims": dims,
        "perplexity": used_perplexity,
        "learning_rate": lr_used,
        "n_iter": n_iter,
        "early_exaggeration": early_exaggeration,
        "early_exaggeration_iter": early_exaggeration_iter,
        "metric": metric,
        "seed": seed,
        "threads": threads,
        "gradient": gradient,
        "gradient_reason": gradient_reason,
        "spherize": on,
        "spherize_reason": spherize_reason,
        "sample": None if rows is None else int(n_fit),
        "sample_reason": sample_reason,
        "kl_divergence": kl,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "notes": tuple(notes),
    }
    names = tuple(f"t-SNE {i + 1}" for i in range(dims))
    return Projection(
        method="tsne", coords=coords, axis_names=names, axis_titles=names,
        shown=tuple(range(dims)), params=params,
    )  # fmt: skip
