"""Findings 9, 12, 13, 14, 19 and 20 of the security review, one test per class:
malformed input is a 400/404 naming the field (never a 500, never stored mangled),
concurrent duplicates are a 409, production refuses unsafe settings, exports are
throttled and cached by content version, the Host header never reaches DCAT."""
import re

import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.catalog.models import DataResource
from consortium.config import ProductionConfig
from consortium.extensions import db

GOOD = {"code": "QD-SEC-1", "title": "公交客流数据", "domain": "transport", "frequency": "daily",
        "openness": "open"}


def _bearer(email="qingdao@cdou.example"):
    _t, raw = create_api_token(None, get_user_by_email(email), "测试")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _resources():
    return db.session.scalar(select(func.count(DataResource.id)))


# ---------------------------------------------------------------- production settings

@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/cdou")
    monkeypatch.setenv("SECRET_KEY", "9f2c4e7a1b3d5f60718293a4b5c6d7e8f9012a3b4c5d6e7f")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cdou.example.cn")
    return monkeypatch


@pytest.mark.parametrize("key,value,words", [
    ("SECRET_KEY", "x", "weak SECRET_KEY"),
    ("SECRET_KEY", "x" * 40, "weak SECRET_KEY"),
    ("SECRET_KEY", "changeme", "weak SECRET_KEY"),
    ("RATELIMIT_STORAGE_URI", "memory://", "memory://"),
    ("PUBLIC_BASE_URL", "", "PUBLIC_BASE_URL"),
])
def test_production_refuses_unsafe_settings(production_env, tmp_path, key, value, words):
    ProductionConfig(str(tmp_path))  # the sound settings start
    production_env.setenv(key, value)
    with pytest.raises(RuntimeError, match=words):
        ProductionConfig(str(tmp_path))


def test_production_pins_the_public_base_url(production_env, tmp_path):
    assert ProductionConfig(str(tmp_path)).PUBLIC_BASE_URL == "https://cdou.example.cn/"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_per_account_login_limit_beside_the_per_address_one(app, browser, demo):
    from tests.conftest import csrf_from
    token = csrf_from(browser.get("/auth/login").get_data(as_text=True))
    for i in range(10):  # from ten different addresses: the per-address limit never trips
        response = browser.client.post("/auth/login", data={"csrf_token": token, "email": "qingdao@cdou.example",
                                                            "password": f"wrong-{i}"},
                                       environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"})
        assert response.status_code == 200
    response = browser.client.post("/auth/login", data={"csrf_token": token, "email": "qingdao@cdou.example",
                                                        "password": "cdou-demo-2025"},
                                   environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429  # even the right password, from a new address
    response = browser.client.post("/auth/login", data={"csrf_token": token, "email": "xiamen@cdou.example",
                                                        "password": "cdou-demo-2025"},
                                   environ_base={"REMOTE_ADDR": "10.0.1.2"})
    assert response.status_code == 302  # another account is not affected


# ---------------------------------------------------------------- malformed input

@pytest.mark.parametrize("url", [
    "/api/v1/resources/99999999999999999999", "/resources/2147483648", "/api/v1/scenarios/9223372036854775808",
    "/api/v1/replications/99999999999", "/scenarios/99999999999",
])
def test_ids_too_large_for_the_database_are_404(client, demo, url):
    response = client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("url,field", [
    ("/api/v1/members?page=99999999999999999999", "page"),
    ("/api/v1/cities?per_page=10000000000000", "per_page"),
    ("/api/v1/resources?page=99999999999999999999", "page"),
    ("/api/v1/resources?q=%E5%85%AC%00%E4%BA%A4", "q"),
    ("/api/v1/members?q=%00", "q"),
    ("/api/v1/cities?q=a%00", "q"),
    ("/api/v1/scenarios?q=%00", "q"),
    ("/api/v1/resources?domain=%01", "domain"),
])
def test_bad_query_parameters_are_400_naming_the_field(client, demo, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_nul_in_html_search_is_a_400_page(client, demo):
    response = client.get("/resources/?q=%E5%8C%BB%00")
    assert response.status_code == 400 and "q" in response.get_data(as_text=True)


@pytest.mark.parametrize("body,field", [
    ({**GOOD, "title": []}, "title"),
    ({**GOOD, "title": {"zh": "公交"}}, "title"),
    ({**GOOD, "title": None}, "title"),
    ({**GOOD, "record_count": 1.5}, "record_count"),
    ({**GOOD, "record_count": "12"}, "record_count"),
    ({**GOOD, "record_count": 10**40}, "record_count"),
    ({**GOOD, "size_mb": "NaN"}, "size_mb"),
    ({**GOOD, "circulation_modes": "privacy"}, "circulation_modes"),
    ({**GOOD, "owner": "x"}, "owner"),
    ({**GOOD, "code": "QD\u202eSEC"}, "code"),
    ({**GOOD, "code": "QD\u200bSEC"}, "code"),
    ({**GOOD, "description": "公\x00交"}, "description"),
])
def test_wrongly_typed_json_is_refused_and_nothing_stored(client, demo, body, field):
    before = _resources()
    response = client.post("/api/v1/resources", json=body, headers=_bearer())
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["field"] == field
    assert _resources() == before


@pytest.mark.parametrize("raw,field", [
    ('{"code": "QD-SEC-2", "title": "x", "size_mb": 1e999}', "size_mb"),
    ('{"code": "QD-SEC-2", "title": "x", "size_mb": NaN}', "body"),
    ('{"code": "QD-SEC-2", "title": "x", "size_mb": Infinity}', "body"),
    ('{"code": "QD-SEC-2", "title": "\\ud83d"}', "title"),
    ('{"code": "QD-SEC-2", "title": "\\u0000"}', "title"),
    ('{"code": "QD-SEC-2", "description": "\\ud800"}', "description"),
    ('{"a":' * 50 + '1' + '}' * 50, "a"),
    ('[' * 5000 + ']' * 5000, "body"),
    ('"just a string"', "body"),
    ('{"code": ', "body"),
])
def test_malformed_json_documents_are_400(client, demo, raw, field):
    before = _resources()
    response = client.post("/api/v1/resources", data=raw.encode("utf-8", "surrogatepass"),
                           content_type="application/json", headers=_bearer())
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert _resources() == before


def test_scenario_api_refuses_null_and_lists_for_strings(client, demo):
    from consortium.scenarios.models import Replication, Scenario
    scenario = db.session.scalar(select(Scenario).where(Scenario.title == "两客一危动态监管"))
    rep = db.session.scalar(select(Replication).where(Replication.scenario_id == scenario.id,
                                                      Replication.member.has(code="xiamen")))
    headers = _bearer("xiamen@cdou.example")
    owner = rep.owner
    for body, field in (({"owner": None, "version": rep.version}, "owner"),
                        ({"owner": ["张三"], "version": rep.version}, "owner"),
                        ({"owner": "张三", "version": 1.5}, "version"),
                        ({"owner": "张三", "version": 10**30}, "version")):
        response = client.patch(f"/api/v1/replications/{rep.id}", json=body, headers=headers)
        assert response.status_code == 400 and response.get_json()["error"]["field"] == field
    db.session.expire_all()
    assert db.session.get(Replication, rep.id).owner == owner
    response = client.post("/api/v1/scenarios", headers=headers, json={
        "group": "transport", "title": "货运协同", "resource_ids": [2**40]})
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "resource_ids"


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-inf"])
def test_non_finite_numbers_in_forms_are_refused(browser, demo, value):
    browser.login("qingdao@cdou.example")
    before = _resources()
    response = browser.post_form("/resources/new", {**GOOD, "size_mb": value})
    assert response.status_code == 200 and "请输入一个有限的数字" in response.get_data(as_text=True)
    assert _resources() == before


def test_nul_in_a_form_is_refused_and_nothing_stored(browser, demo):
    browser.login("qingdao@cdou.example")
    before = _resources()
    response = browser.post_form("/resources/new", {**GOOD, "title": "公交\x00客流"})
    assert response.status_code == 400 and "title" in response.get_data(as_text=True)
    assert _resources() == before


@pytest.mark.parametrize("code", ["qd\u202egnip", "qd\u2066x", "qd x", "qd\u200dx"])
def test_codes_refuse_bidi_and_invisible_characters(demo, code):
    from consortium.core.exceptions import DomainError
    from consortium.geo.services import find_city
    from consortium.members.services import admit_member
    from consortium.members.models import Member
    with pytest.raises(DomainError) as e:
        admit_member(None, name="方向测试集团", kind="data_group", city=find_city("青岛"), code=code)
    assert e.value.field == "code"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Member.id)).where(Member.name == "方向测试集团")) == 0


# ---------------------------------------------------------------- LIKE wildcards

@pytest.mark.parametrize("url", ["/api/v1/members?q=%25", "/api/v1/members?q=_", "/api/v1/cities?q=%25",
                                 "/api/v1/cities?q=_", "/api/v1/scenarios?q=%25", "/api/v1/scenarios?q=_"])
def test_percent_and_underscore_match_themselves(client, demo, url):
    data = client.get(url).get_json()
    assert data["total"] == 0 and data["items"] == []


def test_audit_search_treats_wildcards_literally(browser, demo):
    browser.login("secretariat@cdou.example")
    assert "共 0 条记录" in browser.get("/audit/?q=%25").get_data(as_text=True)
    assert "共 0 条记录" not in browser.get("/audit/?q=qingdao").get_data(as_text=True)
    assert "共 0 条记录" not in browser.get("/audit/?q=QINGDAO").get_data(as_text=True)  # case does not matter, on both databases
    assert browser.get("/audit/?actor=99999999999999").status_code == 400
    assert browser.get("/audit/?page=99999999999999").status_code == 400


# ---------------------------------------------------------------- concurrent duplicates

def test_a_duplicate_that_slips_past_the_check_is_a_409(client, demo, monkeypatch):
    """Two requests creating the same code both pass the check before either inserts;
    the database's unique constraint stops the second: a 409 with a message, nothing stored."""
    from consortium.catalog import services
    headers = _bearer()
    assert client.post("/api/v1/resources", json=GOOD, headers=headers).status_code == 201
    monkeypatch.setattr(services, "_check_whole", lambda resource, code_is_free=False: None)  # the race: the check saw nothing
    before = _resources()
    response = client.post("/api/v1/resources", json=GOOD, headers=headers)
    assert response.status_code == 409
    assert "编号或键相同" in response.get_json()["error"]["message"]
    assert _resources() == before


def test_a_duplicate_member_code_is_a_409_page(browser, demo, monkeypatch):
    from consortium.members import services
    browser.login("secretariat@cdou.example")
    from consortium.members.models import Member
    # two admissions at once: both checks found the code free, the second insert meets the first
    monkeypatch.setattr(services, "_valid_code", lambda code: "qingdao")
    before = db.session.scalar(select(func.count(Member.id)))
    from consortium.geo.services import find_city
    response = browser.post_form("/members/new", {"name": "胶州数据集团", "kind": "data_group", "code": "jiaozhou", "level": "city",
                                                  "city": str(find_city("青岛").id), "joined_on": "2025-04-18"})
    assert response.status_code == 409 and "编号或键相同" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Member.id))) == before


# ---------------------------------------------------------------- exports and DCAT

def test_dcat_never_reflects_the_host_header(client, demo):
    for host in ("evil.example", "cdou.example.cn:8443"):
        for url in ("/catalog.ttl", "/catalog.jsonld"):
            body = client.get(url, headers={"Host": host}).get_data(as_text=True)
            assert host not in body and "http://localhost/resources/" in body


@pytest.mark.slow
def test_anonymous_exports_are_throttled_per_client(app, client, browser, demo):
    limit = int(app.config["EXPORT_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert client.get("/resources/export.csv", environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code == 200
    assert client.get("/resources/export.csv", environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code == 429
    assert client.get("/catalog.ttl", environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code == 429
    assert client.get("/resources/export.csv", environ_base={"REMOTE_ADDR": "10.9.0.2"}).status_code == 200
    browser.login("qingdao@cdou.example")  # signed-in users are not limited
    for _ in range(limit + 2):
        assert browser.get("/resources/export.csv", environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code == 200


def test_anonymous_exports_are_built_once_per_content_version(client, demo, monkeypatch):
    from consortium.catalog import exports, services
    builds = []
    real = exports.to_csv
    monkeypatch.setattr(exports, "to_csv", lambda rows, locale: builds.append(1) or real(rows, locale))
    first = client.get("/resources/export.csv?domain=transport").get_data()
    second = client.get("/resources/export.csv?domain=transport").get_data()
    assert first == second and len(builds) == 1
    member = get_user_by_email("qingdao@cdou.example").member
    services.create_resource(None, member, **{**GOOD, "is_public": True})
    db.session.commit()
    third = client.get("/resources/export.csv?domain=transport").get_data()
    assert len(builds) == 2 and "公交客流数据" in third.decode("utf-8-sig")


def test_ids_in_digits_other_than_ascii_are_no_ids(browser, demo):
    """``str.isdigit`` admits "²" and "１２", which int() then refuses or reads otherwise: every
    id a form or query gives is read by ``core.requests.row_id``; the comparison page ignores such
    ids instead of failing (it answered 500)."""
    from consortium.core.requests import row_id
    assert [row_id(v) for v in ("12", "²", "１２", "9" * 20, "-3", "", None, 7)] == [12, None, None, None, None,
                                                                                        None, None, 7]
    browser.login("qingdao@cdou.example")

    def page(url):
        response = browser.get(url)
        assert response.status_code == 200, url
        # but the per-request tokens and the language links (they carry the page's own address)
        return re.sub(r'(nonce|value)="[^"]*"|href="/lang/[^"]*"', "", response.get_data(as_text=True))
    assert page("/pricing/compare?ids=²") == page(f"/pricing/compare?ids={'9' * 20}") == page("/pricing/compare")
    assert page("/pricing/compare?ids=1&ids=%EF%BC%91") == page("/pricing/compare?ids=1")
