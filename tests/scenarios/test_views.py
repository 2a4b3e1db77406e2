"""The pages: what each kind of visitor sees, and what a form post writes (or not)."""
import re
from io import BytesIO

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.scenarios import services
from consortium.notifications.models import Notification
from consortium.scenarios.models import GroupMembership, Replication, ReplicationEvent

from .conftest import days_ago


def _rep(world, member, stage="interest", days=5):
    rep = services.start_replication(None, world.scenario, member, owner="王工", occurred_on=days_ago(days))
    if stage != "interest":
        services.change_stage(None, rep, stage, occurred_on=days_ago(days))
    db.session.commit()
    return rep


def test_visitors_see_the_group_and_aggregate_counts_only(client, world):
    _rep(world, world.fuzhou, "pilot")
    html = client.get("/scenarios/groups/transport").get_data(as_text=True)
    assert "交通场景小组" in html and "交通领域垂直场景联合攻坚小组" in html and "厦门大数据有限公司" in html
    assert 'id="target-count">3<' in html and "2026-12-31" in html
    page = client.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    assert "公交信息智能服务" in page and "试点" in page  # the aggregate count by stage
    assert "福州" not in page  # which city replicates: not for visitors
    for url in ("/scenarios/groups/transport/board", f"/scenarios/replications/{world.scenario.id}",
                "/scenarios/groups/transport/export.csv", f"/scenarios/{world.scenario.id}/where-next"):
        r = client.get(url)
        assert r.status_code == 302 and "/auth/login" in r.headers["Location"]


def test_board_shows_matrix_funnel_and_stalled_flag(browser, world):
    _rep(world, world.fuzhou, "pilot", days=3)
    _rep(world, world.chengdu, "matching", days=90)
    browser.login("user@shujubao.example")  # any signed-in union user reads the board
    html = browser.get("/scenarios/groups/transport/board").get_data(as_text=True)
    matrix = html[html.index('id="board-matrix"'):]
    assert "福州" in matrix and "成都" in matrix and 'data-stage="pilot"' in matrix
    assert re.search(r'st-matching stalled-flag', matrix)
    # the funnel: reached at least each stage (福州 jumped to 试点: it counts for 对接 too)
    assert 'data-stage="pilot">1<' in html and 'data-stage="matching">2<' in html
    assert "/static/vendor/plotly/plotly-basic.js?v=" in html and "cdn" not in html.lower()
    assert "data-geo" not in html  # no map on the board: the geographic bundle is never loaded
    stalled = html[html.index('id="stalled-list"'):]
    assert "成都数据集团" in stalled and "福州数据集团" not in stalled
    filtered = browser.get("/scenarios/groups/transport/board?province=51").get_data(as_text=True)
    matrix = filtered[filtered.index('id="board-matrix"'):]
    assert "成都" in matrix and "福州" not in matrix
    only_stalled = browser.get("/scenarios/groups/transport/board?stage=stalled_flag").get_data(as_text=True)
    assert "福州数据集团" not in only_stalled[only_stalled.index('id="board-matrix"'):]


def test_plotly_is_served_locally(client, world):
    r = client.get("/static/vendor/plotly/plotly-core.js")
    assert r.status_code == 200 and b"plotly" in r.data[:2000].lower()
    r.close()


def test_stage_change_form_writes_an_event(browser, world):
    rep = _rep(world, world.fuzhou, days=3)
    browser.login("user@fuzhou.example")
    url = f"/scenarios/replications/{rep.id}"
    r = browser.post_form(url + "/stage", {"version": rep.version, "to_stage": "matching",
                                           "occurred_on": days_ago(1).isoformat(), "note": "召开对接会"},
                          form_url=url, follow_redirects=True)
    assert "召开对接会" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).stage == "matching"


def test_moving_back_without_reason_shows_the_rule_and_writes_nothing(browser, world):
    rep = _rep(world, world.fuzhou, "pilot", days=3)
    browser.login("user@fuzhou.example")
    url = f"/scenarios/replications/{rep.id}"
    r = browser.post_form(url + "/stage", {"version": rep.version, "to_stage": "interest",
                                           "occurred_on": days_ago(0).isoformat()}, form_url=url)
    assert r.status_code == 400 and "需要说明理由" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReplicationEvent.id))) == 2


def test_other_members_cannot_write_and_get_no_form(browser, world):
    rep = _rep(world, world.fuzhou)
    browser.login("user@chengdu.example")
    html = browser.get(f"/scenarios/replications/{rep.id}").get_data(as_text=True)
    assert "王工" in html and 'id="stage-form"' not in html  # reads, cannot write
    page = browser.get("/scenarios/groups/transport")  # any page gives a CSRF token
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    r = browser.client.post(f"/scenarios/replications/{rep.id}/stage",
                            data={"csrf_token": token, "version": rep.version, "to_stage": "live",
                                  "occurred_on": days_ago(0).isoformat()})
    assert r.status_code == 403
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).stage == "interest"
    assert browser.get("/scenarios/replications/99999").status_code == 404


def test_stale_form_gets_a_clear_message_and_keeps_the_input(browser, world):
    rep = _rep(world, world.fuzhou)
    opened = rep.version
    services.update_replication(world.users.lead, rep, expected_version=opened, next_step="牵头单位的更新")
    db.session.commit()
    browser.login("user@fuzhou.example")
    url = f"/scenarios/replications/{rep.id}"
    r = browser.post_form(url + "/edit", {"version": opened, "owner": "李工", "next_step": "我的下一步",
                                          "blockers": "数据接口未开放"}, form_url=url)
    html = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "自您打开后已被他人修改" in html
    assert "牵头单位的更新" in html  # the current value
    assert "我的下一步" in html and "数据接口未开放" in html  # the user's input, kept
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).next_step == "牵头单位的更新"
    assert db.session.get(Replication, rep.id).blockers == ""


def test_join_and_decision_through_the_pages(browser, world):
    browser.login("user@shujubao.example")
    sent = browser.post_form("/scenarios/groups/transport/join", {"motivation": "提供公交数据产品"},
                             form_url="/scenarios/groups/transport", follow_redirects=True).get_data(as_text=True)
    assert "您加入 交通场景小组 的申请已提交给牵头单位 厦门大数据有限公司。" in sent
    m = db.session.scalar(select(GroupMembership))
    assert m.status == "pending" and m.motivation == "提供公交数据产品"
    browser.logout()
    browser.login("lead@xiamen.example")
    html = browser.get("/scenarios/groups/transport").get_data(as_text=True)
    assert "提供公交数据产品" in html
    r = browser.post_form(f"/scenarios/memberships/{m.id}/decide", {"decision": "decline", "reason": ""},
                          form_url="/scenarios/groups/transport", follow_redirects=True)
    assert "拒绝时请说明理由" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(GroupMembership, m.id).status == "pending"
    done = browser.post_form(f"/scenarios/memberships/{m.id}/decide", {"decision": "approve"},
                             form_url="/scenarios/groups/transport", follow_redirects=True).get_data(as_text=True)
    assert "已批准 贵州数据宝网络科技有限公司 加入 交通场景小组。" in done
    db.session.expire_all()
    assert db.session.get(GroupMembership, m.id).status == "approved"


def test_only_the_lead_decides_and_sees_requests(browser, world):
    m = services.request_join(world.users.merchant, world.group, motivation="想加入")
    db.session.commit()
    browser.login("user@fuzhou.example")
    assert "想加入" not in browser.get("/scenarios/groups/transport").get_data(as_text=True)
    r = browser.post_form(f"/scenarios/memberships/{m.id}/decide", {"decision": "approve"},
                          form_url="/scenarios/groups/transport")
    assert r.status_code == 404
    db.session.expire_all()
    assert db.session.get(GroupMembership, m.id).status == "pending"


def test_where_next_and_invite_notify_the_member(browser, world, make_resource):
    make_resource(world.chengdu, "成都公交实时位置数据", modes=("privacy",), frequency="realtime")
    browser.login("lead@xiamen.example")
    url = f"/scenarios/{world.scenario.id}/where-next"
    html = browser.get(url).get_data(as_text=True)
    line = re.search(r'<div class="text-success meets" data-need="公交实时位置数据">(.*?)</div>', html, re.S).group(1)
    assert "满足“公交实时位置数据”" in line and ">成都公交实时位置数据</a>" in line
    assert "实时" in html and "基于隐私计算" in html
    assert "缺少 线路站点数据" in html
    browser.post_form(f"/scenarios/{world.scenario.id}/invite", {"member_id": world.chengdu.id,
                                                                 "note": "欢迎复制"}, form_url=url)
    assert db.session.scalar(select(Replication)) is None  # an invitation, not a replication
    assert "等待答复" in browser.get(url).get_data(as_text=True)  # the lead sees it is pending
    browser.logout()
    browser.login("user@chengdu.example")
    home = browser.get("/").get_data(as_text=True)
    assert 'id="notification-badge">1<' in home
    page = browser.get("/notifications/").get_data(as_text=True)
    assert "公交信息智能服务" in page and "欢迎复制" in page
    note = db.session.scalar(select(Notification))
    browser.post_form("/notifications/read", {"id": note.id}, form_url="/notifications/")
    assert 'id="notification-badge"' not in browser.get("/").get_data(as_text=True)


def test_member_users_cannot_invite(browser, world):
    browser.login("user@fuzhou.example")
    r = browser.post_form(f"/scenarios/{world.scenario.id}/invite", {"member_id": world.chengdu.id},
                          form_url=f"/scenarios/{world.scenario.id}/where-next")
    assert r.status_code == 403
    assert db.session.scalar(select(func.count(Replication.id))) == 0


def test_export_csv_and_xlsx(browser, world):
    rep = _rep(world, world.fuzhou)
    services.update_replication(world.users.lead, rep, blockers="=cmd|' /C calc'!A0")
    db.session.commit()
    browser.login("user@fuzhou.example")
    csv_text = browser.get("/scenarios/groups/transport/export.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("场景,")
    assert "公交信息智能服务,福州数据集团" in csv_text and "'=cmd" in csv_text
    import csv
    table = list(csv.reader(csv_text.splitlines()))
    stalled = table[0].index("停滞")
    assert {row[stalled] for row in table[1:]} <= {"是", "否"} and "否" in {row[stalled] for row in table[1:]}
    browser.get("/lang/en")
    english = list(csv.reader(browser.get("/scenarios/groups/transport/export.csv").get_data().decode("utf-8-sig").splitlines()))
    assert {row[english[0].index("Stalled")] for row in english[1:]} <= {"yes", "no"}
    from openpyxl import load_workbook
    data = browser.get("/scenarios/groups/transport/export.xlsx").get_data()
    ws = load_workbook(BytesIO(data)).active
    assert ws.cell(2, 2).value == "福州数据集团" and ws.cell(2, 10).value == "=cmd|' /C calc'!A0"
    assert ws.cell(2, 10).data_type == "s"  # text, never a formula


def test_secretariat_creates_a_group(browser, world):
    browser.login("sec@cdou.example")
    r = browser.post_form("/scenarios/groups/new", {"code": "tourism", "name": "文旅场景小组",
                                                    "lead_member": world.chengdu.id, "promotable_cities": 3,
                                                    "stall_days": 30, "target_count": 4,
                                                    "target_date": "2026-12-31"}, follow_redirects=True)
    assert "文旅场景小组" in r.get_data(as_text=True)
    g = services.get_group_by_code("tourism")
    assert g.lead_member_id == world.chengdu.id and g.stall_days == 30
    browser.logout()
    browser.login("lead@xiamen.example")
    assert browser.get("/scenarios/groups/new").status_code == 403


def test_demo_pages(browser, demo):
    html = browser.get("/agreements/").get_data(as_text=True)
    assert "青岛数据集团 × 温州大数据公司" in html and "蚂蚁集团" in html and "潮州市数字集团" in html
    assert "场景小组" in browser.get("/").get_data(as_text=True)
    browser.login("xiamen@cdou.example")
    board = browser.get("/scenarios/groups/transport/board").get_data(as_text=True)
    assert "两客一危动态监管" in board and "福州" in board
    digest = browser.get("/scenarios/groups/transport/digest").get_data(as_text=True)
    assert "杭州数据集团" in digest  # stalled since 80 days (illustrative)
    finance = browser.get("/scenarios/groups/finance").get_data(as_text=True)
    assert "信贷数据宝" in finance and "青岛数据集团" in finance
