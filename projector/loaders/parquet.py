"""Parquet tables: vectors in one list column, or in every numeric column."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .vectors_tsv import VectorTable

AXES_KEY = "projector:axes"  # written by projector's coordinate tables (exporters/table.py)


def _axes_written_by_projector(name: str, columns: list[str]) -> list[str] | None:
    import json

    import polars as pl

    try:
        value = pl.read_parquet_metadata(name).get(AXES_KEY)
        axes = json.loads(value) if value else None
    except Exception:  # noqa: BLE001 - no usable key: read the file as any other
        return None
    if isinstance(axes, list) and axes and all(isinstance(a, str) and a in columns for a in axes):
        return axes
    return None


def _pandas_column(series) -> pd.Series:
    """A polars column as the metadata loader types it: Int64, float64 or text with None."""
    dtype = series.dtype
    if dtype.is_integer():
        return pd.Series(pd.array(series.to_list(), dtype="Int64"))
    if dtype.is_float():
        return pd.Series(series.to_numpy(), dtype="float64")
    if dtype.is_numeric():  # decimals and the like
        return pd.Series(series.cast(float).to_numpy(), dtype="float64")
    return pd.Series([None if v is None else str(v) for v in series.to_list()], dtype=object)


@dataclass(frozen=True)
class ParquetTable:
    """The vectors of a Parquet file and its other columns (metadata)."""

    vectors: VectorTable
    metadata: pd.DataFrame


def read_parquet(path: str | os.PathLike[str], column: str | None = None) -> ParquetTable:
    """Read vectors from a Parquet file, and its other columns as metadata.

    The vectors are ``column`` when given; else the one list (or fixed-size list)
    column there is; else every numeric column, one dimension each.

    Examples
    --------
    >>> import tempfile, polars as pl
    >>> f = os.path.join(tempfile.mkdtemp(), "e.parquet")
    >>> pl.DataFrame({"word": ["a", "b"], "vec": [[1.0, 2.0], [3.0, 4.0]]}).write_parquet(f)
    >>> t = read_parquet(f)
    >>> t.vectors.vectors.tolist(), t.metadata["word"].tolist()
    ([[1.0, 2.0], [3.0, 4.0]], ['a', 'b'])
    """
    import polars as pl

    name = os.fspath(path)
    if not os.path.exists(name):
        raise InputError("no such file", path=name)
    try:
        frame = pl.read_parquet(name)
    except Exception as e:  # noqa: BLE001 - polars raises many kinds for a bad file
        raise InputError(f"is not a readable Parquet file: {e}", path=name) from None
    if frame.height == 0:
        raise InputError("has no rows", path=name)
    lists = [c for c, t in frame.schema.items() if isinstance(t, (pl.List, pl.Array))]
    written_axes = _axes_written_by_projector(name, frame.columns)
    if column is None and written_axes:
        vector_cols = written_axes
    elif column is not None:
        if column not in frame.columns:
            raise InputError(f"has no column {column!r}; its columns are: {', '.join(frame.columns)}", path=name)
        vector_cols = [column]
    elif len(lists) == 1:
        vector_cols = lists
    elif len(lists) > 1:
        raise InputError(f"has {len(lists)} list columns ({', '.join(lists)}); choose one with --key", path=name)
    else:
        vector_cols = [c for c, t in frame.schema.items() if t.is_numeric()]
        if not vector_cols:
            raise InputError("has no list column and no numeric column to take vectors from", path=name)

    if len(vector_cols) == 1 and isinstance(frame.schema[vector_cols[0]], (pl.List, pl.Array)):
        series = frame.get_column(vector_cols[0])
        lengths = series.list.len() if isinstance(series.dtype, pl.List) else None
        if lengths is not None:
            if lengths.null_count() or lengths.n_unique() != 1:
                bad = int((lengths != lengths[0]).arg_true()[0]) if lengths.null_count() == 0 else int(lengths.is_null().arg_true()[0])
                raise InputError(
                    f"row {bad} of column {vector_cols[0]!r} has {lengths[bad]} values, row 0 has {lengths[0]}",
                    path=name,
                )
            flat = series.explode().to_numpy()
            width = int(lengths[0])
        else:
            flat = series.to_numpy().reshape(-1)
            width = series.dtype.shape[0] if hasattr(series.dtype, "shape") else series.dtype.width
        array = np.asarray(flat, dtype=np.float64 if flat.dtype == object else flat.dtype).reshape(frame.height, width)
        names = None
        note = f"vectors: list column {vector_cols[0]!r} of the Parquet file"
    else:
        array = frame.select(vector_cols).to_numpy()
        names = tuple(vector_cols)
        note = f"vectors: the {len(vector_cols)} numeric columns of the Parquet file"
    from .arrays import _check

    vectors = _check(array, name, "the vectors")
    rest = frame.drop(vector_cols)
    metadata = pd.DataFrame({c: _pandas_column(rest.get_column(c)) for c in rest.columns},
                            index=pd.RangeIndex(frame.height))  # fmt: skip
    return ParquetTable(vectors=VectorTable(vectors=vectors, columns=names, notes=(note,)), metadata=metadata)
