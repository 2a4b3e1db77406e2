"""The check page and the network view in a real headless Chromium with every request that
would leave the machine blocked: plotly.js and the base map come from the portal itself."""
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "screenshots"))


def _login(page, email="qingdao@cdou.example"):
    from tests.conftest import PASSWORD
    page.goto("/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_network_view_draws_bodies_and_both_kinds_of_edges(page, demo, lang):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"/lang/{lang}?next=/registers/network?date=2025-12-01")
    page.wait_for_selector("#recognition-network[data-rendered='1']", timeout=20_000)
    # 青岛 and its 11 cities plus 湖州 ⇄ 温州: 10 mutual, 1 one-way (日照), 济宁 still in force in 2025
    summary = page.inner_text("#network-summary")
    assert ("11 项双向互认、1 项单向认可" in summary) if lang == "zh" else ("11 mutual and 1 one-way" in summary)
    lines = page.locator("#recognition-network svg .scattergeo .js-line")
    assert lines.count() >= 2  # one trace per kind
    assert page.locator("#recognition-network svg .scattergeo path.point").count() >= 12 + 1
    # the standard map of China: its provinces in the main map and in the 南海诸岛 inset
    assert page.locator("#recognition-network svg path.choroplethlocation").count() == 2 * 34
    rows = page.locator("#network-table tbody tr")
    assert rows.count() == 12
    assert ("青岛市数据资产登记中心" if lang == "zh" else "Qingdao Data Asset Registration Centre") in rows.first.inner_text()
    assert page.outside_requests == []
    assert any("/static/vendor/plotly/plotly-geo.js?v=" in u for u in requested)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"registers-network-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_page_yes_then_no(page, demo, lang):
    _login(page)
    page.goto(f"/lang/{lang}?next=/registers/check")
    page.fill("#certificate", "QDDJ2025000123")
    page.select_option("#body", "huzhou-dar")
    page.fill("#date", "2025-06-01")
    page.click("#check-submit")
    page.wait_for_selector("#check-answer")
    assert page.inner_text("#check-verdict") == ("是" if lang == "zh" else "Yes")
    assert "数据资产登记互认协议〔2025〕1号" in page.inner_text("#check-reason")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"registers-check-yes-{lang}.png"), full_page=True)
    # 济宁's agreement was revoked on 2026-03-01
    page.select_option("#body", "jining-dar")
    page.fill("#date", "2026-03-01")
    page.click("#check-submit")
    page.wait_for_selector("#check-answer.check-no")
    assert page.inner_text("#check-verdict") == ("否" if lang == "zh" else "No")
    assert "2026-03-01" in page.inner_text("#check-reason")
    page.screenshot(path=str(SHOTS / f"registers-check-no-{lang}.png"), full_page=True)
    assert page.outside_requests == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_resource_map_filtered_by_a_data_space(page, demo, lang):
    """The 可信数据空间 facet: clicking the space filters the list (its count is the list's
    total), combines with a domain, shows as an active filter, and ✕ removes it."""
    from sqlalchemy import func, select

    from consortium.catalog.models import DataResource
    from consortium.extensions import db
    from consortium.registers.models import DataSpace, DataSpaceResource
    marine = db.session.scalar(select(DataSpace).where(DataSpace.name == "海洋可信数据空间"))
    public = db.session.scalar(select(func.count()).select_from(DataResource).join(
        DataSpaceResource, DataSpaceResource.resource_id == DataResource.id).where(
        DataSpaceResource.space_id == marine.id, DataResource.is_public.is_(True), DataResource.status == "active"))
    assert public > 0
    page.goto(f"/lang/{lang}?next=/resources/")
    everything = page.inner_text("#result-count")
    name = "海洋可信数据空间" if lang == "zh" else marine.name_en or marine.name
    link = page.locator(f"#facet-space a[data-value='{marine.id}']")
    assert link.inner_text() == name
    assert int(link.locator("xpath=../span").inner_text()) == public
    link.click()
    page.wait_for_load_state()
    assert f"space={marine.id}" in page.url
    count = page.inner_text("#result-count")
    assert str(public) in count and count != everything
    assert page.locator("#results .resource-item").count() == min(public, 20)
    active = page.locator("#facet-space li.active-facet a")
    assert active.inner_text() == f"✕ {name}"
    # a domain of the filtered list keeps the space
    domain = page.locator("#facet-domain a[data-facet='domain']").first
    expected = int(domain.locator("xpath=../span").inner_text())
    domain.click()
    page.wait_for_load_state()
    assert f"space={marine.id}" in page.url and "domain=" in page.url
    assert page.locator("#results .resource-item").count() == min(expected, 20)
    assert page.outside_requests == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"resource-map-space-{lang}.png"), full_page=True)
    page.locator("#facet-space li.active-facet a").click()
    page.wait_for_load_state()
    assert "space=" not in page.url and "domain=" in page.url
    assert page.locator("#facet-space li.active-facet").count() == 0
