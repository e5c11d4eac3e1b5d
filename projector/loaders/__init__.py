"""Loaders: files in, :class:`~projector.types.Dataset` out.

Vectors come from TSV or CSV (plain or gzipped), ``.npy``, ``.npz`` or Parquet, chosen
by the file's extension or ``format``; metadata from a TSV. Each format lives in a
module of its own here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..errors import ParameterError
from ..types import Dataset, Progress, Sprite
from .arrays import read_npy, read_npz
from .json_points import is_points_json, read_points_json
from .metadata import MetadataTable, read_metadata_tsv
from .parquet import read_parquet
from .projector_files import is_projector_input, read_bytes, resolve
from .vectors_tsv import VectorTable, read_vectors_tsv

VECTOR_FORMATS = ("tsv", "csv", "npy", "npz", "parquet")
_EXTENSIONS = {
    ".tsv": "tsv", ".tab": "tsv", ".txt": "tsv", ".csv": "csv",
    ".npy": "npy", ".npz": "npz", ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip


def vector_format(source: str | os.PathLike[str] | BinaryIO, fmt: str | None = None) -> str:
    """The vector format to read: ``fmt`` when given, else from the extension.

    A ``.gz`` ending is looked through; a name with no extension (or standard input)
    is TSV, as the TensorFlow projector expects.

    Examples
    --------
    >>> vector_format("runs/emb.tsv.gz"), vector_format("emb.PARQUET"), vector_format("-")
    ('tsv', 'parquet', 'tsv')
    """
    if fmt is not None:
        if fmt not in VECTOR_FORMATS:
            raise ParameterError(f"unknown vector format {fmt!r}; choose one of {', '.join(VECTOR_FORMATS)}")
        return fmt
    if hasattr(source, "read") or os.fspath(source) == "-":
        return "tsv"
    name = os.path.basename(os.fspath(source)).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    if not ext:
        return "tsv"
    if ext not in _EXTENSIONS or (_EXTENSIONS[ext] in ("npy", "npz", "parquet") and os.fspath(source).lower().endswith(".gz")):
        raise ParameterError(
            f"cannot tell the format of {os.fspath(source)!r} from its extension; pass --format "
            f"({', '.join(VECTOR_FORMATS)}). Known: .tsv .txt .tab .csv (also gzipped), .npy .npz .parquet"
        )
    return _EXTENSIONS[ext]

__all__ = [
    "load",
    "read_vectors_tsv",
    "read_metadata_tsv",
    "read_npy",
    "read_npz",
    "read_parquet",
    "vector_format",
    "VECTOR_FORMATS",
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
    format: str | None = None,
    key: str | None = None,
    tensor: str | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Load vectors (TSV, CSV, NumPy, Parquet, a TensorBoard or standalone projector
    config) and optional metadata into a Dataset.

    Parameters
    ----------
    vectors : path, ``"-"`` or binary file object
        A vector file (see ``format``); ``"-"`` reads TSV from standard input.
    metadata : path, optional
        Tab-separated metadata, one row per vector (see :func:`read_metadata_tsv` for
        the header rule).
    vectors_header, meta_header : bool, optional
        Override header detection for either file.
    encoding : str
        Encoding of the metadata file.
    format : {"tsv", "csv", "npy", "npz", "parquet"}, optional
        The vector format; by default from the extension (``.tsv``, ``.txt``, ``.csv``,
        either gzipped, ``.npy``, ``.npz``, ``.parquet``).
    key : str, optional
        The array of an ``.npz`` file, or the vector column of a Parquet file.
    tensor : str, optional
        With a TensorBoard log folder or a ``projector_config.json``: which embedding.
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
    got = _read_vectors(vectors, format=format, key=key, tensor=tensor, header=vectors_header, progress=progress)
    table, own_metadata, sprite = got.table, got.metadata, got.sprite
    if metadata is None and got.metadata_path:
        metadata = got.metadata_path
    vectors = got.source
    n_points = table.vectors.shape[0]
    notes = list(got.notes) + list(table.notes)
    if metadata is None and own_metadata is not None and len(own_metadata.columns):
        notes.append(f"metadata: the file's other columns ({', '.join(map(str, own_metadata.columns))})")
        frame = own_metadata
        meta_source = os.fspath(vectors)  # type: ignore[arg-type]
    elif metadata is not None:
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
    sprite = _checked_sprite(sprite, n_points, notes)
    return Dataset(
        vectors=table.vectors,
        metadata=frame,
        vector_columns=table.columns,
        source=source,
        metadata_source=meta_source,
        notes=tuple(notes),
        sprite=sprite,
    )


@dataclass(frozen=True)
class _Vectors:
    """What reading the vectors gave: the table, and what the file said beyond it."""

    table: VectorTable
    source: str | BinaryIO
    metadata: pd.DataFrame | None = None  # the other columns of a Parquet or JSON file
    metadata_path: str | None = None  # named by a projector config
    sprite: Sprite | None = None
    notes: tuple[str, ...] = ()


def _read_vectors(vectors, *, format, key, tensor, header, progress) -> _Vectors:
    """Read the vectors from any supported source, following a projector config to its tensor."""
    is_path = not hasattr(vectors, "read") and os.fspath(vectors) != "-"
    if is_path and format is None:
        path = os.fspath(vectors)
        if path.lower().endswith(".json"):
            doc = _points_json(path)
            if doc is not None:
                table, meta = read_points_json(path, doc)
                return _Vectors(table, path, metadata=meta)
        if is_projector_input(path):
            found = resolve(path, tensor)
            if found.tensor_path.lower().endswith(".bytes"):
                table = read_bytes(found.tensor_path, found.tensor_shape)
            else:
                table = _read_vectors(found.tensor_path, format=None, key=key, tensor=None, header=header,
                                      progress=progress).table  # fmt: skip
            return _Vectors(table, found.tensor_path, metadata_path=found.metadata_path, sprite=found.sprite,
                            notes=found.notes)  # fmt: skip
    if tensor is not None:
        raise ParameterError("--tensor goes with a TensorBoard log folder or a projector_config.json")
    fmt = vector_format(vectors, format)
    if fmt in ("tsv", "csv"):
        delimiter = "\t" if fmt == "tsv" else ","
        return _Vectors(read_vectors_tsv(vectors, header=header, delimiter=delimiter, progress=progress), vectors)
    if fmt == "npy":
        return _Vectors(read_npy(vectors), vectors)
    if fmt == "npz":
        return _Vectors(read_npz(vectors, key), vectors)
    parquet = read_parquet(vectors, key)
    return _Vectors(parquet.vectors, vectors, metadata=parquet.metadata)


def _points_json(path: str) -> dict | None:
    """The document when ``path`` is coordinates projector wrote as JSON, else None."""
    import json

    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError, UnicodeDecodeError):
        return None  # let the projector-config reader report what is wrong
    return doc if is_points_json(doc) else None


def _checked_sprite(sprite, n_points: int, notes: list[str]):
    """The sprite if its image can be read and its tiles fit; else None, with a note why."""
    if sprite is None:
        return None
    from .._images import image_size

    size = image_size(sprite.image_path)
    if size is None:
        notes.append(f"sprite {sprite.image_path!r} cannot be read as an image: thumbnails left out")
        return None
    width, height = size
    if sprite.width <= 0 or sprite.height <= 0 or sprite.width > width or sprite.height > height:
        notes.append(f"sprite tile size {sprite.width}x{sprite.height} does not fit its {width}x{height} image: "
                     "thumbnails left out")  # fmt: skip
        return None
    tiles = (width // sprite.width) * (height // sprite.height)
    if tiles < n_points:
        notes.append(f"the sprite has {tiles:,} tiles for {n_points:,} points: later points have no thumbnail")
    notes.append(f"sprite: {width}x{height} image of {sprite.width}x{sprite.height} thumbnails")
    return sprite


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
