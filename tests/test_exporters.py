"""Pages, images and tables: the right kind of file, holding the data, written atomically."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import projector
from projector.errors import ParameterError
from projector.exporters import table as table_module


@pytest.fixture
def ds_proj(files):
    ds = projector.load(files["vectors"], files["meta"])
    return ds, projector.pca(ds.vectors, spherize=False)


def plotly_traces(page: str) -> list[dict]:
    """The trace list passed to Plotly.newPlot in a written page."""
    start = page.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    pos = page.index("[", start)
    traces, _ = decoder.raw_decode(page, pos)
    return traces


def decode(array: dict | list) -> np.ndarray:
    if isinstance(array, dict):  # plotly's binary encoding of numpy arrays
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray(array)


def test_html_holds_every_point_as_binary_and_colours_by_category(ds_proj, tmp_path):
    ds, p = ds_proj
    out = tmp_path / "page.html"
    written = projector.write(ds, p, out, color_by="group", title="Groups & <things>")
    page = out.read_text(encoding="utf-8")
    traces = plotly_traces(page)
    assert [t["name"] for t in traces] == ["group-0", "group-1", "group-2"]
    assert all(t["type"] == "scattergl" for t in traces)
    assert isinstance(traces[0]["x"], dict) and traces[0]["x"]["dtype"] == "f4"  # not decimal text
    mask = (ds.metadata["group"] == "group-1").to_numpy()
    np.testing.assert_array_equal(decode(traces[1]["x"]), p.coords[mask, 0])
    np.testing.assert_array_equal(decode(traces[1]["y"]), p.coords[mask, 1])
    assert sum(len(decode(t["x"])) for t in traces) == ds.n_points
    assert "<title>Groups &amp; &lt;things&gt;</title>" in page
    assert written.format == "html" and written.n_bytes == out.stat().st_size
    assert traces[0]["hovertext"][0].startswith("<b>point 0</b><br>group: group-0<br>score: 0")


def test_html_is_self_contained(ds_proj, tmp_path):
    ds, p = ds_proj
    out = tmp_path / "page.html"
    projector.write(ds, p, out)
    page = out.read_text(encoding="utf-8")
    tags = re.findall(r"<(script|link|img|iframe)\b([^>]*)>", page)
    assert tags, "expected inline scripts"
    for name, attrs in tags:
        assert name == "script" and "src=" not in attrs, (name, attrs)
    assert "cdn.plot.ly/plotly" not in page
    assert len(page) > 3_000_000  # plotly.js itself is inlined


def test_html_escapes_markup_in_metadata(tmp_path):
    payload = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "plain"]
    ds = projector.Dataset.from_arrays(np.eye(3) * [1, 2, 3], {"t": payload})
    p = projector.pca(ds.vectors)
    out = tmp_path / "x.html"
    projector.write(ds, p, out, color_by="t", label_by="t")
    page = out.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert(1)" not in page
    names = [t["name"] for t in plotly_traces(page)]
    assert "&lt;img src=x onerror=alert(1)&gt;" in names


def test_numeric_colour_and_missing_values(tmp_path):
    rng = np.random.default_rng(0)
    values = np.arange(120, dtype=float)
    values[5] = np.nan
    ds = projector.Dataset.from_arrays(rng.normal(size=(120, 4)), {"v": values})
    p = projector.pca(ds.vectors)
    out = tmp_path / "x.html"
    w = projector.write(ds, p, out, color_by="v")
    traces = plotly_traces(out.read_text())
    assert [t["name"] for t in traces] == ["v", "(missing)"]
    assert len(decode(traces[1]["x"])) == 1
    assert traces[0]["marker"]["colorbar"]["title"]["text"] == "v"
    assert w.styling.colors.kind == "numeric"


def test_three_d_page(ds_proj, tmp_path):
    ds, _ = ds_proj
    p = projector.pca(ds.vectors, dims=3)
    out = tmp_path / "x.html"
    projector.write(ds, p, out)
    traces = plotly_traces(out.read_text())
    assert {t["type"] for t in traces} == {"scatter3d"}
    np.testing.assert_array_equal(
        np.sort(np.concatenate([decode(t["z"]) for t in traces])), np.sort(p.coords[:, 2])
    )


@pytest.mark.parametrize(("ext", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-"), ("svg", b"<?xml")])
@pytest.mark.parametrize("dims", [2, 3])
def test_images_are_valid_files(ds_proj, tmp_path, ext, magic, dims):
    ds, _ = ds_proj
    p = projector.pca(ds.vectors, dims=dims)
    out = tmp_path / f"x.{ext}"
    projector.write(ds, p, out, color_by="score", dpi=100)
    data = out.read_bytes()
    assert data.startswith(magic)
    if ext == "png":
        width, height = np.frombuffer(data[16:24], dtype=">u4")
        assert (width, height) == (800, 650)  # 8 x 6.5 inches at 100 dpi
    if ext == "svg":
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        assert b"<image" in data  # points rasterised, so a million points stay small


def test_matplotlib_figure_has_legend_for_categories(ds_proj):
    ds, p = ds_proj
    fig = projector.to_matplotlib(ds, p, color_by="group")
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["group-0", "group-1", "group-2"]
    assert legend.get_title().get_text() == "group"


def test_plotly_figure_for_notebooks(ds_proj):
    ds, p = ds_proj
    fig = projector.to_plotly(ds, p, color_by=None)
    assert len(fig.data) == 1 and fig.layout.xaxis.title.text.startswith("PC1 (")


@pytest.mark.parametrize(("ext", "sep"), [("tsv", "\t"), ("csv", ",")])
def test_table_round_trip(ds_proj, tmp_path, ext, sep):
    ds, p = ds_proj
    out = tmp_path / f"coords.{ext}"
    projector.write(ds, p, out)
    back = pd.read_csv(out, sep=sep)
    assert back.columns.tolist() == ["PC1", "PC2", "name", "group", "score"]
    np.testing.assert_allclose(back[["PC1", "PC2"]].to_numpy(), p.coords[:, :2], rtol=1e-6, atol=1e-6)
    assert back["group"].tolist() == ds.metadata["group"].tolist()


def test_table_renames_a_metadata_column_that_clashes(tmp_path):
    ds = projector.Dataset.from_arrays(np.eye(3), {"PC1": ["a", "b", "c"]})
    out = tmp_path / "c.tsv"
    projector.write(ds, projector.pca(ds.vectors), out)
    assert out.read_text().splitlines()[0] == "PC1\tPC2\tPC1 (metadata)"


def test_interrupted_write_leaves_nothing(ds_proj, tmp_path, monkeypatch):
    ds, p = ds_proj
    out = tmp_path / "coords.tsv"
    out.write_text("old contents")

    def explode(dataset, projection, f, sep="\t", axes="shown"):
        f.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(table_module, "write_table", explode)
    with pytest.raises(KeyboardInterrupt):
        projector.write(ds, p, out)
    assert out.read_text() == "old contents"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["coords.tsv", "meta.tsv", "vectors.tsv"]


def test_never_overwrites_an_input(files, ds_proj):
    ds, p = ds_proj
    with pytest.raises(ParameterError, match="is an input file"):
        projector.write(ds, p, files["vectors"].with_suffix(".tsv"), protect=(files["vectors"],))


def test_unknown_extension(ds_proj, tmp_path):
    ds, p = ds_proj
    with pytest.raises(ParameterError, match=r"cannot tell the format of .*x\.doc"):
        projector.write(ds, p, tmp_path / "x.doc")
