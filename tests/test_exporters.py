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


def page_data(page: str) -> dict:
    """The data a written page embeds for its script."""
    match = re.search(r'<script id="projector-data" type="application/json">(.*?)</script>', page, flags=re.S)
    return json.loads(match.group(1))


def decode(spec: dict) -> np.ndarray:
    dtypes = {"u8": "<u1", "u16": "<u2", "u32": "<u4", "i32": "<i4", "f32": "<f4", "f64": "<f8"}
    return np.frombuffer(base64.b64decode(spec["data"]), dtype=dtypes[spec["dtype"]])


def axis_values(axis: dict) -> np.ndarray:
    return axis["min"] + decode(axis["values"]).astype(np.float64) * (axis["max"] - axis["min"]) / 65535


def test_page_holds_every_point_every_axis_and_column(ds_proj, tmp_path):
    ds, p = ds_proj
    out = tmp_path / "page.html"
    written = projector.write(ds, p, out, color_by="group", title="Groups & <things>")
    page = out.read_text(encoding="utf-8")
    data = page_data(page)
    assert data["n"] == 300 and data["method"] == "pca" and data["shown"] == [0, 1]
    assert [a["name"] for a in data["axes"]] == [f"PC{i}" for i in range(1, 9)]  # all computed, not only shown
    for j, axis in enumerate(data["axes"]):
        step = (axis["max"] - axis["min"]) / 65535
        np.testing.assert_allclose(axis_values(axis), p.coords[:, j], atol=step / 2 + 1e-6)
    cols = {c["name"]: c for c in data["columns"]}
    group = cols["group"]
    assert group["kind"] == "text"
    texts = np.array(group["dictionary"], dtype=object)[decode(group["codes"])]
    assert texts.tolist() == ds.metadata["group"].tolist()
    assert group["color"]["categories"] == ["group-0", "group-1", "group-2"]
    np.testing.assert_array_equal(decode(cols["score"]["numbers"]), ds.metadata["score"].to_numpy())
    assert data["color_by"] == "group" and data["label_by"] == "name"
    assert "<title>Groups &amp; &lt;things&gt;</title>" in page
    assert written.format == "html" and written.n_bytes == out.stat().st_size


def test_page_is_self_contained(ds_proj, tmp_path):
    ds, p = ds_proj
    out = tmp_path / "page.html"
    projector.write(ds, p, out)
    page = out.read_text(encoding="utf-8")
    tags = re.findall(r"<(script|link|img|iframe)\b([^>]*)>", page)
    assert tags, "expected inline scripts"
    for name, attrs in tags:
        assert name == "script" and "src=" not in attrs, (name, attrs)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert len(page) > 3_000_000  # plotly.js itself is inlined


def test_page_keeps_markup_in_metadata_as_data(tmp_path):
    payload = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "plain"]
    ds = projector.Dataset.from_arrays(np.eye(3) * [1, 2, 3], {"t": payload})
    p = projector.pca(ds.vectors)
    out = tmp_path / "x.html"
    projector.write(ds, p, out, color_by="t", label_by="t", title="<b>t</b>")
    page = out.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "</script><script>alert(1)" not in page
    data = page_data(page)
    assert sorted(data["columns"][0]["dictionary"]) == sorted(payload)
    assert data["title"] == "<b>t</b>"


def test_page_numeric_colour_and_missing_values(tmp_path):
    rng = np.random.default_rng(0)
    values = np.arange(120, dtype=float)
    values[5] = np.nan
    ds = projector.Dataset.from_arrays(rng.normal(size=(120, 4)), {"v": values})
    out = tmp_path / "x.html"
    w = projector.write(ds, projector.pca(ds.vectors), out, color_by="v")
    column = page_data(out.read_text())["columns"][0]
    assert column["color"]["kind"] == "numeric" and column["color"]["vmin"] == 0 and column["color"]["vmax"] == 119
    numbers = decode(column["numbers"])
    assert numbers.dtype == np.float32 and np.isnan(numbers[5]) and numbers[7] == 7
    assert w.styling.colors.kind == "numeric"


def test_page_three_d_and_neighbours(ds_proj, tmp_path):
    ds, _ = ds_proj
    p = projector.pca(ds.vectors, dims=3)
    nn = projector.neighbors(ds.vectors, np.arange(ds.n_points), k=4)
    out = tmp_path / "x.html"
    projector.write(ds, p, out, neighbors=nn)
    data = page_data(out.read_text())
    assert data["shown"] == [0, 1, 2]
    assert data["neighbors"]["k"] == 4 and data["neighbors"]["metric"] == "cosine"
    np.testing.assert_array_equal(decode(data["neighbors"]["indices"]).reshape(-1, 4), nn.indices)


def test_page_refuses_neighbours_of_some_points_only(ds_proj, tmp_path):
    ds, p = ds_proj
    with pytest.raises(ParameterError, match="the page needs the neighbours of every point"):
        projector.write(ds, p, tmp_path / "x.html", neighbors=projector.neighbors(ds.vectors, [0, 1]))


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
