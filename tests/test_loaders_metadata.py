"""Metadata TSV: TensorFlow's header rule, the row-count improvement, and clear mismatches."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from projector import load
from projector.errors import MetadataError
from projector.loaders import read_metadata_tsv


def meta(text: str | bytes, n: int, **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_metadata_tsv(io.BytesIO(data), n, **kw)


# The four count cases of the header rule.
def test_multi_column_with_header_row():
    t = meta("word\tcount\ncat\t3\ndog\t5\n", 2)
    assert list(t.frame.columns) == ["word", "count"]
    assert t.frame["word"].tolist() == ["cat", "dog"]
    assert "metadata header: yes" in t.notes[0] and "tabs" in t.notes[0]


def test_multi_column_with_exactly_n_rows_says_pass_no_meta_header():
    with pytest.raises(MetadataError, match=r"has 2 rows and there are 2 vectors.*pass --no-meta-header"):
        meta("cat\t3\ndog\t5\n", 2)
    t = meta("cat\t3\ndog\t5\n", 2, header=False)
    assert list(t.frame.columns) == ["column 1", "column 2"]
    assert t.frame["column 2"].tolist() == [3, 5]


def test_single_column_with_n_rows_has_no_header():
    t = meta("cat\ndog\n", 2)
    assert list(t.frame.columns) == ["label"]
    assert t.frame["label"].tolist() == ["cat", "dog"]
    assert "metadata header: no" in t.notes[0]


def test_single_column_with_n_plus_one_rows_has_a_header():
    # TensorFlow refuses this file ("Single column metadata should not have a header row").
    t = meta("animal\ncat\ndog\n", 2)
    assert list(t.frame.columns) == ["animal"]
    assert t.frame["animal"].tolist() == ["cat", "dog"]
    assert "metadata header: yes" in t.notes[0] and "3 rows for 2 vectors" in t.notes[0]


@pytest.mark.parametrize(
    ("text", "n", "message"),
    [
        ("a\tb\n1\t2\n", 3, r"has 1 data rows \(after the header line\) but there are 3 vectors"),
        ("a\nb\nc\nd\n", 2, r"has 4 data rows but there are 2 vectors"),
        ("a\tb\n1\t2\n3\t4\n5\t6\n", 2, r"has 3 data rows .* but there are 2 vectors"),
    ],
)
def test_other_row_count_mismatches_name_both_counts(text, n, message):
    with pytest.raises(MetadataError, match=message):
        meta(text, n)


def test_header_override_on_single_column():
    t = meta("animal\ncat\n", 1, header=True)
    assert t.frame.columns.tolist() == ["animal"]
    with pytest.raises(MetadataError, match="if its first line is a header, pass --meta-header"):
        meta("animal\ncat\n", 1, header=False)


def test_empty_cells_are_missing_never_the_text_nan():
    t = meta("name\tscore\tnote\na\t1.5\t\n\t\tx\nc\t2\tnan\n", 3)
    f = t.frame
    assert f["name"].tolist()[1] is None
    assert pd.isna(f["score"][1]) and f["score"].dtype == np.float64
    assert f["note"].tolist() == [None, "x", "nan"]  # a real 'nan' string stays text
    assert "name (text, 1 empty)" in t.notes[1]


def test_short_rows_are_missing_values_and_extra_empty_fields_are_ignored():
    f = meta("a\tb\tc\n1\n2\t3\t4\t\n", 2).frame
    assert pd.isna(f["b"][0]) and f["c"].tolist()[1] == 4


def test_extra_filled_fields_are_an_error_with_the_line():
    with pytest.raises(MetadataError, match=r":3: has 3 fields but the header names 2 columns"):
        meta("a\tb\n1\t2\n1\t2\t3\n", 2)


def test_whole_numbers_are_integers_and_quotes_are_text():
    f = meta('n\tq\n1\t"x"\n2\t"y"\n', 2).frame
    assert str(f["n"].dtype) == "Int64"
    assert f["q"].tolist() == ['"x"', '"y"']


@pytest.mark.parametrize("variant", ["crlf", "bom", "both", "blank-lines-at-end", "blank-lines-at-start"])
def test_line_endings_bom_and_blank_lines(variant):
    text = "word\tn\ncat\t1\ndog\t2\n"
    if variant in ("crlf", "both"):
        text = text.replace("\n", "\r\n")
    if variant in ("bom", "both"):
        text = "\ufeff" + text
    if variant == "blank-lines-at-end":
        text += "\n\n"
    if variant == "blank-lines-at-start":
        text = "\n\n" + text
    f = meta(text, 2).frame
    assert f.columns.tolist() == ["word", "n"]
    assert f["word"].tolist() == ["cat", "dog"] and f["n"].tolist() == [1, 2]


def test_not_utf8_names_line_column_and_encoding_option():
    data = "word\tn\ncat\t1\ncaf\xe9\t2\n".encode("latin-1")
    with pytest.raises(MetadataError, match=r":3: column 1: byte 0xe9 is not valid UTF-8 text; pass --encoding"):
        meta(data, 2)
    assert meta(data, 2, encoding="latin-1").frame["word"].tolist() == ["cat", "café"]


def test_unknown_encoding():
    with pytest.raises(MetadataError, match="unknown text encoding 'klingon'"):
        meta("a\n", 1, encoding="klingon")


def test_empty_and_blank_files():
    with pytest.raises(MetadataError, match="is empty"):
        meta("", 1)
    with pytest.raises(MetadataError, match="has only blank lines"):
        meta("\n\n", 1)


def test_duplicate_and_empty_header_names_are_made_unique():
    f = meta("a\ta\t\n1\t2\t3\n", 1).frame
    assert f.columns.tolist() == ["a", "a (2)", "column 3"]


def test_load_joins_vectors_and_metadata(files):
    ds = load(files["vectors"], files["meta"])
    assert ds.n_points == 300 and ds.metadata.columns.tolist() == ["name", "group", "score"]
    assert ds.metadata_source == str(files["meta"])
    assert any(n.startswith("vectors header") for n in ds.notes)
    assert any(n.startswith("metadata header") for n in ds.notes)


def test_trailing_tab_on_the_header_adds_no_column():
    f = meta("a\tb\t\n1\t2\n3\t4\t\n", 2).frame
    assert f.columns.tolist() == ["a", "b"]
