"""我的工作台: what waits for each user, their member's entries (stale ones flagged),
replications with next steps, groups and recent notifications; the weekly digest."""
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import update

from consortium.core.clock import local_today
from consortium.catalog.models import DataResource
from consortium.core import signals
from consortium.extensions import db
from consortium.scenarios import services
from consortium.core.weeks import Week, monday_of, parse_week
from consortium.workspace.digest import weekly_digest
from tests.scenarios.conftest import approve


def _section(html, key):
    start = html.index(f'id="ws-{key}"')
    return html[start:html.index("</ul>", start)]


def test_lead_sees_join_requests_and_member_sees_invitations(browser, world):
    services.request_join(world.users.chengdu, world.group, motivation="成都有公交实时数据")
    services.invite_city(world.users.lead, world.scenario, world.fuzhou, note="欢迎")
    db.session.commit()
    browser.login("lead@xiamen.example")
    html = browser.get("/me").get_data(as_text=True)
    waiting = _section(html, "join_requests")
    assert "成都数据集团 申请加入 交通场景小组" in waiting and "/scenarios/groups/transport#join-requests" in waiting
    assert 'id="ws-invitations"' not in html  # 厦门 has none to answer
    home = browser.get("/").get_data(as_text=True)
    assert 'id="home-workspace"' in home and "成都数据集团 申请加入 交通场景小组" in home
    browser.logout()
    browser.login("user@fuzhou.example")
    html = browser.get("/me").get_data(as_text=True)
    assert "复制 公交信息智能服务 的邀请" in _section(html, "invitations")
    assert 'id="ws-join_requests"' not in html
    browser.logout()
    browser.login("user@chengdu.example")
    html = browser.get("/me").get_data(as_text=True)
    assert "暂无待办事项" in html
    assert "交通场景小组" not in _section(html, "groups")  # asked, not yet a member


def test_entries_flag_stale_ones_by_their_declared_frequency(browser, world, make_resource):
    fresh = make_resource(world.fuzhou, "福州公交车辆实时定位数据", frequency="daily")
    stale = make_resource(world.fuzhou, "福州企业用电量数据", frequency="monthly")
    yearly = make_resource(world.fuzhou, "福州高新技术企业名录", frequency="annual")
    irregular = make_resource(world.fuzhou, "福州电子证照目录", frequency="irregular")
    today = local_today()
    for r, days in ((fresh, 1), (stale, 70), (yearly, 200), (irregular, 900)):
        db.session.execute(update(DataResource).where(DataResource.id == r.id)
                           .values(data_updated_on=today - timedelta(days=days))
                           .execution_options(audit_bypass_ok=True))  # test set-up: back-date the entry
    db.session.commit()
    browser.login("user@fuzhou.example")
    html = browser.get("/me").get_data(as_text=True)
    entries = _section(html, "entries")
    assert entries.index("福州企业用电量数据") < entries.index("福州公交车辆实时定位数据")  # stale first
    assert "未按期更新：已 70 天" in entries
    assert entries.count("未按期更新") == 1  # the annual and the irregular entries are not stale
    assert "全部 4 条资源（1 条未按期更新）" in html
    overdue = _section(html, "overdue_entries")  # waiting for me: the one overdue entry, to update
    assert "福州企业用电量数据" in overdue and "福州公交车辆实时定位数据" not in overdue
    assert "更新资源 →" in overdue and f"/resources/{stale.id}/edit" in overdue
    browser.logout()
    browser.login("user@chengdu.example")
    assert 'id="ws-overdue_entries"' not in browser.get("/me").get_data(as_text=True)  # another member's
    chengdu = browser.get("/api/v1/me/workspace").get_json()
    assert {s["key"] for s in chengdu["sections"]} >= {"entries", "replications", "groups", "notifications"}


def test_replications_show_next_steps_and_flag_stalled_ones(browser, world):
    approve(world, world.fuzhou)  # only approved group members record replications
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou, next_step="签署数据共享协议",
                                     occurred_on=local_today() - timedelta(days=90))
    db.session.commit()
    browser.login("user@fuzhou.example")
    reps = _section(browser.get("/me").get_data(as_text=True), "replications")
    assert "公交信息智能服务" in reps and "下一步：签署数据共享协议" in reps and "意向" in reps
    assert f"/scenarios/replications/{rep.id}" in reps and "90" in reps  # flagged: no event for 90 days


def test_sections_are_contributed_through_the_registry(app, world):
    def sections(sender, **kwargs):
        return signals.WorkspaceSection("test_extra", "测试待办", lambda user: [signals.WorkspaceItem("谈判立场待确认")],
                                        order=99, waiting=True)
    with signals.workspace_sections.connected_to(sections):
        keys = [s.key for s, _items, _total in signals.workspace_blocks(world.users.fuzhou)]
        assert "test_extra" in keys


def test_the_home_page_computes_only_what_waits_and_the_workspace_everything(browser, world):
    """The home page shows the waiting sections only, so it does not compute the others (they
    cost a signed-in home page a third of its time); /me computes and shows both kinds."""
    asked = []

    def sections(sender, **kwargs):
        yield signals.WorkspaceSection("test_waiting", "测试待办", lambda user: asked.append("waiting") or [
            signals.WorkspaceItem("谈判立场待确认")], order=98, waiting=True)
        yield signals.WorkspaceSection("test_info", "测试动态", lambda user: asked.append("info") or [
            signals.WorkspaceItem("新成员加入")], order=99)
    browser.login("user@fuzhou.example")
    with signals.workspace_sections.connected_to(sections):
        home = browser.get("/").get_data(as_text=True)
        assert asked == ["waiting"] and "谈判立场待确认" in home and "新成员加入" not in home
        asked.clear()
        html = browser.get("/me").get_data(as_text=True)
        assert sorted(asked) == ["info", "waiting"] and "谈判立场待确认" in html and "新成员加入" in html


def test_weekly_digest_is_a_function_of_user_and_week(browser, world):
    this_monday = monday_of(local_today())
    services.request_join(world.users.chengdu, world.group, motivation="")
    approve(world, world.fuzhou)  # only approved group members record replications
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou)
    services.change_stage(world.users.fuzhou, rep, "matching", note="首次对接")
    db.session.commit()
    digest = weekly_digest(world.users.lead, this_monday)
    by_key = {s.key: items for s, items in digest.sections}
    assert sorted(i.badge for i in by_key["replications"]) == ["开启于 意向", "意向 → 对接"]
    assert any("申请加入" in i.text for i in by_key["notifications"])
    last_week = weekly_digest(world.users.lead, this_monday - timedelta(days=7))
    assert last_week.is_empty
    start, end = Week(date(2026, 11, 23)).utc_bounds()
    assert (start, end) == (datetime(2026, 11, 22, 16, 0, tzinfo=timezone.utc),
                          datetime(2026, 11, 29, 16, 0, tzinfo=timezone.utc))  # Beijing midnight
    assert parse_week("2026-W48") == date(2026, 11, 23) and parse_week("nonsense", date(2026, 11, 26)) == \
        date(2026, 11, 23)
    browser.login("lead@xiamen.example")
    html = browser.get("/me/digest").get_data(as_text=True)
    assert "每周摘要" in html and "福州" in html and "首次对接" in html


def test_personal_and_group_digests_list_the_same_events_by_their_own_dates(browser, world):
    """A stage change is in the week it occurred, not the week it was typed in; a join approval is
    in both digests; the lead's group digest and the personal digest agree on a week."""
    from consortium.scenarios import board
    from consortium.scenarios.models import GroupMembership
    this_week = Week.of(local_today())
    last_week = this_week.previous
    approve(world, world.fuzhou)
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou,
                                     occurred_on=last_week.monday)
    services.change_stage(world.users.fuzhou, rep, "matching", note="医保对接已完成", occurred_on=last_week.sunday)
    join = services.request_join(world.users.chengdu, world.group, motivation="公交")
    services.decide_join(world.users.lead, join, True)
    db.session.commit()
    assert db.session.get(GroupMembership, join.id).status == "approved"

    def personal(week):
        by_key = {s.key: items for s, items in weekly_digest(world.users.lead, week.monday).sections}
        return sorted(i.badge for i in by_key["replications"]), [i.text for i in by_key["join_approvals"]]

    def group(week):
        d = board.weekly_digest(world.group, week)
        return sorted(e.note for e in d["changes"] if e.note), [a.member for a in d["approvals"]]

    assert personal(last_week) == (["开启于 意向", "意向 → 对接"], [])  # recorded today, dated last week
    assert group(last_week) == (["医保对接已完成"], []) and len(board.weekly_digest(world.group, last_week)["changes"]) == 2
    assert personal(this_week) == ([], ["成都数据集团 加入了 交通场景小组"])
    assert group(this_week) == ([], ["成都数据集团"])
    browser.login("lead@xiamen.example")
    page = browser.get(f"/scenarios/groups/transport/digest?week={last_week.name}").get_data(as_text=True)
    assert "医保对接已完成" in page and last_week.monday.isoformat() in page
    assert "医保对接已完成" not in browser.get("/scenarios/groups/transport/digest").get_data(as_text=True)
