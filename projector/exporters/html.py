"""A plotly Figure of a projection, for notebooks (the written page is :mod:`.page`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from ..style import GRADIENT, MISSING_COLOR, MISSING_LABEL, NO_COLOR, ColorSpec
from ..types import Projection

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

def marker_px(n_points: int, three_d: bool) -> float:
    """Marker diameter in pixels: smaller as the cloud gets denser."""
    size = 7 if n_points <= 2_000 else 5 if n_points <= 20_000 else 3 if n_points <= 200_000 else 2
    return size * (0.6 if three_d else 1.0)


def plotly_figure(
    projection: Projection,
    colors: ColorSpec,
    hover: list[str],
    *,
    title: str | None = None,
) -> "go.Figure":
    """A plotly Figure of the shown axes: 2D scattergl or 3D scatter.

    Categories become one trace each (so the legend toggles them); a numeric column is
    one trace on a colour scale; points with no value are a grey "(missing)" trace.
    Coordinates stay float32 numpy arrays, which plotly embeds as base64 binary.
    """
    import plotly.graph_objects as go

    three_d = projection.dims == 3
    axes = [projection.coords[:, c] for c in projection.shown]
    hover_arr = np.asarray(hover, dtype=object)
    size = marker_px(projection.n_points, three_d)
    traces = []

    def trace(mask: np.ndarray | None, name: str | None, marker: dict, legend: bool = True):
        pts = axes if mask is None else [a[mask] for a in axes]
        text = hover_arr if mask is None else hover_arr[mask]
        common = dict(
            mode="markers",
            # plotly renders names as its own small HTML: metadata must stay text.
            name=None if name is None else html.escape(name),
            showlegend=legend and name is not None,
            hovertext=text.tolist(),
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": size, "opacity": 0.85, **marker},
        )
        if three_d:
            return go.Scatter3d(x=pts[0], y=pts[1], z=pts[2], **common)
        return go.Scattergl(x=pts[0], y=pts[1], **common)

    if colors.kind == "categorical":
        for i, (name, color) in enumerate(zip(colors.categories, colors.palette)):
            mask = colors.codes == i
            if mask.any():
                traces.append(trace(mask, name, {"color": color}))
    elif colors.kind == "numeric":
        ok = ~np.isnan(colors.values)
        traces.append(
            trace(
                ok,
                str(colors.column),
                {
                    "color": colors.values[ok].astype(np.float32),
                    "colorscale": [list(stop) for stop in GRADIENT],
                    "cmin": colors.vmin,
                    "cmax": colors.vmax,
                    "colorbar": {"title": {"text": html.escape(str(colors.column))}},
                },
                legend=False,
            )
        )
    else:
        traces.append(trace(None, None, {"color": NO_COLOR}))
    missing = colors.missing
    if missing.any():
        traces.append(trace(missing, MISSING_LABEL, {"color": MISSING_COLOR}))

    names = [html.escape(projection.axis_titles[c]) for c in projection.shown]
    layout = go.Layout(
        template="plotly_white",
        title={"text": html.escape(title)} if title else None,
        legend={
            "title": {"text": html.escape(str(colors.column))},
            "itemsizing": "constant",
        },
        hovermode="closest",
        margin={"l": 40, "r": 20, "t": 60 if title else 20, "b": 40},
    )
    fig = go.Figure(data=traces, layout=layout)
    if three_d:
        fig.update_layout(
            scene={
                "xaxis": {"title": {"text": names[0]}},
                "yaxis": {"title": {"text": names[1]}},
                "zaxis": {"title": {"text": names[2]}},
            }
        )
    else:
        fig.update_xaxes(title_text=names[0], zeroline=False)
        fig.update_yaxes(title_text=names[1], zeroline=False)
    return fig
