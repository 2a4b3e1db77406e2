"""Every job doable with the keyboard alone: a member signs in, searches the resource map and
opens an entry without touching the mouse (real Chromium, Tab and Enter only)."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _tab_to(page, selector, limit=200):
    """Press Tab until the element matching ``selector`` has the focus (as a person would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.locator(f"{selector}:focus").count():
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_sign_in_search_and_open_an_entry_with_the_keyboard(page, demo):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.locator("#skip-link:focus").is_visible()  # the first stop skips the navigation
    _tab_to(page, "#login-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/login**")
    _tab_to(page, "input[name=email]")
    page.keyboard.type("qingdao@cdou.example")
    page.keyboard.press("Tab")
    page.keyboard.type("cdou-demo-2025")
    page.keyboard.press("Enter")
    page.wait_for_selector("#account-link")
    page.goto("/resources/")
    _tab_to(page, "#q")
    page.keyboard.type("公积金")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=**")
    first = page.locator("#results a.resource-title").first
    title = first.inner_text()
    _tab_to(page, "#results a.resource-title")
    page.keyboard.press("Enter")
    page.wait_for_selector("#resource-title")
    assert page.locator("#resource-title").inner_text() == title and "公积金" in title
    assert page.outside_requests == []
