"""Real headless Chromium: the secretariat adds, moves and removes a dashboard panel without the
page reloading (static/js/inplace.js replaces the panels and the messages); the rows are written
as by the plain forms, which still work without JavaScript (tests/dashboards/test_views.py)."""
import pytest
from sqlalchemy import select

from consortium.dashboards.models import Dashboard
from consortium.extensions import db
from tests.browser.test_pickers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _kinds():
    db.session.expire_all()
    dashboard = db.session.scalar(select(Dashboard).where(Dashboard.slug == "quarterly"))
    return [p.kind for p in sorted(dashboard.panels, key=lambda p: p.position)]


def test_panels_are_added_moved_and_removed_without_reloading(page, demo):
    sign_in(page, "secretariat@cdou.example")
    page.goto("/dashboards/quarterly/edit")
    page.evaluate("() => { document.body.dataset.sameDocument = '1'; }")  # gone if the page reloads
    before = _kinds()
    count = page.locator(".compose-panel").count()
    page.select_option("#add-panel-form select", "key_figures")
    page.click("#add-panel-form button[type=submit]")
    page.wait_for_function(f"() => document.querySelectorAll('.compose-panel').length === {count + 1}")
    assert _kinds() == before + ["key_figures"]
    assert page.locator("#flashes .alert").count() == 1
    last = page.locator(".compose-panel").last
    last.get_by_role("button", name="↑ 上移").click()
    page.wait_for_function(f"() => document.querySelectorAll('.compose-panel')[{count - 1}].dataset.kind === 'key_figures'")
    assert _kinds()[count - 1] == "key_figures"
    page.locator(".compose-panel").nth(count - 1).get_by_role("button", name="移出").click()
    page.wait_for_function(f"() => document.querySelectorAll('.compose-panel').length === {count}")
    assert _kinds() == before
    assert page.evaluate("() => document.body.dataset.sameDocument") == "1"  # never reloaded
