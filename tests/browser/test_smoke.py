"""Real headless Chromium: sign in as a demo user, switch language, screenshot."""
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "screenshots"))


def test_sign_in_switch_language_and_screenshot(page, demo):
    page.goto("/")
    assert page.locator("#stat-members").inner_text() == "21"
    assert "城市数据运营共同体" in page.title()
    page.click("#login-link")
    page.fill("input[name=email]", "ningbo@cdou.example")
    page.fill("input[name=password]", "cdou-demo-2025")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link")
    assert page.locator("#account-link").get_attribute("title") == "宁波数字产业集团"
    assert "欢迎" in page.content()
    page.goto("/members/")
    assert page.locator("#member-table tbody tr").count() == 20  # 21 members, 20 a page
    page.click("#lang-switch")
    page.wait_for_selector("text=Member directory")
    assert "Ningbo Digital Industry Group" in page.content()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "members-en.png"), full_page=True)
    page.click("#lang-switch")
    page.wait_for_selector("text=成员名录")
    page.screenshot(path=str(SHOTS / "members-zh.png"), full_page=True)
    page.click("#logout")
    page.wait_for_selector("#login-link")
    assert page.outside_requests == []
    assert (SHOTS / "members-zh.png").stat().st_size > 10_000


def test_navbar_dropdown_works_under_csp(page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/auth/login")
    page.fill("input[name=email]", "secretariat@cdou.example")
    page.fill("input[name=password]", "cdou-demo-2025")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link")
    page.wait_for_load_state("load")  # Bootstrap's script (at the end of the body) has run: the toggle works
    page.click(".dropdown-toggle:has-text('秘书处')")
    page.click(".dropdown-menu.show >> text=审计日志")
    page.wait_for_selector("h1:has-text('审计日志')")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_every_navigation_item_is_on_screen_in_both_languages(page, demo):
    """At 1366 px the English labels are longer than the Chinese: the bar wraps, nothing is cut off."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/auth/login")
    page.fill("input[name=email]", "qingdao@cdou.example")
    page.fill("input[name=password]", "cdou-demo-2025")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link")
    for switch_to in (None, "en"):
        if switch_to:
            page.click("#lang-switch")
            page.wait_for_selector("text=Sign out")
        page.wait_for_load_state("load")
        # every box read in one go, in the page: no element can be replaced between finding and measuring it
        boxes = page.eval_on_selector_all(
            "nav.navbar a.nav-link, nav.navbar button, nav.navbar #logout",
            "els => els.filter(e => e.offsetParent !== null).map(e => {"
            " const r = e.getBoundingClientRect(); return [e.innerText, r.left, r.right]; })")
        assert len(boxes) >= 5, boxes
        for text, left, right in boxes:
            assert left >= 0 and right <= 1366, (switch_to, text, left, right)
    assert page.outside_requests == []
