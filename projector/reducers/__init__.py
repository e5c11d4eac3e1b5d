"""Reducers: plain functions of a float32 matrix that return a :class:`~projector.types.Projection`."""

from __future__ import annotations

from ._blocks import SPHERIZE_MIN_DIMS, resolve_spherize
from .pca import N_COMPONENTS, pca

REDUCERS = {"pca": pca}

__all__ = ["pca", "REDUCERS", "N_COMPONENTS", "SPHERIZE_MIN_DIMS", "resolve_spherize"]
