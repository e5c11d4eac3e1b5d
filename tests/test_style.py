"""Colour decisions and hover text, shared by the page and the images."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from projector.errors import ParameterError
from projector.style import (
    MAX_CATEGORIES,
    OTHER_LABEL,
    PALETTE,
    color_spec,
    default_color_column,
    default_label_column,
    hover_texts,
)


def test_numbers_with_few_values_are_categories_in_numeric_order():
    spec = color_spec(pd.DataFrame({"d": pd.array([10, 2, None, 2], dtype="Int64")}), "d")
    assert spec.kind == "categorical" and spec.categories == ("2", "10")
    assert spec.codes.tolist() == [1, 0, -1, 0]
    assert spec.missing.tolist() == [False, False, True, False]
    assert spec.palette == PALETTE[:2]


def test_many_numbers_are_a_gradient():
    values = np.arange(100, dtype=float)
    values[3] = np.nan
    spec = color_spec(pd.DataFrame({"v": values}), "v")
    assert spec.kind == "numeric" and spec.vmin == 0 and spec.vmax == 99
    assert spec.missing.sum() == 1


def test_high_cardinality_text_is_top_values_plus_other_never_hidden():
    words = [f"w{i}" for i in range(80)] + ["common"] * 30
    spec = color_spec(pd.DataFrame({"w": words}), "w")
    assert spec.kind == "categorical" and len(spec.categories) == MAX_CATEGORIES
    assert spec.categories[0] == "common" and spec.categories[-1] == OTHER_LABEL
    assert (spec.codes == MAX_CATEGORIES - 1).sum() == 80 - (MAX_CATEGORIES - 2)


def test_fifty_distinct_colours():
    assert len(set(PALETTE)) == MAX_CATEGORIES


def test_unknown_column_lists_the_columns():
    with pytest.raises(ParameterError, match=r"no metadata column 'x'; the columns are: a, b"):
        color_spec(pd.DataFrame({"a": [1], "b": [2]}), "x")
    with pytest.raises(ParameterError, match=r"the columns are: none \(no metadata given\)"):
        color_spec(pd.DataFrame(index=range(2)), "x")


def test_defaults_like_tensorflow():
    f = pd.DataFrame({"id": range(100), "name": [f"n{i}" for i in range(100)], "kind": ["a", "b"] * 50})
    assert default_label_column(f) == "name"
    assert default_color_column(f) == "kind"
    assert default_label_column(pd.DataFrame({"x": [1]})) == "x"
    assert default_color_column(pd.DataFrame(index=range(3))) is None


def test_hover_text_is_escaped():
    f = pd.DataFrame({"t": ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"], "n": [1.5, None]})
    texts = hover_texts(f, "t")
    assert "<img" not in "".join(texts) and "<script" not in "".join(texts)
    assert texts[0].startswith("<b>&lt;img src=x onerror=alert(1)&gt;</b>")
    assert texts[1].endswith("n: ")
