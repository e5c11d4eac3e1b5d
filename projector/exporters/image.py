"""Static pictures with matplotlib: PNG, SVG, PDF. No browser needed."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from ..style import GRADIENT_NAME, MISSING_COLOR, MISSING_LABEL, NO_COLOR, ColorSpec
from ..types import Projection

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def marker_area(n_points: int) -> float:
    """Marker area in points^2: smaller as the cloud gets denser."""
    return float(np.clip(3000.0 / max(n_points, 1) ** 0.75, 0.05, 36.0))


def matplotlib_figure(
    projection: Projection,
    colors: ColorSpec,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 6.5),
) -> "Figure":
    """A matplotlib Figure of the shown axes, coloured as ``colors`` says.

    Points are rasterised even in SVG and PDF, so a million points stay a small file;
    axes, legend and text stay vector.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    three_d = projection.dims == 3
    ax = fig.add_subplot(projection="3d" if three_d else None)
    xyz = [projection.coords[:, c] for c in projection.shown]
    size = marker_area(projection.n_points)
    common = {"s": size, "linewidths": 0, "rasterized": True}

    def draw(mask: np.ndarray | None, **kw: object):
        pts = xyz if mask is None else [a[mask] for a in xyz]
        return ax.scatter(*pts, **common, **kw)

    if colors.kind == "categorical":
        codes = colors.codes
        for i, (name, color) in enumerate(zip(colors.categories, colors.palette)):
            mask = codes == i
            if mask.any():
                draw(mask, color=color, label=name)
    elif colors.kind == "numeric":
        ok = ~np.isnan(colors.values)
        mappable = draw(
            ok, c=colors.values[ok], cmap=GRADIENT_NAME, vmin=colors.vmin, vmax=colors.vmax
        )
        bar = fig.colorbar(mappable, ax=ax, shrink=0.8)
        bar.set_label(str(colors.column))
    else:
        draw(None, color=NO_COLOR)
    missing = colors.missing
    if missing.any():
        draw(missing, color=MISSING_COLOR, label=MISSING_LABEL)
    if colors.kind == "categorical" or (colors.kind == "numeric" and missing.any()):
        handles, labels = ax.get_legend_handles_labels()
        ncol = 1 if len(labels) <= 20 else 2
        legend = ax.legend(
            handles,
            labels,
            title=str(colors.column),
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            ncol=ncol,
            fontsize="small",
            markerscale=max(1.0, (30.0 / size) ** 0.5),
            frameon=False,
        )
        for handle in legend.legend_handles:
            handle.set_alpha(1.0)
    names = [projection.axis_titles[c] for c in projection.shown]
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    if three_d:
        ax.set_zlabel(names[2])
    if title:
        ax.set_title(title)
    return fig


def write_image(fig: "Figure", f: BinaryIO, fmt: str, dpi: int = 150) -> None:
    """Save ``fig`` as ``fmt`` (png, svg or pdf) to a binary file object."""
    metadata = {"Software": None} if fmt == "png" else None
    if fmt == "svg":
        metadata = {"Date": None}  # byte-identical output for identical input
    elif fmt == "pdf":
        metadata = {"CreationDate": None}
    fig.savefig(f, format=fmt, dpi=dpi, metadata=metadata)
