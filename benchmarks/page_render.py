"""Size and time to first render of the written page, in headless Chromium.

    python benchmarks/page_render.py [N ...]      (default: 10000 100000 1000000)

For each N: a 2D map (two axes, as t-SNE or UMAP write) with one categorical column of
20 values, written by projector.write; then the page is opened in Debian's Chromium
(software WebGL, as on these GPU-less machines) and the time from navigation to the
first drawn plot is read from the page (window.projectorPage.renderedAt). Also timed:
switching the colour column and a search, as a user would do next. Run by hand; the
figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import CHROMIUM_ARGS, chromium_path  # noqa: E402

import projector  # noqa: E402


def make(n: int, folder: Path, neighbors: bool) -> tuple[Path, float]:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 20, n)
    centres = rng.normal(0, 10, (20, 2))
    coords = (centres[labels] + rng.normal(0, 1, (n, 2))).astype(np.float32)
    meta = pd.DataFrame({"cluster": [f"c{c}" for c in labels]})
    ds = projector.Dataset.from_arrays(np.hstack([coords, rng.normal(size=(n, 6)).astype(np.float32)]), meta)
    p = projector.Projection(method="tsne", coords=coords, axis_names=("t-SNE 1", "t-SNE 2"),
                             axis_titles=("t-SNE 1", "t-SNE 2"), shown=(0, 1), params={})
    nn = projector.neighbors(ds.vectors, np.arange(n), k=10) if neighbors else None
    out = folder / f"page-{n}.html"
    started = time.perf_counter()
    projector.write(ds, p, out, color_by="cluster", label_by="cluster", neighbors=nn)
    return out, time.perf_counter() - started


def measure(browser, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=300_000)
    first = page.evaluate("window.projectorPage.renderedAt") / 1000
    t = time.perf_counter()
    page.select_option("#color-by", "")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    colour = time.perf_counter() - t
    frame = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    page.select_option("#search-by", "cluster")
    timings = {}
    for name, query in (("search_5pct", "c5"), ("search_55pct", "c1")):  # c1 also matches c10..c19
        t = time.perf_counter()
        page.fill("#search-text", query)
        page.wait_for_function(f"window.projectorPage.state.matches && document.getElementById('search-text').value === '{query}' "
                               "&& document.getElementById('search-status').textContent.endsWith('matches')", timeout=300_000)
        page.evaluate(frame)
        timings[name] = time.perf_counter() - t
        page.fill("#search-text", "")
        page.wait_for_function("!window.projectorPage.state.matches", timeout=300_000)
    t = time.perf_counter()
    page.evaluate("window.projectorPage.select(5, true)")
    page.evaluate(frame)
    timings["click"] = time.perf_counter() - t
    context.close()
    if errors:
        raise SystemExit(f"{path.name}: page errors {errors}")
    return {"first_render": first, "colour_switch": colour, **timings}


def main() -> None:
    from playwright.sync_api import sync_playwright

    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for n in sizes:
            path, write_s = make(n, Path(tmp), neighbors=n <= 50_000)
            runs = [measure(browser, path) for _ in range(3)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            size = path.stat().st_size
            rows.append((n, size, write_s, med))
            print(f"{n:>9,} points: {size / 1e6:6.1f} MB ({size / n:5.1f} B/point), written in {write_s:5.1f} s, "
                  f"first render {med['first_render']:5.2f} s, colour switch {med['colour_switch']:5.2f} s, "
                  f"search 5% {med['search_5pct']:5.2f} s, search 55% {med['search_55pct']:5.2f} s, "
                  f"click {med['click']:5.2f} s (medians of 3)", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
