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
