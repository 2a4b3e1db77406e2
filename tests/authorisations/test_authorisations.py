"""一场景一申请一审批: the states of an application, the stage guard a group may ask for,
the board's list of replications waiting on authorisation, the API."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.authorisations import queries, services
from consortium.authorisations.models import AuthorisationApplication
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.notifications.models import Notification
from consortium.scenarios import services as scenarios
from tests.scenarios.conftest import approve


def ago(n):
    return local_today() - timedelta(days=n)


@pytest.fixture
def rep(world):
    approve(world, world.fuzhou)  # only approved group members record replications
    r = scenarios.start_replication(world.users.fuzhou, world.scenario, world.fuzhou, occurred_on=ago(60))
    scenarios.change_stage(world.users.fuzhou, r, "data_ready", occurred_on=ago(50))
    db.session.commit()
    return r


def _apply(user, rep, **kw):
    fields = dict(resources="公交车辆实时定位数据\n线路站点数据", scope="仅用于公交到站预测", authority="福州市大数据委",
                  submitted_on=ago(40), reference_no="榕数申〔2025〕12号",
                  attachments="https://example.org/application.pdf")
    fields.update(kw)
    return services.submit_application(user, rep, **fields)


def test_states_submitted_approved_and_one_open_application_at_a_time(world, rep):
    u = world.users
    with pytest.raises(PermissionDenied):
        _apply(u.chengdu, rep)  # not its replication
    with pytest.raises(DomainError) as e:
        _apply(u.fuzhou, rep, authority="")
    assert e.value.field == "authority"
    with pytest.raises(DomainError) as e:
        _apply(u.fuzhou, rep, attachments="ftp://example.org/x")
    assert e.value.field == "attachments"
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuthorisationApplication.id))) == 0
    app = _apply(u.fuzhou, rep)
    db.session.commit()
    assert app.status == "submitted" and app.attachment_list == ["https://example.org/application.pdf"]
    with pytest.raises(DomainError):
        _apply(u.fuzhou, rep)  # one scenario, one application
    with pytest.raises(DomainError) as e:
        services.record_decision(u.fuzhou, app, approved=False, decided_on=ago(5), note="")
    assert e.value.field == "note"
    with pytest.raises(DomainError):
        services.record_decision(u.fuzhou, app, approved=True, decided_on=ago(45))  # before the submission
    services.record_decision(u.fuzhou, app, approved=True, decided_on=ago(10), reference_no="榕数授〔2025〕3号")
    db.session.commit()
    assert (app.status, app.decided_on, app.reference_no) == ("approved", ago(10), "榕数授〔2025〕3号")
    assert services.is_authorised(rep)
    with pytest.raises(DomainError):
        services.withdraw_application(u.fuzhou, app)  # decided: no longer withdrawable


def test_rejected_then_resubmitted_and_withdrawn(world, rep):
    u = world.users
    first = _apply(u.fuzhou, rep)
    services.record_decision(u.fuzhou, first, approved=False, decided_on=ago(20), note="数据范围过宽")
    second = _apply(u.fuzhou, rep, submitted_on=ago(15), resources="公交车辆实时定位数据")
    services.withdraw_application(u.lead, second, withdrawn_on=ago(3), note="场景方案调整")
    db.session.commit()
    assert [a.status for a in services.list_applications(rep)] == ["withdrawn", "rejected"]
    assert second.withdrawn_on == ago(3) and not services.is_authorised(rep)
    assert services.current_application(rep) is None


def test_leads_are_notified_of_submission_and_decision(world, rep):
    app = _apply(world.users.fuzhou, rep)
    services.record_decision(world.users.fuzhou, app, approved=True, decided_on=ago(1))
    db.session.commit()
    kinds = db.session.scalars(select(Notification.kind).where(Notification.member_id == world.xiamen.id)
                               .order_by(Notification.id)).all()
    assert kinds[-2:] == ["authorisations.submitted", "authorisations.approved"]
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.member_id == world.fuzhou.id)) == 0


def test_group_setting_makes_the_pilot_stage_wait_for_approval(world, rep):
    u = world.users
    scenarios.change_stage(u.fuzhou, rep, "pilot", occurred_on=ago(30))  # not required: allowed
    scenarios.change_stage(u.fuzhou, rep, "data_ready", reason="重新准备", occurred_on=ago(29))
    scenarios.update_group(u.lead, world.group, authorisation_before_pilot=True)
    db.session.commit()
    with pytest.raises(DomainError) as e:
        scenarios.change_stage(u.fuzhou, rep, "pilot", occurred_on=ago(20))
    assert e.value.field == "to_stage" and "一场景一申请一审批" in e.value.message
    db.session.rollback()
    app = _apply(u.fuzhou, rep, submitted_on=ago(25))
    db.session.commit()
    with pytest.raises(DomainError):
        scenarios.change_stage(u.fuzhou, rep, "pilot", occurred_on=ago(20))  # submitted is not approved
    db.session.rollback()
    services.record_decision(u.fuzhou, app, approved=True, decided_on=ago(21))
    scenarios.change_stage(u.fuzhou, rep, "pilot", occurred_on=ago(20))
    db.session.commit()
    assert rep.stage == "pilot"


def test_board_lists_replications_waiting_on_authorisation_and_for_how_long(browser, world, rep):
    approve(world, world.chengdu)
    other = scenarios.start_replication(world.users.chengdu, world.scenario, world.chengdu, occurred_on=ago(30))
    db.session.commit()
    _apply(world.users.fuzhou, rep, submitted_on=ago(40))
    done = _apply(world.users.chengdu, other, submitted_on=ago(12), authority="成都市数据局")
    services.record_decision(world.users.chengdu, done, approved=True, decided_on=ago(2))
    db.session.commit()
    waiting = queries.waiting_in_group(world.group)
    assert [(w.application.replication.member.code, w.days) for w in waiting] == [(world.fuzhou.code, 40)]
    browser.login("lead@xiamen.example")
    html = browser.get("/scenarios/groups/transport/board").get_data(as_text=True)
    block = html[html.index('id="authorisation-waiting"'):]
    assert "等待授权审批" in block and "福州市大数据委" in block and "40 天" in block
    assert "成都市数据局" not in block  # approved: no longer waiting


def test_forms_in_the_browser_and_the_pilot_refusal_message(browser, world, rep):
    scenarios.update_group(world.users.lead, world.group, authorisation_before_pilot=True)
    db.session.commit()
    browser.login("user@fuzhou.example")
    page = browser.get(f"/scenarios/replications/{rep.id}").get_data(as_text=True)
    assert "本小组要求进入试点前须有已获批的申请" in page and f"/authorisations/replications/{rep.id}" in page
    html = browser.post_form(f"/scenarios/replications/{rep.id}/stage",
                             {"to_stage": "pilot", "occurred_on": local_today().isoformat(), "version": rep.version},
                             form_url=f"/scenarios/replications/{rep.id}").get_data(as_text=True)
    assert "一场景一申请一审批" in html
    url = f"/authorisations/replications/{rep.id}"
    bad = browser.post_form(url, {"resources": "", "authority": "福州市大数据委", "submitted_on": ago(3).isoformat()})
    assert bad.status_code == 400 and db.session.scalar(select(func.count(AuthorisationApplication.id))) == 0
    html = browser.post_form(url, {"resources": "公交车辆实时定位数据", "authority": "福州市大数据委",
                                   "submitted_on": ago(3).isoformat(), "reference_no": "榕数申〔2025〕12号",
                                   "attachments": "https://example.org/a.pdf"},
                             follow_redirects=True).get_data(as_text=True)
    assert "已登记向 福州市大数据委 提交的授权申请" in html and "已提交，等待审批" in html
    app = db.session.scalar(select(AuthorisationApplication))
    html = browser.post_form(f"/authorisations/{app.id}/decision", {"decided_on": ago(1).isoformat(),
                                                                    "approve": "1", "reference_no": "榕数授3号"},
                             form_url=url, follow_redirects=True).get_data(as_text=True)
    assert "已登记：福州市大数据委 批准了 福州数据集团 的 公交信息智能服务" in html and "榕数授3号" in html


def test_api_lists_and_submits(browser, world, rep):
    browser.login("user@fuzhou.example")
    url = f"/api/v1/replications/{rep.id}/authorisations"
    assert browser.get(url).get_json() == {"items": []}
    token_page = browser.get("/auth/account").get_data(as_text=True)
    import re
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token_page).group(1)
    bad = browser.client.post(url, json={"resources": "x"}, headers={"X-CSRFToken": token})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "authority"
    for day in ("2025-02-30", "明天", 20250301):
        bad_day = browser.client.post(url, json={"resources": "公交车辆实时定位数据", "authority": "福州市大数据委",
                                                 "submitted_on": day}, headers={"X-CSRFToken": token})
        assert bad_day.status_code == 400 and bad_day.get_json()["error"]["field"] == "submitted_on", day
        assert "YYYY-MM-DD" in bad_day.get_json()["error"]["message"]
    assert browser.get(url).get_json() == {"items": []}  # nothing written by the refused bodies
    ok = browser.client.post(url, json={"resources": "公交车辆实时定位数据", "authority": "福州市大数据委",
                                        "submitted_on": ago(2).isoformat(), "attachments": ["https://example.org/a"]},
                             headers={"X-CSRFToken": token})
    assert ok.status_code == 201 and ok.get_json()["status"] == "submitted"
    assert [a["authority"] for a in browser.get(url).get_json()["items"]] == ["福州市大数据委"]
