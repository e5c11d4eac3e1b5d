"""Custom axes against a hand-computed example, and their errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from projector import custom
from projector.errors import ParameterError

X = np.array([[2, 0, 1], [4, 0, 1], [0, 2, 1], [0, 6, 1], [1, 1, 1]], dtype=np.float32)
META = pd.DataFrame({"id": [1, 2, 3, 4, 5], "word": ["Cat", "cats", "dog", "hotdog", "bird"]})


def test_hand_computed_axes():
    # left = dog, hotdog -> centroid (0, 4, 1); right = Cat, cats -> (3, 0, 1)
    # up = hotdog -> (0, 6, 1); down = bird -> (1, 1, 1)
    p = custom(X, META, left="dog", right="cat", up="hotdog", down="bird", spherize=False)
    dx = np.array([3, -4, 0])
    dy = np.array([-1, 5, 0])
    np.testing.assert_allclose(p.coords, np.stack([X @ dx, X @ dy], axis=1))
    assert p.params["matches"] == {"left": 2, "right": 2, "up": 1, "down": 1}
    assert p.params["search_by"] == "word"  # first text column, as in TensorFlow
    assert p.axis_titles == ("dog \u2190 \u2192 cat", "bird \u2190 \u2192 hotdog")


def test_regex_queries():
    p = custom(X, META, left="^dog$", right="^cat$", up="^hot", down="^b", regex=True, spherize=False)
    assert p.params["matches"] == {"left": 1, "right": 1, "up": 1, "down": 1}
    np.testing.assert_allclose(p.coords[:, 0], X @ (X[0] - X[2]))


def test_spherized_vectors_projected_on_original_centroids():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 60)).astype(np.float32) + 2
    p = custom(x, META, left="dog", right="cat", up="hotdog", down="bird")
    assert p.params["spherize"] is True
    xc = x.astype(np.float64) - x.mean(axis=0)
    xs = xc / np.linalg.norm(xc, axis=1, keepdims=True)
    direction = x[[0, 1]].mean(axis=0) - x[[2, 3]].mean(axis=0)
    np.testing.assert_allclose(p.coords[:, 0], xs @ direction, rtol=1e-4, atol=1e-4)


def test_query_without_match_names_query_and_column():
    with pytest.raises(ParameterError, match=r"--up 'fish' matches no point: no 'word' value contains that text"):
        custom(X, META, left="dog", right="cat", up="fish", down="bird")


def test_invalid_regex_and_unknown_column():
    with pytest.raises(ParameterError, match=r"'\(' is not a valid regular expression"):
        custom(X, META, left="(", right="cat", up="dog", down="bird", regex=True)
    with pytest.raises(ParameterError, match=r"no metadata column 'nope'; the columns are: id, word"):
        custom(X, META, left="a", right="b", up="c", down="d", search_by="nope")
