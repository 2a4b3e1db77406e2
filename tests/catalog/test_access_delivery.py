"""An approved access request leads to the data: the owner's contact, the terms and the
delivery for the requester; the owner marks it delivered, the requester confirms receipt —
each step waiting in the inbox of the one who must act; a reminder before the period ends
and the request expired after it. People are named by name and organisation."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from consortium.auth.services import create_api_token
from consortium.catalog.access import services
from consortium.catalog.access.models import AccessRequest
from consortium.core.clock import local_today
from consortium.extensions import db
from consortium.notifications.models import Notification
from tests.conftest import Browser

GRANT = {"terms": "限可信数据空间内使用，不得转售", "delivery_method": "api",
         "delivery_detail": "https://api.xm.example/credit", "contact": "李工 · 0592-1234567"}


@pytest.fixture
def asked(catalog):
    users = catalog["users"]
    users["qd"].name, users["xm"].name = "刘洋", "李明"
    req = services.request_access(users["qd"], catalog["r"]["credit"], purpose="信贷风控联合建模")
    db.session.commit()
    return req


def _as(app, email):
    browser = Browser(app.test_client())
    browser.login(email)
    return browser


def _section(html, key):
    start = html.index(f'id="ws-{key}"')
    return html[start:html.index("</ul>", start)]


def test_from_request_to_receipt_in_the_browser(app, catalog, asked):
    owner, requester = _as(app, "xm@cdou.example"), _as(app, "qd@cdou.example")
    waiting = _section(owner.get("/me").get_data(as_text=True), "access_requests")
    assert "青岛数据集团 申请使用 企业信用评价" in waiting and "同意或拒绝 →" in waiting
    assert f"/resources/access-requests/{asked.id}" in waiting
    mine = requester.get("/resources/access-requests/").get_data(as_text=True)  # opens on its own requests
    assert "企业信用评价" in mine
    detail = f"/resources/access-requests/{asked.id}"
    until = (local_today() + timedelta(days=90)).isoformat()
    owner.post_form(f"{detail}/approve", {**GRANT, "granted_until": until, "approve": "1"}, form_url=detail)
    assert 'id="ws-access_requests"' not in owner.get("/me").get_data(as_text=True)
    assert "企业信用评价" in _section(owner.get("/me").get_data(as_text=True), "access_deliveries")
    page = requester.get(detail).get_data(as_text=True)
    assert "限可信数据空间内使用，不得转售" in page and "李工 · 0592-1234567" in page
    assert "https://api.xm.example/credit" in page and until in page
    assert "刘洋 · 青岛数据集团" in page and "qd@cdou.example" not in page  # a person, not an address
    delivered = owner.post_form(f"{detail}/deliver", {"note": "API 密钥已发给李工", "deliver": "1"}, form_url=detail,
                                follow_redirects=True).get_data(as_text=True)
    assert "企业信用评价 已标记为已交付给 青岛数据集团，待对方确认收到。" in delivered
    receipt = _section(requester.get("/me").get_data(as_text=True), "access_receipts")
    assert "企业信用评价" in receipt and "确认收到" in receipt
    done = requester.post_form(f"{detail}/receipt", {"note": "已收到", "confirm": "1"}, form_url=detail,
                               follow_redirects=True).get_data(as_text=True)
    assert "已确认收到 厦门大数据有限公司 交付的 企业信用评价。" in done
    assert 'id="ws-access_receipts"' not in requester.get("/me").get_data(as_text=True)
    req = db.session.get(AccessRequest, asked.id)
    assert req.status == "received" and req.delivery_note == "API 密钥已发给李工" and req.receipt_note == "已收到"
    kinds = [k for (k,) in db.session.execute(select(Notification.kind).order_by(Notification.id))]
    assert kinds == ["catalog.access_requested", "catalog.access_approved", "catalog.access_delivered",
                     "catalog.access_received"]


def test_the_api_delivers_and_confirms_and_refuses_the_wrong_party(client, catalog, asked):
    users = catalog["users"]
    qd = {"Authorization": f"Bearer {catalog['token']}"}
    xm = {"Authorization": f"Bearer {create_api_token(None, users['xm'], 't')[1]}"}
    db.session.commit()
    url = f"/api/v1/access-requests/{asked.id}"
    early = client.post(f"{url}/delivery", json={}, headers=xm)
    assert early.status_code == 400 and db.session.get(AccessRequest, asked.id).delivered_at is None
    granted = client.post(f"{url}/decision", headers=xm, json={
        "approve": True, **GRANT, "granted_until": (local_today() + timedelta(days=30)).isoformat()}).get_json()
    assert granted["grant"]["contact"] == GRANT["contact"] and granted["grant"]["terms"] == GRANT["terms"]
    assert client.post(f"{url}/delivery", json={}, headers=qd).status_code == 403  # not the owner
    assert client.post(f"{url}/receipt", json={}, headers=qd).status_code == 400  # nothing delivered yet
    assert client.post(f"{url}/delivery", json={"note": "已发送"}, headers=xm).get_json()["status"] == "delivered"
    assert client.post(f"{url}/receipt", json={}, headers=xm).status_code == 403  # not the requester
    body = client.post(f"{url}/receipt", json={"note": "收到"}, headers=qd).get_json()
    assert body["status"] == "received"


def test_a_reminder_before_the_period_ends_and_expired_after_it(app, catalog, asked):
    xm = catalog["users"]["xm"]
    today = local_today()
    services.decide_request(xm, asked, approve=True, granted_until=today + timedelta(days=30), **GRANT)
    assert services.send_expiry_reminders(today) == 0  # 30 days left: not yet
    asked.granted_until = today + timedelta(days=5)
    db.session.commit()
    assert services.send_expiry_reminders(today) == 1 and services.send_expiry_reminders(today) == 0  # once
    db.session.commit()
    expiring = db.session.scalars(select(Notification).where(Notification.kind == "catalog.access_expiring")).all()
    assert {n.member_id for n in expiring} == {catalog["qd"].id, catalog["xm"].id}
    asked.granted_until = today - timedelta(days=1)
    db.session.commit()
    page = _as(app, "qd@cdou.example").get(f"/resources/access-requests/{asked.id}").get_data(as_text=True)
    assert "已到期" in page and "已结束" in _grant_period(page)
    owner = _as(app, "xm@cdou.example")
    assert 'id="ws-access_deliveries"' not in owner.get("/me").get_data(as_text=True)
    assert owner.client.post(f"/resources/access-requests/{asked.id}/deliver", data={}).status_code in (400, 403)
    assert db.session.get(AccessRequest, asked.id).delivered_at is None


def _grant_period(html):
    start = html.index('id="grant-period"')
    return html[start:html.index("</dd>", start)]


def test_the_job_engine_reminds_every_day(catalog, asked):
    from consortium.catalog.access.tasks import remind_of_ending_periods
    from consortium.jobs.engine import huey
    assert "catalog.access_reminders" in {t.name for t in huey._registry.periodic_tasks}
    services.decide_request(catalog["users"]["xm"], asked, approve=True,
                            granted_until=local_today() + timedelta(days=3), **GRANT)
    db.session.commit()
    assert remind_of_ending_periods() == 1 and remind_of_ending_periods() == 0
