import pytest
from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.extensions import db


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_search_lists_public_entries_with_facets(client, catalog):
    body = client.get("/api/v1/resources?q=医保").get_json()
    assert [i["title"] for i in body["items"]] == ["参保人员医保结算数据"]
    assert body["total"] == 1 and body["page"] == 1
    assert body["facets"]["domain"] == [{"value": "health", "label": "医疗健康", "count": 1}]
    assert body["facets"]["mode"] == [{"value": "privacy", "label": "基于隐私计算", "count": 1}]
    everything = client.get("/api/v1/resources").get_json()
    assert {i["title"] for i in everything["items"]} == {"参保人员医保结算数据", "公交车辆实时定位"}
    assert sum(f["count"] for f in everything["facets"]["city"]) == everything["total"] == 2


def test_signed_in_member_sees_members_only_entries(client, catalog):
    body = client.get("/api/v1/resources?q=医保", headers=_bearer(catalog["token"])).get_json()
    assert {i["title"] for i in body["items"]} == {"参保人员医保结算数据", "医保基金内部稽核明细"}
    body = client.get("/api/v1/resources?domain=transport&city=350200&mode=in_domain&per_page=5",
                      headers=_bearer(catalog["token"])).get_json()
    assert [i["code"] for i in body["items"]] == ["XM-001"] and body["per_page"] == 5
    assert body["items"][0]["city"]["province"]["code"] == "35"


@pytest.mark.parametrize("query, field", [
    ("domain=太空", "domain"), ("page=abc", "page"), ("per_page=0", "per_page"), ("sort=x", "sort"),
    ("member=ghost", "member"), ("frequency=hourly", "frequency"), ("mode=teleport", "mode"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, catalog, query, field):
    response = client.get("/api/v1/resources?" + query)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_detail_hides_non_public_from_anonymous(client, catalog):
    secret = catalog["r"]["secret"]
    assert client.get(f"/api/v1/resources/{secret.id}").status_code == 404
    body = client.get(f"/api/v1/resources/{secret.id}", headers=_bearer(catalog["token"])).get_json()
    assert body["title"] == "医保基金内部稽核明细" and body["member"]["code"] == "qingdao"


def test_owner_creates_updates_and_retires_with_token(client, catalog):
    headers = _bearer(catalog["token"])
    created = client.post("/api/v1/resources", headers=headers, json={
        "code": "QD-100", "title": "地铁客流统计", "domain": "transport", "frequency": "daily",
        "openness": "open", "circulation_modes": ["central"], "keywords": "地铁,客流", "is_public": True})
    assert created.status_code == 201
    rid = created.get_json()["id"]
    assert db.session.get(DataResource, rid).member.code == "qingdao"
    assert client.get("/api/v1/resources?q=客流").get_json()["total"] == 1
    patched = client.patch(f"/api/v1/resources/{rid}", headers=headers, json={"title": "地铁进出站客流统计"})
    assert patched.get_json()["title"] == "地铁进出站客流统计"
    assert client.delete(f"/api/v1/resources/{rid}", headers=headers).get_json()["status"] == "retired"
    assert client.get("/api/v1/resources?q=客流").get_json()["total"] == 0


def test_other_member_and_anonymous_cannot_write(client, catalog, make_user):
    bus = catalog["r"]["bus"]
    headers = _bearer(catalog["token"])  # a Qingdao user
    assert client.patch(f"/api/v1/resources/{bus.id}", headers=headers, json={"title": "改"}).status_code == 403
    assert client.delete(f"/api/v1/resources/{bus.id}", headers=headers).status_code == 403
    assert client.post("/api/v1/resources", headers=headers, json={
        "member": "xiamen", "code": "X", "title": "冒名", "domain": "health", "frequency": "daily",
        "openness": "open"}).status_code == 403
    anonymous = client.patch(f"/api/v1/resources/{bus.id}", json={"title": "改"})
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"] == 401
    db.session.expire_all()
    assert db.session.get(DataResource, bus.id).title == "公交车辆实时定位"
    assert db.session.scalar(select(func.count(DataResource.id))) == 4


def test_invalid_body_is_400_naming_the_field_and_writes_nothing(client, catalog):
    headers = _bearer(catalog["token"])
    for body, field in (({"code": "QD-001", "title": "重复", "domain": "health", "frequency": "daily",
                          "openness": "open"}, "code"),
                        ({"code": "N", "title": "新", "domain": "太空", "frequency": "daily", "openness": "open"},
                         "domain"),
                        ({"code": "N", "title": "新", "domain": "health", "frequency": "daily", "openness": "open",
                          "status": "retired"}, "status"),
                        ({"code": "N", "title": "新", "domain": "health", "frequency": "daily", "openness": "open",
                          "actor": 1}, "actor")):
        response = client.post("/api/v1/resources", headers=headers, json=body)
        assert response.status_code == 400 and response.get_json()["error"]["field"] == field
    assert client.post("/api/v1/resources", headers=headers, data="not json").status_code == 400
    assert db.session.scalar(select(func.count(DataResource.id))) == 4
