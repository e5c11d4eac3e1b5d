"""Reducers: plain functions of a float32 matrix that return a :class:`~projector.types.Projection`.

Each lives in its own module and imports its heavy library (openTSNE, umap-learn) only
when called.
"""

from __future__ import annotations

from .._rows import SPHERIZE_MIN_DIMS, resolve_spherize
from ._custom import custom
from ._pca import N_COMPONENTS, pca
from ._tsne import tsne
from ._umap import umap

REDUCERS = {"pca": pca, "tsne": tsne, "umap": umap, "custom": custom}

__all__ = ["pca", "tsne", "umap", "custom", "REDUCERS", "N_COMPONENTS", "SPHERIZE_MIN_DIMS", "resolve_spherize"]
