"""Coordinates with the metadata beside them: TSV, CSV, Parquet, JSON, or a bare .npy array."""

from __future__ import annotations

from typing import BinaryIO

import pandas as pd

from ..types import Dataset, Projection

# Parquet key-value metadata naming the coordinate columns (read by loaders/parquet.py).
AXES_KEY = "projector:axes"


def coordinates_frame(dataset: Dataset, projection: Projection, axes: str = "shown") -> pd.DataFrame:
    """One row per point: the coordinates, then every metadata column.

    Parameters
    ----------
    dataset : Dataset
    projection : Projection
    axes : {"shown", "all"}
        The shown axes (those of the picture) or every computed one.

    Returns
    -------
    pandas.DataFrame
        Coordinate columns are named like ``PC1``; a metadata column of the same name
        is renamed ``PC1 (metadata)``.
    """
    cols = projection.shown if axes == "shown" else tuple(range(projection.coords.shape[1]))
    data: dict[str, object] = {
        projection.axis_names[c]: projection.coords[:, c] for c in cols
    }
    frame = pd.DataFrame(data)
    for name in dataset.metadata.columns:
        out_name = f"{name} (metadata)" if name in data else name
        frame[out_name] = dataset.metadata[name].to_numpy()
    return frame


def write_table(dataset: Dataset, projection: Projection, f: BinaryIO, fmt: str = "tsv",
                axes: str = "shown") -> None:
    """Write the coordinates in ``fmt`` (tsv, csv, parquet, json, npy) to a binary file object.

    Text tables are UTF-8 with LF line ends; coordinates have 7 significant digits,
    which round-trips float32 closely enough for any plot; missing metadata is an
    empty cell (null in Parquet and JSON). ``.npy`` holds the coordinates alone, float32.
    """
    frame = coordinates_frame(dataset, projection, axes)
    if fmt in ("tsv", "csv"):
        text = frame.to_csv(sep="\t" if fmt == "tsv" else ",", index=False, float_format="%.7g", lineterminator="\n")
        f.write(text.encode("utf-8"))
    elif fmt == "npy":
        import numpy as np

        cols = projection.shown if axes == "shown" else tuple(range(projection.coords.shape[1]))
        np.save(f, np.ascontiguousarray(projection.coords[:, list(cols)]), allow_pickle=False)
    elif fmt == "parquet":
        import json

        # Name the coordinate columns in the file's metadata, so that projector reads them
        # back as the vectors and the other columns as metadata.
        names = [projection.axis_names[c] for c in (projection.shown if axes == "shown" else range(projection.coords.shape[1]))]
        _polars(frame).write_parquet(f, metadata={AXES_KEY: json.dumps(names)})
    elif fmt == "json":
        import json

        records = {c: [_plain(v) for v in frame[c]] for c in frame.columns}
        points = [{"row": i, **{c: records[c][i] for c in frame.columns}} for i in range(len(frame))]
        names = [projection.axis_names[c] for c in (projection.shown if axes == "shown" else range(projection.coords.shape[1]))]
        doc = {"method": projection.method, "axes": names, "points": points}
        f.write(json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    else:
        raise ValueError(f"unknown table format {fmt!r}")


def _plain(value: object) -> object:
    """A cell as a JSON value: numbers as numbers, missing as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and value != value:
            return None
    return value


def _polars(frame: pd.DataFrame):
    import polars as pl

    columns = {}
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_float_dtype(series) and not isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
            columns[name] = pl.Series(name, series.to_numpy(), nan_to_null=True)
        else:
            columns[name] = pl.Series(name, [_plain(v) for v in series])
    return pl.DataFrame(columns)
