"""Shared fixtures: small fixed-seed data written as files, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from projector import cli
from projector.loaders import vectors_tsv


def write_tsv(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    lines = []
    if header is not None:
        lines.append("\t".join(header))
    lines.extend("\t".join(str(v) for v in row) for row in rows)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def clustered() -> tuple[np.ndarray, np.ndarray]:
    """300 points in 8 dims around 3 well-separated centres, with their labels."""
    rng = np.random.default_rng(7)
    centres = rng.normal(0, 10, size=(3, 8))
    labels = np.repeat(np.arange(3), 100)
    x = centres[labels] + rng.normal(0, 1, size=(300, 8))
    return x.astype(np.float32), labels


@pytest.fixture
def files(tmp_path: Path, clustered) -> dict[str, Path]:
    """The clustered data as a vector TSV and a two-column metadata TSV."""
    x, labels = clustered
    vec = tmp_path / "vectors.tsv"
    np.savetxt(vec, x, delimiter="\t", fmt="%.6g")
    meta = write_tsv(
        tmp_path / "meta.tsv",
        [[f"point {i}", f"group-{g}", i * 0.5] for i, g in enumerate(labels)],
        header=["name", "group", "score"],
    )
    return {"vectors": vec, "meta": meta, "dir": tmp_path}


@pytest.fixture(params=["exact", "fast"])
def parser_path(request, monkeypatch) -> str:
    """Run a loader test through both parsers: exact (small files) and polars (large ones).

    The fast path is forced with tiny chunks so that chunk boundaries are crossed too.
    """
    if request.param == "fast":
        monkeypatch.setattr(vectors_tsv, "FAST_PATH_MIN_BYTES", 0)
        monkeypatch.setattr(vectors_tsv, "CHUNK_BYTES", 64)
    else:
        monkeypatch.setattr(vectors_tsv, "FAST_PATH_MIN_BYTES", 1 << 60)
    return request.param


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Invoke the CLI in ``tmp_path`` as if stdin were a terminal (unless input is given)."""
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None):
        if input is not None:
            monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: False)
        return runner.invoke(
            cli.main, [str(a) for a in args], input=input, catch_exceptions=False, prog_name="projector"
        )

    return invoke
