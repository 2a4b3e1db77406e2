"""Findings 17 and 18: an entry's city is its owner's city, and a suspended member's
entries leave the map everywhere (one rule: the entry's own status), so DCAT never
names a publisher page that answers 404."""
from sqlalchemy import select

from consortium.catalog import services as catalog
from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.members import services as members
from tests.catalog.conftest import catalog as world, entry  # noqa: F401  (fixture)

PUBLIC_URLS = ["/resources/?q=医保", "/api/v1/resources?q=医保", "/resources/export.csv", "/catalog.ttl",
               "/catalog.jsonld", "/resources/map", "/resources/who-has?domain=health"]


def test_moving_a_member_moves_its_entries(world):  # noqa: F811
    qingdao, xiamen = find_city("青岛"), find_city("厦门")
    members.update_member(world["users"]["sec"], world["qd"], city=find_city("烟台"))
    db.session.commit()
    cities = set(db.session.scalars(select(DataResource.city_id).where(DataResource.member_id == world["qd"].id)))
    assert cities == {find_city("烟台").id}
    assert qingdao.id not in cities
    assert db.session.get(DataResource, world["r"]["bus"].id).city_id == xiamen.id  # others untouched


def test_suspending_hides_every_entry_everywhere_and_reinstating_restores(browser, world):  # noqa: F811
    yb = world["r"]["yb"]  # a public entry of 青岛
    client = browser.client
    assert "参保人员医保结算数据" in client.get("/catalog.ttl").get_data(as_text=True)
    members.suspend_member(world["users"]["sec"], world["qd"], "会费未缴")
    db.session.commit()
    for url in PUBLIC_URLS:
        body = client.get(url).get_data(as_text=True)
        assert "参保人员医保结算数据" not in body, url
        assert "/members/qingdao" not in body, url  # no publisher page that would answer 404
    assert client.get(f"/resources/{yb.id}").status_code == 404
    assert client.get("/members/qingdao").status_code == 404
    browser.login("xm@cdou.example")  # other members do not see them either
    assert "参保人员医保结算数据" not in client.get("/api/v1/resources?q=医保").get_data(as_text=True)
    assert client.get(f"/resources/{yb.id}").status_code == 404
    browser.logout()
    members.reinstate_member(world["users"]["sec"], world["qd"])
    db.session.commit()
    assert db.session.get(DataResource, yb.id).status == "active"
    assert db.session.get(DataResource, world["r"]["secret"].id).status == "active"
    assert "参保人员医保结算数据" in client.get("/catalog.ttl").get_data(as_text=True)


def test_a_retired_entry_stays_retired_through_suspension(world):  # noqa: F811
    catalog.retire_resource(None, world["r"]["secret"])
    members.suspend_member(world["users"]["sec"], world["qd"], "会费未缴")
    members.reinstate_member(world["users"]["sec"], world["qd"])
    db.session.commit()
    assert db.session.get(DataResource, world["r"]["secret"].id).status == "retired"
