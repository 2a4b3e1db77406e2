"""/api/v1: bodies, recognitions and spaces are public; certificates and the check are for
members and the secretariat; a certificate can be recorded with a bearer token."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.registers import services
from consortium.registers.models import Certificate

from .conftest import valid_uscc


@pytest.fixture
def token(world):
    _t, raw = create_api_token(None, world.users.qingdao, "青岛同步")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_public_lists(world, client):
    services.create_recognition(None, recognising_body=world.bodies.qingdao, issuing_body=world.bodies.huzhou,
                                mutual=True, effective_from=date(2025, 3, 18), document_ref="青湖互认")
    services.create_space(None, name="海洋可信数据空间", kind="industry", status="running",
                          launched_on=date(2025, 6, 8), operator=world.members.qingdao, domains=["environment"],
                          circulation_modes=["in_domain"])
    db.session.commit()
    bodies = client.get("/api/v1/registration-bodies").get_json()
    assert bodies["total"] == 3 and {b["code"] for b in bodies["items"]} == {"qd", "hz", "wf"}
    rec = client.get("/api/v1/recognitions?body=hz").get_json()["items"][0]
    assert rec["mutual"] and rec["state"] == "in_force" and rec["history"][0]["event"] == "effective"
    spaces = client.get("/api/v1/data-spaces").get_json()
    space = spaces["items"][0]
    assert space["kind"]["label"] == "行业" and space["circulation_modes"][0]["label"] == "供方数据不出域"
    assert spaces["progress"]["counted"] == 1 and spaces["progress"]["target"] == 100
    assert client.get("/api/v1/data-spaces?kind=planet").status_code == 400


def test_check_api_over_dates(world, client, token):
    r = services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                    effective_from=date(2025, 3, 18), document_ref="湖认青")
    services.suspend_recognition(None, r, on=date(2025, 9, 1), reason="规则修订")
    db.session.commit()

    def ask(d, body="hz"):
        return client.get(f"/api/v1/recognition/check?certificate=QD-001&body={body}&date={d}", headers=token)

    expected = {date(2025, 3, 17): (False, "not_yet"), date(2025, 3, 18): (True, "agreement"),
                date(2025, 8, 31): (True, "agreement"), date(2025, 9, 1): (False, "suspended"),
                date(2025, 9, 2): (False, "suspended")}
    for d, (ok, reason) in expected.items():
        data = ask(d.isoformat()).get_json()
        assert (data["recognised"], data["reason"]) == (ok, reason), d
        assert data["agreement"]["document_ref"] == "湖认青" and data["date"] == d.isoformat()
    assert ask("2025-06-01", body="wf").get_json()["reason"] == "no_agreement"
    bad = ask("2025-02-30")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "date"
    unknown = client.get("/api/v1/recognition/check?certificate=NOPE&body=hz", headers=token)
    assert unknown.status_code == 400 and "NOPE" in unknown.get_json()["error"]["message"]
    assert client.get("/api/v1/recognition/check?certificate=QD-001&body=hz").status_code == 401


def test_certificates_api_create_and_refusals(world, client, token):
    listed = client.get("/api/v1/certificates?body=qd", headers=token).get_json()
    assert listed["total"] == 1 and listed["items"][0]["holder_name"] == "青岛海洋科技有限公司"
    code = valid_uscc("91370220MA3R1N6T5")
    body = {"body": "qd", "number": "QD-API-1", "holder_name": "青岛港航物流有限公司", "holder_uscc": code,
            "product_name": "集装箱动态", "issued_on": "2025-08-08", "valid_until": "2026-08-07"}
    r = client.post("/api/v1/certificates", json=body, headers=token)
    assert r.status_code == 201 and r.get_json()["status"]["code"] == "valid"
    assert db.session.scalar(select(Certificate.holder_uscc).where(Certificate.number == "QD-API-1")) == code
    count = db.session.scalar(select(func.count(Certificate.id)))
    dup = client.post("/api/v1/certificates", json=body, headers=token)
    assert dup.status_code == 409
    bad = client.post("/api/v1/certificates", json=dict(body, number="QD-API-2", holder_uscc=code[:-1] + "Z"),
                      headers=token)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "holder_uscc"
    other = client.post("/api/v1/certificates", json=dict(body, body="hz", number="HZ-API-1"), headers=token)
    assert other.status_code == 403  # 青岛's token cannot record 湖州's certificates
    late = client.post("/api/v1/certificates", json=dict(body, number="QD-API-3", valid_until=(
        date(2025, 8, 8) - timedelta(days=1)).isoformat()), headers=token)
    assert late.status_code == 400 and late.get_json()["error"]["field"] == "valid_until"
    assert db.session.scalar(select(func.count(Certificate.id))) == count


def test_a_certificate_answer_is_certificate_out_in_the_readers_language(world, client, token):
    """registers.schemas.CertificateOut: exactly its keys, dates as YYYY-MM-DD, the status label
    in the reader's language (Chinese by default, English for a user who chose it)."""
    cert = world.cert
    expected = {"id": cert.id, "number": "QD-001", "issuer": "qd", "holder_name": "青岛海洋科技有限公司",
                "holder_uscc": cert.holder_uscc, "product_name": "近海水文数据", "issued_on": "2025-01-10",
                "valid_until": "2027-01-09", "status": {"code": "valid", "label": "有效"},
                "status_changed_on": None, "status_reason": "", "url": f"/registers/certificates/{cert.id}"}
    state, since = services.certificate_state(cert)
    expected |= {"state": state, "state_label": {"valid": "有效", "expired": "已过期"}[state],
                 "state_since": since.isoformat()}
    where = [{"body": "qd", "name": "青岛市数据资产登记中心", "city": "青岛市", "reason": "own_body",
              "since": "2025-01-10", "why": "本机构签发", "agreement": None}] if state == "valid" else []
    assert client.get(f"/api/v1/certificates/{cert.id}", headers=token).get_json() == {**expected, "recognised_by": where}
    assert client.get("/api/v1/certificates?number=QD-001", headers=token).get_json()["items"] == [expected]
    world.users.qingdao.locale = "en"
    db.session.commit()
    english = client.get(f"/api/v1/certificates/{cert.id}", headers=token).get_json()
    assert english == {**expected, "status": {"code": "valid", "label": "Valid"},
                       "state_label": {"valid": "Valid", "expired": "Expired"}[state],
                       "recognised_by": [dict(w, why="issued it", city="Qingdao") for w in where]}
    body = client.get("/api/v1/registration-bodies", headers=token).get_json()["items"]
    qd = next(b for b in body if b["code"] == "qd")
    assert qd["name_zh"] == "青岛市数据资产登记中心" and qd["city"]["adcode"] == "370200"
    assert set(qd) == {"code", "name", "name_zh", "city", "operator", "register_url", "is_example", "url"}
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(spec["CertificateOut"]["properties"]) == set(expected)
