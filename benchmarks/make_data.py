"""Generate the benchmark inputs: clustered float32 vectors as TSV, 6 significant digits.

    python benchmarks/make_data.py 100000 768 [--out benchmarks/data]

Fixed seed, so every run writes the same bytes. The files are large: never commit them
(benchmarks/data/ is ignored).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np


def clustered(n_points: int, n_dims: int, n_clusters: int = 20, seed: int = 0):
    """Gaussian clusters of unequal size and spread, and each point's cluster."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.0, size=(n_clusters, n_dims)).astype(np.float32)
    weights = rng.dirichlet(np.full(n_clusters, 2.0))
    labels = rng.choice(n_clusters, size=n_points, p=weights)
    spread = rng.uniform(0.2, 0.6, size=n_clusters).astype(np.float32)
    x = np.empty((n_points, n_dims), dtype=np.float32)
    step = 50_000
    for s in range(0, n_points, step):
        lab = labels[s : s + step]
        noise = rng.standard_normal(size=(len(lab), n_dims), dtype=np.float32)
        x[s : s + step] = centres[lab] + noise * spread[lab, None]
    return x, labels


def write_tsv(path: Path, x: np.ndarray) -> None:
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for s in range(0, len(x), 10_000):
            buf = io.StringIO()
            np.savetxt(buf, x[s : s + 10_000], fmt="%.6g", delimiter="\t")
            f.write(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n_points", type=int)
    ap.add_argument("n_dims", type=int)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    x, labels = clustered(args.n_points, args.n_dims)
    stem = f"clustered-{args.n_points}x{args.n_dims}"
    write_tsv(args.out / f"{stem}.tsv", x)
    with open(args.out / f"{stem}-meta.tsv", "w", encoding="ascii", newline="\n") as f:
        f.write("cluster\tindex\n")
        f.writelines(f"c{c}\t{i}\n" for i, c in enumerate(labels))
    print(args.out / f"{stem}.tsv")


if __name__ == "__main__":
    main()
