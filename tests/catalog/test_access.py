"""申请使用: who may ask, who answers, who sees a request (and nobody else, also not
through lists, notifications or the API)."""
import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from consortium.auth.services import create_api_token
from consortium.catalog.access import permissions, services
from consortium.catalog.access.models import AccessRequest
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db
from consortium.notifications.models import Notification
from consortium.notifications.services import list_notifications
from tests.definition_answers import body_with


@pytest.fixture
def parties(catalog, make_member, make_user):
    wz = make_member(name="温州大数据公司", city="温州", code="wenzhou")
    catalog["users"]["wz"] = make_user("wz@cdou.example", member=wz)
    catalog["users"]["xm2"] = make_user("xm2@cdou.example", member=catalog["xm"])
    return catalog


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_member_asks_owner_decides_both_notified_and_audited(parties):
    users, credit = parties["users"], parties["r"]["credit"]  # 厦门's 授权运营 entry
    req = services.request_access(users["qd"], credit, purpose="信贷风控联合建模", scenario="信贷数据宝",
                                  period_start="2026-01-01", period_end="2026-12-31")
    db.session.commit()
    assert (req.status, req.requester_member_id, req.owner_member_id) == ("pending", parties["qd"].id, parties["xm"].id)
    # every user of the owner sees the notification; the requester's side does not (yet)
    assert [n.kind for n in list_notifications(users["xm2"])] == ["catalog.access_requested"]
    assert list_notifications(users["qd"]) == []
    with pytest.raises(DomainError):  # declining needs a reason
        services.decide_request(users["xm"], req, approve=False, reason=" ")
    db.session.rollback()
    assert db.session.get(AccessRequest, req.id).status == "pending"
    services.decide_request(users["xm2"], req, approve=False, reason="用途超出授权范围")
    db.session.commit()
    assert req.status == "declined" and req.decided_by_id == users["xm2"].id
    assert [n.kind for n in list_notifications(users["qd"])] == ["catalog.access_declined"]
    from consortium.audit.services import history_of
    actions = sorted(row.action for row in history_of(req))
    assert actions == ["create", "update"]
    with pytest.raises(DomainError):  # answered once
        services.decide_request(users["xm"], req, approve=True, reason="")


def test_who_may_ask(parties):
    users, r = parties["users"], parties["r"]
    with pytest.raises(PermissionDenied):  # one's own entry
        services.request_access(users["xm"], r["credit"], purpose="自用")
    with pytest.raises(PermissionDenied):  # the secretariat is not a member
        services.request_access(users["sec"], r["credit"], purpose="检查")
    from consortium.catalog import services as catalog_services
    catalog_services.update_resource(None, r["bus"], openness="open")
    with pytest.raises(PermissionDenied):  # open data needs no request
        services.request_access(users["qd"], r["bus"], purpose="公交")
    with pytest.raises(DomainError):  # a purpose is required
        services.request_access(users["qd"], r["credit"], purpose="")
    services.request_access(users["qd"], r["credit"], purpose="第一次")
    with pytest.raises(DomainError):  # one open request per member and entry
        services.request_access(users["qd"], r["credit"], purpose="第二次")
    db.session.rollback()
    assert _count(AccessRequest) == 0


def test_a_third_member_sees_nothing(parties, browser, client):
    users = parties["users"]
    req = services.request_access(users["qd"], parties["r"]["credit"], purpose="信贷风控")
    db.session.commit()
    wz = users["wz"]
    assert not permissions.can_view(wz, req)
    with pytest.raises(NotFound):
        services.get_request(wz, req.id)
    assert services.list_requests(wz) == []
    assert {x.id for x in services.list_requests(users["sec"])} == {req.id}
    assert not permissions.can_view_target(wz, req.id) and permissions.can_view_target(users["qd"], req.id)
    browser.login("wz@cdou.example")
    assert client.get(f"/resources/access-requests/{req.id}").status_code == 404
    assert "信贷风控" not in client.get("/resources/access-requests/?role=all").get_data(as_text=True)
    # the entry page lists no request to a third member either
    assert "resource-requests" not in client.get(f"/resources/{parties['r']['credit'].id}").get_data(as_text=True)
    token = create_api_token(None, wz, "t")[1]
    db.session.commit()
    api = client.get("/api/v1/access-requests", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert api == {"items": [], "total": 0}
    assert client.get(f"/api/v1/access-requests/{req.id}",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 404


def test_pages_ask_list_and_answer(parties, browser, client):
    credit = parties["r"]["credit"]
    browser.login("qd@cdou.example")
    page = client.get(f"/resources/{credit.id}").get_data(as_text=True)
    assert 'id="request-access"' in page
    bad = browser.post_form(f"/resources/{credit.id}/request-access", {"purpose": ""})
    assert bad.status_code == 200 and _count(AccessRequest) == 0
    response = browser.post_form(f"/resources/{credit.id}/request-access",
                                 {"purpose": "信贷风控联合建模", "scenario": "信贷数据宝", "period_start": "2026-01-01",
                                  "period_end": "2026-06-30"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "信贷风控联合建模" in html and "等待答复" in html and 'id="approve-form"' not in html
    req = db.session.scalar(select(AccessRequest))
    assert str(req.period_end) == "2026-06-30"
    browser.logout()
    browser.login("xm@cdou.example")
    mine = client.get("/resources/access-requests/").get_data(as_text=True)  # opens on its own requests: none
    assert "企业信用评价" not in mine
    listing = client.get("/resources/access-requests/?role=incoming").get_data(as_text=True)
    assert "企业信用评价" in listing and "青岛数据集团" in listing
    response = browser.post_form(f"/resources/access-requests/{req.id}/approve",
                                 {"terms": "限可信数据空间内使用", "granted_until": "2099-06-30",
                                  "delivery_method": "api", "delivery_detail": "https://api.xm.example/credit",
                                  "contact": "李工 · 厦门大数据有限公司 · 0592-1234567", "approve": "1"},
                                 form_url=f"/resources/access-requests/{req.id}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "已同意" in html and "限可信数据空间内使用" in html and 'id="request-history"' in html
    assert "已同意：青岛数据集团 可使用 企业信用评价，至 2099-06-30。" in html
    db.session.expire_all()
    assert db.session.get(AccessRequest, req.id).status == "approved"
    pending = client.get("/resources/access-requests/?role=incoming&status=pending").get_data(as_text=True)
    assert pending.count("企业信用评价") == 0  # no longer waiting for an answer


def test_api_create_decide_and_refuse(parties, client):
    users, credit = parties["users"], parties["r"]["credit"]
    qd = {"Authorization": f"Bearer {parties['token']}"}
    xm_token = create_api_token(None, users["xm"], "t")[1]
    db.session.commit()
    xm = {"Authorization": f"Bearer {xm_token}"}
    assert client.post(f"/api/v1/resources/{credit.id}/access-requests", json={"purpose": "x", "owner": "y"},
                       headers=qd).status_code == 400
    created = client.post(f"/api/v1/resources/{credit.id}/access-requests",
                          json={"purpose": "联合建模", "period_start": "2026-01-01"}, headers=qd)
    assert created.status_code == 201
    body = created.get_json()
    assert body["status"] == "pending" and body["owner"]["code"] == "xiamen"
    # the requester cannot answer its own request
    assert client.post(f"/api/v1/access-requests/{body['id']}/decision", json={"approve": True},
                       headers=qd).status_code == 403
    assert client.post(f"/api/v1/access-requests/{body['id']}/decision", json={"approve": "yes"},
                       headers=xm).status_code == 400
    grant = {"terms": "仅用于联合建模", "granted_until": "2099-12-31", "delivery_method": "file_exchange",
             "delivery_detail": "sftp://exchange.xm.example/qingdao", "contact": "李工 · 0592-1234567"}
    missing = client.post(f"/api/v1/access-requests/{body['id']}/decision", json={"approve": True, "reason": "同意"},
                          headers=xm)  # an approval grants terms, a period, a delivery and a contact
    assert missing.status_code == 400 and missing.get_json()["error"]["field"] == "terms"
    done = client.post(f"/api/v1/access-requests/{body['id']}/decision",
                       json={"approve": True, "reason": "同意", **grant}, headers=xm)
    assert done.get_json()["status"] == "approved"
    assert done.get_json()["grant"]["delivery_method"]["code"] == "file_exchange"
    incoming = client.get("/api/v1/access-requests?role=incoming", headers=xm).get_json()
    assert [x["id"] for x in incoming["items"]] == [body["id"]]
    assert client.get("/api/v1/access-requests?role=incoming", headers=qd).get_json()["total"] == 0


def test_withdraw_and_notification_kinds_read(parties, client, browser):
    users = parties["users"]
    req = services.request_access(users["qd"], parties["r"]["credit"], purpose="联合建模")
    db.session.commit()
    browser.login("qd@cdou.example")
    browser.post_form(f"/resources/access-requests/{req.id}/withdraw", {},
                      form_url=f"/resources/access-requests/{req.id}")
    db.session.expire_all()
    assert db.session.get(AccessRequest, req.id).status == "withdrawn"
    browser.logout()
    browser.login("xm@cdou.example")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "青岛数据集团 申请使用 企业信用评价" in html.replace("“", "").replace("”", "") or "申请使用" in html
    assert _count(Notification) == 2


def test_the_request_and_its_answer_have_one_definition(app, parties):
    """catalog.schemas.AccessRequestFields drives the form (its order, then the button), the
    service's limits and required fields, and what the API accepts."""
    from consortium.catalog.access import forms
    from consortium.catalog.schemas import AccessRequestFields
    from consortium.core.entity import described
    users, credit = parties["users"], parties["r"]["credit"]
    with app.test_request_context():
        assert [f.name for f in forms.AccessRequestForm(meta={"csrf": False})] == [
            *described(AccessRequestFields), "submit"]
        assert [f.name for f in forms.DeclineForm(meta={"csrf": False})] == ["reason", "decline"]
        assert [f.name for f in forms.ApproveForm(meta={"csrf": False})] == [
            "terms", "granted_from", "granted_until", "delivery_method", "delivery_space_id", "delivery_detail",
            "contact", "approve"]
    for fields, field in (({"purpose": "用" * 2001}, "purpose"), ({"purpose": " "}, "purpose"),
                          ({"purpose": "联合建模", "scenario": "场" * 201}, "scenario"),
                          ({"purpose": "联合建模", "period_start": "2026-13-01"}, "period_start")):
        with pytest.raises(DomainError) as e:
            services.request_access(users["qd"], credit, **fields)
        assert e.value.field == field
        db.session.rollback()
    assert _count(AccessRequest) == 0


def test_a_field_added_to_the_request_gets_its_input_on_the_pages(parties, browser, monkeypatch):
    """The request page lays out the defined fields by hand; any other field of the definition
    gets an input of its own."""
    from flask_babel import lazy_gettext as _l

    from consortium.catalog.access import forms
    from consortium.catalog.access import views as access_views
    from consortium.catalog.schemas import AccessRequestFields
    from consortium.core.entity import Text, form_class
    extra = type("WithBudget", (AccessRequestFields,), {"budget": Text(30, label=_l("Reason"))})
    monkeypatch.setattr(access_views, "AccessRequestForm", form_class("AccessRequestForm", forms._RequestBase, extra))
    browser.login(parties["users"]["qd"].email)
    html = browser.get(f"/resources/{parties['r']['credit'].id}/request-access").get_data(as_text=True)
    form = html[html.index('id="access-request-form"'):html.index("</form>", html.index('id="access-request-form"'))]
    assert 'name="budget"' in form and 'name="purpose"' in form
    monkeypatch.undo()
    html = browser.get(f"/resources/{parties['r']['credit'].id}/request-access").get_data(as_text=True)
    assert 'name="budget"' not in html


def _with(definition, name, limit):
    """A copy of a definition after adding a text field of at most ``limit`` characters."""
    from flask_babel import lazy_gettext as _l

    from consortium.core.entity import Text
    return type(f"{definition.__name__}With{name}", (definition,), {name: Text(limit, label=_l("Reason"))})


def test_a_field_added_to_the_request_is_taken_and_stored_by_the_service(parties, monkeypatch):
    from consortium.catalog.schemas import AccessRequestFields
    users, credit = parties["users"], parties["r"]["credit"]
    monkeypatch.setattr(services, "AccessRequestFields", _with(AccessRequestFields, "budget", 30))
    monkeypatch.setattr(AccessRequest, "budget", None, raising=False)  # stands for the new column
    with pytest.raises(DomainError) as e:
        services.request_access(users["qd"], credit, purpose="联合建模", budget="元" * 31)
    assert e.value.field == "budget" and "30" in e.value.message
    assert _count(AccessRequest) == 0  # nothing added to the session (the count flushes it)
    req = services.request_access(users["qd"], credit, purpose="联合建模", budget=" 十万元 ")
    assert (req.budget, req.purpose, req.status) == ("十万元", "联合建模", "pending") and _count(AccessRequest) == 1
    monkeypatch.undo()
    with pytest.raises(DomainError) as e:  # the real definition has no such field: refused by name
        services.request_access(users["qd"], credit, purpose="联合建模", budget="十万元")
    assert e.value.field == "budget"


GRANT = {"terms": "仅用于联合建模", "granted_until": "2099-12-31", "delivery_method": "api",
         "delivery_detail": "https://api.xm.example/credit", "contact": "李工 · 0592-1234567"}


def test_a_field_added_to_the_answer_is_taken_and_stored_by_the_service(parties, client, monkeypatch):
    from consortium.catalog.schemas import AccessGrantFields
    users, credit = parties["users"], parties["r"]["credit"]
    req = services.request_access(users["qd"], credit, purpose="联合建模")
    db.session.commit()
    monkeypatch.setattr(services, "AccessGrantFields", _with(AccessGrantFields, "conditions", 20))
    monkeypatch.setattr(AccessRequest, "conditions", None, raising=False)
    with pytest.raises(DomainError) as e:
        services.decide_request(users["xm"], req, approve=True, conditions="限" * 21, **GRANT)
    assert e.value.field == "conditions" and "20" in e.value.message
    # nothing written: the row is untouched in the session and in the database
    assert req not in db.session.dirty and (req.status, req.decided_at, req.conditions) == ("pending", None, None)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AccessRequest, req.id).status == "pending"
    services.decide_request(users["xm"], req, approve=True, reason=" 同意 ", conditions=" 限空间内使用 ", **GRANT)
    assert (req.status, req.decision_reason, req.conditions) == ("approved", "同意", "限空间内使用")


def test_the_api_hands_a_new_answer_field_to_the_service(parties, monkeypatch):
    from consortium.catalog.schemas import AccessDecisionBody, AccessGrantFields
    users = parties["users"]
    req = services.request_access(users["qd"], parties["r"]["credit"], purpose="联合建模")
    db.session.commit()
    extra = _with(AccessGrantFields, "conditions", 20)
    monkeypatch.setattr(services, "AccessGrantFields", extra)
    monkeypatch.setattr(AccessRequest, "conditions", None, raising=False)
    stored = []
    real = services.decide_request

    def spy(actor, req, **kw):
        answered = real(actor, req, **kw)
        stored.append(answered.conditions)  # the attribute stands for a column: read it before the request ends
        return answered
    monkeypatch.setattr(services, "decide_request", spy)
    # the API's body (``AccessDecisionBody``, bound when the app starts) derived from the longer
    # definition refuses the field over its limit; what it loads, the view hands to the service
    with pytest.raises(ValidationError) as refused:
        body_with(extra, AccessDecisionBody, {"approve": True, "conditions": "限" * 21, **GRANT})
    assert set(refused.value.messages) == {"conditions"} and stored == []
    body = body_with(extra, AccessDecisionBody, {"approve": True, "conditions": "限空间内使用", **GRANT})
    assert services.decide_request(users["xm"], req, **body).status == "approved" and stored == ["限空间内使用"]
