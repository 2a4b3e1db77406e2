"""Real headless Chromium: the lead opens the board, sees the Plotly charts
(served locally, under the CSP), filters it and follows a matrix cell."""
import os
from pathlib import Path

import pytest

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "screenshots"))
pytestmark = pytest.mark.browser


def _sign_in(page, email):
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "cdou-demo-2025")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link")


def test_lead_uses_the_board(page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, "xiamen@cdou.example")
    page.click("#nav-scenarios")
    page.click("text=交通场景小组")
    page.wait_for_selector("#group-progress")
    assert page.locator("#promotable-count").inner_text() == "1"
    page.click("#board-link")
    page.wait_for_selector("#funnel-chart .main-svg")  # Plotly drew the funnel
    page.wait_for_selector("#timeline-chart .main-svg")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "scenario-board.png"), full_page=True)
    matrix = page.locator("#board-matrix")
    assert "两客一危动态监管" in matrix.inner_text() and "福州" in matrix.inner_text()
    assert page.locator("#board-matrix td.stalled-flag").count() >= 1  # 杭州 一码通城: no event for 80 days
    page.select_option("#f-province", "35")  # 福建
    page.click("#apply-filter")
    page.wait_for_url("**province=35**")
    text = page.locator("#board-matrix").inner_text()
    assert "福州" in text and "厦门" in text and "成都" not in text and "宁波" not in text
    page.select_option("#f-stage", "pilot")
    page.click("#apply-filter")
    page.wait_for_url("**stage=pilot**")
    cells = page.locator("#board-matrix td.st")
    assert cells.count() >= 1 and all(s == "pilot" for s in cells.evaluate_all("els => els.map(e => e.dataset.stage)"))
    cells.first.locator("a").click()
    page.wait_for_selector("#replication-title")
    assert "试点" in page.locator("#current-stage").inner_text()
    assert page.locator("#stage-form").count() == 1  # the lead may write
    assert page.outside_requests == []
    assert not [e for e in errors if "Content Security Policy" in e or "Plotly" in e]
