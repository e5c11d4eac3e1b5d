"""Vector files in every supported format, and coordinates out in every table format."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import polars as pl
import pytest

import projector
from projector.errors import InputError, ParameterError
from projector.loaders import read_npy, vector_format

X = np.array([[1.5, -2.0, 3.25], [4.0, 0.005, -6.0], [7.0, 8.0, 9.0], [0.0, 1.0, 2.0]], dtype=np.float32)


def test_gzipped_tsv_and_csv_load_the_same(parser_path, tmp_path):
    body = "\n".join("\t".join(f"{v:g}" for v in row) for row in X) + "\n"
    (tmp_path / "v.tsv.gz").write_bytes(gzip.compress(body.encode()))
    (tmp_path / "v.csv").write_text('"a","b","c"\n' + body.replace("\t", ","))
    (tmp_path / "v.csv.gz").write_bytes(gzip.compress(body.replace("\t", ",").encode()))
    for name in ("v.tsv.gz", "v.csv", "v.csv.gz"):
        ds = projector.load(tmp_path / name)
        np.testing.assert_array_equal(ds.vectors, X)
    assert projector.load(tmp_path / "v.csv").vector_columns == ("a", "b", "c")


def test_csv_errors_name_line_and_column(tmp_path):
    (tmp_path / "v.csv").write_text("1,2\n3,x\n")
    with pytest.raises(InputError, match=r"v\.csv:2: column 2: 'x' is not a number"):
        projector.load(tmp_path / "v.csv")
    (tmp_path / "t.csv").write_text("1\t2\n3\t4\n")
    with pytest.raises(InputError, match=r"does not look comma-separated: .* tabs"):
        projector.load(tmp_path / "t.csv")


def test_corrupt_gzip_is_a_clear_error(tmp_path):
    (tmp_path / "v.tsv.gz").write_bytes(gzip.compress(b"1\t2\n" * 1000)[:-20])
    with pytest.raises(InputError, match=r"v\.tsv\.gz: is not a readable gzip file"):
        projector.load(tmp_path / "v.tsv.gz")


def test_npy_float32_is_memory_mapped_other_types_converted(tmp_path):
    np.save(tmp_path / "a.npy", X)
    t = read_npy(tmp_path / "a.npy")
    assert isinstance(t.vectors, np.memmap) and t.vectors.dtype == np.float32
    np.testing.assert_array_equal(t.vectors, X)
    np.save(tmp_path / "b.npy", X.astype(np.float64))
    b = projector.load(tmp_path / "b.npy").vectors
    assert b.dtype == np.float32 and not isinstance(b, np.memmap)
    np.save(tmp_path / "c.npy", np.asfortranarray(X))
    np.testing.assert_array_equal(projector.load(tmp_path / "c.npy").vectors, X)


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.arange(5.0), r"has shape \(5,\); vectors must be 2-D"),
        (np.array([[1.0, np.nan]]), r"row 0, column 2: nan is not a finite number"),
        (np.array([["a", "b"]]), "holds <U1, not real numbers"),
        (np.array([[1e300, 1.0]]), r"row 0, column 1: 1e\+300 does not fit in float32"),
    ],
)
def test_bad_npy(tmp_path, array, message):
    np.save(tmp_path / "a.npy", array)
    with pytest.raises(InputError, match=message):
        projector.load(tmp_path / "a.npy")


def test_npz_key_or_only_array(tmp_path):
    np.savez(tmp_path / "one.npz", emb=X)
    np.testing.assert_array_equal(projector.load(tmp_path / "one.npz").vectors, X)
    np.savez(tmp_path / "two.npz", emb=X, other=X * 2)
    with pytest.raises(InputError, match=r"holds 2 arrays \(emb, other\); choose one with --key"):
        projector.load(tmp_path / "two.npz")
    np.testing.assert_array_equal(projector.load(tmp_path / "two.npz", key="other").vectors, X * 2)
    with pytest.raises(InputError, match=r"has no array 'nope'; it holds: emb, other"):
        projector.load(tmp_path / "two.npz", key="nope")


def test_parquet_list_column_and_other_columns_as_metadata(tmp_path):
    pl.DataFrame({"word": ["a", "b", "c", None], "n": [1, 2, None, 4], "vec": X.tolist()}).write_parquet(tmp_path / "e.parquet")
    ds = projector.load(tmp_path / "e.parquet")
    np.testing.assert_array_equal(ds.vectors, X)
    assert ds.metadata["word"].tolist() == ["a", "b", "c", None]
    assert str(ds.metadata["n"].dtype) == "Int64" and pd.isna(ds.metadata["n"][2])
    assert any("the file's other columns" in n for n in ds.notes)
    # a --meta file wins over the Parquet's own columns
    (tmp_path / "m.tsv").write_text("x\n1\n2\n3\n4\n")
    assert projector.load(tmp_path / "e.parquet", tmp_path / "m.tsv").metadata.columns.tolist() == ["x"]


def test_parquet_fixed_size_list_and_numeric_columns(tmp_path):
    pl.DataFrame({"vec": pl.Series(X.tolist(), dtype=pl.Array(pl.Float32, 3))}).write_parquet(tmp_path / "a.parquet")
    np.testing.assert_array_equal(projector.load(tmp_path / "a.parquet").vectors, X)
    pl.DataFrame({"d0": X[:, 0], "d1": X[:, 1], "d2": X[:, 2], "label": list("wxyz")}).write_parquet(tmp_path / "n.parquet")
    ds = projector.load(tmp_path / "n.parquet")
    np.testing.assert_array_equal(ds.vectors, X)
    assert ds.vector_columns == ("d0", "d1", "d2") and ds.metadata["label"].tolist() == list("wxyz")


def test_parquet_errors(tmp_path):
    pl.DataFrame({"a": [[1.0, 2.0], [3.0]], "b": [[1.0], [2.0]]}).write_parquet(tmp_path / "two.parquet")
    with pytest.raises(InputError, match=r"has 2 list columns \(a, b\); choose one with --key"):
        projector.load(tmp_path / "two.parquet")
    with pytest.raises(InputError, match=r"row 1 of column 'a' has 1 values, row 0 has 2"):
        projector.load(tmp_path / "two.parquet", key="a")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="is not a readable Parquet file"):
        projector.load(tmp_path / "bad.parquet")


def test_format_from_extension_or_option(tmp_path):
    assert vector_format("a.TSV") == "tsv" and vector_format("a.txt.gz") == "tsv" and vector_format("a") == "tsv"
    with pytest.raises(ParameterError, match=r"cannot tell the format of 'a\.xlsx' from its extension; pass --format"):
        vector_format("a.xlsx")
    (tmp_path / "v.data").write_text("1,2\n3,4\n")
    np.testing.assert_array_equal(projector.load(tmp_path / "v.data", format="csv").vectors, [[1, 2], [3, 4]])


def test_cli_reads_formats_and_refuses_unknown_ones(run, tmp_path):
    np.save(tmp_path / "v.npy", X)
    r = run("pca", tmp_path / "v.npy", "-o", "c.tsv")
    assert r.exit_code == 0 and "read " in r.stderr and "4 points x 3 dims" in r.stderr
    (tmp_path / "v.xlsx").write_text("x")
    r = run("pca", tmp_path / "v.xlsx")
    assert r.exit_code == 1 and "cannot tell the format of" in r.stderr


@pytest.fixture
def ds_proj(files):
    ds = projector.load(files["vectors"], files["meta"])
    return ds, projector.pca(ds.vectors, spherize=False)


def test_npy_output_reads_back_exactly(ds_proj, tmp_path):
    ds, p = ds_proj
    projector.write(ds, p, tmp_path / "c.npy")
    back = projector.load(tmp_path / "c.npy").vectors
    np.testing.assert_array_equal(back, p.coords[:, :2])


def test_tsv_and_csv_output_read_back_as_vectors(tmp_path):
    ds = projector.Dataset.from_arrays(X)
    p = projector.pca(ds.vectors, components=(1, 2, 3))
    for ext in ("tsv", "csv"):
        projector.write(ds, p, tmp_path / f"c.{ext}")
        back = projector.load(tmp_path / f"c.{ext}")
        np.testing.assert_allclose(back.vectors, p.coords, rtol=1e-6, atol=1e-6)
        assert back.vector_columns == ("PC1", "PC2", "PC3")


def test_parquet_and_json_output_hold_coordinates_and_metadata(ds_proj, tmp_path):
    ds, p = ds_proj
    projector.write(ds, p, tmp_path / "c.parquet")
    back = pl.read_parquet(tmp_path / "c.parquet")
    assert back.columns == ["PC1", "PC2", "name", "group", "score"]
    np.testing.assert_array_equal(back["PC1"].to_numpy(), p.coords[:, 0])
    assert back["group"].to_list() == ds.metadata["group"].tolist()
    projector.write(ds, p, tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    assert doc["method"] == "pca" and doc["axes"] == ["PC1", "PC2"]
    assert doc["points"][3] == {"row": 3, "PC1": pytest.approx(float(p.coords[3, 0])),
                                "PC2": pytest.approx(float(p.coords[3, 1])), "name": "point 3",
                                "group": ds.metadata["group"][3], "score": 1.5}


@pytest.mark.parametrize("ext", ["parquet", "json"])
def test_self_describing_outputs_read_back_as_the_same_coordinates_and_metadata(ds_proj, tmp_path, ext):
    ds, p = ds_proj
    projector.write(ds, p, tmp_path / f"c.{ext}")
    back = projector.load(tmp_path / f"c.{ext}")
    np.testing.assert_array_equal(back.vectors, p.coords[:, :2])
    assert back.vector_columns == ("PC1", "PC2")
    pd.testing.assert_frame_equal(back.metadata, ds.metadata, check_dtype=False)
