"""Real headless Chromium: a visitor reads the public demo dashboard (Plotly charts
drawn from the local plotly.js, the China map from the local topojson), in Chinese
and English, compares versions, and opens the print page, whose figures become
images through Plotly.toImage. Every request leaving the machine is blocked."""
import os
from pathlib import Path

import pytest

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "screenshots"))
pytestmark = pytest.mark.browser


def _all_drawn(page, n, timeout=30.0):
    """Every chart drawn (charts.js marks it; it draws a chart when it comes into view, so each
    is scrolled to); polled from Python, the CSP forbids eval."""
    import time
    deadline = time.monotonic() + timeout
    for i in range(n):
        page.locator(".plotly-chart").nth(i).scroll_into_view_if_needed()
    while page.locator(".plotly-chart[data-rendered]").count() < n:
        assert time.monotonic() < deadline, "charts not drawn"
        page.wait_for_timeout(100)


def test_visitor_reads_public_dashboard_offline(page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/")
    page.click("#featured-link")
    page.wait_for_selector("#dashboard-title")
    assert "共同体季度看板 · 示例" in page.locator("#dashboard-title").inner_text()
    charts = page.locator(".plotly-chart")
    n = charts.count()
    assert n >= 7
    _all_drawn(page, n)
    assert page.locator(".plotly-chart .main-svg").count() >= n
    # the standard map of China: its provinces in the main map and in the 南海诸岛 inset
    assert page.locator("[data-kind=resource_map] path.choroplethlocation").count() == 2 * 34
    assert page.locator("#tile-members-1").inner_text() == "21"  # the demo members by 2025-09-30
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-zh.png"), full_page=True)

    page.click("#compare-link")
    page.wait_for_selector("#compare-table")
    assert page.locator("tr[data-key=members] td.change").inner_text() == "+11"

    page.click("#lang-switch")
    page.wait_for_selector("text=Compare versions")
    page.goto("/d/quarterly")
    _all_drawn(page, n)
    assert "Union quarterly dashboard" in page.locator("#dashboard-title").inner_text()
    assert "Membership growth" in page.content()
    page.screenshot(path=str(SHOTS / "dashboard-en.png"), full_page=True)

    page.click("#print-link")
    page.wait_for_selector("body[data-print-ready]", timeout=30000)
    images = page.locator("img.chart-image")
    assert images.count() == n and page.locator(".plotly-chart").count() == 0
    assert all(src.startswith("data:image/png") for src in images.evaluate_all("els => els.map(e => e.src)"))
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "dashboard-print-en.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
    assert page.outside_requests == []
    assert not [e for e in errors if "Content Security Policy" in e or "Plotly" in e]
