"""/api/v1/notifications and the page: grouped by object, unread first, filtered by kind, by
"needs my action" and unread; paged; marking read; nothing the reader may not see, and the
same rules for the API as for the page."""
import pytest
from sqlalchemy import select

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.notifications import registry, services, signals
from consortium.notifications.models import Notification
from tests.route_walk import url_of, walk_gets


@pytest.fixture
def inbox(people, secret_target):
    """青岛 has three notifications about dossier 1 (one read), one about dossier 2 (which 刘 may
    not see) and one asking for action about dossier 3."""
    liu, lin, qingdao, _ = people

    def kinds(sender, **kwargs):
        return registry.Kind("test.stance_needed", label="需要表态", action="stances",
                             message=lambda n: "请表态：" + n.payload.get("title", ""), url=lambda n: f"/d/{n.target_id}")
    signals.kinds.connect(kinds, weak=False)
    notes = [services.notify(lin, qingdao, "test.dossier_invited", target_type="test_dossier", target_id=1,
                             payload={"title": f"医保议题 第{i}次"}) for i in range(3)]
    services.notify(lin, qingdao, "test.dossier_invited", target_type="test_dossier", target_id=2,
                    payload={"title": "保密议题"})
    action = services.notify(lin, qingdao, "test.stance_needed", target_type="test_dossier", target_id=3,
                             payload={"title": "公交议题"})
    db.session.commit()
    secret_target.update({(liu.id, 1), (liu.id, 3)})
    services.mark_read(liu, notes[0].id)
    db.session.commit()
    token = create_api_token(None, liu, "t")[1]
    db.session.commit()
    yield {"notes": notes, "action": action, "auth": {"Authorization": f"Bearer {token}"}, "liu": liu}
    signals.kinds.disconnect(kinds)


def test_api_pages_filters_and_hides_what_the_reader_may_not_see(client, inbox):
    auth = inbox["auth"]
    everything = client.get("/api/v1/notifications", headers=auth).get_json()
    assert everything["total"] == 4 and everything["unread"] == 3
    assert "保密议题" not in str(everything)
    assert everything["items"][0]["message"] == "请表态：公交议题" and everything["items"][0]["needs_action"] is True
    page2 = client.get("/api/v1/notifications?per_page=3&page=2", headers=auth).get_json()
    assert [i["message"] for i in page2["items"]] == ["议题邀请：医保议题 第0次"] and page2["total"] == 4
    action = client.get("/api/v1/notifications?needs_action=true", headers=auth).get_json()
    assert [i["id"] for i in action["items"]] == [inbox["action"].id]
    unread = client.get("/api/v1/notifications?unread=1&kind=test.dossier_invited", headers=auth).get_json()
    assert [i["message"] for i in unread["items"]] == ["议题邀请：医保议题 第2次", "议题邀请：医保议题 第1次"]
    bad = client.get("/api/v1/notifications?unread=maybe", headers=auth)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "unread"
    assert client.get("/api/v1/notifications?kind=nope", headers=auth).status_code == 400
    assert client.get("/api/v1/notifications").status_code == 401


def test_api_marks_read_one_or_many_and_refuses_what_it_may_not_see(client, inbox):
    auth, notes = inbox["auth"], inbox["notes"]
    hidden = db.session.scalar(select(Notification.id).where(Notification.target_id == 2))
    assert client.post(f"/api/v1/notifications/{hidden}/read", headers=auth).status_code == 404
    assert client.get(f"/api/v1/notifications/{hidden}", headers=auth).status_code == 404
    one = client.post(f"/api/v1/notifications/{notes[1].id}/read", headers=auth).get_json()
    assert one["read_at"] is not None
    refused = client.post("/api/v1/notifications/read", json={"ids": [notes[2].id, hidden]}, headers=auth)
    assert refused.status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notes[2].id).read_at is None  # nothing marked on a refusal
    done = client.post("/api/v1/notifications/read", json={}, headers=auth).get_json()
    assert done == {"marked": 2, "unread": 0}
    assert db.session.get(Notification, hidden).read_at is None  # not its to mark


def test_page_groups_by_object_unread_first_and_filters(browser, inbox):
    browser.login("liu@qingdao.example")
    html = browser.get("/notifications/").get_data(as_text=True)
    groups = html.split('class="card mb-2 notification-group')[1:]
    assert [g.split('data-target="')[1].split('"')[0] for g in groups] == ["test_dossier-3", "test_dossier-1"]
    assert "议题邀请：医保议题 第2次" in groups[1] and "另有 2 条较早的相关通知" in groups[1]
    assert "2 条未读" in groups[1] and "保密议题" not in html
    action = browser.get("/notifications/?action=1").get_data(as_text=True)
    assert "请表态：公交议题" in action and "医保议题" not in action.split('id="notification-list"')[1]
    assert "需要处理" in action


@pytest.mark.parametrize("role_index", range(2), ids=["anonymous", "member"])
def test_api_routes_by_role(app, browser, inbox, role_index):
    from tests.notifications.test_routes import GET_ACCESS
    walk_gets(browser, GET_ACCESS, [None, "liu@qingdao.example"], role_index,
              lambda e: url_of(app, e, {"notification_id": inbox["notes"][1].id}), login_redirect=False)


def test_the_api_is_typed_in_the_openapi_description(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/notifications"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"kind", "needs_action", "unread", "page", "per_page"}
    page = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schemas = spec["components"]["schemas"]
    assert set(schemas[page]["properties"]) == {"items", "total", "unread", "page", "per_page"}
    item = schemas[page]["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    assert {"id", "kind", "message", "url", "needs_action", "read_at", "created_at"} <= set(schemas[item]["properties"])
    assert "requestBody" in spec["paths"]["/api/v1/notifications/read"]["post"]
