"""Exporters: a Dataset and a Projection in, a page, an image or a table out.

Exporters never read files or run reducers; they render what they are given.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from ..errors import ParameterError
from ..style import (
    ColorSpec,
    check_column,
    color_spec,
    default_color_column,
    default_label_column,
    hover_texts,
)
from ..types import Dataset, Neighbors, Projection
from ._atomic import atomic_open

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go
    from matplotlib.figure import Figure

FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".png": "png",
    ".svg": "svg",
    ".pdf": "pdf",
    ".tsv": "tsv",
    ".csv": "csv",
    ".parquet": "parquet",
    ".json": "json",
    ".npy": "npy",
}
_AUTO = "auto"

__all__ = ["write", "to_plotly", "to_matplotlib", "format_for", "FORMATS", "Written", "Styling"]


@dataclass(frozen=True)
class Styling:
    """The resolved colour and label choice, for the run summary."""

    colors: ColorSpec
    label_by: str | None


@dataclass(frozen=True)
class Written:
    """What :func:`write` wrote."""

    path: str
    format: str
    n_bytes: int
    styling: Styling | None


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The output format: ``fmt`` when given, else from the file's extension.

    Examples
    --------
    >>> format_for("out/map.PNG")
    'png'
    """
    if fmt:
        if fmt not in set(FORMATS.values()):
            raise ParameterError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(set(FORMATS.values())))}")
        return fmt
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in FORMATS:
        raise ParameterError(
            f"cannot tell the format of {os.fspath(path)!r} from its extension; use one of "
            f"{', '.join(sorted(FORMATS))} (or pass a format)"
        )
    return FORMATS[ext]


def resolve_styling(dataset: Dataset, color_by: str | None = _AUTO, label_by: str | None = _AUTO) -> Styling:
    """Resolve the colour column (default: first with 2-50 values) and the label column."""
    frame = dataset.metadata
    color_col = default_color_column(frame) if color_by == _AUTO else color_by
    label_col = default_label_column(frame) if label_by == _AUTO else label_by
    colors = color_spec(frame, color_col)
    if label_col is not None:
        check_column(frame, label_col, "label by")
    return Styling(colors=colors, label_by=label_col)


def to_plotly(
    dataset: Dataset,
    projection: Projection,
    *,
    color_by: str | None = _AUTO,
    label_by: str | None = _AUTO,
    title: str | None = None,
) -> "go.Figure":
    """An interactive plotly Figure, for notebooks or further styling.

    Parameters
    ----------
    dataset : Dataset
    projection : Projection
    color_by : str or None
        Metadata column to colour by; ``None`` for one colour. Default: the first
        column with 2 to 50 distinct values.
    label_by : str or None
        Column that titles the hover box. Default: the first text column.
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import projector
    >>> ds = projector.load(*projector.sample_paths())
    >>> fig = to_plotly(ds, projector.pca(ds.vectors, dims=3), color_by="name")
    >>> len(fig.data), fig.data[0].type, fig.data[0].name
    (10, 'scatter3d', 'eight')
    """
    from .html import plotly_figure

    styling = resolve_styling(dataset, color_by, label_by)
    hover = hover_texts(dataset.metadata, styling.label_by)
    return plotly_figure(projection, styling.colors, hover, title=title)


def to_matplotlib(
    dataset: Dataset,
    projection: Projection,
    *,
    color_by: str | None = _AUTO,
    title: str | None = None,
) -> "Figure":
    """A static matplotlib Figure (no pyplot state), coloured like the page.

    Examples
    --------
    >>> import projector
    >>> ds = projector.load(*projector.sample_paths())
    >>> fig = to_matplotlib(ds, projector.pca(ds.vectors), color_by="digit")
    >>> fig.axes[0].get_xlabel()
    'PC1 (14.9%)'
    """
    from .image import matplotlib_figure

    styling = resolve_styling(dataset, color_by, None)
    return matplotlib_figure(projection, styling.colors, title=title)


def write(
    dataset: Dataset,
    projection: Projection,
    path: str | os.PathLike[str] | BinaryIO,
    *,
    format: str | None = None,
    color_by: str | None = _AUTO,
    label_by: str | None = _AUTO,
    title: str | None = None,
    dpi: int = 150,
    neighbors: Neighbors | None = None,
    manifest: dict | None = None,
    protect: tuple[str | os.PathLike[str], ...] = (),
) -> Written:
    """Write the projection as a page, an image or a table, chosen by extension.

    Parameters
    ----------
    dataset, projection
        What to draw.
    path : path, ``"-"`` or binary file object
        ``.html`` page, ``.png``/``.svg``/``.pdf`` image, ``.tsv``/``.csv``/``.parquet``
        table of coordinates with the metadata beside them, ``.json`` points with
        their coordinates and metadata, ``.npy`` coordinates alone. ``"-"`` is
        standard output. Files are written atomically: whole, or not at all.
    format : str, optional
        Overrides the extension (needed for ``"-"`` and file objects).
    color_by, label_by, title
        As for :func:`to_plotly`.
    dpi : int
        Resolution of PNG output (and of the rasterised points in SVG/PDF).
    neighbors : Neighbors, optional
        Every point's nearest neighbours (``projector.neighbors(vectors, range(n))``),
        listed in the page when a point is clicked.
    manifest : dict, optional
        A run manifest (:mod:`projector.manifest`) to embed in the page.
    protect : paths
        Files that must never be overwritten (the inputs).

    Returns
    -------
    Written

    Examples
    --------
    >>> import projector, tempfile, os
    >>> ds = projector.load(*projector.sample_paths())
    >>> out = os.path.join(tempfile.mkdtemp(), "digits.csv")
    >>> w = write(ds, projector.pca(ds.vectors), out)
    >>> w.format, open(out).readline().strip()
    ('csv', 'PC1,PC2,label,digit,name,ink')
    """
    is_stream = hasattr(path, "write") or os.fspath(path) == "-"  # type: ignore[arg-type]
    if is_stream and not format:
        format = "tsv"
    fmt = format_for("" if is_stream else path, format)  # type: ignore[arg-type]
    if not is_stream:
        target = os.path.realpath(os.fspath(path))  # type: ignore[arg-type]
        for p in protect:
            if os.path.exists(p) and os.path.realpath(os.fspath(p)) == target:
                raise ParameterError(f"the output {os.fspath(path)!r} is an input file; choose another path")  # type: ignore[arg-type]
    styling = None
    if fmt in ("tsv", "csv", "parquet", "json", "npy"):
        from .table import write_table

        def render(f: BinaryIO) -> None:
            write_table(dataset, projection, f, fmt)
    elif fmt == "html":
        from .page import METHOD_TITLES, page_data, write_page

        styling = resolve_styling(dataset, color_by, label_by)
        if neighbors is not None and (
            len(neighbors.queries) != dataset.n_points or not np.array_equal(neighbors.queries, np.arange(dataset.n_points))
        ):
            raise ParameterError("the page needs the neighbours of every point, in row order")
        name = os.path.basename(dataset.source) if dataset.source not in ("<array>", "<stdin>") else "projector"
        data = page_data(
            dataset,
            projection,
            color_by=styling.colors.column,
            label_by=styling.label_by,
            title=title or f"{name}: {METHOD_TITLES.get(projection.method, projection.method)}",
            neighbors=neighbors,
        )
        data["manifest"] = manifest

        def render(f: BinaryIO) -> None:
            write_page(f, data)
    else:
        from .image import matplotlib_figure, write_image

        styling = resolve_styling(dataset, color_by, label_by)
        mfig = matplotlib_figure(projection, styling.colors, title=title)

        def render(f: BinaryIO) -> None:
            write_image(mfig, f, fmt, dpi=dpi)

    if is_stream:
        stream = sys.stdout.buffer if not hasattr(path, "write") else path  # type: ignore[union-attr]
        counter = _CountingWriter(stream)
        render(counter)  # type: ignore[arg-type]
        stream.flush()
        return Written(path="-", format=fmt, n_bytes=counter.n, styling=styling)
    with atomic_open(path) as f:  # type: ignore[arg-type]
        render(f)
        n_bytes = f.tell()
    return Written(path=os.fspath(path), format=fmt, n_bytes=n_bytes, styling=styling)  # type: ignore[arg-type]


class _CountingWriter:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.n = 0

    def write(self, data: bytes) -> int:
        self.n += len(data)
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()
