"""The TensorFlow projector's custom linear projection: axes from two pairs of searches."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._rows import Rows, resolve_spherize
from ..errors import ParameterError
from ..search import default_search_column, search
from ..types import Projection
from ._common import as_matrix


def custom(
    vectors: np.ndarray,
    metadata: pd.DataFrame,
    *,
    left: str,
    right: str,
    up: str,
    down: str,
    search_by: str | None = None,
    regex: bool = False,
    spherize: bool | None = None,
) -> Projection:
    """Project every point on two directions defined by searches in the metadata.

    As in TensorFlow: each query selects the points whose ``search_by`` value contains
    it (case-insensitive), or matches it as a regular expression; the centroid of a
    query is the mean of the matching points' **original** vectors; then
    ``x = v . (centroid(right) - centroid(left))`` and
    ``y = v . (centroid(up) - centroid(down))``, with ``v`` each point's vector
    (spherized when on). Directions are not normalised.

    Unlike TensorFlow, a query that matches nothing is an error (TensorFlow silently
    uses a random direction).

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(n_points, n_dims)``.
    metadata : pandas.DataFrame
        One row per point.
    left, right, up, down : str
        The four queries.
    search_by : str, optional
        Column to search; default the first text column, as in TensorFlow.
    regex : bool
        Treat the queries as regular expressions.
    spherize : bool, optional
        Default on when ``n_dims >= 50``, as in TensorFlow.

    Returns
    -------
    Projection
        2D; ``params["matches"]`` counts the points each query matched.

    Examples
    --------
    >>> x = np.array([[1, 0], [0, 1], [2, 0], [0, 3]], dtype=np.float32)
    >>> meta = pd.DataFrame({"w": ["east", "north", "far east", "far north"]})
    >>> p = custom(x, meta, left="north", right="east", up="far north", down="far east")
    >>> p.coords.tolist()
    [[1.5, -2.0], [-2.0, 3.0], [3.0, -4.0], [-6.0, 9.0]]
    >>> p.params["matches"]
    {'left': 2, 'right': 2, 'up': 1, 'down': 1}
    """
    x = as_matrix(vectors, 1, "the custom projection")
    if len(metadata) != x.shape[0]:
        raise ParameterError(f"metadata has {len(metadata)} rows for {x.shape[0]} vectors")
    column = search_by if search_by is not None else default_search_column(metadata)
    if column is None:
        raise ParameterError("the custom projection searches metadata, and there is none: pass --meta")
    if column not in metadata.columns:
        raise ParameterError(
            f"--search-by: no metadata column {column!r}; the columns are: "
            + ", ".join(map(str, metadata.columns))
        )
    queries = {"left": left, "right": right, "up": up, "down": down}
    centroids: dict[str, np.ndarray] = {}
    matches: dict[str, int] = {}
    for side, query in queries.items():
        rows = search(metadata[column], query, regex=regex)
        if len(rows) == 0:
            how = "regular expression" if regex else "text"
            raise ParameterError(f"--{side} {query!r} matches no point: no {column!r} value contains that {how}")
        matches[side] = int(len(rows))
        centroids[side] = x[rows].astype(np.float64).mean(axis=0)
    directions = np.stack(
        [centroids["right"] - centroids["left"], centroids["up"] - centroids["down"]], axis=1
    )
    on, reason = resolve_spherize(spherize, x.shape[1])
    coords = Rows(x, on).times(directions.astype(np.float32), np.empty((x.shape[0], 2), np.float32))
    flag = " (regex)" if regex else ""
    titles = (f"{left} \u2190 \u2192 {right}{flag}", f"{down} \u2190 \u2192 {up}{flag}")
    params = {
        "search_by": column,
        "regex": regex,
        "queries": queries,
        "matches": matches,
        "spherize": on,
        "spherize_reason": reason,
    }
    return Projection(
        method="custom", coords=coords, axis_names=("x", "y"), axis_titles=titles,
        shown=(0, 1), params=params,
    )  # fmt: skip
