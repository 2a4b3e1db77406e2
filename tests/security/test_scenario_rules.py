"""Findings 6 and 11: the group edit form saves for the lead and the secretariat;
only approved group members (or invited ones) record replications."""

import pytest
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.core.exceptions import PermissionDenied
from consortium.extensions import db
from consortium.scenarios import services
from consortium.scenarios.models import Replication, ReplicationEvent, ScenarioGroup
from tests.scenarios.conftest import approve, world  # noqa: F401  (fixture)


def test_the_lead_saves_the_group_form_and_cannot_rename(browser, world):  # noqa: F811
    browser.login("lead@xiamen.example")
    page = browser.get(f"/scenarios/groups/{world.group.code}/edit").get_data(as_text=True)
    assert 'name="lead_member"' not in page and 'name="code"' not in page
    r = browser.post_form(f"/scenarios/groups/{world.group.code}/edit",
                          {"description": "聚焦两客一危与公交", "promotable_cities": 4, "stall_days": 45,
                           "name": "被改名的小组", "code": "hijack"}, follow_redirects=True)
    assert r.status_code == 200 and "聚焦两客一危与公交" in r.get_data(as_text=True)
    db.session.expire_all()
    g = db.session.get(ScenarioGroup, world.group.id)
    assert (g.description, g.promotable_cities, g.stall_days, g.name, g.code) == (
        "聚焦两客一危与公交", 4, 45, "交通场景小组", "transport")


def test_the_secretariat_saves_the_group_form_with_every_field(browser, world):  # noqa: F811
    browser.login("sec@cdou.example")
    browser.post_form(f"/scenarios/groups/{world.group.code}/edit",
                      {"code": "transport", "name": "交通出行场景小组", "lead_member": world.fuzhou.id,
                       "description": "交通", "promotable_cities": 3, "stall_days": 60}, follow_redirects=True)
    db.session.expire_all()
    g = db.session.get(ScenarioGroup, world.group.id)
    assert (g.name, g.lead_member_id) == ("交通出行场景小组", world.fuzhou.id)


def _count():
    return db.session.scalar(select(func.count(Replication.id)))


def test_a_non_member_cannot_declare_interest(world):  # noqa: F811
    with pytest.raises(PermissionDenied):
        services.start_replication(world.users.chengdu, world.scenario, world.chengdu)
    assert _count() == 0
    approve(world, world.chengdu)
    services.start_replication(world.users.chengdu, world.scenario, world.chengdu)
    assert _count() == 1


def test_a_removed_member_can_no_longer_write(world):  # noqa: F811
    approve(world, world.chengdu)
    rep = services.start_replication(world.users.chengdu, world.scenario, world.chengdu)
    db.session.commit()
    membership = services.membership_of(world.group, world.chengdu)
    services.remove_member(world.users.lead, membership, "长期未推进")
    db.session.commit()
    events = db.session.scalar(select(func.count(ReplicationEvent.id)))
    with pytest.raises(PermissionDenied):
        services.change_stage(world.users.chengdu, rep, "matching", expected_version=rep.version)
    with pytest.raises(PermissionDenied):
        services.add_progress_note(world.users.chengdu, rep, "继续", expected_version=rep.version)
    assert db.session.scalar(select(func.count(ReplicationEvent.id))) == events


def test_an_invited_member_may_answer(browser, world):  # noqa: F811
    """Not a group member, but invited by the lead: accepting opens its replication, which
    its users then keep up to date; an uninvited non-member still may not start one."""
    invitation = services.invite_city(world.users.lead, world.scenario, world.chengdu, "欢迎成都加入")
    db.session.commit()
    rep = services.accept_invitation(world.users.chengdu, invitation, owner="成都数据专员")
    db.session.commit()
    browser.login("user@chengdu.example")
    page = browser.get(f"/scenarios/replications/{rep.id}").get_data(as_text=True)
    assert f'action="/scenarios/replications/{rep.id}/stage"' in page
    r = browser.post_form(f"/scenarios/replications/{rep.id}/note", {"note": "已安排对接", "occurred_on": local_today().isoformat()},
                      form_url=f"/scenarios/replications/{rep.id}")
    assert r.status_code == 302
    db.session.expire_all()
    assert [e.note for e in services.list_events(db.session.get(Replication, rep.id))][-1] == "已安排对接"
    other = services.create_scenario(
        world.users.lead, world.group, title="网约车监管", description="网约车合规监管", origin_member=world.xiamen,
        needs=services.parse_needs("网约车订单 | 交通 | 网约车"), modes=["in_domain"], maturity="proven", links="")
    db.session.commit()
    with pytest.raises(PermissionDenied):  # no invitation to this one, and not a group member
        services.start_replication(world.users.chengdu, other, world.chengdu)
