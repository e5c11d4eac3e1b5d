"""Vector TSV loading: messy but valid files load exactly; bad ones get a located error."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pytest

from projector.errors import InputError
from projector.loaders import read_vectors_tsv

EXPECTED = np.array([[1.5, -2.0, 3.25], [4.0, 5e-3, -6.0], [7.0, 8.0, 9.0]], dtype=np.float32)
BODY = "1.5\t-2\t3.25\n4\t5e-3\t-6\n7\t8\t9\n"


def load(data: bytes | str, **kw):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return read_vectors_tsv(io.BytesIO(data), **kw)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BODY, id="plain"),
        pytest.param(BODY.replace("\n", "\r\n"), id="crlf"),
        pytest.param("\ufeff" + BODY, id="bom"),
        pytest.param(BODY.replace("\n", "\t\n"), id="trailing-tab"),
        pytest.param(BODY.replace("\n", "  \n"), id="trailing-spaces"),
        pytest.param(BODY + "\n\n  \n", id="blank-lines-at-end"),
        pytest.param(BODY.rstrip("\n"), id="no-final-newline"),
        pytest.param("\n\n" + BODY, id="blank-lines-at-start"),
        pytest.param(BODY.replace("4\t", "\n4\t"), id="blank-line-inside"),
        pytest.param("\ufeff" + BODY.replace("\n", "\t\r\n") + "\r\n", id="all-at-once"),
    ],
)
def test_tolerated_variations_load_exactly(parser_path, text):
    table = load(text)
    np.testing.assert_array_equal(table.vectors, EXPECTED)
    assert table.vectors.dtype == np.float32
    assert table.vectors.flags.c_contiguous
    assert table.columns is None


def test_header_row_is_detected_and_kept(parser_path):
    table = load("dim_a\tdim_b\tdim_c\n" + BODY)
    np.testing.assert_array_equal(table.vectors, EXPECTED)
    assert table.columns == ("dim_a", "dim_b", "dim_c")
    assert any("header: yes" in n and "'dim_a'" in n for n in table.notes)


def test_header_can_be_forced_either_way(parser_path):
    assert load("1\t2\n3\t4\n", header=True).columns == ("1", "2")
    with pytest.raises(InputError, match=r"<stream>:1: column 1: 'a' is not a number"):
        load("a\tb\n1\t2\n", header=False)


def test_many_chunks_match_numpy(parser_path, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(257, 5)).astype(np.float32)
    path = tmp_path / "v.tsv"
    np.savetxt(path, x, delimiter="\t", fmt="%.9g")
    np.testing.assert_array_equal(read_vectors_tsv(path).vectors, x)


def test_single_dimension_loads(parser_path):
    assert load("1\n2\n3\n").vectors.shape == (3, 1)


def test_stdin_dash(monkeypatch):
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BODY.encode())))
    np.testing.assert_array_equal(read_vectors_tsv("-").vectors, EXPECTED)


def test_progress_reaches_the_total(tmp_path):
    path = tmp_path / "v.tsv"
    path.write_text(BODY)
    seen = []
    read_vectors_tsv(path, progress=lambda e: seen.append((e.done, e.total)))
    assert seen[-1] == (len(BODY), len(BODY))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"v\.tsv: is empty"),
        ("\n \n\t\n", r"v\.tsv: has only blank lines"),
        ("x\ty\n", r"v\.tsv: has a header line but no vectors"),
        ("1\t2\t3\n4\t5\n", r"v\.tsv:2: expected 3 values \(as on the first line\), found 2"),
        ("1\t2\n4\t5\t6\n", r"v\.tsv:2: expected 2 values \(as on the first line\), found 3"),
        ("1\t2\n3\t4\n5\tfoo\n", r"v\.tsv:3: column 2: 'foo' is not a number"),
        ("1\t2\n3\t\t4\n", r"v\.tsv:2: expected 2 values"),
        ("1\t2\n\t4\n", r"v\.tsv:2: column 1: empty value"),
        ("1\t2\n3\tnan\n", r"v\.tsv:2: column 2: 'nan' is not a finite number"),
        ("1\t2\n-inf\t2\n", r"v\.tsv:2: column 1: '-inf' is not a finite number"),
        ("1\t2\n1e300\t2\n", r"v\.tsv:2: column 1: '1e300' is too large for float32"),
        ('1\t2\n"3"\t4\n', r"v\.tsv:2: column 1: '\"3\"' is not a number"),
        ("1,2,3\n4,5,6\n", r"v\.tsv: does not look tab-separated: .* commas into 3 numbers"),
        ("1 2 3\n4 5 6\n", r"v\.tsv: does not look tab-separated: .* spaces into 3 numbers"),
        ("a;b\n1;2\n", r"v\.tsv: does not look tab-separated: .* semicolons"),
        ("1\t2\n3\t4\xe9\n".encode("latin-1"), r"v\.tsv:2: column 2: '4\ufffd' is not a number"),
    ],
)
def test_bad_files_name_file_line_and_column(parser_path, tmp_path, text, message):
    path = tmp_path / "v.tsv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(InputError, match=message):
        read_vectors_tsv(path)


def test_error_line_numbers_count_from_the_file_start(parser_path, tmp_path):
    rows = ["1\t2"] * 500 + ["3\tbad"] + ["4\t5"] * 10
    path = tmp_path / "v.tsv"
    path.write_text("h1\th2\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match=r"v\.tsv:502: column 2: 'bad' is not a number"):
        read_vectors_tsv(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match=r"nope\.tsv: no such file"):
        read_vectors_tsv(tmp_path / "nope.tsv")
    with pytest.raises(InputError, match="is a folder"):
        read_vectors_tsv(tmp_path)


def test_gzip_bytes_are_not_numbers(tmp_path):
    path = tmp_path / "v.tsv"
    path.write_bytes(gzip.compress(BODY.encode()))
    with pytest.raises(InputError, match=r"v\.tsv:1: column 1: .* is not a number"):
        read_vectors_tsv(path, header=False)


def test_result_owns_exactly_its_rows(tmp_path):
    # The parser reserves an upper bound of rows and gives the rest back at the end.
    path = tmp_path / "v.tsv"
    path.write_text(BODY)
    v = read_vectors_tsv(path).vectors
    assert v.shape == (3, 3) and v.base is None and v.nbytes == 36
