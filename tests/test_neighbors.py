"""Exact neighbours against a brute-force numpy reference."""

from __future__ import annotations

import numpy as np
import pytest

from projector import neighbors
from projector.errors import ParameterError


def brute_force(x: np.ndarray, rows: np.ndarray, metric: str, spherize: bool) -> np.ndarray:
    v = x.astype(np.float64)
    if spherize:
        v = v - v.mean(axis=0)
        n = np.linalg.norm(v, axis=1, keepdims=True)
        v = np.divide(v, n, out=np.zeros_like(v), where=n > 0)
    q = v[rows]
    if metric == "euclidean":
        d = np.sqrt(((q[:, None, :] - v[None, :, :]) ** 2).sum(-1))
    else:
        norms = np.outer(np.linalg.norm(q, axis=1), np.linalg.norm(v, axis=1))
        d = 1 - np.divide(q @ v.T, norms, out=np.zeros_like(norms), where=norms > 0)
    d[np.arange(len(rows)), rows] = np.inf
    return d


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
@pytest.mark.parametrize("spherize", [False, True])
def test_matches_brute_force(metric, spherize, monkeypatch):
    import projector.knn as nn_module

    monkeypatch.setattr(nn_module, "SCORE_BLOCK", 1000)  # many blocks, many merges
    rng = np.random.default_rng(1)
    x = (rng.normal(size=(2500, 12)) + 1.5).astype(np.float32)
    rows = np.array([0, 7, 1234, 2499])
    result = neighbors(x, rows, k=15, metric=metric, spherize=spherize)
    ref = brute_force(x, rows, metric, spherize)
    expected = np.argsort(ref, axis=1, kind="stable")[:, :15]
    np.testing.assert_array_equal(result.indices, expected)
    np.testing.assert_allclose(result.distances, np.take_along_axis(ref, expected, axis=1), atol=1e-6)
    assert result.indices.dtype == np.int64 and result.distances.dtype == np.float32
    assert (result.indices != rows[:, None]).all()


def test_many_queries_in_batches(monkeypatch):
    import projector.knn as nn_module

    monkeypatch.setattr(nn_module, "QUERY_BATCH", 64)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, 6)).astype(np.float32)
    result = neighbors(x, np.arange(400), k=5, metric="euclidean")
    ref = brute_force(x, np.arange(400), "euclidean", False)
    np.testing.assert_allclose(result.distances, np.sort(ref, axis=1)[:, :5], atol=1e-6)


def test_zero_vector_is_at_cosine_distance_one_and_duplicates_at_zero():
    x = np.array([[0, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32)
    assert np.allclose(neighbors(x, 0, k=3).distances, 1.0)
    r = neighbors(x, 1, k=1)
    assert r.indices.tolist() == [[2]] and r.distances.tolist() == [[0.0]]


def test_k_is_capped_and_rows_are_checked():
    x = np.eye(4, dtype=np.float32)
    r = neighbors(x, 0, k=10)
    assert r.k == 3 and r.params["k_asked"] == 10
    with pytest.raises(ParameterError, match="row 4 does not exist: rows are numbered 0 to 3"):
        neighbors(x, 4)
    with pytest.raises(ParameterError, match="metric must be one of cosine, euclidean"):
        neighbors(x, 0, metric="manhattan")
