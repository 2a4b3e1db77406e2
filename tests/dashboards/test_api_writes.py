"""Issue 22, no lost update over the API: the secretariat composes dashboards and panels on
/api/v1/dashboards with the version it read; of two concurrent changes from the same version the
second answers 409 with a clear message and nothing of it is written. Others: 401 / 403."""
from sqlalchemy import func, select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.dashboards.models import Dashboard, DashboardPanel
from consortium.extensions import db


def _headers(email):
    _t, raw = create_api_token(None, get_user_by_email(email), "看板编辑")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "zh-CN"}


def _saved(slug):
    db.session.expire_all()
    return db.session.scalar(select(Dashboard).where(Dashboard.slug == slug))


def test_two_concurrent_dashboard_changes_the_second_gets_409_and_writes_nothing(union, client, make_dashboard):
    make_dashboard(slug="jiaotong", title="交通看板", kinds=("key_figures",))
    first, second = _headers("secretariat@cdou.example"), _headers("secretariat@cdou.example")
    read = client.get("/api/v1/dashboards/jiaotong/draft", headers=first).get_json()
    assert (read["title"], read["version"], read["panels"][0]["kind"]) == ("交通看板", 1, "key_figures")
    ok = client.patch("/api/v1/dashboards/jiaotong", json={"title": "交通运输看板", "version": 1}, headers=first)
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    late = client.patch("/api/v1/dashboards/jiaotong", json={"title": "公交看板", "intro": "公交专题",
                                                             "version": 1}, headers=second)
    assert late.status_code == 409
    error = late.get_json()["error"]
    assert error["field"] == "version" and "版本 1" in error["message"] and "版本 2" in error["message"]
    saved = _saved("jiaotong")
    assert (saved.title, saved.intro, saved.version) == ("交通运输看板", "", 2)
    missing = client.patch("/api/v1/dashboards/jiaotong", json={"title": "公交看板"}, headers=second)
    assert missing.status_code == 400 and missing.get_json()["error"]["field"] == "version"
    assert _saved("jiaotong").title == "交通运输看板"


def test_two_concurrent_panel_changes_the_second_gets_409_and_writes_nothing(union, client, make_dashboard):
    dashboard = make_dashboard(slug="jiaotong", kinds=("resource_map",))
    panel_id = dashboard.panels[0].id
    h = _headers("secretariat@cdou.example")
    url = f"/api/v1/dashboards/jiaotong/panels/{panel_id}"
    ok = client.patch(url, json={"filters": {"domain": "transport"}, "caption": "交通数据", "version": 1}, headers=h)
    assert ok.status_code == 200 and ok.get_json()["filters"] == {"domain": "transport"}
    late = client.patch(url, json={"filters": {"province": "37"}, "caption": "山东", "version": 1}, headers=h)
    assert late.status_code == 409 and "面板" in late.get_json()["error"]["message"]
    db.session.expire_all()
    panel = db.session.get(DashboardPanel, panel_id)
    assert (panel.filters, panel.caption, panel.version) == ({"domain": "transport"}, "交通数据", 2)
    refused = client.patch(url, json={"filters": {"domain": "不存在"}, "version": 2}, headers=h)
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "domain"
    db.session.expire_all()
    assert db.session.get(DashboardPanel, panel_id).filters == {"domain": "transport"}


def test_create_and_add_panels_over_the_api(union, client):
    h = _headers("secretariat@cdou.example")
    made = client.post("/api/v1/dashboards", json={"slug": "gongjiao", "title": "公交看板", "audience": "members"},
                       headers=h)
    assert made.status_code == 201 and made.get_json()["version"] == 1
    panel = client.post("/api/v1/dashboards/gongjiao/panels", json={"kind": "openness", "caption": "医保",
                                                                    "filters": {"province": "37"}}, headers=h)
    assert panel.status_code == 201 and panel.get_json()["filters"] == {"province": "37"}
    bad = client.post("/api/v1/dashboards/gongjiao/panels", json={"kind": "openness", "filters": {"group": "无"}},
                      headers=h)
    assert bad.status_code == 400 and "场景小组" in bad.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(DashboardPanel.id)).join(Dashboard).where(
        Dashboard.slug == "gongjiao")) == 1


def test_only_the_secretariat_writes(union, client, make_dashboard):
    make_dashboard(slug="jiaotong")
    member = _headers("qingdao@cdou.example")
    assert client.patch("/api/v1/dashboards/jiaotong", json={"title": "改", "version": 1},
                        headers=member).status_code == 403
    assert client.get("/api/v1/dashboards/jiaotong/draft", headers=member).status_code == 403
    assert client.post("/api/v1/dashboards", json={"slug": "abc", "title": "改"}, headers=member).status_code == 403
    assert client.patch("/api/v1/dashboards/jiaotong", json={"title": "改", "version": 1}).status_code == 401
    assert _saved("jiaotong").title == "测试看板"
    spec = client.get("/api/v1/openapi.json").get_json()
    patch = spec["paths"]["/api/v1/dashboards/{slug}"]["patch"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(patch["responses"])
