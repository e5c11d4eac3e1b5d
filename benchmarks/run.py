"""projector against its anchors, measured side by side in one run.

    python benchmarks/run.py [--quick] [--only CASE ...] [--repeat N]

Generates its inputs (fixed seed, clustered float32, TSV with 6 significant digits, in
benchmarks/data/, never committed), runs every variant of every case N times (default 3)
in a fresh Python process, and writes benchmarks/RESULTS.md: median and min-max time,
peak memory of the process, and each variant's ratio to every anchor of its case. Only
ratios measured in the same run mean anything on these shared, noisy machines.

Peak memory is the process's maximum resident set (from wait4); "work" memory is that
minus what the process held just before the measured work (interpreter and imports).
--quick skips the slow cases (70,000-point t-SNE, the million-point page and t-SNE).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PY = sys.executable


def data_file(n: int, d: int) -> Path:
    path = DATA / f"clustered-{n}x{d}.tsv"
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr, flush=True)
        subprocess.run([PY, str(HERE / "make_data.py"), str(n), str(d)], check=True, stdout=subprocess.DEVNULL)
    return path


# ---------------------------------------------------------------- running one measurement

PRELUDE = """
import json, resource, sys, time
sys.path.insert(0, {here!r})
def _rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

TIMED = """
_base = _rss_kb()
_t = time.perf_counter()
{work}
_seconds = time.perf_counter() - _t
print("RESULT" + json.dumps({{"seconds": _seconds, "base_kb": _base, "extra": globals().get("EXTRA", {{}})}}))
"""


@dataclass
class Variant:
    """One way of doing a case's work: an anchor or projector itself."""

    label: str
    setup: str = ""  # imports and data, not timed
    work: str = ""  # timed, in the same process
    command: list[str] | None = None  # or: a whole command, timed from outside
    anchor: bool = True
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    label: str
    anchor: bool
    seconds: list[float]
    peak_mb: list[float]
    work_mb: list[float]
    extra: dict


def measure(v: Variant, repeat: int) -> Result:
    seconds, peaks, works, extra = [], [], [], {}
    for _ in range(repeat):
        env = {**os.environ, **v.env}
        if v.command is not None:
            t = time.perf_counter()
            proc = subprocess.Popen(v.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                                    stdin=subprocess.DEVNULL)  # fmt: skip
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - t
            err = proc.stderr.read().decode(errors="replace")
            if status != 0:
                raise SystemExit(f"{v.label} failed:\n{err}")
            seconds.append(elapsed)
            peaks.append(usage.ru_maxrss / 1024)
            works.append(float("nan"))
            continue
        code = PRELUDE.format(here=str(HERE)) + textwrap.dedent(v.setup) + TIMED.format(work=textwrap.indent(textwrap.dedent(v.work), ""))
        proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        out, err = proc.stdout.read().decode(), proc.stderr.read().decode(errors="replace")
        if status != 0:
            raise SystemExit(f"{v.label} failed:\n{err}")
        line = next(x for x in out.splitlines() if x.startswith("RESULT"))
        record = json.loads(line[6:])
        seconds.append(record["seconds"])
        peaks.append(usage.ru_maxrss / 1024)
        works.append((usage.ru_maxrss - record["base_kb"]) / 1024)
        extra = record["extra"]
    return Result(v.label, v.anchor, seconds, peaks, works, extra)


# ---------------------------------------------------------------- the cases

def load_case(n: int, d: int) -> tuple[str, list[Variant], str]:
    path = str(data_file(n, d))
    result_mb = n * d * 4 / 2**20
    variants = [
        Variant("numpy.loadtxt", "import numpy as np", f"x = np.loadtxt({path!r}, delimiter='\\t', dtype=np.float32)"),
        Variant("pandas C engine", "import numpy as np, pandas as pd",
                f"x = pd.read_csv({path!r}, sep='\\t', header=None, dtype=np.float32, engine='c').to_numpy()"),
        Variant("polars", "import polars as pl",
                f"x = pl.read_csv({path!r}, separator='\\t', has_header=False, "
                f"schema={{f'c{{j}}': pl.Float32 for j in range({d})}}).to_numpy()"),
        Variant("projector", "from projector.loaders import read_vectors_tsv",
                f"x = read_vectors_tsv({path!r}).vectors", anchor=False),
    ]
    try:
        import pyarrow  # noqa: F401

        variants.insert(2, Variant("pyarrow", "import numpy as np, pyarrow.csv as pc",
                                   f"t = pc.read_csv({path!r}, read_options=pc.ReadOptions(autogenerate_column_names=True), "
                                   f"parse_options=pc.ParseOptions(delimiter='\\t'))\nx = np.column_stack([c.to_numpy() for c in t.columns]).astype(np.float32)"))
    except ImportError:
        pass
    target = (f"time <= 1.1x the fastest anchor; work memory <= 1.3x the float32 result "
              f"({result_mb:.0f} MB, so <= {1.3 * result_mb:.0f} MB)")
    return f"load a {n:,} x {d} TSV ({os.path.getsize(path) / 1e6:.0f} MB) to float32", variants, target


def pca_case(n: int, d: int) -> tuple[str, list[Variant], str]:
    setup = textwrap.dedent(f"""
        import numpy as np
        from make_data import clustered
        x, _ = clustered({n}, {d})
        x.T @ x  # the first BLAS call of a process can be much slower: not what is measured
    """)
    variants = [
        Variant("X^T X alone", setup, "c = x.T @ x"),
        Variant("centre + X^T X + eigh + project", setup, """
            m = x.mean(axis=0)
            xc = x - m
            w, v = np.linalg.eigh((xc.T @ xc).astype(np.float64))
            coords = xc @ v[:, -10:].astype(np.float32)
        """),
        Variant("sklearn PCA covariance_eigh", setup + "\nfrom sklearn.decomposition import PCA",
                "PCA(10, svd_solver='covariance_eigh').fit_transform(x)"),
        Variant("sklearn PCA randomized", setup + "\nfrom sklearn.decomposition import PCA",
                "PCA(10, svd_solver='randomized', random_state=0).fit_transform(x)"),
        Variant("projector.pca", setup + "\nfrom projector import pca", "p = pca(x, spherize=False)", anchor=False),
        Variant("projector.pca, spherized", setup + "\nfrom projector import pca", "p = pca(x, spherize=True)", anchor=False),
    ]
    return f"PCA, top 10 of {n:,} x {d} (matrix in memory)", variants, "<= 1.3x centre + X^T X + eigh + project"


def tsne_case(n: int, d: int, with_sklearn: bool) -> tuple[str, list[Variant], str]:
    path = str(data_file(n, d))
    setup = textwrap.dedent(f"""
        import numpy as np, openTSNE
        from projector.loaders import read_vectors_tsv
        x = read_vectors_tsv({path!r}).vectors
    """)
    npy = DATA / f"clustered-{n}x{d}.npy"
    if not npy.exists():
        import numpy as np

        from projector.loaders import read_vectors_tsv

        np.save(npy, read_vectors_tsv(path).vectors)
    bare_script = (f"import numpy as np, openTSNE; x = np.load({str(npy)!r}); "
                   f"y = openTSNE.TSNE(n_jobs=-1, random_state=42).fit(x); np.savetxt({str(DATA / 'bare-out.tsv')!r}, y)")
    variants = [
        Variant("bare openTSNE (fit only)", setup, "openTSNE.TSNE(n_jobs=-1, random_state=42).fit(x)"),
        Variant("bare openTSNE process (start-up, imports, .npy, fit, write)", command=[PY, "-c", bare_script]),
        Variant("projector tsne (end to end: load TSV, t-SNE, write TSV)", anchor=False,
                command=[PY, "-m", "projector", "tsne", path, "--no-spherize", "-o", str(DATA / "tsne-out.tsv"), "-q"]),
        Variant("projector tsne from the .npy (end to end)", anchor=False,
                command=[PY, "-m", "projector", "tsne", str(npy), "--no-spherize", "-o", str(DATA / "tsne-out.tsv"), "-q"]),
    ]
    if with_sklearn:
        variants.insert(1, Variant("sklearn TSNE (fit only)", setup + "\nfrom sklearn.manifold import TSNE",
                                   "TSNE(random_state=42).fit_transform(x)"))
    return (f"t-SNE 2D of {n:,} x {d}, openTSNE defaults", variants,
            "projector tsne end to end <= 1.05x bare openTSNE + the load target")


def umap_case(n: int, d: int) -> tuple[str, list[Variant], str]:
    path = str(data_file(n, d))
    cache = DATA / "numba-cache"
    setup = textwrap.dedent(f"""
        import numpy as np
        from projector.loaders import read_vectors_tsv
        x = read_vectors_tsv({path!r}).vectors
        import umap
    """)
    variants = [
        Variant("umap-learn, fresh numba cache", setup, "umap.UMAP(random_state=42).fit_transform(x)",
                env={"NUMBA_CACHE_DIR": str(cache / "fresh-{}".format(time.time_ns()))}),
        Variant("umap-learn, warm numba cache", setup, "umap.UMAP(random_state=42).fit_transform(x)",
                env={"NUMBA_CACHE_DIR": str(cache / "warm")}),
        Variant("projector umap (end to end), warm cache", anchor=False,
                command=[PY, "-m", "projector", "umap", path, "--no-spherize", "-o", str(DATA / "umap-out.tsv"), "-q"],
                env={"NUMBA_CACHE_DIR": str(cache / "warm")}),
    ]
    return (f"UMAP 2D of {n:,} x {d}", variants,
            "first-call (compile) cost paid once per machine, through numba's on-disk cache")


def help_case() -> tuple[str, list[Variant], str]:
    variants = [
        Variant("python -c 'import click'", command=[PY, "-c", "import click"]),
        Variant("python -c 'import sklearn' (for scale)", command=[PY, "-c", "import sklearn"]),
        Variant("projector --help", command=[PY, "-m", "projector", "--help"], anchor=False),
        Variant("projector pca --help", command=[PY, "-m", "projector", "pca", "--help"], anchor=False),
    ]
    return "start-up: `projector --help`", variants, "<= 1.5x import click"


def png_case(n: int) -> tuple[str, list[Variant], str]:
    setup = textwrap.dedent(f"""
        import numpy as np, pandas as pd, io
        rng = np.random.default_rng(0)
        labels = rng.integers(0, 20, {n})
        xy = (rng.normal(0, 10, (20, 2))[labels] + rng.normal(0, 1, ({n}, 2))).astype(np.float32)
    """)
    variants = [
        Variant("matplotlib scatter, rasterised", setup + "\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt",
                """
                fig, ax = plt.subplots(figsize=(8, 6.5))
                ax.scatter(xy[:, 0], xy[:, 1], c=labels, s=0.2, cmap='tab20', rasterized=True, linewidths=0)
                buf = io.BytesIO(); fig.savefig(buf, format='png', dpi=150)
                EXTRA = {'bytes': buf.tell()}
                """),
        Variant("projector.write(.png)", setup + "\nimport projector\nfrom projector.exporters import image",
                """
                ds = projector.Dataset.from_arrays(xy, {'cluster': [f'c{c}' for c in labels]})
                p = projector.Projection('tsne', xy, ('x', 'y'), ('x', 'y'), (0, 1))
                buf = io.BytesIO(); projector.write(ds, p, buf, format='png', color_by='cluster')
                EXTRA = {'bytes': buf.tell()}
                """, anchor=False),
    ]
    return f"static PNG of {n:,} points", variants, "<= 1.2x the matplotlib anchor"


def page_case(n: int) -> tuple[str, list[Variant], str]:
    setup = textwrap.dedent(f"""
        import numpy as np, io
        rng = np.random.default_rng(0)
        labels = rng.integers(0, 20, {n})
        xy = (rng.normal(0, 10, (20, 2))[labels] + rng.normal(0, 1, ({n}, 2))).astype(np.float32)
        names = np.array([f'c{{c}}' for c in range(20)])[labels]
    """)
    plotly = setup + "\nimport plotly.graph_objects as go"
    variants = [
        Variant("plotly write_html, no hover text", plotly, """
            fig = go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode='markers', marker={'color': labels}, hoverinfo='skip'))
            buf = io.StringIO(); fig.write_html(buf, include_plotlyjs=True); EXTRA = {'bytes': len(buf.getvalue().encode())}
        """),
        Variant("plotly write_html, integer customdata + hovertemplate", plotly, """
            fig = go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode='markers', marker={'color': labels},
                                         customdata=labels, hovertemplate='c%{customdata}<extra></extra>'))
            buf = io.StringIO(); fig.write_html(buf, include_plotlyjs=True); EXTRA = {'bytes': len(buf.getvalue().encode())}
        """),
        Variant("plotly write_html, a hover string per point", plotly, """
            fig = go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode='markers', marker={'color': labels},
                                         text=names, hoverinfo='text'))
            buf = io.StringIO(); fig.write_html(buf, include_plotlyjs=True); EXTRA = {'bytes': len(buf.getvalue().encode())}
        """),
        Variant("projector page", setup + "\nimport projector", """
            ds = projector.Dataset.from_arrays(xy, {'cluster': names})
            p = projector.Projection('tsne', xy, ('x', 'y'), ('x', 'y'), (0, 1))
            buf = io.BytesIO(); projector.write(ds, p, buf, format='html', color_by='cluster'); EXTRA = {'bytes': buf.tell()}
        """, anchor=False),
    ]
    return (f"page of {n:,} points, 2D, one categorical column (writing; first render: page_render.py)",
            variants, "<= 16 MB; first render in headless Chromium <= 10 s")


# ---------------------------------------------------------------- report

def fmt_s(values: list[float]) -> str:
    return f"{statistics.median(values):.3g} s ({min(values):.3g}-{max(values):.3g})"


def report(cases: list[tuple[str, str, list[Result]]], args: argparse.Namespace) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if args.quick else ''}` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}). "
        f"{args.repeat} runs of each; medians with min-max; peak = the process's maximum resident memory, "
        "work = peak minus what the process held before the measured work. Ratios are of medians, "
        "measured in this same run: only they compare across runs.",
        "",
    ]
    for title, target, results in cases:
        anchors = [r for r in results if r.anchor]
        lines += [f"## {title}", "", f"Target: {target}.", ""]
        head = "| variant | time | peak MB | work MB | extra |" + "".join(f" / {a.label} |" for a in anchors)
        lines += [head, "|" + "---|" * (5 + len(anchors))]
        for r in results:
            med = statistics.median(r.seconds)
            ratios = "".join(f" {med / statistics.median(a.seconds):.2f}x |" for a in anchors)
            work = statistics.median(r.work_mb)
            extra = ", ".join(f"{k} {v / 1e6:.1f} MB" if k == "bytes" else f"{k} {v}" for k, v in r.extra.items())
            lines.append(f"| {'**' + r.label + '**' if not r.anchor else r.label} | {fmt_s(r.seconds)} | "
                         f"{statistics.median(r.peak_mb):.0f} | {'' if work != work else f'{work:.0f}'} | {extra} |{ratios}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the slow cases")
    ap.add_argument("--only", nargs="*", help="case names to run (load, pca, tsne, umap, help, png, page)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                    help="where to write the report (with --only, write elsewhere to keep the full one)")
    args = ap.parse_args()
    plan = {
        "load": [lambda: load_case(100_000, 768), lambda: load_case(1_000_000, 128)],
        "pca": [lambda: pca_case(100_000, 768), lambda: pca_case(1_000_000, 128)],
        "tsne": [lambda: tsne_case(10_000, 64, with_sklearn=not args.quick)]
        + ([] if args.quick else [lambda: tsne_case(70_000, 50, with_sklearn=False)]),
        "umap": [lambda: umap_case(10_000, 64)],
        "help": [help_case],
        "png": [lambda: png_case(1_000_000)],
        "page": [] if args.quick else [lambda: page_case(1_000_000)],
    }
    cases = []
    for name, makers in plan.items():
        if args.only and name not in args.only:
            continue
        for make in makers:
            title, variants, target = make()
            print(f"== {title}", file=sys.stderr, flush=True)
            results = []
            for v in variants:
                repeat = max(args.repeat, 10) if name == "help" else args.repeat
                r = measure(v, repeat)
                print(f"   {r.label}: {fmt_s(r.seconds)}, peak {statistics.median(r.peak_mb):.0f} MB", file=sys.stderr, flush=True)
                results.append(r)
            cases.append((title, target, results))
    text = report(cases, args) + "\n"
    # The "Scale" section comes from benchmarks/scale.py (runs of up to 20 minutes): keep it.
    begin, end = "<!-- scale: begin -->", "<!-- scale: end -->"
    old = args.out.read_text() if args.out.exists() else ""
    if begin in old and end in old:
        text += "\n" + begin + old.split(begin, 1)[1].split(end, 1)[0] + end + "\n"
    args.out.write_text(text)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
