"""Finding 1: a scenario may link another member's non-public (or retired) entry,
but shows it only to viewers the resource map itself would show it to, at read
time; its title is never copied into the scenario's own (public) text."""
from sqlalchemy import select

from consortium.extensions import db
from consortium.scenarios import services
from consortium.scenarios.models import ScenarioNeed
from tests.scenarios.conftest import make_resource, world  # noqa: F401  (fixtures)

SECRET = "福州内部稽核明细甲乙"


def _linked(world, make_resource, **kw):  # noqa: F811
    hidden = make_resource(world.fuzhou, SECRET, **kw)
    services.update_scenario(world.users.lead, world.scenario, title=world.scenario.title,
                             description=world.scenario.description, origin_member=world.xiamen,
                             needs=services.parse_needs("线路站点数据 | 交通 | 线路"), modes=["in_domain"],
                             maturity="proven", links="", resource_ids=[hidden.id])
    db.session.commit()
    return hidden


def test_lead_may_link_a_non_public_entry_of_another_member(world, make_resource):  # noqa: F811
    hidden = _linked(world, make_resource)
    assert [r.id for r in world.scenario.resources] == [hidden.id]
    labels = db.session.scalars(select(ScenarioNeed.label)).all()
    assert not any(SECRET in label for label in labels)  # never copied into public text


def test_visitors_never_see_a_linked_non_public_entry(client, world, make_resource):  # noqa: F811
    hidden = _linked(world, make_resource)
    for url in (f"/scenarios/{world.scenario.id}", f"/api/v1/scenarios/{world.scenario.id}", "/api/v1/scenarios",
                f"/scenarios/groups/{world.group.code}", "/api/v1/groups/transport"):
        body = client.get(url).get_data(as_text=True)
        assert SECRET not in body, url
        assert "福州数据集团" not in body, url  # nor its owner
    data = client.get(f"/api/v1/scenarios/{world.scenario.id}").get_json()
    assert hidden.id not in data["resource_ids"]


def test_members_see_it_as_the_resource_map_shows_it(browser, world, make_resource):  # noqa: F811
    hidden = _linked(world, make_resource)
    browser.login("user@chengdu.example")  # a member user: non-public entries are members-only
    assert SECRET in browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    assert browser.get(f"/api/v1/scenarios/{world.scenario.id}").get_json()["resource_ids"] == [hidden.id]


def test_a_retired_entry_is_shown_to_its_owner_only(browser, world, make_resource):  # noqa: F811
    hidden = _linked(world, make_resource)
    from consortium.catalog.services import retire_resource
    retire_resource(None, hidden)
    db.session.commit()
    browser.login("user@chengdu.example")
    assert SECRET not in browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    browser.logout()
    browser.login("user@fuzhou.example")
    assert SECRET in browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)


def test_a_lead_who_cannot_see_a_linked_entry_keeps_it_when_saving(browser, world, make_resource):  # noqa: F811
    hidden = _linked(world, make_resource)
    from consortium.catalog.services import retire_resource
    retire_resource(None, hidden)
    db.session.commit()
    browser.login("lead@xiamen.example")
    form = browser.get(f"/scenarios/{world.scenario.id}/edit").get_data(as_text=True)
    assert str(hidden.id) not in form.split('name="resource_ids"')[1].split(">")[0]
    services.update_scenario(world.users.lead, world.scenario, title="公交信息智能服务（二期）", description="",
                             origin_member=world.xiamen, needs=services.parse_needs("线路站点数据 | 交通 | 线路"),
                             modes=[], maturity="proven", links="", resource_ids=[])
    db.session.commit()
    assert [r.id for r in world.scenario.resources] == [hidden.id]
