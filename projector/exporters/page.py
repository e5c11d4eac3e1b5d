"""The projector page: one self-contained HTML file with the TensorFlow projector's controls.

The page is a template shipped with the package (``templates/page.html``: plain HTML,
CSS and JavaScript beside plotly.js, which is inlined). This module only prepares the
data the template reads: coordinates quantised to 16 bits per axis, every metadata
column as a dictionary of values plus integer codes, each column's colouring (decided
by :mod:`projector.style`, as for the static images), and the nearest neighbours of
every point when they were computed.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..style import (
    GRADIENT,
    MISSING_COLOR,
    NO_COLOR,
    ColorSpec,
    color_spec,
    format_value,
)
from ..types import Dataset, Neighbors, Projection

TEMPLATE = Path(__file__).resolve().parent / "templates" / "page.html"
METHOD_TITLES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP", "custom": "custom axes"}
_DTYPES = {np.dtype(np.uint8): "u8", np.dtype(np.uint16): "u16", np.dtype(np.uint32): "u32",
           np.dtype(np.int32): "i32", np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}  # fmt: skip


def _binary(array: np.ndarray) -> dict[str, str]:
    """A typed array for the page: little-endian bytes, base64."""
    array = np.ascontiguousarray(array)
    little = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return {"dtype": _DTYPES[array.dtype], "data": base64.b64encode(little.tobytes()).decode("ascii")}


def _smallest_uint(n_values: int) -> type:
    """The smallest unsigned type that holds codes 0..n_values (n_values is 'missing')."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_values < np.iinfo(dtype).max:
            return dtype
    raise ValueError("too many distinct values")  # pragma: no cover


def quantise(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Map float coordinates to 0..65535 over their range (1/65535 of the range apart).

    Examples
    --------
    >>> q, lo, hi = quantise(np.array([-1.0, 0.0, 1.0], dtype=np.float32))
    >>> q.tolist(), lo, hi
    ([0, 32768, 65535], -1.0, 1.0)
    """
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:
        return np.zeros(len(values), dtype=np.uint16), lo, lo
    q = np.rint((values.astype(np.float64) - lo) * (65535.0 / (hi - lo)))
    return q.astype(np.uint16), lo, hi


def _numbers(values: np.ndarray) -> np.ndarray:
    """float32 when it shows every value as float64 does (6 significant digits), else float64."""
    as32 = values.astype(np.float32)
    if np.array_equal(as32.astype(np.float64), values, equal_nan=True):
        return as32
    finite = np.isfinite(values)
    shown64 = np.char.mod("%.6g", values[finite])
    shown32 = np.char.mod("%.6g", as32[finite].astype(np.float64))
    return as32 if np.array_equal(shown64, shown32) else values


def _column(series: pd.Series, colors: ColorSpec) -> dict:
    """One metadata column for the page, encoded once for display, search and colour.

    A text column is a dictionary of its values plus a code per point. When it is
    coloured by category, the dictionary is in the colour order, so the same codes serve
    both. A numeric column is its numbers; a gradient colours them directly.
    """
    name = str(series.name)
    out: dict = {"name": name}
    color: dict
    if colors.kind == "categorical":
        color = {"kind": "categorical", "categories": list(colors.categories), "palette": list(colors.palette)}
    else:
        color = {"kind": "numeric", "vmin": colors.vmin, "vmax": colors.vmax}
    if pd.api.types.is_numeric_dtype(series):
        values = series.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
        out.update(kind="number", numbers=_binary(_numbers(values)))
        if colors.kind == "categorical":
            color["codes"] = _binary(np.where(colors.codes < 0, 255, colors.codes).astype(np.uint8))
    else:
        if colors.kind == "categorical" and colors.categories[-1:] != ("(other)",):
            # The colour categories are the column's distinct values: use them as its dictionary.
            dictionary = list(colors.categories)
            codes = colors.codes
        else:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            dictionary = [format_value(v) for v in uniques]
            if colors.kind == "categorical":
                color["codes"] = _binary(np.where(colors.codes < 0, 255, colors.codes).astype(np.uint8))
        dtype = _smallest_uint(len(dictionary))
        missing = np.iinfo(dtype).max
        out.update(kind="text", dictionary=dictionary, missing_code=int(missing),
                   codes=_binary(np.where(codes < 0, missing, codes).astype(dtype)))  # fmt: skip
    out["color"] = color
    return out


def page_data(
    dataset: Dataset,
    projection: Projection,
    *,
    color_by: str | None,
    label_by: str | None,
    title: str,
    neighbors: Neighbors | None = None,
) -> dict:
    """Everything the page template reads, as JSON-ready data."""
    n = dataset.n_points
    axes = []
    for j in range(projection.coords.shape[1]):
        q, lo, hi = quantise(projection.coords[:, j])
        axes.append({"name": projection.axis_names[j], "title": projection.axis_titles[j],
                     "min": lo, "max": hi, "values": _binary(q)})  # fmt: skip
    frame = dataset.metadata
    columns = [_column(frame[c], color_spec(frame, c)) for c in frame.columns]
    nn = None
    if neighbors is not None:
        nn = {"k": neighbors.k, "metric": neighbors.metric,
              "indices": _binary(neighbors.indices.astype(np.uint32)),
              "distances": _binary(neighbors.distances.astype(np.float32))}  # fmt: skip
    sprite = _sprite(dataset)
    size = 7 if n <= 2_000 else 5 if n <= 20_000 else 3 if n <= 200_000 else 2
    params = projection.params
    about = [f"Made by projector from {Path(dataset.source).name or dataset.source}."]
    if params.get("spherize") is not None:
        about.append(f"Spherize {params['spherize_reason']}.")
    if neighbors is None:
        about.append("Nearest neighbours were not computed for this page (--page-neighbors).")
    return {
        "n": n,
        "n_dims": dataset.n_dims,
        "title": title,
        "method": projection.method,
        "method_title": METHOD_TITLES.get(projection.method, projection.method),
        "axes": axes,
        "shown": list(projection.shown),
        "columns": columns,
        "color_by": color_by,
        "label_by": label_by,
        "neighbors": nn,
        "sprite": sprite,
        "gradient": [list(stop) for stop in GRADIENT],
        "missing_color": MISSING_COLOR,
        "no_color": NO_COLOR,
        "point_size": size,
        "point_opacity": 0.8 if n <= 200_000 else 0.6,
        "about": " ".join(about),
    }


_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                ".webp": "image/webp"}  # fmt: skip


def _sprite(dataset: Dataset) -> dict | None:
    """The sprite atlas as a data URL, for thumbnails in the point panel."""
    sprite = dataset.sprite
    if sprite is None:
        return None
    from .._images import image_size

    size = image_size(sprite.image_path)
    mime = _IMAGE_TYPES.get(Path(sprite.image_path).suffix.lower())
    if size is None or mime is None:
        return None
    data = base64.b64encode(Path(sprite.image_path).read_bytes()).decode("ascii")
    return {"url": f"data:{mime};base64,{data}", "width": size[0], "height": size[1],
            "tile_width": sprite.width, "tile_height": sprite.height}  # fmt: skip


def _script_json(data: dict) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_page(f: BinaryIO, data: dict) -> None:
    """Fill the template with plotly.js and ``data`` and write it to ``f``."""
    from plotly.offline import get_plotlyjs

    template = TEMPLATE.read_text(encoding="utf-8")
    head, rest = template.split("/*PLOTLY_JS*/", 1)
    middle, tail = rest.split("/*PAGE_DATA*/", 1)
    head = head.replace("{{TITLE}}", html.escape(data["title"]))
    for part in (head, get_plotlyjs(), middle, _script_json(data), tail):
        f.write(part.encode("utf-8"))
