"""How metadata looks: colours per point, legends, hover text. Imports no plotting library.

Exporters render what this module prepares, so the page and the static images colour
the same data the same way.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._text import cell_text
from .errors import ParameterError

# TensorFlow's NUM_COLORS_COLOR_MAP: up to this many distinct values a column is categorical.
MAX_CATEGORIES = 50
# TensorFlow's palette: d3 schemeCategory10 reordered (3i mod 10), then 40 more distinct
# colours (tableau's light and b/c variants) so 50 values never repeat a colour.
PALETTE = (
    "#1f77b4", "#d62728", "#e377c2", "#17becf", "#2ca02c",
    "#8c564b", "#bcbd22", "#ff7f0e", "#9467bd", "#7f7f7f",
    "#aec7e8", "#ff9896", "#f7b6d2", "#9edae5", "#98df8a",
    "#c49c94", "#dbdb8d", "#ffbb78", "#c5b0d5", "#c7c7c7",
    "#393b79", "#843c39", "#7b4173", "#637939", "#8c6d31",
    "#5254a3", "#ad494a", "#a55194", "#8ca252", "#bd9e39",
    "#6b6ecf", "#d6616b", "#ce6dbd", "#b5cf6b", "#e7ba52",
    "#9c9ede", "#e7969c", "#de9ed6", "#cedb9c", "#e7cb94",
    "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
    "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#969696",
)  # fmt: skip
# Numeric columns: viridis (perceptually uniform, colour-blind safe). TensorFlow's
# #ffffdd -> #1f2d86 gradient fades into a white background at its low end.
GRADIENT = (
    (0.0, "#440154"), (0.125, "#472d7b"), (0.25, "#3b528b"), (0.375, "#2c728e"),
    (0.5, "#21918c"), (0.625, "#28ae80"), (0.75, "#5ec962"), (0.875, "#addc30"), (1.0, "#fde725"),
)  # fmt: skip
GRADIENT_NAME = "viridis"
MISSING_COLOR = "#b0b0b0"
NO_COLOR = "#7575d9"  # TensorFlow's colour when no column is chosen
OTHER_LABEL = "(other)"
MISSING_LABEL = "(missing)"


@dataclass(frozen=True)
class ColorSpec:
    """Colours for every point from one metadata column.

    ``kind`` is ``"none"`` (one colour), ``"categorical"`` (``codes`` index
    ``categories`` and ``palette``; -1 is a missing value) or ``"numeric"`` (``values``
    on a gradient from ``vmin`` to ``vmax``; NaN is missing).
    """

    column: str | None
    kind: str
    n_points: int
    categories: tuple[str, ...] = ()
    palette: tuple[str, ...] = ()
    codes: np.ndarray | None = None
    values: np.ndarray | None = None
    vmin: float = 0.0
    vmax: float = 1.0
    description: str = "one colour"
    notes: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> np.ndarray:
        """Boolean mask of points with no value in the column."""
        if self.kind == "categorical":
            return self.codes < 0  # type: ignore[operator]
        if self.kind == "numeric":
            return np.isnan(self.values)  # type: ignore[arg-type]
        return np.zeros(self.n_points, dtype=bool)


def check_column(frame: pd.DataFrame, column: str, option: str) -> None:
    """Raise a ParameterError listing the columns when ``column`` is not one of them."""
    if column not in frame.columns:
        there = ", ".join(map(str, frame.columns)) if len(frame.columns) else "none (no metadata given)"
        raise ParameterError(f"{option}: no metadata column {column!r}; the columns are: {there}")


def default_color_column(frame: pd.DataFrame) -> str | None:
    """The first column with 2 to 50 distinct values: a categorical colouring worth seeing."""
    for name in frame.columns:
        n = frame[name].nunique(dropna=True)
        if 2 <= n <= MAX_CATEGORIES:
            return str(name)
    return None


def default_label_column(frame: pd.DataFrame) -> str | None:
    """TensorFlow's default: the first text column, else the first column."""
    for name in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            return str(name)
    return str(frame.columns[0]) if len(frame.columns) else None


# One rule for showing a value as text, shared with search and the exporters.
format_value = cell_text


def color_spec(frame: pd.DataFrame, column: str | None) -> ColorSpec:
    """Decide how to colour the points by ``column`` (None: one colour).

    Up to 50 distinct values are categories (numbers ascending, text alphabetical);
    a numeric column with more is a gradient; a text column with more shows its 49
    most frequent values and groups the rest as "(other)" (TensorFlow hides it).

    Examples
    --------
    >>> frame = pd.DataFrame({"fruit": ["pear", "apple", None, "pear"]})
    >>> spec = color_spec(frame, "fruit")
    >>> spec.kind, spec.categories, spec.codes.tolist()
    ('categorical', ('apple', 'pear'), [1, 0, -1, 1])
    """
    n = len(frame)
    if column is None:
        return ColorSpec(column=None, kind="none", n_points=n)
    check_column(frame, column, "color by")
    series = frame[column]
    numeric = pd.api.types.is_numeric_dtype(series)
    distinct = series.dropna().unique()
    if len(distinct) <= MAX_CATEGORIES:
        ordered = sorted(distinct) if numeric else sorted(distinct, key=lambda v: (str(v).lower(), str(v)))
        lookup = {v: i for i, v in enumerate(ordered)}
        codes = np.fromiter(
            (lookup.get(v, -1) if not pd.isna(v) else -1 for v in series), dtype=np.int32, count=n
        )
        names = tuple(format_value(v) for v in ordered)
        return ColorSpec(
            column=column,
            kind="categorical",
            n_points=n,
            categories=names,
            palette=PALETTE[: len(names)],
            codes=codes,
            description=f"categorical, {len(names)} value{'s' if len(names) != 1 else ''}",
        )
    if numeric:
        values = series.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        return ColorSpec(
            column=column,
            kind="numeric",
            n_points=n,
            values=values,
            vmin=lo,
            vmax=hi if hi > lo else lo + 1.0,
            description=f"gradient from {lo:.6g} to {hi:.6g}",
        )
    counts = series.value_counts(dropna=True)
    top = list(counts.index[: MAX_CATEGORIES - 1])
    lookup = {v: i for i, v in enumerate(top)}
    other = len(top)
    codes = np.fromiter(
        (-1 if pd.isna(v) else lookup.get(v, other) for v in series), dtype=np.int32, count=n
    )
    names = tuple(format_value(v) for v in top) + (OTHER_LABEL,)
    return ColorSpec(
        column=column,
        kind="categorical",
        n_points=n,
        categories=names,
        palette=PALETTE[: len(top)] + (MISSING_COLOR,),
        codes=codes,
        description=(
            f"categorical, the {len(top)} most frequent of {len(distinct)} values, "
            f"the rest as {OTHER_LABEL}"
        ),
    )


def hover_texts(frame: pd.DataFrame, label_by: str | None, max_columns: int = 12) -> list[str]:
    """Per point: the label in bold, then ``column: value`` lines, HTML-escaped.

    Metadata is text, never markup: ``<`` becomes ``&lt;`` so a cell holding a tag shows
    as those characters in plotly's hover box.

    Examples
    --------
    >>> hover_texts(pd.DataFrame({"w": ["<b>x</b>"], "n": [3]}), "w")
    ['<b>&lt;b&gt;x&lt;/b&gt;</b><br>n: 3']
    """
    n = len(frame)
    if label_by is not None:
        check_column(frame, label_by, "label by")
        titles = [html.escape(format_value(v)) for v in frame[label_by]]
    else:
        titles = [f"#{i}" for i in range(n)]
    others = [c for c in frame.columns if c != label_by][:max_columns]
    parts = [
        [f"{html.escape(str(c))}: {html.escape(format_value(v))}" for v in frame[c]] for c in others
    ]
    out = []
    for i in range(n):
        lines = [f"<b>{titles[i]}</b>"]
        lines.extend(p[i] for p in parts)
        out.append("<br>".join(lines))
    return out
