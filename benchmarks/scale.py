"""t-SNE and UMAP of up to a million points: full fit against fit-on-a-sample + place the rest.

    python benchmarks/scale.py tsne --points 70000 250000 1000000 [--sample 0 20000 ...]
    python benchmarks/scale.py umap --points 1000000 --sample 0 100000
    python benchmarks/scale.py report

Each run is one fresh process (``_one`` below) on the first N rows of the 1,000,000 x 128
benchmark set (made by make_data.py, cached as .npy in benchmarks/data/), with projector's
defaults. It logs when each phase starts (so the neighbour search, the optimisation and the
placing of the other points can be told apart), the wall time and the process's peak
memory, and appends a record to benchmarks/data/scale.jsonl. ``report`` turns the records
into the "Scale" section of benchmarks/RESULTS.md (between its scale markers), with a
cluster-preservation score for each layout so the speed of the sample route is weighed
against what it costs in quality.

These runs take from a minute to twenty: they are single runs, not medians, which is why
each one is compared with the others of the same session only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RECORDS = DATA / "scale.jsonl"
BIG = (1_000_000, 128)
BEGIN, END = "<!-- scale: begin -->", "<!-- scale: end -->"


def big_npy() -> Path:
    npy = DATA / f"clustered-{BIG[0]}x{BIG[1]}.npy"
    if not npy.exists():
        import numpy as np

        sys.path.insert(0, str(HERE))
        from make_data import clustered

        x, labels = clustered(*BIG)
        np.save(npy, x)
        np.save(DATA / f"clustered-{BIG[0]}x{BIG[1]}-labels.npy", labels)
    return npy


def one(method: str, n: int, sample: int, out: Path) -> dict:
    """Run in the child: one reduction, phases timed through projector's progress events."""
    import numpy as np

    import projector

    x = np.load(big_npy(), mmap_mode="r")[:n]
    x = np.ascontiguousarray(x)
    phases: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(event) -> None:
        if not phases or phases[-1][0] != event.phase:
            phases.append((event.phase, time.perf_counter() - started))
            print(f"  {time.perf_counter() - started:7.1f} s  {event.phase}", file=sys.stderr, flush=True)

    p = getattr(projector, method)(x, sample=sample or "all", progress=progress)
    seconds = time.perf_counter() - started
    np.save(out, p.coords)
    return {
        "method": method,
        "points": n,
        "sample": sample or None,
        "seconds": round(seconds, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "phases": [(name, round(t, 1)) for name, t in phases],
        "params_sample": p.params.get("sample"),
        "timings": p.params.get("timings"),
        "coords": str(out),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }


def quality(coords_path: str, n: int, k: int = 10, queries: int = 5000) -> float:
    """Share of each query point's k nearest layout neighbours that come from its own cluster."""
    import numpy as np
    from sklearn.neighbors import NearestNeighbors

    labels = np.load(DATA / f"clustered-{BIG[0]}x{BIG[1]}-labels.npy")[:n]
    y = np.load(coords_path)
    rows = np.random.default_rng(0).choice(n, size=min(queries, n), replace=False)
    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(y).kneighbors(y[rows])
    return float((labels[idx[:, 1:]] == labels[rows, None]).mean())


def report() -> None:
    records = [json.loads(line) for line in RECORDS.read_text().splitlines() if line.strip()]
    lines = [
        BEGIN,
        "## Scale: t-SNE and UMAP of up to 1,000,000 x 128, every point placed",
        "",
        "Written by `python benchmarks/scale.py report` from single runs of `python benchmarks/scale.py "
        "tsne|umap --points N --sample S` (first N rows of the 1,000,000 x 128 set, projector's defaults, "
        "one fresh process each; sample 0 = full fit). *cluster kNN* = share of a point's 10 nearest "
        "neighbours in the layout that share its cluster (5,000 random points): what the sample route "
        "costs in quality. (A local measure, the share of a point's 10 nearest neighbours in the data "
        "kept in the layout, was 0.00-0.02 for every run: inside a Gaussian cluster of 128 dims the "
        "nearest neighbours are nearly random, so these data cannot show local structure.)",
        "",
        "| method | points | fit on | wall | peak MB | phases (start, s) | cluster kNN | when |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        phases = "; ".join(f"{name} {t:g}" for name, t in r["phases"])
        q = quality(r["coords"], r["points"]) if Path(r["coords"]).exists() else float("nan")
        fit = "all" if not r["sample"] else f"{r['sample']:,} + transform"
        lines.append(f"| {r['method']} | {r['points']:,} | {fit} | {r['seconds'] / 60:.1f} min ({r['seconds']:.0f} s) "
                     f"| {r['peak_mb']:,} | {phases} | {q:.3f} | {r['when']} |")
    lines.append(END)
    section = "\n".join(lines)
    results = HERE / "RESULTS.md"
    text = results.read_text() if results.exists() else ""
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    results.write_text(text)
    print(section)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["tsne", "umap", "report", "_one"])
    ap.add_argument("--points", type=int, nargs="*", default=[BIG[0]])
    ap.add_argument("--sample", type=int, nargs="*", default=[0], help="0 = full fit")
    args = ap.parse_args()
    if args.what == "report":
        report()
        return
    DATA.mkdir(exist_ok=True)
    big_npy()
    if args.what == "_one":
        n, sample = args.points[0], args.sample[0]
        out = DATA / f"scale-{os.environ['SCALE_METHOD']}-{n}-{sample}.npy"
        print("RECORD" + json.dumps(one(os.environ["SCALE_METHOD"], n, sample, out)), flush=True)
        return
    for n in args.points:
        for sample in args.sample:
            if sample and sample >= n:
                continue
            print(f"== {args.what} {n:,} points, {'full fit' if not sample else f'sample {sample:,}'}",
                  file=sys.stderr, flush=True)
            proc = subprocess.run([sys.executable, __file__, "_one", "--points", str(n), "--sample", str(sample)],
                                  stdout=subprocess.PIPE, text=True, env={**os.environ, "SCALE_METHOD": args.what})
            if proc.returncode != 0:
                raise SystemExit(f"run failed ({proc.returncode})")
            record = next(line for line in proc.stdout.splitlines() if line.startswith("RECORD"))[6:]
            with open(RECORDS, "a") as f:
                f.write(record + "\n")
            r = json.loads(record)
            print(f"   {r['seconds']:.0f} s, peak {r['peak_mb']} MB", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
