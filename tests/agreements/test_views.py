"""The agreement pages and API: drafts stay between the parties until each confirms
(in the browser and through the API)."""
from datetime import date

from sqlalchemy import select

from consortium.agreements import services
from consortium.agreements.models import Agreement
from consortium.auth.services import create_api_token
from consortium.extensions import db


def test_non_public_agreements_are_hidden_from_outsiders(browser, world):
    a = services.record_agreement(world.users.fuzhou, subject="内部合作备忘", signed_on=None, status="negotiating",
                                  members=[world.fuzhou, world.chengdu], is_public=False)
    db.session.commit()
    assert browser.get(f"/agreements/{a.id}").status_code == 404
    assert "内部合作备忘" not in browser.get("/agreements/").get_data(as_text=True)
    assert browser.client.get(f"/api/v1/agreements/{a.id}").status_code == 404
    browser.login("user@shujubao.example")
    assert browser.get(f"/agreements/{a.id}").status_code == 404
    browser.logout()
    browser.login("user@chengdu.example")
    html = browser.get(f"/agreements/{a.id}").get_data(as_text=True)
    assert "内部合作备忘" in html and "福州数据集团" in html


def test_member_records_and_the_other_party_confirms_in_the_browser(browser, world):
    browser.login("user@fuzhou.example")
    r = browser.post_form("/agreements/new", {
        "subject": "公交数据互通", "signed_on": "2025-10-01", "status": "signed",
        "members": [str(world.fuzhou.id), str(world.xiamen.id)], "scenarios": [str(world.scenario.id)],
        "is_public": "y"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "公交数据互通" in html and "厦门大数据有限公司" in html and "公交信息智能服务" in html
    assert 'id="agreement-draft"' in html
    r = browser.post_form("/agreements/new", {
        "subject": "代他人签约", "status": "signed", "members": [str(world.xiamen.id), str(world.chengdu.id)]})
    assert r.status_code == 403
    assert db.session.scalars(select(Agreement.subject)).all() == ["公交数据互通"]
    a = db.session.scalar(select(Agreement))
    browser.logout()
    assert "公交数据互通" not in browser.get("/agreements/").get_data(as_text=True)  # a draft
    assert "公交数据互通" not in browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    browser.login("lead@xiamen.example")
    page = browser.get(f"/agreements/{a.id}").get_data(as_text=True)
    assert 'id="agreement-confirm"' in page
    browser.post_form(f"/agreements/{a.id}/confirm", {"version": a.version}, form_url=f"/agreements/{a.id}")
    browser.logout()
    db.session.expire_all()
    assert not db.session.get(Agreement, a.id).is_draft
    assert "公交数据互通" in browser.get("/agreements/").get_data(as_text=True)
    assert "公交数据互通" in browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)


def test_parties_confirm_through_the_api(client, world):
    _t, raw = create_api_token(None, world.users.fuzhou, "福州")
    _t, lead = create_api_token(None, world.users.lead, "厦门")
    db.session.commit()
    h, hl = {"Authorization": f"Bearer {raw}"}, {"Authorization": f"Bearer {lead}"}
    r = client.post("/api/v1/agreements", json={"subject": "公交数据互通", "status": "signed",
                                                "signed_on": date(2025, 10, 1).isoformat(),
                                                "members": ["fuzhou", "xiamen"]}, headers=h)
    assert r.status_code == 201 and r.get_json()["is_draft"] is True
    a = r.get_json()
    assert client.get(f"/api/v1/agreements/{a['id']}").status_code == 404  # visitors: a draft is not there
    stale = client.post(f"/api/v1/agreements/{a['id']}/confirm", json={"version": a["version"] - 1}, headers=hl)
    assert stale.status_code == 409
    missing = client.post(f"/api/v1/agreements/{a['id']}/confirm", json={}, headers=hl)
    assert missing.status_code == 400 and missing.get_json()["error"]["field"] == "version"
    ok = client.post(f"/api/v1/agreements/{a['id']}/confirm", json={"version": a["version"]}, headers=hl)
    assert ok.status_code == 200 and ok.get_json()["is_draft"] is False
    assert client.get(f"/api/v1/agreements/{a['id']}").get_json()["subject"] == "公交数据互通"
    removed = client.patch(f"/api/v1/agreements/{a['id']}", json={"version": ok.get_json()["version"],
                                                                   "members": ["fuzhou", "chengdu"]}, headers=h)
    assert removed.status_code == 403  # 福州 cannot drop 厦门
    ended = client.patch(f"/api/v1/agreements/{a['id']}", json={"version": ok.get_json()["version"],
                                                                 "status": "ended"}, headers=h)
    assert ended.status_code == 200 and ended.get_json()["is_draft"] is True
    assert client.get(f"/api/v1/agreements/{a['id']}").status_code == 404


def test_the_api_body_is_checked_by_its_schema_and_the_answer_is_agreement_out(client, world):
    """agreements.schemas: an unknown field, a wrong type or a bad date is a 400 naming the
    field and writes nothing; the answer has exactly AgreementOut's keys, Chinese values kept."""
    _t, raw = create_api_token(None, world.users.fuzhou, "福州")
    db.session.commit()
    h = {"Authorization": f"Bearer {raw}"}
    good = {"subject": "公交数据互通", "status": "signed", "signed_on": "2025-10-01", "members": ["fuzhou", "xiamen"],
            "scenario_ids": [world.scenario.id], "documents": "https://example.org/协议.pdf"}
    count = db.session.scalar(select(db.func.count(Agreement.id)))
    for bad, field in [({"subjetc": "错字"}, "subjetc"), ({"is_public": 1}, "is_public"),
                       ({"is_public": "y"}, "is_public"), ({"members": "fuzhou"}, "members"),
                       ({"members": [True]}, "members"), ({"signed_on": "2025年10月1日"}, "signed_on"),
                       ({"subject": ["公交"]}, "subject")]:
        response = client.post("/api/v1/agreements", json={**good, **bad}, headers=h)
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["field"] == field, bad
    assert db.session.scalar(select(db.func.count(Agreement.id))) == count
    made = client.post("/api/v1/agreements", json=good, headers=h)
    assert made.status_code == 201
    body = made.get_json()
    agreement = db.session.get(Agreement, body["id"])
    parties = {p["member"]: p for p in body.pop("parties")}
    assert body == {"id": agreement.id, "subject": "公交数据互通", "description": "", "signed_on": "2025-10-01",
                    "status": "signed", "is_public": True, "is_draft": True,
                    "documents": ["https://example.org/协议.pdf"], "scenario_ids": [world.scenario.id],
                    "version": agreement.version}
    assert parties["fuzhou"] == {"member": "fuzhou", "counterparty": None, "name": "福州数据集团", "confirmed": True}
    assert parties["xiamen"]["confirmed"] is False and parties["xiamen"]["name"] == "厦门大数据有限公司"
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(spec["AgreementOut"]["properties"]) == set(body) | {"parties"}
    assert "subjetc" not in spec["AgreementInput"]["properties"] and spec["AgreementInput"]["additionalProperties"] is False
