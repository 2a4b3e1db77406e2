"""The map in a real headless Chromium with every request that would leave the
machine blocked (the ``page`` fixture records them): the base map, plotly.js
and the city markers all come from the portal itself."""
import os
from pathlib import Path

import pytest


pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "screenshots"))


def test_map_renders_offline_with_city_markers(page, io_catalog):
    requested, errors = [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/resources/map")
    page.wait_for_selector("#resource-map[data-rendered='1']", timeout=20_000)
    markers = page.evaluate("""() => Array.from(document.querySelectorAll('#resource-map svg .scattergeo path.point'))
        .filter(p => p.style.fill === 'rgb(224, 122, 31)').length""")
    assert markers == 2  # 青岛 and 厦门 (the other points are South China Sea islets in the inset)
    # the provinces of the standard map, in the main map and in the 南海诸岛 inset
    assert page.locator("#resource-map svg path.choroplethlocation").count() == 2 * 34
    assert page.locator("#resource-map svg .scattergeo path.js-line").count() >= 2  # the maritime line, twice
    assert page.outside_requests == []
    assert any("/static/geo/china-provinces.geojson?v=" in u for u in requested)
    assert any("/static/vendor/plotly/plotly-geo.js?v=" in u for u in requested)
    assert any("/static/vendor/plotly/plotly-core.js?v=" in u for u in requested)
    assert not [e for e in errors if "Content Security Policy" in e or "topojson" in e]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "resource-map-zh.png"), full_page=True)


def test_clicking_a_city_opens_its_resources(page, io_catalog):
    page.goto("/resources/map?domain=transport")
    page.wait_for_selector("#resource-map[data-rendered='1']", timeout=20_000)
    index = page.evaluate("""() => Array.from(document.querySelectorAll('#resource-map svg .scattergeo path.point'))
        .findIndex(p => p.style.fill === 'rgb(224, 122, 31)')""")
    point = page.locator("#resource-map svg .scattergeo path.point").nth(index)
    box = point.bounding_box()
    with page.expect_navigation(timeout=10_000):
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/resources/?" in page.url and "domain=transport" in page.url
    assert "city=370200" in page.url or "city=350200" in page.url
    assert page.outside_requests == []


def test_matrix_and_who_has_render_offline(page, io_catalog):
    page.goto("/resources/matrix")
    page.wait_for_selector("#coverage-matrix[data-rendered='1']", timeout=20_000)
    assert page.locator("#coverage-matrix svg .hm, #coverage-matrix svg image").count() >= 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "coverage-matrix-zh.png"), full_page=True)
    page.goto("/resources/who-has?domain=health&domain=transport")
    page.wait_for_selector("#who-has-chart[data-rendered='1']", timeout=20_000)
    assert page.locator("#who-has-chart svg .bars path").count() >= 2
    page.screenshot(path=str(SHOTS / "who-has-zh.png"), full_page=True)
    assert page.outside_requests == []
