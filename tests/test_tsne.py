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
    assert phases[0] == "nearest neighbours"
    assert "early exaggeration" in phases and "optimising" in phases
    last = events[-1]
    assert last.phase == "optimising" and last.done == last.total == 300
    assert last.detail.startswith("KL ")


def test_cosine_metric_and_explicit_learning_rate(clustered):
    x, labels = clustered
    p = tsne(x, metric="cosine", learning_rate=50.0, **FAST)
    assert p.params["metric"] == "cosine" and p.params["learning_rate"] == 50.0
    assert knn_accuracy(p.coords, labels) > 0.9


def test_neighbour_search_reports_progress_and_matches_opentsne():
    """From 1,000 points the Annoy search runs in blocks that report progress; the layout
    is still exactly openTSNE's own for the same parameters."""
    import openTSNE

    rng = np.random.default_rng(1)
    x = (rng.normal(size=(1200, 8)) + np.repeat(rng.normal(0, 6, (4, 8)), 300, axis=0)).astype(np.float32)
    events = []
    p = tsne(x, progress=events.append, n_jobs=2, **FAST)
    searched = [e for e in events if e.phase == "nearest neighbours"]
    assert searched[0].done == 0 and searched[-1].done == searched[-1].total == 1200
    assert len(searched) > 2
    phases = list(dict.fromkeys(e.phase for e in events))
    assert phases[:4] == ["nearest neighbours: building the index", "nearest neighbours",
                          "affinities and initial layout", "early exaggeration"]
    # openTSNE's own neighbour search, then the phases projector runs (TensorFlow's momentum
    # 0.5 while exaggerating, then 0.8; openTSNE's fit() keeps 0.8 throughout).
    engine = openTSNE.TSNE(n_jobs=2, random_state=42, negative_gradient_method="bh")
    bare = engine.prepare_initial(x)
    bare = bare.optimize(n_iter=100, exaggeration=12, momentum=0.5, inplace=True)
    bare = bare.optimize(n_iter=200, momentum=0.8, inplace=True)
    np.testing.assert_allclose(p.coords, np.asarray(bare, dtype=np.float32), rtol=1e-5, atol=1e-4)


def test_placed_points_share_the_fitted_points_frame():
    """A point outside the sample that duplicates a fitted point lands on it: the placed and
    the fitted points are in one frame (openTSNE's transform re-centres the fit in place)."""
    rng = np.random.default_rng(2)
    centres = rng.normal(0, 8, (5, 6))
    fitted = (centres[rng.integers(0, 5, 400)] + rng.normal(size=(400, 6))).astype(np.float32)
    x = np.concatenate([fitted, fitted + np.float32(1e-3)])
    strata = np.array(["fit"] * 400 + ["twin"] * 400)
    p = tsne(x, sample=400, strata=strata, **FAST)
    assert p.params["sample"] == 400
    # The sample takes 200 of each half, so most pairs have one point fitted and one placed.
    twins = np.linalg.norm(p.coords[:400] - p.coords[400:], axis=1)
    spread = np.ptp(p.coords, axis=0).max()
    assert np.median(twins) < 0.02 * spread
