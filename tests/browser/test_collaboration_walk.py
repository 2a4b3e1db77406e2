"""The collaboration loop in real headless Chromium, as two people: 温州大数据公司's user asks
to join the transport group, 厦门's lead approves and invites 温州 to replicate 公交信息智能服务,
温州 accepts, moves the replication along, is stopped before 试点 until its authorisation
application (一场景一申请一审批) is approved. Screenshots at 1366 px and 390 px go to
SCREENSHOT_DIR (default: screenshots/, not committed). No request leaves the machine."""
import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "screenshots"))
WIDTHS = {"wide": 1366, "phone": 390}


def _person(chromium, live_server, email):
    context = chromium.new_context(base_url=live_server, viewport={"width": 1366, "height": 900})
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()
    context.route("**/*", guard)
    page = context.new_page()
    page.outside_requests = outside
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link")
    return context, page


def _shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"walk-{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5_000
        # nothing wider than the window: no sideways scrolling on a phone
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, label, overflow)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_join_approve_invite_accept_stages_authorisation(chromium, live_server, demo):
    lead_ctx, lead = _person(chromium, live_server, "xiamen@cdou.example")
    city_ctx, city = _person(chromium, live_server, "wenzhou@cdou.example")
    try:
        # 1. 温州 asks to join the transport group
        city.goto("/scenarios/groups/transport")
        city.fill("form[action$='/join'] textarea[name=motivation]", "温州有公交实时数据，愿意参与复制")
        city.click("form[action$='/join'] [type=submit]")
        city.wait_for_selector("text=您加入 交通场景小组 的申请已提交给牵头单位 厦门大数据有限公司。")

        # 2. 厦门's lead finds it waiting on the home page and approves it
        lead.goto("/")
        assert "温州大数据公司 申请加入 交通场景小组" in lead.locator("#home-workspace").inner_text()
        _shoot(lead, "lead-home")
        lead.click("#home-workspace >> text=温州大数据公司 申请加入 交通场景小组")
        lead.wait_for_selector("#join-requests")
        row = lead.locator("#join-requests div.border-bottom", has_text="温州大数据公司")
        row.locator("button[value=approve]").click()
        lead.wait_for_selector("text=已批准 温州大数据公司 加入 交通场景小组。")

        # 3. the lead asks for the authorisation step before 试点 in the group's settings
        lead.goto("/scenarios/groups/transport/edit")
        lead.check("input[name=authorisation_before_pilot]")
        lead.click("input[type=submit]")
        lead.wait_for_selector("text=修改已保存")

        # 4. 温州 hears of the decision; the lead invites it from "where next"
        city.goto("/notifications/")
        assert "您加入交通场景小组的申请已获批准" in city.inner_text("#notification-list")
        lead.goto("/scenarios/groups/transport")
        lead.click("td > a:text-is('公交信息智能服务')")
        lead.click("#where-next-link")
        lead.wait_for_selector("#where-next")
        wenzhou_row = lead.locator("#where-next tr[data-member=wenzhou]")
        wenzhou_row.locator("input[name=note]").fill("温州公交数据覆盖好，欢迎复制")
        wenzhou_row.locator("button[type=submit]").click()
        lead.wait_for_selector("text=已邀请 温州大数据公司")
        assert "等待答复" in lead.locator("#invitations").inner_text()
        _shoot(lead, "where-next")

        # 5. 温州 sees the invitation in its workspace and accepts it
        city.goto("/me")
        invitation = city.locator("#ws-invitations a", has_text="复制 公交信息智能服务 的邀请")
        assert invitation.count() == 1
        _shoot(city, "city-workspace")
        invitation.click()
        city.wait_for_selector("#accept-form")
        _shoot(city, "invitation")
        city.fill("#accept-form input[name=owner]", "温州大数据公司 交通事业部")
        city.click("#accept-form [type=submit]")
        city.wait_for_selector("text=已接受邀请")
        assert "意向" in city.inner_text("#current-stage")
        replication_url = city.url

        # 6. stage changes; the form starts at the current stage; 试点 waits for authorisation
        assert city.locator("#stage-form select[name=to_stage]").input_value() == "interest"
        for stage, label in (("matching", "对接"), ("data_ready", "数据准备")):
            city.select_option("#stage-form select[name=to_stage]", stage)
            city.click("#stage-form [type=submit]")
            city.wait_for_selector(f"text=阶段已改为 {label}")
        city.select_option("#stage-form select[name=to_stage]", "pilot")
        city.click("#stage-form [type=submit]")
        city.wait_for_selector("text=一场景一申请一审批")
        assert "数据准备" in city.inner_text("#current-stage")

        # 7. the authorisation application, then the authority's approval, then 试点
        city.click("#authorisation-link")
        city.fill("#application-form textarea[name=resources]", "公交车辆实时定位数据\n公交线路站点数据")
        city.fill("#application-form input[name=authority]", "温州市大数据发展管理局")
        city.fill("#application-form input[name=reference_no]", "温数申〔2026〕7号")
        city.fill("#application-form textarea[name=attachments]", "https://example.org/application.pdf")
        city.click("#application-form [type=submit]")
        city.wait_for_selector("text=已登记向 温州市大数据发展管理局 提交的授权申请")

        lead.goto("/scenarios/groups/transport/board")
        waiting = lead.locator("#authorisation-waiting").inner_text()
        assert "温州市大数据发展管理局" in waiting and "0 天" in waiting
        lead.locator("#authorisation-waiting").scroll_into_view_if_needed()
        _shoot(lead, "board")

        city.click("#decision-form input[name=approve]")
        city.wait_for_selector("text=批准了 温州大数据公司 的")
        _shoot(city, "authorisation")
        city.goto(replication_url)
        city.select_option("#stage-form select[name=to_stage]", "pilot")
        city.click("#stage-form [type=submit]")
        city.wait_for_selector("text=阶段已改为 试点")
        _shoot(city, "replication")

        # 8. the lead was told of every step that asks it to act
        lead.goto("/notifications/")  # grouped by object: the earlier ones of a group are folded; open them
        lead.evaluate("document.querySelectorAll('#notification-list details').forEach(d => d.open = true)")
        text = lead.inner_text("#notification-list")
        for expected in ("温州大数据公司 申请加入 交通场景小组", "温州大数据公司 接受了复制 公交信息智能服务 的邀请",
                         "从 对接 进入 数据准备", "提交授权申请", "已批准"):
            assert expected in text, expected
        _shoot(lead, "lead-notifications")
        assert lead.outside_requests == [] and city.outside_requests == []
    finally:
        lead_ctx.close()
        city_ctx.close()
