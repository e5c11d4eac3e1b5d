"""UMAP (the optional extra): clusters separate, seeds repeat, a missing install says what to do."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from test_tsne import knn_accuracy

from projector import umap
from projector.errors import MissingDependencyError

pytest.importorskip("umap", reason="umap-learn is not installed (pip install 'projector[umap]')")


@pytest.mark.parametrize("dims", [2, 3])
def test_clusters_separate_and_seed_repeats(clustered, dims):
    x, labels = clustered
    a = umap(x, dims=dims)
    b = umap(x, dims=dims)
    assert a.coords.shape == (300, dims) and a.coords.dtype == np.float32
    np.testing.assert_array_equal(a.coords, b.coords)
    assert knn_accuracy(a.coords, labels) > 0.97
    assert a.params["threads"] == 1 and a.params["seed"] == 42


def test_neighbours_lowered_for_tiny_data():
    rng = np.random.default_rng(0)
    p = umap(rng.normal(size=(10, 4)), n_neighbors=15)
    assert p.params["n_neighbors"] == 9 and "neighbours lowered from 15 to 9" in p.params["notes"][0]


def test_missing_umap_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "umap", None)  # makes `import umap` fail
    with pytest.raises(MissingDependencyError, match=r"pip install 'projector\[umap\]'"):
        umap(np.eye(5))


def test_umap_import_caches_numba_functions_and_restores_numba(tmp_path):
    import os
    import subprocess

    # umap-learn alone leaves most of these uncached (NullCache); imported by projector, all are cached.
    code = (
        "import numba; njit = numba.njit\n"
        "from projector.reducers._umap import _import_umap\n"
        "_import_umap()\n"
        "import umap.layouts as L\n"
        "kinds = {type(getattr(L, n)._cache).__name__ for n in dir(L)\n"
        "         if isinstance(getattr(L, n), numba.core.registry.CPUDispatcher)}\n"
        "print(numba.njit is njit, sorted(kinds))\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "True ['FunctionCache']"


def test_progress_counts_epochs_and_placed_points(clustered):
    x, labels = clustered
    events = []
    p = umap(x, sample=150, progress=events.append)
    epochs = [e for e in events if e.phase == "optimising layout"]
    assert epochs and epochs[-1].done == epochs[-1].total > 0
    placed = [e for e in events if e.phase == "placing the other 150 points"]
    assert placed[0].done == 0 and placed[-1].done == placed[-1].total == 150
    assert p.params["sample"] == 150 and p.coords.shape == (300, 2)
    assert knn_accuracy(p.coords, labels) > 0.95
