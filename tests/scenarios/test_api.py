"""/api/v1 groups, scenarios, replications, events: aggregate-only for visitors,
writes for those allowed, 409 on a stale version."""
import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.scenarios import services
from consortium.scenarios.models import Replication, ReplicationEvent, Scenario

from .conftest import approve, days_ago


@pytest.fixture
def token(world):
    def make(user):
        _t, raw = create_api_token(None, user, "测试")
        db.session.commit()
        return {"Authorization": f"Bearer {raw}"}
    return make


@pytest.fixture
def rep(world):
    r = services.start_replication(None, world.scenario, world.fuzhou, owner="王工", occurred_on=days_ago(3))
    db.session.commit()
    return r


def test_groups_and_scenarios_are_public(client, world, rep):
    groups = client.get("/api/v1/groups").get_json()["items"]
    assert groups[0]["name"] == "交通场景小组" and groups[0]["lead"]["code"] == "xiamen"
    assert groups[0]["target_count"] == 3 and groups[0]["target_date"] == "2026-12-31"
    detail = client.get("/api/v1/groups/transport").get_json()
    assert detail["scenarios"] == [{"id": world.scenario.id, "title": "公交信息智能服务"}]
    items = client.get("/api/v1/scenarios?group=transport").get_json()["items"]
    assert items[0]["stage_counts"] == {"interest": 1}
    assert [n["label"] for n in items[0]["needs"]] == ["公交实时位置数据", "线路站点数据"]
    assert client.get("/api/v1/scenarios?group=nope").status_code == 400


def test_visitors_get_aggregate_counts_only(client, world, rep):
    data = client.get(f"/api/v1/scenarios/{world.scenario.id}/replications").get_json()
    assert data["aggregate"]["interest"] == 1 and data["items"] is None
    body = client.get(f"/api/v1/scenarios/{world.scenario.id}/replications").get_data(as_text=True)
    assert "福州" not in body and "王工" not in body
    for url in (f"/api/v1/replications/{rep.id}", f"/api/v1/replications/{rep.id}/events"):
        assert client.get(url).status_code == 401


def test_signed_in_users_read_replications_and_events(client, world, rep, token):
    h = token(world.users.merchant)
    items = client.get(f"/api/v1/scenarios/{world.scenario.id}/replications", headers=h).get_json()["items"]
    assert items[0]["member"] == "fuzhou" and items[0]["owner"] == "王工" and items[0]["version"] == rep.version
    events = client.get(f"/api/v1/replications/{rep.id}/events", headers=h).get_json()["items"]
    assert [(e["from_stage"], e["to_stage"]) for e in events] == [(None, "interest")]
    assert client.get("/api/v1/replications/99999", headers=h).status_code == 404


def test_writers_post_events_and_stale_versions_get_409(client, world, rep, token):
    h = token(world.users.fuzhou)
    url = f"/api/v1/replications/{rep.id}/events"
    v = rep.version
    r = client.post(url, json={"version": v, "to_stage": "matching", "note": "对接会"}, headers=h)
    assert r.status_code == 201 and r.get_json()["replication"]["stage"] == "matching"
    r = client.post(url, json={"version": v, "to_stage": "pilot"}, headers=h)  # the version read before
    assert r.status_code == 409 and "修改" in r.get_json()["error"]["message"]
    r = client.patch(f"/api/v1/replications/{rep.id}", json={"version": v, "owner": "覆盖"}, headers=h)
    assert r.status_code == 409
    r = client.post(url, json={"to_stage": "pilot"}, headers=h)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "version"
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).stage == "matching"
    assert db.session.get(Replication, rep.id).owner == "王工"
    assert db.session.scalar(select(func.count(ReplicationEvent.id))) == 2


def test_backwards_without_reason_and_outsiders_are_refused(client, world, rep, token):
    url = f"/api/v1/replications/{rep.id}/events"
    services.change_stage(None, rep, "pilot")
    db.session.commit()
    h = token(world.users.fuzhou)
    r = client.post(url, json={"version": rep.version, "to_stage": "interest"}, headers=h)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "reason"
    r = client.post(url, json={"version": rep.version, "to_stage": "live"}, headers=token(world.users.chengdu))
    assert r.status_code == 403
    r = client.post(url, json={"version": rep.version, "to_stage": "live"})  # anonymous: no token, no CSRF
    assert r.status_code == 401 and r.get_json()["error"]["code"] == 401
    r = client.patch(f"/api/v1/replications/{rep.id}", json={"version": rep.version, "next_step": "上线评审"},
                     headers=token(world.users.lead))
    assert r.status_code == 200 and r.get_json()["next_step"] == "上线评审"
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).stage == "pilot"


def test_starting_replications_and_scenarios(client, world, token):
    h = token(world.users.chengdu)
    url = f"/api/v1/scenarios/{world.scenario.id}/replications"
    assert client.post(url, json={"member": "fuzhou"}, headers=h).status_code == 403
    assert client.post(url, json={"member": "chengdu"}, headers=h).status_code == 403  # not in the group
    approve(world, world.chengdu)
    r = client.post(url, json={"member": "chengdu", "owner": "张工"}, headers=h)
    assert r.status_code == 201 and r.get_json()["stage"] == "interest"
    assert client.post(url, json={"member": "chengdu"}, headers=h).status_code == 400
    body = {"group": "transport", "title": "货运平台协同调度", "circulation_modes": ["privacy"],
            "needs": [{"label": "货运车辆轨迹数据", "domain": "交通", "keyword": "轨迹"}]}
    assert client.post("/api/v1/scenarios", json=body, headers=h).status_code == 403
    r = client.post("/api/v1/scenarios", json=body, headers=token(world.users.lead))
    assert r.status_code == 201 and r.get_json()["circulation_modes"] == ["privacy"]
    bad = dict(body, needs=[{"label": "x", "domain": "火星"}])
    r = client.post("/api/v1/scenarios", json=bad, headers=token(world.users.lead))
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "needs"
    assert db.session.scalar(select(func.count(Scenario.id))) == 2


def test_answers_have_exactly_the_documented_keys_and_values(client, world, rep, token, make_resource):
    """The JSON of each entity comes from its one schema (scenarios.schemas): keys, nesting,
    date formats and the Chinese values, compared whole; and the description says the same."""
    hidden = make_resource(world.xiamen, "公交刷卡明细", is_public=False)
    shown = make_resource(world.xiamen, "公交线路站点", is_public=True)
    world.scenario.resources = [hidden, shown]
    db.session.commit()
    group = client.get("/api/v1/groups/transport").get_json()
    assert group == {"code": "transport", "name": "交通场景小组", "name_en": "", "purpose": "交通领域垂直场景联合攻坚小组",
                     "lead": {"code": "xiamen", "name": "厦门大数据有限公司"}, "target_count": 3,
                     "target_date": "2026-12-31", "promotable_cities": 3, "stall_days": 60, "scenario_count": 1,
                     "promotable_scenarios": [], "members": [],
                     "scenarios": [{"id": world.scenario.id, "title": "公交信息智能服务"}]}
    scenario = client.get(f"/api/v1/scenarios/{world.scenario.id}").get_json()
    assert scenario == {
        "id": world.scenario.id, "group": "transport", "title": "公交信息智能服务", "title_en": "",
        "description": "实时到站与客流分析", "origin_member": "xiamen",
        "needs": [{"domain": "transport", "label": "公交实时位置数据", "keyword": "实时位置"},
                  {"domain": "transport", "label": "线路站点数据", "keyword": "线路"}],
        "resource_ids": [shown.id],  # the non-public entry is not shown to a visitor
        "circulation_modes": ["in_domain", "privacy"], "maturity": "proven", "links": ["https://example.org/bus"],
        "illustrative": False, "stage_counts": {"interest": 1}}
    lead = token(world.users.lead)
    assert client.get(f"/api/v1/scenarios/{world.scenario.id}", headers=lead).get_json()["resource_ids"] == sorted(
        [hidden.id, shown.id])
    h = token(world.users.merchant)
    assert client.get(f"/api/v1/replications/{rep.id}", headers=h).get_json() == {
        "id": rep.id, "scenario_id": world.scenario.id, "member": "fuzhou", "member_name": "福州数据集团",
        "city": "福州市", "stage": "interest", "owner": "王工", "next_step": "", "blockers": "",
        "last_event_on": days_ago(3).isoformat(), "version": rep.version, "illustrative": False}
    event = client.get(f"/api/v1/replications/{rep.id}/events", headers=h).get_json()["items"][0]
    assert set(event) == {"id", "from_stage", "to_stage", "occurred_on", "note", "reason", "author"}
    assert (event["from_stage"], event["to_stage"], event["occurred_on"], event["author"]) == (
        None, "interest", days_ago(3).isoformat(), "")
    invitation = services.invite_city(world.users.lead, world.scenario, world.chengdu, "欢迎成都加入")
    db.session.commit()
    items = client.get("/api/v1/invitations", headers=token(world.users.chengdu)).get_json()["items"]
    assert len(items) == 1
    created = items[0].pop("created_at")
    assert created == invitation.created_at.replace(tzinfo=None).isoformat() + "Z"
    assert items[0] == {"id": invitation.id, "scenario_id": world.scenario.id, "scenario": "公交信息智能服务",
                        "group": "transport", "member": "chengdu", "status": "pending", "note": "欢迎成都加入",
                        "reason": "", "invited_by": "厦门牵头人 · 厦门大数据有限公司", "answered_at": None, "replication_id": None}
    spec = client.get("/api/v1/openapi.json").get_json()
    described = spec["paths"]["/api/v1/scenarios/{scenario_id}"]["get"]["responses"]["200"]["content"]
    ref = described["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == set(scenario)
