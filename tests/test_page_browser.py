"""The written page in a real browser (headless Chromium): controls, data, safety."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from browser import PageWatch, browser  # noqa: F401 - the fixture

import projector

pytestmark = pytest.mark.browser

XSS = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "\"><svg onload=alert(3)>"]
K = 5


@pytest.fixture(scope="module")
def page_files(tmp_path_factory, clustered_module):
    x, labels = clustered_module
    names = [f"point {i}" for i in range(len(x))]
    for j, payload in enumerate(XSS):
        names[10 + j] = payload
    meta = pd.DataFrame({
        "name": names,
        "group": [f"group-{g}" for g in labels],
        "score": np.arange(len(x)) * 0.5,
        "note": XSS * (len(x) // len(XSS)),
    })
    ds = projector.Dataset.from_arrays(x, meta)
    p = projector.pca(ds.vectors, spherize=False)
    nn = projector.neighbors(ds.vectors, np.arange(ds.n_points), k=K)
    out = tmp_path_factory.mktemp("page") / "page.html"
    projector.write(ds, p, out, color_by="group", label_by="name", neighbors=nn, title="<i>test</i>")
    return {"path": out, "dataset": ds, "projection": p, "neighbors": nn}


@pytest.fixture(scope="module")
def clustered_module():
    rng = np.random.default_rng(7)
    centres = rng.normal(0, 10, size=(3, 8))
    labels = np.repeat(np.arange(3), 100)
    return (centres[labels] + rng.normal(0, 1, size=(300, 8))).astype(np.float32), labels


@pytest.fixture
def opened(browser, page_files):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    watch = PageWatch(context.new_page())
    watch.open(page_files["path"])
    yield watch
    context.close()


def js(watch, expression: str):
    return watch.page.evaluate(expression)


def test_loads_without_errors_or_network_and_draws_every_row(opened, page_files):
    assert opened.errors == []
    assert opened.network_requests == []
    assert js(opened, "window.projectorPage.traces().points.x.length") == 300
    assert js(opened, "document.getElementById('plot-base')._fullData[0]._length") == 300
    assert js(opened, "document.title") == "<i>test</i>"
    assert js(opened, "document.getElementById('title').textContent") == "<i>test</i>"


def test_colour_by_switch_changes_point_colours_and_legend(opened):
    before = js(opened, "Array.from(window.projectorPage.traces().points.marker.color.slice(0, 300))")
    legend = js(opened, "Array.from(document.querySelectorAll('#legend .name')).map(e => e.textContent)")
    assert legend == ["group-0", "group-1", "group-2"]
    assert len(set(np.round(before, 3))) == 3
    opened.page.select_option("#color-by", "score")
    after = js(opened, "Array.from(window.projectorPage.traces().points.marker.color.slice(0, 300))")
    assert after != before and len(set(np.round(after, 5))) > 100
    assert js(opened, "!!document.getElementById('gradient')")
    opened.page.select_option("#color-by", "")
    assert js(opened, "document.querySelector('#legend .name').textContent") == "all points"


def test_search_highlights_exactly_the_matches(opened):
    page = opened.page
    page.select_option("#search-by", "group")
    page.fill("#search-text", "GROUP-1")
    page.wait_for_function("document.getElementById('search-status').textContent === '100 matches'")
    assert js(opened, "window.projectorPage.traces().matches.x.length") == 100
    assert js(opened, "window.projectorPage.traces().veil.visible") is True  # the veil dims the rest
    page.select_option("#search-by", "name")
    page.check("#search-regex")
    page.fill("#search-text", "^point 2\\d$")
    page.wait_for_function("document.getElementById('search-status').textContent === '10 matches'")
    page.fill("#search-text", "point (")
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('Invalid regular expression')")
    assert js(opened, "window.projectorPage.traces().matches.x.length") == 10  # not cleared
    page.fill("#search-text", "")
    page.wait_for_function("document.getElementById('search-status').textContent === ''")
    assert js(opened, "window.projectorPage.traces().matches.x.length") == 0
    assert js(opened, "window.projectorPage.traces().veil.visible") is False
    assert opened.errors == []


def isolated_point(coords: np.ndarray) -> int:
    """The point farthest from any other on the screen, so a click cannot hit another one."""
    c = (coords - coords.min(0)) / np.ptp(coords, axis=0)
    d = ((c[:, None] - c[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return int(np.argmax(d.min(1)))


def test_click_shows_metadata_and_neighbours(opened, page_files):
    p, nn, ds = page_files["projection"], page_files["neighbors"], page_files["dataset"]
    i = isolated_point(p.coords[:, :2])
    x, y = js(opened, f"""(() => {{
        const gd = document.getElementById('plot'), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const box = gd.getBoundingClientRect(), a = window.projectorPage.axes;
        return [box.left + xa._offset + xa.l2p(a[0].values[{i}]), box.top + ya._offset + ya.l2p(a[1].values[{i}])];
    }})()""")
    opened.page.mouse.move(x, y)
    opened.page.wait_for_selector("#tooltip", state="visible")
    assert js(opened, "document.querySelector('#tooltip .title').textContent") == ds.metadata["name"][i]
    opened.page.mouse.click(x, y)
    opened.page.wait_for_selector("#panel.open")
    assert js(opened, "document.getElementById('panel-title').textContent") == ds.metadata["name"][i]
    cells = js(opened, "Array.from(document.querySelectorAll('#panel-metadata tr')).map(r => [r.cells[0].textContent, r.cells[1].textContent])")
    assert ["group", ds.metadata["group"][i]] in cells and ["row", str(i)] in cells
    listed = js(opened, "Array.from(document.querySelectorAll('#neighbors-list button')).map(b => Number(b.dataset.row))")
    assert listed == nn.indices[i].tolist()
    distances = js(opened, "Array.from(document.querySelectorAll('#neighbors-list .distance')).map(e => e.textContent)")
    assert distances == [f"{d:.3f}" for d in nn.distances[i]]
    # a neighbour is a link: clicking it selects that point
    opened.page.click("#neighbors-list li:first-child button")
    j = nn.indices[i][0]
    assert js(opened, "document.getElementById('panel-title').textContent") == ds.metadata["name"][j]
    assert js(opened, "window.projectorPage.state.selected") == j


def test_pca_axis_switch_shows_the_chosen_components(opened, page_files):
    p = page_files["projection"]
    opened.page.select_option("#axis-x", "2")
    opened.page.select_option("#axis-y", "4")
    x = np.array(js(opened, "Array.from(window.projectorPage.traces().points.x)"))
    y = np.array(js(opened, "Array.from(window.projectorPage.traces().points.y)"))
    for got, j in ((x, 2), (y, 4)):
        step = np.ptp(p.coords[:, j]) / 65535
        np.testing.assert_allclose(got, p.coords[:, j], atol=step / 2 + 1e-5)
    titles = js(opened, "[document.getElementById('plot-base')._fullLayout.xaxis.title.text, document.getElementById('plot-base')._fullLayout.yaxis.title.text]")
    assert titles == [p.axis_titles[2], p.axis_titles[4]]


def test_three_d_and_point_controls(opened):
    opened.page.check("#three-d")
    opened.page.wait_for_function("window.projectorPage.traces().points.type === 'scatter3d'")
    assert js(opened, "window.projectorPage.traces().points.z.length") == 300
    opened.page.uncheck("#three-d")
    opened.page.wait_for_function("window.projectorPage.traces().points.type === 'scattergl'")
    opened.page.locator("#point-size").fill("12")
    assert js(opened, "window.projectorPage.traces().points.marker.size") == 12
    opened.page.locator("#point-opacity").fill("0.3")
    assert js(opened, "window.projectorPage.traces().points.marker.opacity") == pytest.approx(0.3)
    assert opened.errors == []


def test_markup_in_metadata_never_runs_and_shows_as_text(opened, page_files):
    page = opened.page
    for j, payload in enumerate(XSS):
        page.evaluate(f"window.projectorPage.select({10 + j}, false)")
        assert js(opened, "document.getElementById('panel-title').textContent") == payload
    page.select_option("#label-by", "note")
    page.select_option("#color-by", "note")
    legend = js(opened, "Array.from(document.querySelectorAll('#legend .name')).map(e => e.textContent)")
    assert sorted(legend) == sorted(XSS)
    options = js(opened, "Array.from(document.querySelectorAll('#color-by option')).map(o => o.textContent)")
    assert "note" in options
    page.fill("#search-text", "<img")
    page.wait_for_function("document.getElementById('search-status').textContent === '1 match'")
    assert js(opened, "document.querySelectorAll('#panel img, #legend img, #tooltip img, svg[onload]').length") == 0
    assert opened.dialogs == []
    assert opened.errors == []


def test_sprite_thumbnails_in_the_point_panel(browser, tmp_path):  # noqa: F811
    from PIL import Image

    atlas = Image.new("RGB", (20, 20))
    for i, colour in enumerate(["red", "green", "blue", "white"]):
        atlas.paste(colour, ((i % 2) * 10, (i // 2) * 10, (i % 2) * 10 + 10, (i // 2) * 10 + 10))
    atlas.save(tmp_path / "sprite.png")
    x = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 1, 1]], dtype=np.float32)
    (tmp_path / "t.bytes").write_bytes(x.astype("<f4").tobytes())
    (tmp_path / "projector_config.json").write_text(
        '{"embeddings": [{"tensorName": "t", "tensorShape": [4, 3], "tensorPath": "t.bytes", '
        '"sprite": {"imagePath": "sprite.png", "singleImageDim": [10, 10]}}]}'
    )
    ds = projector.load(tmp_path / "projector_config.json")
    out = tmp_path / "page.html"
    projector.write(ds, projector.pca(ds.vectors), out,
                    neighbors=projector.neighbors(ds.vectors, np.arange(4), k=2))
    context = browser.new_context()
    watch = PageWatch(context.new_page())
    watch.open(out)
    watch.page.evaluate("window.projectorPage.select(3, false)")
    style = watch.page.evaluate("(() => { const t = document.querySelector('#panel-thumb .thumb'); "
                                "return [t.style.width, t.style.backgroundPosition, t.style.backgroundImage.slice(0, 26)]; })()")
    assert style == ["96px", "-96px -96px", 'url("data:image/png;base64']
    assert watch.page.evaluate("document.querySelectorAll('#neighbors-list .thumb').length") == 2
    assert watch.errors == [] and watch.network_requests == []
    context.close()
