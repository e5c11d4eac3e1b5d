"""t-SNE: clusters stay apart, seeds repeat, perplexity is clamped, --sample places every point."""

from __future__ import annotations

import numpy as np
import pytest

from projector import tsne
from projector.errors import ParameterError
from projector.reducers._tsne import resolve_gradient

FAST = {"n_iter": 200, "early_exaggeration_iter": 100}


def knn_accuracy(coords: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Leave-one-out k-NN classification accuracy in the map: high when clusters separate."""
    d = ((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nearest = np.argsort(d, axis=1)[:, :k]
    votes = labels[nearest]
    predicted = np.array([np.bincount(v).argmax() for v in votes])
    return float((predicted == labels).mean())


@pytest.mark.parametrize("dims", [2, 3])
def test_clusters_separate(clustered, dims):
    x, labels = clustered
    p = tsne(x, dims=dims, **FAST)
    assert p.coords.shape == (300, dims) and p.coords.dtype == np.float32
    assert knn_accuracy(p.coords, labels) > 0.97
    assert p.params["gradient"] == "bh" and p.method == "tsne"
    assert p.axis_names == tuple(f"t-SNE {i + 1}" for i in range(dims))


def test_same_seed_same_coordinates_other_seed_differs(clustered):
    x, _ = clustered
    a = tsne(x, seed=3, **FAST)
    b = tsne(x, seed=3, **FAST)
    c = tsne(x, seed=4, **FAST)
    np.testing.assert_array_equal(a.coords, b.coords)
    assert not np.array_equal(a.coords, c.coords)


def test_perplexity_is_lowered_with_a_note():
    rng = np.random.default_rng(0)
    p = tsne(rng.normal(size=(20, 5)), perplexity=30, **FAST)
    assert p.params["perplexity"] == 6.0
    assert p.params["notes"] == ("perplexity lowered from 30 to 6: 20 points allow at most (20 - 1) / 3",)


def test_too_few_points_is_a_clear_error():
    with pytest.raises(ParameterError, match="t-SNE needs at least 4 points; the data has 3"):
        tsne(np.eye(3))


def test_gradient_choice():
    assert resolve_gradient(3, 1_000_000)[0] == "bh"
    assert resolve_gradient(2, 9_999)[0] == "bh"
    assert resolve_gradient(2, 10_000)[0] == "fft"


def test_sample_fits_part_and_places_every_point(clustered):
    x, labels = clustered
    strata = np.array([f"g{g}" for g in labels])
    p = tsne(x, sample=60, strata=strata, **FAST)
    assert p.params["sample"] == 60
    assert p.coords.shape == (300, 2) and np.isfinite(p.coords).all()
    # Placed points land with their own cluster.
    assert knn_accuracy(p.coords, labels) > 0.95


def test_progress_reports_phases_iterations_and_kl(clustered):
    x, _ = clustered
    events = []
    tsne(x, progress=events.append, **FAST)
    phases = [e.phase for e in events]
    assert phases[0] == "nearest neighbours and affinities"
    assert "early exaggeration" in phases and "optimising" in phases
    last = events[-1]
    assert last.phase == "optimising" and last.done == last.total == 300
    assert last.detail.startswith("KL ")


def test_cosine_metric_and_explicit_learning_rate(clustered):
    x, labels = clustered
    p = tsne(x, metric="cosine", learning_rate=50.0, **FAST)
    assert p.params["metric"] == "cosine" and p.params["learning_rate"] == 50.0
    assert knn_accuracy(p.coords, labels) > 0.9
