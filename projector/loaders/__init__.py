"""Loaders: files in, :class:`~projector.types.Dataset` out.

Only vector TSV (optionally with a metadata TSV) is read today; each format lives in a
module of its own here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..types import Dataset
from .metadata import MetadataTable, read_metadata_tsv
from ..types import Progress
from .vectors_tsv import VectorTable, read_vectors_tsv

__all__ = [
    "load",
    "read_vectors_tsv",
    "read_metadata_tsv",
    "sample_paths",
    "VectorTable",
    "MetadataTable",
]


def load(
    vectors: str | os.PathLike[str] | BinaryIO,
    metadata: str | os.PathLike[str] | None = None,
    *,
    vectors_header: bool | None = None,
    meta_header: bool | None = None,
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> Dataset:
    """Load a vector TSV and an optional metadata TSV into a Dataset.

    Parameters
    ----------
    vectors : path, ``"-"`` or binary file object
        Tab-separated floats, one point per line; ``"-"`` reads standard input.
    metadata : path, optional
        Tab-separated metadata, one row per vector (see :func:`read_metadata_tsv` for
        the header rule).
    vectors_header, meta_header : bool, optional
        Override header detection for either file.
    encoding : str
        Encoding of the metadata file.
    progress : callable, optional
        Called with :class:`~projector.types.ProgressEvent` while the vectors are read.

    Returns
    -------
    Dataset
        ``notes`` says what was detected and why.

    Examples
    --------
    >>> vectors, meta = sample_paths()
    >>> ds = load(vectors, meta)
    >>> ds.n_points, ds.n_dims, list(ds.metadata.columns)
    (1797, 64, ['label', 'digit', 'name', 'ink'])
    """
    table = read_vectors_tsv(vectors, header=vectors_header, progress=progress)
    n_points = table.vectors.shape[0]
    notes = list(table.notes)
    if metadata is not None:
        meta = read_metadata_tsv(metadata, n_points, header=meta_header, encoding=encoding)
        frame = meta.frame
        notes.extend(meta.notes)
        meta_source = os.fspath(metadata)
    else:
        frame = pd.DataFrame(index=pd.RangeIndex(n_points))
        meta_source = None
    source = "<stdin>" if not hasattr(vectors, "read") and os.fspath(vectors) == "-" else str(
        getattr(vectors, "name", None) if hasattr(vectors, "read") else os.fspath(vectors)
    )
    return Dataset(
        vectors=table.vectors,
        metadata=frame,
        vector_columns=table.columns,
        source=source,
        metadata_source=meta_source,
        notes=tuple(notes),
    )


def sample_paths() -> tuple[Path, Path]:
    """Paths of the bundled sample: 1,797 handwritten digits (8x8 pixels) and their metadata.

    Returns
    -------
    (Path, Path)
        The vectors TSV and the metadata TSV.
    """
    package = Path(__file__).resolve().parents[1]
    folder = package / "sample_data"  # installed: the wheel puts the sample inside the package
    if not folder.is_dir():  # a source checkout (or an editable install of one)
        folder = package.parent / "sample_data"
    return folder / "digits.tsv", folder / "digits-meta.tsv"
