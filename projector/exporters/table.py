"""Tables of coordinates with the metadata columns beside them (TSV or CSV)."""

from __future__ import annotations

from typing import BinaryIO

import pandas as pd

from ..types import Dataset, Projection


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


def write_table(
    dataset: Dataset, projection: Projection, f: BinaryIO, sep: str = "\t", axes: str = "shown"
) -> None:
    """Write the coordinates table to a binary file object, UTF-8, LF line ends.

    Coordinates are written with 7 significant digits, which round-trips float32
    closely enough for any plot; missing metadata is an empty cell.
    """
    frame = coordinates_frame(dataset, projection, axes)
    text = frame.to_csv(sep=sep, index=False, float_format="%.7g", lineterminator="\n")
    f.write(text.encode("utf-8"))


