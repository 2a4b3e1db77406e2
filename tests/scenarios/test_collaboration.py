"""The collaboration loop of the scenarios domain: who is notified of what, invitations
answered by the invited member, safer actions (confirmations, the stage form's default,
specific messages)."""

import pytest
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.notifications import services as notifications
from consortium.notifications.models import Notification
from consortium.scenarios import services
from consortium.scenarios.models import Invitation, Replication, ReplicationEvent

from .conftest import days_ago
from tests.scenarios.conftest import approve


def _kinds(member):
    return sorted(db.session.scalars(select(Notification.kind).where(Notification.member_id == member.id)))


# ---------------------------------------------------------------- who is notified of what

def test_join_request_notifies_the_leads_and_the_decision_the_requester(world):
    u = world.users
    m = services.request_join(u.chengdu, world.group, motivation="成都有公交实时数据")
    db.session.commit()
    assert _kinds(world.xiamen) == ["scenarios.join_requested"]
    assert _kinds(world.chengdu) == [] and _kinds(world.fuzhou) == []
    note = notifications.list_notifications(u.lead)[0]
    assert note.payload == {"group": "交通场景小组", "group_id": world.group.id, "group_code": "transport",
                            "member": "成都数据集团", "member_id": world.chengdu.id, "sender_id": world.chengdu.id}
    assert note.text == "成都有公交实时数据"
    services.decide_join(u.lead, m, False, reason="本期名额已满")
    db.session.commit()
    assert _kinds(world.chengdu) == ["scenarios.join_declined"]
    assert notifications.list_notifications(u.chengdu)[0].text == "本期名额已满"
    assert _kinds(world.xiamen) == ["scenarios.join_requested"]  # the lead is not told of its own decision


def test_stage_change_notifies_the_leads_unless_the_lead_made_it(world):
    u = world.users
    approve(world, world.fuzhou)  # only approved group members record replications
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou, occurred_on=days_ago(10))
    services.change_stage(u.fuzhou, rep, "matching", occurred_on=days_ago(5), note="已对接交通局")
    db.session.commit()
    assert _kinds(world.xiamen) == ["scenarios.stage_changed"]
    note = db.session.scalar(select(Notification).where(Notification.member_id == world.xiamen.id))
    assert note.payload["from"] == "interest" and note.payload["to"] == "matching" and note.payload["city"] == "福州市"
    assert note.target_type == "replication" and note.target_id == rep.id
    services.change_stage(u.lead, rep, "data_ready", occurred_on=days_ago(1))
    db.session.commit()
    assert _kinds(world.xiamen) == ["scenarios.stage_changed"]  # the lead's own move: no notification
    assert _kinds(world.fuzhou) == []


def test_notification_page_links_to_the_object_and_marks_it_read(browser, world):
    services.request_join(world.users.chengdu, world.group, motivation="")
    db.session.commit()
    browser.login("lead@xiamen.example")
    page = browser.get("/notifications/").get_data(as_text=True)
    assert "成都数据集团 申请加入 交通场景小组" in page and "北京时间" in page
    note = db.session.scalar(select(Notification))
    response = browser.get(f"/notifications/{note.id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith("/scenarios/groups/transport")
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    browser.logout()
    browser.login("user@fuzhou.example")
    assert browser.get(f"/notifications/{note.id}/open").status_code == 404  # not its notification


# ---------------------------------------------------------------- invitations

def test_invitation_is_answered_by_the_invited_member_only(world):
    u = world.users
    inv = services.invite_city(u.lead, world.scenario, world.chengdu, note="欢迎")
    db.session.commit()
    with pytest.raises(DomainError):  # no second invitation while one waits
        services.invite_city(u.lead, world.scenario, world.chengdu)
    with pytest.raises(DomainError):  # a data merchant is not a city
        services.invite_city(u.lead, world.scenario, world.merchant)
    with pytest.raises(PermissionDenied):
        services.accept_invitation(u.fuzhou, inv)
    with pytest.raises(PermissionDenied):
        services.accept_invitation(u.lead, inv)  # the lead cannot answer for the city
    rep = services.accept_invitation(u.chengdu, inv, owner="成都数据集团 交通部", next_step="梳理公交数据")
    db.session.commit()
    assert rep.stage == "interest" and rep.member_id == world.chengdu.id and rep.owner == "成都数据集团 交通部"
    assert inv.status == "accepted" and inv.replication_id == rep.id and inv.answered_by_id == u.chengdu.id
    events = db.session.scalars(select(ReplicationEvent).where(ReplicationEvent.replication_id == rep.id)).all()
    assert [(e.to_stage, e.author_label) for e in events] == [("interest", "成都用户 · 成都数据集团")]
    assert _kinds(world.xiamen) == ["scenarios.invitation_accepted"]
    with pytest.raises(DomainError):
        services.decline_invitation(u.chengdu, inv, "改主意了")


def test_declining_needs_a_reason_that_the_lead_reads(browser, world):
    inv = services.invite_city(world.users.lead, world.scenario, world.chengdu, note="欢迎复制")
    db.session.commit()
    browser.login("user@chengdu.example")
    page = browser.get(f"/scenarios/invitations/{inv.id}").get_data(as_text=True)
    assert "复制 公交信息智能服务 的邀请" in page and "欢迎复制" in page and "接受" in page
    response = browser.post_form(f"/scenarios/invitations/{inv.id}/decline", {"reason": ""},
                                 form_url=f"/scenarios/invitations/{inv.id}")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).status == "pending" and _kinds(world.xiamen) == []
    html = browser.post_form(f"/scenarios/invitations/{inv.id}/decline", {"reason": "今年排期已满"},
                             form_url=f"/scenarios/invitations/{inv.id}", follow_redirects=True).get_data(as_text=True)
    assert "已谢绝邀请" in html and "今年排期已满" in html
    assert db.session.scalar(select(func.count(Replication.id))) == 0
    browser.logout()
    browser.login("lead@xiamen.example")
    where = browser.get(f"/scenarios/{world.scenario.id}/where-next").get_data(as_text=True)
    assert "今年排期已满" in where and "已拒绝" in where
    assert "成都数据集团 谢绝了复制 公交信息智能服务 的邀请" in browser.get("/notifications/").get_data(as_text=True)


def test_accepting_in_the_browser_opens_the_replication(browser, world):
    inv = services.invite_city(world.users.lead, world.scenario, world.chengdu)
    db.session.commit()
    browser.login("user@fuzhou.example")
    assert browser.get(f"/scenarios/invitations/{inv.id}").status_code == 404  # not invited
    browser.logout()
    browser.login("user@chengdu.example")
    html = browser.post_form(f"/scenarios/invitations/{inv.id}/accept", {"owner": "张三"},
                             form_url=f"/scenarios/invitations/{inv.id}", follow_redirects=True).get_data(as_text=True)
    assert "已接受邀请" in html and "张三" in html
    rep = db.session.scalar(select(Replication))
    assert rep.member_id == world.chengdu.id and rep.stage == "interest"


def test_invite_list_offers_only_city_data_groups_not_running_the_scenario(browser, world, make_resource):
    approve(world, world.fuzhou)  # only approved group members record replications
    services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou)
    db.session.commit()
    browser.login("lead@xiamen.example")
    html = browser.get(f"/scenarios/{world.scenario.id}/where-next").get_data(as_text=True)
    table = html[html.index('id="where-next"'):html.index("</table>", html.index('id="where-next"'))]
    assert 'data-member="chengdu"' in table
    assert 'data-member="shujubao"' not in table and 'data-member="fuzhou"' not in table


# ---------------------------------------------------------------- safer actions

def test_stage_form_defaults_to_the_current_stage_and_messages_are_specific(browser, world):
    approve(world, world.fuzhou)  # only approved group members record replications
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou, occurred_on=days_ago(3))
    services.change_stage(world.users.fuzhou, rep, "data_ready", occurred_on=days_ago(2))
    db.session.commit()
    browser.login("user@fuzhou.example")
    page = browser.get(f"/scenarios/replications/{rep.id}").get_data(as_text=True)
    assert '<option selected value="data_ready">' in page or 'value="data_ready" selected' in page
    html = browser.post_form(f"/scenarios/replications/{rep.id}/stage",
                             {"to_stage": "pilot", "occurred_on": local_today().isoformat(), "version": rep.version},
                             form_url=f"/scenarios/replications/{rep.id}", follow_redirects=True).get_data(as_text=True)
    assert "阶段已改为 试点" in html
    db.session.expire_all()
    html = browser.post_form(f"/scenarios/replications/{rep.id}/note",
                             {"note": "完成联调", "occurred_on": local_today().isoformat(),
                              "version": db.session.get(Replication, rep.id).version},
                             form_url=f"/scenarios/replications/{rep.id}", follow_redirects=True).get_data(as_text=True)
    assert "已添加进展记录" in html


def test_withdraw_asks_for_confirmation_and_a_reason(browser, world):
    approve(world, world.fuzhou)  # only approved group members record replications
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou, occurred_on=days_ago(3))
    db.session.commit()
    browser.login("user@fuzhou.example")
    url = f"/scenarios/replications/{rep.id}/withdraw"
    page = browser.get(url).get_data(as_text=True)
    assert "福州" in page and "退出" in page and 'name="reason"' in page
    assert browser.post_form(url, {"reason": "", "version": rep.version,
                                   "occurred_on": local_today().isoformat()}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).stage == "interest"
    html = browser.post_form(url, {"reason": "本地数据授权未获批", "version": rep.version,
                                   "occurred_on": local_today().isoformat()}, follow_redirects=True).get_data(as_text=True)
    assert "本地数据授权未获批" in html
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).stage == "withdrawn"


def test_removing_a_member_asks_for_confirmation_and_a_reason(browser, world):
    m = services.request_join(world.users.chengdu, world.group)
    services.decide_join(world.users.lead, m, True)
    db.session.commit()
    browser.login("lead@xiamen.example")
    url = f"/scenarios/memberships/{m.id}/remove"
    page = browser.get(url).get_data(as_text=True)
    assert "成都数据集团" in page and 'name="reason"' in page
    browser.post_form(url, {"reason": ""})
    db.session.expire_all()
    assert services.get_membership(m.id).status == "approved"
    browser.post_form(url, {"reason": "长期未参与"})
    db.session.expire_all()
    assert services.get_membership(m.id).status == "removed"
    assert notifications.list_notifications(world.users.chengdu)[0].text == "长期未参与"


def test_invitations_through_the_api(browser, world):
    import re
    inv = services.invite_city(world.users.lead, world.scenario, world.chengdu, note="欢迎")
    other = services.invite_city(world.users.lead, world.scenario, world.fuzhou)
    db.session.commit()
    browser.login("user@chengdu.example")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      browser.get("/auth/account").get_data(as_text=True)).group(1)
    items = browser.get("/api/v1/invitations").get_json()["items"]
    assert [(i["id"], i["scenario"], i["note"]) for i in items] == [(inv.id, "公交信息智能服务", "欢迎")]
    assert browser.client.post(f"/api/v1/invitations/{other.id}/accept", json={},
                               headers={"X-CSRFToken": token}).status_code == 404  # not addressed to 成都
    bad = browser.client.post(f"/api/v1/invitations/{inv.id}/decline", json={"reason": ""},
                              headers={"X-CSRFToken": token})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "reason"
    ok = browser.client.post(f"/api/v1/invitations/{inv.id}/accept", json={"owner": "成都交通部"},
                             headers={"X-CSRFToken": token})
    assert ok.status_code == 201 and ok.get_json()["replication"]["stage"] == "interest"
    assert browser.get("/api/v1/invitations").get_json()["items"] == []
