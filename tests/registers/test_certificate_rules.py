"""Issue 22, registers: a certificate's state is what its dates and events say (everywhere it
appears), numbers match whatever their case or width, a certificate's page says where it counts
today, the check is asked per city, an entry's number links to the register, and anyone can
verify a certificate by its number — seeing what is public (公示) and nothing else."""
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token
from consortium.core.clock import local_today
from consortium.core.exceptions import Conflict, DomainError, NotFound
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.registers import services
from consortium.registers.models import Certificate
from tests.conftest import Browser
from tests.factories import create_resource

from .conftest import QINGDAO_CODE, valid_uscc

TODAY = local_today()


@pytest.fixture(autouse=True)
def _today():
    """Beijing's day when each test starts, not when the module was imported: a run that crosses
    Beijing's midnight (16:00 UTC) would otherwise date its rows a day early."""
    global TODAY
    TODAY = local_today()


def _cert(world, number, *, body=None, days_ago=400, valid_for=None, status="valid", changed=None,
          reason="", holder_uscc=QINGDAO_CODE, holder="青岛示例港航物流有限公司"):
    issued = TODAY - timedelta(days=days_ago)
    c = services.create_certificate(
        None, body or world.bodies.qingdao, number=number, holder_name=holder, holder_uscc=holder_uscc,
        product_name="港口集装箱动态数据集", issued_on=issued,
        valid_until=None if valid_for is None else issued + timedelta(days=valid_for), status=status,
        status_changed_on=changed, status_reason=reason)
    db.session.commit()
    return c


@pytest.fixture
def agreements(world):
    """青岛 ⇄ 湖州 mutual (in force); 潍坊 → 青岛 one way: 潍坊 accepts 青岛's certificates."""
    b = world.bodies
    services.create_recognition(None, recognising_body=b.qingdao, issuing_body=b.huzhou, mutual=True,
                                effective_from=TODAY - timedelta(days=300), document_ref="互认〔2025〕1号")
    services.create_recognition(None, recognising_body=b.weifang, issuing_body=b.qingdao, mutual=False,
                                effective_from=TODAY - timedelta(days=200), document_ref="互认〔2025〕2号")
    db.session.commit()


def _signed_in(client, user):
    browser = Browser(client)
    browser.login(user.email)
    return browser


# ---------------------------------------------------------------- the state, derived

@pytest.mark.parametrize("kwargs, state", [
    ({"valid_for": 365}, "expired"),                                   # ended yesterday-ish: 已过期
    ({"days_ago": -3, "valid_for": 365}, "not_yet"),                   # issued in three days: 未生效
    ({"valid_for": 900, "status": "cancelled", "changed": "past"}, "cancelled"),
    ({"valid_for": 900, "status": "revoked", "changed": "past"}, "revoked"),
    ({"valid_for": 900, "status": "revoked", "changed": "future"}, "valid"),  # revoked from a later day
    ({"valid_for": 365, "status": "revoked", "changed": "past"}, "revoked"),  # the event wins over the end
    ({"valid_for": 400}, "valid"),                                     # valid all of its last day
    ({}, "valid"),                                                     # no end date
])
def test_the_state_is_derived_from_dates_and_events(world, kwargs, state):
    changed = {"past": TODAY - timedelta(days=30), "future": TODAY + timedelta(days=30)}.get(kwargs.pop("changed", None))
    c = _cert(world, "QD-S-1", changed=changed, **kwargs)
    assert services.certificate_state(c)[0] == state
    assert db.session.scalar(select(func.count(Certificate.id)).where(services.state_clause(state))) >= 1
    for other in ("valid", "expired", "cancelled", "revoked", "not_yet"):
        ids = db.session.scalars(select(Certificate.id).where(services.state_clause(other))).all()
        assert (c.id in ids) == (other == state), other


def test_an_expired_certificate_reads_expired_in_the_list_the_page_the_api_the_export_and_the_check(
        world, client, agreements):
    """The issue's case: valid until a past day, recorded status 有效 — 已过期 everywhere."""
    c = _cert(world, "QDDJ2025000201", valid_for=364)
    browser = _signed_in(client, world.users.huzhou)
    listing = browser.get("/registers/certificates").get_data(as_text=True)
    row = re.search(r"QDDJ2025000201</a>.*?</tr>", listing, re.S).group(0)
    assert "已过期" in row and "text-bg-success" not in row
    page = browser.get(f"/registers/certificates/{c.id}").get_data(as_text=True)
    assert re.search(r'id="certificate-number">QDDJ2025000201 <span class="fs-6"><span class="badge certificate-state '
                     r'state-expired', page)
    assert "今天哪里认可" not in page or "已过期" in page
    assert 'id="counts-nowhere"' in page  # counts nowhere today
    token = {"Authorization": f"Bearer {create_api_token(None, world.users.huzhou, 't')[1]}"}
    db.session.commit()
    answer = client.get(f"/api/v1/certificates/{c.id}", headers=token).get_json()
    assert (answer["state"], answer["state_label"], answer["recognised_by"]) == ("expired", "已过期", [])
    assert answer["status"]["code"] == "valid"  # the recorded event stays what was recorded
    listed = client.get("/api/v1/certificates?state=expired", headers=token).get_json()["items"]
    assert [i["number"] for i in listed] == ["QDDJ2025000201"]
    valid = client.get("/api/v1/certificates?state=valid", headers=token).get_json()["items"]
    assert "QDDJ2025000201" not in [i["number"] for i in valid]
    assert all(i["state"] == "valid" for i in valid)
    assert client.get("/api/v1/certificates?state=gone", headers=token).status_code == 400
    data = browser.get("/registers/certificates.xlsx?state=expired").data
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][-3:] == ("发证机构", "当前状态", "状态起始日")
    assert [r[0] for r in rows[1:]] == ["QDDJ2025000201"] and rows[1][-2] == "已过期"
    csv = browser.get("/registers/certificates.csv").get_data(as_text=True)
    assert "QDDJ2025000201" in csv and "已过期" in csv
    check = client.get("/api/v1/recognition/check?certificate=QDDJ2025000201&body=hz", headers=token).get_json()
    assert check["recognised"] is False and check["reason"] == "certificate_expired"


def test_the_list_can_be_narrowed_to_a_state(world, client):
    _cert(world, "QD-V", valid_for=900)
    _cert(world, "QD-E", valid_for=100)
    browser = _signed_in(client, world.users.qingdao)
    html = browser.get("/registers/certificates?state=valid").get_data(as_text=True)
    assert "QD-V" in html and "QD-E" not in html
    html = browser.get("/registers/certificates?state=nonsense").get_data(as_text=True)
    assert "QD-V" in html and "QD-E" in html and "state" in html  # an unknown state: said, and not applied


# ---------------------------------------------------------------- numbers, whatever their case or width

@pytest.mark.parametrize("typed", ["qddj2025000201", "ＱＤＤＪ２０２５０００２０１", " QDDJ 2025000201 ", "Qddj2025000201"])
def test_a_number_is_found_whatever_its_case_width_or_spaces(world, client, typed):
    c = _cert(world, "QDDJ2025000201", valid_for=900)
    assert services.find_certificates(typed) == [c]
    token = {"Authorization": f"Bearer {create_api_token(None, world.users.huzhou, 't')[1]}"}
    db.session.commit()
    check = client.get("/api/v1/recognition/check", query_string={"certificate": typed, "body": "qd"},
                       headers=token).get_json()
    assert check["recognised"] is True and check["certificate"]["number"] == "QDDJ2025000201"
    listed = client.get("/api/v1/certificates", query_string={"number": typed}, headers=token).get_json()
    assert [i["id"] for i in listed["items"]] == [c.id]
    assert client.get("/api/v1/certificates/verify", query_string={"number": typed}).get_json()["number"] == \
        "QDDJ2025000201"
    browser = _signed_in(client, world.users.qingdao)
    html = browser.get("/registers/certificates", query_string={"q": typed}).get_data(as_text=True)
    assert 'id="certificate-count">1 ' in html.replace("\n", " ")


def test_two_numbers_differing_only_by_case_or_width_are_one_certificate(world):
    _cert(world, "QD-001-A")
    with pytest.raises(Conflict) as refused:
        services.create_certificate(None, world.bodies.qingdao, number="ｑｄ-００１-ａ", holder_name="x",
                                    holder_uscc=QINGDAO_CODE, product_name="y", issued_on=TODAY)
    assert "QD-001-A" in refused.value.message and refused.value.field == "number"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 2  # the fixture's and ours
    # another body may use the same number
    services.create_certificate(None, world.bodies.huzhou, number="qd-001-a", holder_name="x",
                                holder_uscc=valid_uscc(), product_name="y", issued_on=TODAY)


# ---------------------------------------------------------------- where it counts; the check per city

def test_a_certificates_page_lists_every_body_that_recognises_it_today_and_why(world, client, agreements):
    c = _cert(world, "QD-W-1", valid_for=900)
    where = services.recognised_by(c)
    assert [(r.body.code, r.reason) for r in where] == [("qd", "own_body"), ("hz", "agreement"), ("wf", "agreement")]
    hz = next(r for r in where if r.body.code == "hz")
    assert hz.agreement.document_ref == "互认〔2025〕1号" and hz.since == TODAY - timedelta(days=300)
    # 湖州's certificate counts in 青岛 (mutual) but not in 潍坊 (one way towards 青岛's certificates)
    h = _cert(world, "HZ-W-1", body=world.bodies.huzhou, valid_for=900, holder_uscc=valid_uscc())
    assert {r.body.code for r in services.recognised_by(h)} == {"hz", "qd"}
    # suspended: no longer counts there
    wf = next(r for r in where if r.body.code == "wf").agreement
    services.suspend_recognition(None, wf, on=TODAY - timedelta(days=1), reason="规则修订")
    db.session.commit()
    assert {r.body.code for r in services.recognised_by(c)} == {"qd", "hz"}
    browser = _signed_in(client, world.users.weifang)
    html = browser.get(f"/registers/certificates/{c.id}").get_data(as_text=True)
    section = re.search(r'id="where-it-counts">(.*?)</div>\s*<form', html, re.S).group(1)
    assert "青岛市数据资产登记中心" in section and "湖州市数据资产登记中心" in section
    assert "潍坊市数据资产登记中心" not in section and "互认〔2025〕1号" in section and "本机构签发" in section


@pytest.mark.parametrize("city, recognised, says", [
    ("湖州", True, "湖州市数据资产登记中心"),
    ("330200", False, "没有登记机构"),          # 宁波: no body recorded there
    ("潍坊", True, "潍坊市数据资产登记中心"),   # one way towards 青岛's certificates
])
def test_the_check_is_asked_per_city(world, client, agreements, city, recognised, says):
    _cert(world, "QD-C-1", valid_for=900)
    token = {"Authorization": f"Bearer {create_api_token(None, world.users.huzhou, 't')[1]}"}
    db.session.commit()
    answer = client.get("/api/v1/recognition/check", query_string={"certificate": "QD-C-1", "city": city},
                        headers=token).get_json()
    assert answer["recognised"] is recognised and says in answer["message"]
    browser = _signed_in(client, world.users.huzhou)
    html = browser.get("/registers/check", query_string={"certificate": "qd-c-1", "city": city}).get_data(as_text=True)
    assert 'id="check-verdict">' + ("是" if recognised else "否") in html and says in html


def test_a_city_whose_body_has_no_agreement_answers_no_with_the_reason(world, client):
    h = _cert(world, "HZ-C-1", body=world.bodies.huzhou, valid_for=900, holder_uscc=valid_uscc())
    answer = services.check_in_city(None, h, find_city("潍坊"), TODAY)
    assert answer.recognised is False and [a.reason for a in answer.answers] == ["no_agreement"]
    assert "潍坊市数据资产登记中心" in answer.message
    with pytest.raises(DomainError) as refused:
        services.check_from_params(None, {"certificate": "HZ-C-1"})
    assert refused.value.field == "body"
    with pytest.raises(DomainError) as refused:
        services.check_from_params(None, {"certificate": "HZ-C-1", "city": "不存在的城市"})
    assert refused.value.field == "city"


# ---------------------------------------------------------------- an entry's number links to the register

def test_an_entrys_certificate_number_links_to_the_certificate(world, client):
    c = _cert(world, "QDDJ2025000123", valid_for=900)
    entry = create_resource(world.members.qingdao, "港口集装箱动态数据", domain="transport", openness="open",
                            is_public=True, registration_no="qddj2025000123")
    unknown = create_resource(world.members.qingdao, "未登记数据", domain="transport", openness="open", is_public=True,
                              registration_no="XX-404")
    html = _signed_in(client, world.users.huzhou).get(f"/resources/{entry.id}").get_data(as_text=True)
    assert f'<a href="/registers/certificates/{c.id}"' in re.search(r'id="resource-registration">(.*?)</dd>', html).group(1)
    html = client.get(f"/resources/{unknown.id}").get_data(as_text=True)
    assert re.search(r'id="resource-registration">XX-404</dd>', html)
    Browser(client).logout()
    html = client.get(f"/resources/{entry.id}").get_data(as_text=True)  # a visitor: the public verification
    assert '<a href="/registers/verify/QDDJ2025000123"' in html


# ---------------------------------------------------------------- public verification

def test_a_visitor_verifies_a_certificate_and_sees_only_what_is_public(world, client, agreements):
    c = _cert(world, "QDDJ2025000233", valid_for=900, status="revoked", changed=TODAY - timedelta(days=10),
              reason="登记材料不实-内部原因")
    html = client.get("/registers/verify/qddj2025000233").get_data(as_text=True)
    assert 'data-state="revoked"' in html and "已撤销" in html and "青岛示例港航物流有限公司" in html
    assert "港口集装箱动态数据集" in html and (TODAY - timedelta(days=10)).isoformat() in html
    assert QINGDAO_CODE not in html and "登记材料不实-内部原因" not in html
    assert f"/registers/certificates/{c.id}" not in html
    answer = client.get("/api/v1/certificates/verify?number=QDDJ2025000233").get_json()
    assert answer["state"] == "revoked" and answer["recognised_by"] == []
    assert QINGDAO_CODE not in str(answer) and "内部原因" not in str(answer) and "id" not in answer
    valid = _cert(world, "QDDJ2025000300", valid_for=900)
    answer = client.get("/api/v1/certificates/verify?number=ＱＤＤＪ2025000300").get_json()
    assert answer["state"] == "valid" and answer["holder_name"] == valid.holder_name
    assert [r["body"] for r in answer["recognised_by"]] == ["qd", "hz", "wf"]
    assert set(answer) == {"number", "date", "state", "state_label", "since", "issuer", "holder_name",
                           "product_name", "issued_on", "valid_until", "recognised_by"}
    spec = client.get("/api/v1/openapi.json").get_json()
    assert set(spec["components"]["schemas"]["VerificationOut"]["properties"]) == set(answer)
    assert not spec["paths"]["/api/v1/certificates/verify"]["get"].get("security")
    member = _signed_in(client, world.users.huzhou).get("/registers/verify/QDDJ2025000300").get_data(as_text=True)
    assert f'href="/registers/certificates/{valid.id}" id="verify-member-link"' in member


def test_verification_refuses_what_it_cannot_answer_and_says_what_would(world, client):
    _cert(world, "DUP-1", valid_for=900)
    other_code = valid_uscc("91330500MA2B7C3D1")
    _cert(world, "dup-1", body=world.bodies.huzhou, valid_for=900, holder_uscc=other_code, holder="湖州另一家企业")
    response = client.get("/api/v1/certificates/verify?number=DUP-1")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == "credit_code" and "统一社会信用代码" in error["message"]
    assert "湖州另一家企业" not in error["message"]  # never names the other holders
    answer = client.get("/api/v1/certificates/verify", query_string={"number": "DUP-1", "credit_code": other_code})
    assert answer.get_json()["holder_name"] == "湖州另一家企业"
    assert client.get("/api/v1/certificates/verify?number=NOPE-404").status_code == 404
    wrong = client.get("/api/v1/certificates/verify", query_string={"number": "DUP-1", "credit_code": "123"})
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "credit_code"
    html = client.get("/registers/verify/DUP-1")
    assert html.status_code == 400 and "统一社会信用代码" in html.get_data(as_text=True)
    assert client.get("/registers/verify/NOPE-404").status_code == 404
    redirect = client.get("/registers/verify?number=qd-1&credit_code=X")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith("/registers/verify/qd-1?credit_code=X")


def test_visitors_verifications_are_limited_per_address_members_are_not(world, client, app):
    limit = int(app.config["VERIFY_RATE_LIMIT"].split()[0])
    statuses = [client.get("/api/v1/certificates/verify?number=QD-001").status_code for _ in range(limit)]
    assert set(statuses) == {200}
    assert client.get("/registers/verify/QD-001").status_code == 429  # pages and API share one limit
    browser = _signed_in(client, world.users.huzhou)
    assert browser.get("/registers/verify/QD-001").status_code == 200


def test_a_visitor_asking_the_check_is_told_why_and_where_to_verify(world, client):
    response = client.get("/registers/check?certificate=QD-001&body=hz")
    html = response.get_data(as_text=True)
    assert response.status_code == 401 and 'id="check-members-only"' in html
    assert 'href="/registers/verify/QD-001"' in html and "近海水文数据" not in html


def test_not_found_is_a_not_found(world):
    with pytest.raises(NotFound):
        services.verify_certificate("NOPE")
    with pytest.raises(DomainError) as refused:
        services.verify_certificate("  ")
    assert refused.value.field == "number"
