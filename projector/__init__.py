"""projector: the TensorFlow Embedding Projector from the command line and as a library.

Load embedding vectors and their metadata, reduce them (PCA, t-SNE, UMAP, custom
axes), find nearest neighbours in the original space, and write an offline interactive
page, a static image or a table.

Examples
--------
>>> import projector
>>> ds = projector.load(*projector.sample_paths())
>>> p = projector.pca(ds.vectors)
>>> p.params["spherize"], p.axis_titles[:2]
(True, ('PC1 (14.9%)', 'PC2 (14.0%)'))

The names are imported on first use, so ``import projector`` (and the CLI) start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Dataset": "projector.types",
    "Projection": "projector.types",
    "Neighbors": "projector.types",
    "ProjectorError": "projector.errors",
    "InputError": "projector.errors",
    "MetadataError": "projector.errors",
    "ParameterError": "projector.errors",
    "MissingDependencyError": "projector.errors",
    "load": "projector.loaders",
    "read_vectors_tsv": "projector.loaders",
    "read_metadata_tsv": "projector.loaders",
    "sample_paths": "projector.loaders",
    "pca": "projector.reducers",
    "tsne": "projector.reducers",
    "umap": "projector.reducers",
    "custom": "projector.reducers",
    "neighbors": "projector.knn",
    "ProgressEvent": "projector.types",
    "write": "projector.exporters",
    "to_plotly": "projector.exporters",
    "to_matplotlib": "projector.exporters",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from .errors import (
        InputError,
        MetadataError,
        MissingDependencyError,
        ParameterError,
        ProjectorError,
    )
    from .exporters import to_matplotlib, to_plotly, write
    from .loaders import load, read_metadata_tsv, read_vectors_tsv, sample_paths
    from .knn import neighbors
    from .reducers import custom, pca, tsne, umap
    from .types import Dataset, Neighbors, ProgressEvent, Projection


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'projector' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
