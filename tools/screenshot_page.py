"""Screenshot the page projector writes for the bundled sample: docs/page.png.

    python tools/screenshot_page.py

Writes the sample's PCA page (with neighbours), opens it in headless Chromium, searches
for "seven", clicks a point and saves the picture the README shows.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
from browser import CHROMIUM_ARGS, chromium_path  # noqa: E402

import projector  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    ds = projector.load(*projector.sample_paths())
    p = projector.pca(ds.vectors)
    nn = projector.neighbors(ds.vectors, np.arange(ds.n_points), k=10)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_path = Path(tmp) / "digits-pca.html"
        projector.write(ds, p, page_path, neighbors=nn)
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached")
        page.select_option("#search-by", "name")
        page.fill("#search-text", "seven")
        page.wait_for_function("document.getElementById('search-status').textContent === '179 matches'")
        page.evaluate("window.projectorPage.select(7, false)")
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / "page.png"))
        browser.close()
    print(ROOT / "docs" / "page.png")


if __name__ == "__main__":
    main()
