"""The small, typed records passed between layers: Dataset, Projection, Neighbors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Sprite:
    """Thumbnails of the points: one image of ``width`` x ``height`` pixel tiles, row-major,
    tile i showing point i (TensorFlow's sprite atlas)."""

    image_path: str
    width: int
    height: int


@dataclass(frozen=True)
class Dataset:
    """Embedding vectors with one metadata row per vector.

    Parameters
    ----------
    vectors : numpy.ndarray
        float32, C-contiguous, shape ``(n_points, n_dims)``.
    metadata : pandas.DataFrame
        Exactly ``n_points`` rows, default RangeIndex. May have no columns.
    vector_columns : tuple of str, optional
        Column names of the vectors when their file had a header.
    source : str, optional
        Where the vectors came from (a path, ``"<stdin>"`` or ``"<array>"``).
    metadata_source : str, optional
        Where the metadata came from.
    notes : tuple of str
        What was detected while loading and why (header verdicts and the like),
        in words for a person.
    sprite : Sprite, optional
        Thumbnails of the points, from a projector config.

    Examples
    --------
    >>> import numpy as np
    >>> ds = Dataset.from_arrays(np.eye(3), {"name": ["a", "b", "c"]})
    >>> ds.n_points, ds.n_dims, ds.vectors.dtype
    (3, 3, dtype('float32'))
    """

    vectors: np.ndarray
    metadata: pd.DataFrame
    vector_columns: tuple[str, ...] | None = None
    source: str = "<array>"
    metadata_source: str | None = None
    notes: tuple[str, ...] = ()
    sprite: Sprite | None = None

    def __post_init__(self) -> None:
        v = self.vectors
        if not isinstance(v, np.ndarray) or v.dtype != np.float32 or v.ndim != 2:
            raise TypeError("Dataset.vectors must be a 2-D float32 numpy array")
        if not v.flags.c_contiguous:
            raise TypeError("Dataset.vectors must be C-contiguous")
        if len(self.metadata) != v.shape[0]:
            raise ValueError(
                f"metadata has {len(self.metadata)} rows but there are {v.shape[0]} vectors"
            )
        if self.vector_columns is not None and len(self.vector_columns) != v.shape[1]:
            raise ValueError("vector_columns must name every dimension")

    @property
    def n_points(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def n_dims(self) -> int:
        return int(self.vectors.shape[1])

    @classmethod
    def from_arrays(
        cls,
        vectors: Any,
        metadata: pd.DataFrame | dict[str, Any] | None = None,
    ) -> "Dataset":
        """Make a Dataset from an array-like of vectors and an optional table.

        Parameters
        ----------
        vectors : array_like
            Shape ``(n_points, n_dims)``; converted to float32 (no copy when it
            already is C-contiguous float32).
        metadata : pandas.DataFrame or dict, optional
            One row per vector.

        Returns
        -------
        Dataset
        """
        from .errors import ParameterError

        arr = np.ascontiguousarray(vectors, dtype=np.float32)
        if arr.ndim != 2:
            raise ParameterError(f"vectors must be 2-D (points x dims), got shape {arr.shape}")
        if not np.isfinite(arr).all():
            bad = np.argwhere(~np.isfinite(arr))[0]
            raise ParameterError(
                f"vectors hold a non-finite value at row {bad[0]}, column {bad[1]}"
            )
        if metadata is None:
            meta = pd.DataFrame(index=pd.RangeIndex(arr.shape[0]))
        else:
            meta = pd.DataFrame(metadata).reset_index(drop=True)
        return cls(vectors=arr, metadata=meta)


@dataclass(frozen=True)
class Projection:
    """Low-dimensional coordinates of every point, and how they were made.

    Parameters
    ----------
    method : str
        ``"pca"``, ``"tsne"``, ``"umap"`` or ``"custom"``.
    coords : numpy.ndarray
        float32, shape ``(n_points, n_axes)``: every computed axis (for PCA, all of
        the top components, not only those shown).
    axis_names : tuple of str
        A short name per column of ``coords``, e.g. ``"PC1"``: column names in tables.
    axis_titles : tuple of str
        One title per column of ``coords`` for pictures, e.g. ``"PC1 (23.4%)"``.
    shown : tuple of int
        Columns of ``coords`` to draw, 2 or 3 of them, in x, y(, z) order.
    params : dict
        The parameter values actually used (after every "auto" was resolved).
    explained_variance_ratio : numpy.ndarray, optional
        For PCA: the fraction of the total variance along each computed component.
    """

    method: str
    coords: np.ndarray
    axis_names: tuple[str, ...]
    axis_titles: tuple[str, ...]
    shown: tuple[int, ...]
    params: dict[str, Any] = field(default_factory=dict)
    explained_variance_ratio: np.ndarray | None = None

    def __post_init__(self) -> None:
        c = self.coords
        if c.dtype != np.float32 or c.ndim != 2:
            raise TypeError("Projection.coords must be a 2-D float32 array")
        if len(self.axis_names) != c.shape[1] or len(self.axis_titles) != c.shape[1]:
            raise ValueError("one axis name and title per coordinate column")
        if not self.shown or any(not 0 <= i < c.shape[1] for i in self.shown):
            raise ValueError(f"shown columns {self.shown} out of range for {c.shape[1]} axes")

    @property
    def n_points(self) -> int:
        return int(self.coords.shape[0])

    @property
    def dims(self) -> int:
        """How many axes are shown (2 or 3)."""
        return len(self.shown)


@dataclass(frozen=True)
class Neighbors:
    """The k nearest neighbours of some query points.

    Parameters
    ----------
    queries : numpy.ndarray
        int64, shape ``(n_queries,)``: the row of each query point.
    indices : numpy.ndarray
        int64, shape ``(n_queries, k)``, nearest first.
    distances : numpy.ndarray
        float32, same shape.
    metric : str
        ``"cosine"`` or ``"euclidean"``.
    params : dict
        The settings actually used (k after capping, spherize).
    """

    queries: np.ndarray
    indices: np.ndarray
    distances: np.ndarray
    metric: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return int(self.indices.shape[1])


@dataclass(frozen=True)
class ProgressEvent:
    """One report from long work, for a progress bar.

    Parameters
    ----------
    phase : str
        What is being done, in words ("nearest neighbours", "optimising").
    done, total : int
        Steps done and in all (iterations, bytes); ``total`` 0 when unknown.
    detail : str
        A short extra, e.g. ``"KL 2.31"``.
    """

    phase: str
    done: int = 0
    total: int = 0
    detail: str = ""


Progress = Callable[[ProgressEvent], None]
