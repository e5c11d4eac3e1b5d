"""PCA: the top principal components of every point, exactly, in float32 with float64 where it counts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._rows import Rows, resolve_spherize
from ..errors import ParameterError
from ..types import Projection

# TensorFlow's NUM_PCA_COMPONENTS.
N_COMPONENTS = 10
# Largest side for which an eigendecomposition of a dense square matrix is quick (about 1 s).
DENSE_EIGH_MAX = 2048
SOLVERS = ("auto", "covariance", "gram", "arpack")


def pca(
    vectors: np.ndarray,
    n_components: int = N_COMPONENTS,
    *,
    dims: int = 2,
    components: Sequence[int] | None = None,
    spherize: bool | None = None,
    solver: str = "auto",
) -> Projection:
    """Top principal components of every point (no sampling, no random projection).

    The data is centred (after spherizing, when on), unlike the TensorFlow projector,
    which skips that step and so reports slightly different variances.

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(n_points, n_dims)``; float32 is used as is, anything else is converted.
    n_components : int
        How many components to compute; capped at ``n_points - 1`` and ``n_dims``.
    dims : {2, 3}
        How many components to show when ``components`` is not given.
    components : sequence of int, optional
        1-based components to show, as the TensorFlow UI numbers them, e.g. ``(1, 3)``.
    spherize : bool, optional
        Centre and scale every vector to unit length first. Default: on when
        ``n_dims >= 50``, as in TensorFlow.
    solver : {"auto", "covariance", "gram", "arpack"}
        ``covariance``: eigendecomposition of the ``n_dims x n_dims`` covariance,
        accumulated over row blocks (the usual route); ``gram``: of the
        ``n_points x n_points`` Gram matrix, for few points in many dims; ``arpack``:
        iterative truncated SVD of the implicitly centred matrix, when both are large.

    Returns
    -------
    Projection
        ``coords`` holds every computed component; ``explained_variance_ratio`` the
        fraction of the total variance along each; ``params`` the settings used.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(500, 5)) * np.array([5, 2, 1, 0.5, 0.1])
    >>> p = pca(x, spherize=False)
    >>> p.coords.shape, p.coords.dtype
    ((500, 5), dtype('float32'))
    >>> np.round(p.explained_variance_ratio, 2)
    array([0.83, 0.13, 0.03, 0.01, 0.  ])
    >>> p.axis_titles[0]
    'PC1 (83.4%)'
    """
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if x.ndim != 2:
        raise ParameterError(f"vectors must be 2-D (points x dims), got shape {x.shape}")
    n_points, n_dims = x.shape
    if solver not in SOLVERS:
        raise ParameterError(f"solver must be one of {', '.join(SOLVERS)}; got {solver!r}")
    if dims not in (2, 3):
        raise ParameterError(f"dims must be 2 or 3, got {dims}")
    if n_points < 2:
        raise ParameterError(f"PCA needs at least 2 points; the data has {n_points}")
    k = min(int(n_components), n_points - 1, n_dims)
    if solver == "arpack":  # ARPACK finds at most min(n_points, n_dims) - 1 singular values
        k = min(k, min(n_points, n_dims) - 1)
    if k < 1:
        raise ParameterError("n_components must be at least 1")
    shown = _shown(components, dims, k, n_points, n_dims)
    on, reason = resolve_spherize(spherize, n_dims)
    rows = Rows(x, on)

    if solver == "auto":
        if min(n_points, n_dims) > DENSE_EIGH_MAX:
            solver = "arpack"
        else:
            solver = "covariance" if n_dims <= n_points else "gram"
    mean = rows.mean()
    if solver == "covariance":
        coords, components_, variances, total = _by_covariance(rows, mean, k)
    elif solver == "gram":
        coords, components_, variances, total = _by_gram(rows, mean, k)
    else:
        coords, components_, variances, total = _by_arpack(rows, mean, k)

    ratio = variances / total if total > 0 else np.zeros_like(variances)
    titles = tuple(f"PC{i + 1} ({100 * r:.1f}%)" for i, r in enumerate(ratio))
    params = {
        "n_components": k,
        "components": tuple(i + 1 for i in shown),
        "spherize": on,
        "spherize_reason": reason,
        "centered": True,
        "solver": solver,
        "identical_points": bool(total <= 0),
    }
    return Projection(
        method="pca",
        coords=coords,
        axis_names=tuple(f"PC{i + 1}" for i in range(len(ratio))),
        axis_titles=titles,
        shown=shown,
        params=params,
        explained_variance_ratio=ratio,
    )


def _shown(
    components: Sequence[int] | None, dims: int, k: int, n_points: int, n_dims: int
) -> tuple[int, ...]:
    why = f"{n_points} points in {n_dims} dims"
    if components is None:
        if k < dims:
            raise ParameterError(
                f"a {dims}D picture needs {dims} principal components, but {why} have only {k}"
                + ("; use dims=2" if dims == 3 and k == 2 else "")
            )
        return tuple(range(dims))
    comps = tuple(int(c) for c in components)
    if len(comps) not in (2, 3):
        raise ParameterError(f"choose 2 or 3 components to show, got {len(comps)}")
    if len(set(comps)) != len(comps):
        raise ParameterError(f"components must differ, got {', '.join(map(str, comps))}")
    for c in comps:
        if not 1 <= c <= k:
            raise ParameterError(
                f"there is no component {c}: {why} have {k} principal components (1 to {k})"
            )
    return tuple(c - 1 for c in comps)


def _flip_signs(components: np.ndarray) -> np.ndarray:
    """+1/-1 per component so that its largest loading is positive (deterministic signs)."""
    idx = np.argmax(np.abs(components), axis=0)
    signs = np.sign(components[idx, np.arange(components.shape[1])])
    signs[signs == 0] = 1
    return signs


def _by_covariance(rows: Rows, mean: np.ndarray, k: int):
    n_dims = rows.vectors.shape[1]
    m32 = mean.astype(np.float32)
    cov = np.zeros((n_dims, n_dims), dtype=np.float64)
    for _, block in rows.blocks():
        # Centre each block before the product (not n*m*m^T afterwards): that subtraction
        # loses all precision when the mean is large next to the spread.
        centred = block - m32
        cov += centred.T @ centred  # float32 BLAS syrk, summed in float64
    total = float(np.trace(cov))
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1][:k]
    variances = np.clip(eigvals[order], 0.0, None)
    comps = eigvecs[:, order]
    comps *= _flip_signs(comps)
    coords = rows.times(comps, np.empty((rows.vectors.shape[0], k), np.float32), minus=mean)
    return coords, comps, variances, total


def _by_gram(rows: Rows, mean: np.ndarray, k: int):
    # Few points in many dims: the prepared, centred matrix is small enough to build.
    xc = np.empty(rows.vectors.shape, dtype=np.float32)
    m32 = mean.astype(np.float32)
    for start, block in rows.blocks():
        np.subtract(block, m32, out=xc[start : start + len(block)])
    gram = (xc @ xc.T).astype(np.float64)
    total = float(np.trace(gram))
    eigvals, eigvecs = np.linalg.eigh(gram)
    order = np.argsort(eigvals)[::-1][:k]
    variances = np.clip(eigvals[order], 0.0, None)
    u = eigvecs[:, order]
    scale = np.sqrt(variances)
    safe = np.where(scale > 0, scale, 1.0)
    comps = (xc.T.astype(np.float64) @ u) / safe
    signs = _flip_signs(comps)
    comps *= signs
    coords = (u * scale * signs).astype(np.float32)
    return coords, comps, variances, total


def _by_arpack(rows: Rows, mean: np.ndarray, k: int):
    from scipy.sparse.linalg import LinearOperator, svds

    n_points, n_dims = rows.vectors.shape

    def matvec(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64).reshape(n_dims, 1)
        return rows.times(v, np.empty((n_points, 1), np.float64), minus=mean).ravel()

    def rmatvec(u: np.ndarray) -> np.ndarray:
        return rows.transposed_times(u, minus=mean)

    op = LinearOperator((n_points, n_dims), matvec=matvec, rmatvec=rmatvec, dtype=np.float64)
    total = 0.0
    m32 = mean.astype(np.float32)
    for _, block in rows.blocks():
        c = block - m32
        total += float(np.einsum("ij,ij->", c, c, dtype=np.float64))
    if total <= 0:
        return np.zeros((n_points, k), np.float32), np.eye(n_dims, k), np.zeros(k), 0.0
    u, s, vt = svds(op, k=k, solver="arpack", random_state=0)
    order = np.argsort(s)[::-1]
    s, u, comps = s[order], u[:, order], vt[order].T
    signs = _flip_signs(comps)
    comps = comps * signs
    coords = (u * s * signs).astype(np.float32)
    return coords, comps, s**2, total
