"""Property tests: every legal way of writing vectors loads back exactly, and no input at
all, however mangled, gets anything but a clear error or a correct load."""

from __future__ import annotations

import gzip
import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from projector.errors import InputError, ProjectorError
from projector.loaders import (
    read_metadata_tsv,
    read_vectors_tsv,
    vector_format,
    vectors_tsv,
)

finite32 = st.floats(width=32, allow_nan=False, allow_infinity=False)
matrices = st.integers(1, 12).flatmap(
    lambda d: arrays(np.float32, st.tuples(st.integers(1, 30), st.just(d)), elements=finite32)
)
SETTINGS = settings(max_examples=int(__import__("os").environ.get("PROJECTOR_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def render(x: np.ndarray, sep: str, header: bool, crlf: bool, bom: bool, trailing: str, blank_end: bool) -> bytes:
    lines = []
    if header:
        lines.append(sep.join(f"dim{j}" for j in range(x.shape[1])))
    # %.9g prints every float32 exactly
    lines.extend(sep.join(f"{v:.9g}" for v in row) + trailing for row in x)
    eol = "\r\n" if crlf else "\n"
    text = eol.join(lines) + eol + (eol * 2 if blank_end else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@SETTINGS
@given(
    x=matrices,
    header=st.booleans(),
    crlf=st.booleans(),
    bom=st.booleans(),
    trailing=st.sampled_from(["", "\t", "  ", "\t\t"]),
    blank_end=st.booleans(),
    gz=st.booleans(),
    fast=st.booleans(),
    csv=st.booleans(),
)
def test_legal_files_load_back_exactly(tmp_path_factory, monkeypatch, x, header, crlf, bom, trailing, blank_end, gz, fast, csv):
    monkeypatch.setattr(vectors_tsv, "FAST_PATH_MIN_BYTES", 0 if fast else 1 << 60)
    monkeypatch.setattr(vectors_tsv, "CHUNK_BYTES", 97)
    sep = "," if csv else "\t"
    if csv and "\t" in trailing:
        trailing = ""
    data = render(x, sep, header, crlf, bom, trailing, blank_end)
    name = "v." + ("csv" if csv else "tsv") + (".gz" if gz else "")
    path = tmp_path_factory.mktemp("p") / name
    path.write_bytes(gzip.compress(data) if gz else data)
    table = read_vectors_tsv(path, delimiter=sep, header=header if x.shape[1] == 1 else None)
    np.testing.assert_array_equal(table.vectors, x)
    assert table.vectors.dtype == np.float32 and table.vectors.flags.c_contiguous
    assert (table.columns is not None) == header


VALID = b"a\tb\tc\n1\t2\t3\n4.5\t-6\t7e-3\n8\t9\t10\n"


def _no_traceback(call):
    try:
        call()
    except ProjectorError as e:
        assert str(e)  # a message a person can read
    # anything else propagates and fails the test


@SETTINGS
@given(data=st.binary(max_size=400), fast=st.booleans())
def test_random_bytes_never_crash(monkeypatch, data, fast):
    monkeypatch.setattr(vectors_tsv, "FAST_PATH_MIN_BYTES", 0 if fast else 1 << 60)
    _no_traceback(lambda: read_vectors_tsv(io.BytesIO(data)))
    _no_traceback(lambda: read_metadata_tsv(io.BytesIO(data), 3))


@SETTINGS
@given(
    edits=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.sampled_from(list(b"\t\n\r ,.-eE0x\xff\"nai"))), min_size=1, max_size=6),
    fast=st.booleans(),
)
def test_mutations_of_a_valid_file_load_or_explain(monkeypatch, edits, fast):
    monkeypatch.setattr(vectors_tsv, "FAST_PATH_MIN_BYTES", 0 if fast else 1 << 60)
    monkeypatch.setattr(vectors_tsv, "CHUNK_BYTES", 7)
    data = bytearray(VALID)
    for pos, byte in edits:
        data[pos] = byte
    try:
        table = read_vectors_tsv(io.BytesIO(bytes(data)))
    except InputError as e:
        assert str(e)
        return
    assert np.isfinite(table.vectors).all() and table.vectors.dtype == np.float32


@SETTINGS
@given(n=st.integers(1, 20), cols=st.integers(1, 4), header=st.booleans(), crlf=st.booleans(), bom=st.booleans())
def test_metadata_with_its_header_rule(n, cols, header, crlf, bom):
    names = [f"col{j}" for j in range(cols)]
    rows = [[f"v{i}_{j}" for j in range(cols)] for i in range(n)]
    lines = (["\t".join(names)] if header else []) + ["\t".join(r) for r in rows]
    eol = "\r\n" if crlf else "\n"
    data = (b"\xef\xbb\xbf" if bom else b"") + (eol.join(lines) + eol).encode()
    force = False if (not header and cols > 1) else None
    frame = read_metadata_tsv(io.BytesIO(data), n, header=force).frame
    assert len(frame) == n
    if header:
        assert frame.columns.tolist() == names
    assert frame.iloc[-1].tolist() == rows[-1]


@given(name=st.text(max_size=30))
def test_format_detection_never_crashes(name):
    try:
        assert vector_format(name or "x") in ("tsv", "csv", "npy", "npz", "parquet")
    except ProjectorError:
        pass


@SETTINGS
@given(x=matrices, fmt=st.sampled_from(["npy", "npz", "parquet-list", "parquet-columns", "bytes", "json"]))
def test_binary_and_structured_formats_round_trip(tmp_path_factory, x, fmt):
    import json

    import polars as pl

    import projector

    folder = tmp_path_factory.mktemp("f")
    if fmt == "npy":
        path = folder / "v.npy"
        np.save(path, x)
    elif fmt == "npz":
        path = folder / "v.npz"
        np.savez(path, emb=x)
    elif fmt == "parquet-list":
        path = folder / "v.parquet"
        pl.DataFrame({"emb": pl.Series(x.tolist(), dtype=pl.List(pl.Float32))}).write_parquet(path)
    elif fmt == "parquet-columns":
        path = folder / "v.parquet"
        pl.DataFrame({f"d{j}": x[:, j] for j in range(x.shape[1])}).write_parquet(path)
    elif fmt == "bytes":
        (folder / "t.bytes").write_bytes(x.astype("<f4").tobytes())
        path = folder / "projector_config.json"
        path.write_text(json.dumps({"embeddings": [{"tensorName": "t", "tensorShape": list(x.shape), "tensorPath": "t.bytes"}]}))
    else:
        path = folder / "v.json"
        points = [{f"a{j}": float(v) for j, v in enumerate(row)} for row in x]
        path.write_text(json.dumps({"axes": [f"a{j}" for j in range(x.shape[1])], "points": points}))
    np.testing.assert_array_equal(projector.load(path).vectors, x)


@SETTINGS
@given(data=st.binary(max_size=300), ext=st.sampled_from([".npy", ".npz", ".parquet", ".json", ".tsv.gz", ".csv"]))
def test_random_bytes_in_any_format_never_crash(tmp_path_factory, data, ext):
    import projector

    path = tmp_path_factory.mktemp("r") / f"v{ext}"
    path.write_bytes(data)
    _no_traceback(lambda: projector.load(path))
