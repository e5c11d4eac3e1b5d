"""PCA against numpy's SVD, on data with known variance, and at the edges."""

from __future__ import annotations

import numpy as np
import pytest

from projector import pca
from projector.errors import ParameterError


def reference(x: np.ndarray, k: int):
    """Textbook PCA in float64: centred SVD, signs with the largest loading positive."""
    xc = x.astype(np.float64) - x.astype(np.float64).mean(axis=0)
    u, s, vt = np.linalg.svd(xc, full_matrices=False)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    coords = (u * s) * signs
    return coords[:, :k], (s**2 / (s**2).sum())[:k]


@pytest.mark.parametrize("solver", ["covariance", "gram", "arpack", "auto"])
@pytest.mark.parametrize("shape", [(400, 30), (60, 200)])
def test_matches_numpy_svd(solver, shape):
    rng = np.random.default_rng(1)
    x = rng.normal(size=shape) @ rng.normal(size=(shape[1], shape[1]))
    p = pca(x, spherize=False, solver=solver)
    k = p.coords.shape[1]
    ref_coords, ref_ratio = reference(x, k)
    np.testing.assert_allclose(p.explained_variance_ratio, ref_ratio, rtol=1e-4, atol=1e-7)
    # Leading components are well separated here: coordinates match, signs included.
    scale = np.abs(ref_coords[:, :3]).max()
    np.testing.assert_allclose(p.coords[:, :3], ref_coords[:, :3], atol=2e-4 * scale)
    assert p.coords.dtype == np.float32 and p.params["solver"] != "auto"


def test_known_variances_along_axes():
    rng = np.random.default_rng(2)
    sd = np.array([10.0, 5.0, 2.0, 1.0])
    x = rng.normal(size=(20000, 4)) * sd
    p = pca(x, spherize=False)
    np.testing.assert_allclose(p.explained_variance_ratio, sd**2 / (sd**2).sum(), rtol=0.03)
    assert p.axis_titles[0] == f"PC1 ({100 * p.explained_variance_ratio[0]:.1f}%)"
    assert p.axis_names == ("PC1", "PC2", "PC3", "PC4")


def test_large_mean_next_to_small_spread_keeps_precision():
    # Subtracting n * mean * mean^T after the product would cancel every digit here.
    rng = np.random.default_rng(3)
    x = (1e4 + rng.normal(size=(5000, 6)) * np.array([3, 2, 1, 0.5, 0.2, 0.1])).astype(np.float32)
    p = pca(x, spherize=False, solver="covariance")
    _, ref_ratio = reference(x, 6)
    np.testing.assert_allclose(p.explained_variance_ratio, ref_ratio, rtol=1e-3)


def test_spherize_default_follows_tensorflow_threshold():
    rng = np.random.default_rng(4)
    assert pca(rng.normal(size=(100, 49))).params["spherize"] is False
    p = pca(rng.normal(size=(100, 50)))
    assert p.params["spherize"] is True and "auto" in p.params["spherize_reason"]


def test_spherize_equals_pca_of_normalised_rows():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 12)) + 3
    xc = x - x.mean(axis=0)
    xs = xc / np.linalg.norm(xc, axis=1, keepdims=True)
    p = pca(x, spherize=True)
    ref_coords, ref_ratio = reference(xs, p.coords.shape[1])
    np.testing.assert_allclose(p.explained_variance_ratio, ref_ratio, rtol=1e-4)
    np.testing.assert_allclose(p.coords[:, :2], ref_coords[:, :2], atol=1e-5)


def test_top_ten_and_chosen_components():
    rng = np.random.default_rng(6)
    p = pca(rng.normal(size=(200, 40)), components=(2, 5, 9))
    assert p.coords.shape == (200, 10)
    assert p.shown == (1, 4, 8) and p.params["components"] == (2, 5, 9) and p.dims == 3


def test_signs_are_deterministic_and_input_untouched():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(100, 8)).astype(np.float32)
    before = x.copy()
    a, b = pca(x), pca(x[::-1].copy())
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(a.coords, b.coords[::-1], atol=1e-4)  # float32 sums in another order


@pytest.mark.parametrize(
    ("x", "kw", "message"),
    [
        (np.ones((1, 5)), {}, "PCA needs at least 2 points; the data has 1"),
        (np.ones((10, 1)), {}, r"a 2D picture needs 2 principal components, but 10 points in 1 dims have only 1"),
        (np.ones((10, 2)), {"dims": 3}, r"a 3D picture needs 3 .* have only 2; use dims=2"),
        (np.ones((10, 4)), {"components": (1, 5)}, r"there is no component 5: 10 points in 4 dims have 4"),
        (np.ones((10, 4)), {"components": (1,)}, "choose 2 or 3 components"),
        (np.ones((10, 4)), {"solver": "magic"}, "solver must be one of"),
    ],
)
def test_refuses_clearly(x, kw, message):
    with pytest.raises(ParameterError, match=message):
        pca(x, **kw)


@pytest.mark.parametrize("spherize", [True, False])
def test_identical_points_give_zeros_not_nan(spherize):
    p = pca(np.full((20, 60), 3.0), spherize=spherize)
    assert np.all(p.coords == 0) and np.all(p.explained_variance_ratio == 0)
    assert p.params["identical_points"] is True


def test_work_that_cannot_fit_is_refused_before_it_starts(monkeypatch, tmp_path):
    import projector._memory as memory
    from projector import load, tsne
    from projector.errors import ResourceError

    monkeypatch.setattr(memory, "available_bytes", lambda: 300 << 20)
    path = tmp_path / "v.tsv"
    path.write_text("1\t2\t3\n" * 10 + "\n")
    monkeypatch.setattr(memory, "HEADROOM", 300 << 20)  # any need at all is too much
    with pytest.raises(ResourceError, match=r"needs about .* of memory but only 300 MB is available; read a sample"):
        load(path)
    monkeypatch.setattr(memory, "HEADROOM", 0)
    rng = np.random.default_rng(0)
    with pytest.raises(ResourceError, match=r"t-SNE of 200,000 points .* --sample N"):
        tsne(rng.normal(size=(200_000, 2)).astype(np.float32))
    pytest.importorskip("umap")
    from projector import umap

    with pytest.raises(ResourceError, match=r"UMAP of 200,000 points with 15 neighbours .* --sample N"):
        umap(rng.normal(size=(200_000, 2)).astype(np.float32))
