"""The database unreachable: every answer is the portal's own 503 — JSON under /api/, an
HTML page otherwise, in the session's or the browser's language since the signed-in user
cannot be loaded — and never needs the database itself; /healthz names the database as
down; the next request after the outage works, in the same session.

Two ways: a simulated outage on whichever database the suite runs (every new connection
refused, as by a stopped server), and a real PostgreSQL server stopped and started."""
import logging
import os
from contextlib import contextmanager
from unittest import mock

import pytest

from consortium import create_app
from consortium.auth.services import create_api_token, create_user, get_user_by_email
from consortium.config import TestConfig
from consortium.extensions import db
from tests.conftest import Browser
from tests.servers import PostgresServer

# the outage refuses new connections: the app's sessions must use the engine, not the test's connection
pytestmark = pytest.mark.committed

DB_DOWN_ZH = "数据库暂时没有响应，请一分钟后再试。"
DB_DOWN_EN = "The database is not answering. Please try again in a minute."


@contextmanager
def database_down(engine=None):
    """Every new connection is refused with the driver's own OperationalError, as when the
    server is stopped (the session first gives its connection back, so it needs a new one)."""
    engine = engine or db.engine
    db.session.close()
    refused = engine.dialect.loaded_dbapi.OperationalError("connection refused (simulated outage)")
    with mock.patch.object(engine.pool, "connect", side_effect=refused):
        yield


def _made_by_the_portal(response):
    """Not a server's bare error page: the portal's own hooks ran (security headers, request id)."""
    return "Content-Security-Policy" in response.headers and "X-Request-ID" in response.headers


def _message(response):
    import re
    found = re.search(r'id="error-message">([^<]*)<', response.get_data(as_text=True))
    return found.group(1) if found else None


@pytest.fixture
def english_member(app, demo):
    user = get_user_by_email("qingdao@cdou.example")
    user.locale = "en"  # the account's language: it cannot be read while the database is down
    _token, raw = create_api_token(None, user, "监控")
    db.session.commit()
    return raw


def test_api_answers_json_503_for_token_holders_signed_in_users_and_visitors(app, browser, english_member, caplog):
    browser.login("qingdao@cdou.example")
    visitor = app.test_client()
    with database_down(), caplog.at_level(logging.ERROR, logger="consortium"):
        answers = [
            app.test_client().get("/api/v1/resources", headers={"Authorization": f"Bearer {english_member}"}),
            browser.get("/api/v1/resources?q=医保"),
            visitor.get("/api/v1/cities?q=青岛"),
            app.test_client().post("/api/v1/resources", headers={"Authorization": f"Bearer {english_member}"},
                                   json={"code": "DOWN-1", "title": "公交"}),
        ]
    for response in answers:
        assert response.status_code == 503 and response.content_type == "application/json"
        assert response.get_json() == {"error": {"code": 503, "message": DB_DOWN_ZH}}
        assert response.headers["Retry-After"] == "30" and _made_by_the_portal(response)
    assert sum("database unavailable on" in r.getMessage() for r in caplog.records) == 4
    with database_down():  # an API client asking for English gets it, though its account cannot be read
        english = app.test_client().get("/api/v1/resources", headers={"Authorization": f"Bearer {english_member}",
                                                                      "Accept-Language": "en-US,en;q=0.8"})
    assert english.get_json()["error"]["message"] == DB_DOWN_EN


def test_pages_answer_an_html_503_in_the_browsers_or_the_sessions_language(app, browser, english_member):
    browser.login("qingdao@cdou.example")
    assert 'id="account-link"' in browser.get("/members/").get_data(as_text=True)
    with database_down():
        english = browser.get("/members/", headers={"Accept-Language": "en-GB,en;q=0.9"})
        chinese = browser.get("/members/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        unsaid = browser.get("/resources/?q=公交")
        missing = browser.get("/no-such-page")  # a 404 whose page would load the user: drawn without it
    for response in (english, chinese, unsaid):
        assert response.status_code == 503 and response.content_type.startswith("text/html")
        assert _made_by_the_portal(response) and response.headers["Retry-After"] == "30"
        page = response.get_data(as_text=True)
        assert 'id="login-link"' in page and 'id="account-link"' not in page  # drawn for a visitor
    assert _message(english) == DB_DOWN_EN and '<html lang="en">' in english.get_data(as_text=True)
    assert _message(chinese) == DB_DOWN_ZH and '<html lang="zh-CN">' in chinese.get_data(as_text=True)
    assert _message(unsaid) == DB_DOWN_ZH  # no preference said: the portal's own language
    assert missing.status_code == 404 and _message(missing) == "页面不存在，或您无权查看。"

    browser.get("/lang/en")  # the session's language comes first
    with database_down():
        response = browser.get("/members/", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 503 and _message(response) == DB_DOWN_EN


def test_after_the_outage_the_same_session_and_token_work(app, browser, english_member):
    browser.login("qingdao@cdou.example")
    with database_down():
        assert browser.get("/members/").status_code == 503
    page = browser.get("/members/")
    assert page.status_code == 200 and 'id="account-link"' in page.get_data(as_text=True)
    assert "Member directory" in page.get_data(as_text=True)  # the account's language again
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {english_member}"})
    assert api.status_code == 200 and api.get_json()["email"] == "qingdao@cdou.example"


def test_healthz_names_the_database_as_down(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "pass"
    assert {n: c["status"] for n, c in body["checks"].items()} == {"database": "pass", "rate-limit-store": "pass", "jobs": "pass"}
    with database_down():
        response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "fail" and body["checks"]["database"]["critical"] is True
    assert body["checks"]["rate-limit-store"]["status"] == "pass"
    assert "simulated" not in response.get_data(as_text=True)  # the error's text goes to the log only


def test_a_failing_non_critical_check_warns_with_200(client):
    from consortium.extensions import limiter
    with mock.patch.object(limiter.storage, "check", return_value=False):
        response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "warn"
    assert body["checks"]["rate-limit-store"] == {
        "status": "fail", "critical": False, "time_ms": body["checks"]["rate-limit-store"]["time_ms"],
        "output": "sign-in and anonymous downloads are limited by each process on its own (in-memory fallback) "
                  "until the store answers again"}
    assert body["checks"]["database"]["status"] == "pass"


def test_an_error_page_that_cannot_be_drawn_falls_back_to_the_plain_one(client, caplog):
    with mock.patch("consortium.core.signals.nav_entries", side_effect=RuntimeError("navigation broken")):
        response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and _made_by_the_portal(response)
    assert _message(response) == "页面不存在，或您无权查看。" and '<a class="btn btn-primary" href="/">返回首页</a>' in page
    assert 'id="login-link"' not in page  # the plain page: no navigation
    assert any("the error page could not be drawn" in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------- a real PostgreSQL

URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.slow
@pytest.mark.skipif(not URL.startswith("postgres"), reason="stops and starts a PostgreSQL server")
def test_a_stopped_postgresql_gives_503s_and_the_service_resumes_when_it_starts():
    server = PostgresServer().start()
    try:
        class StoppedConfig(TestConfig):
            def __init__(self, instance_path):
                super().__init__(instance_path)
                self.SQLALCHEMY_DATABASE_URI = server.url.replace("postgresql://", "postgresql+psycopg://")
                self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}

        app = create_app(StoppedConfig)
        with app.app_context():
            db.create_all()
            user = create_user(None, email="sec@cdou.example", password="a-long-password-4-tests",
                               role="secretariat")
            user.locale = "en"
            raw = create_api_token(None, user, "监控")[1]
            db.session.commit()
        browser = Browser(app.test_client())
        assert browser.login("sec@cdou.example", "a-long-password-4-tests").status_code == 200
        token = {"Authorization": f"Bearer {raw}"}

        server.stop()
        api = app.test_client().get("/api/v1/me", headers=token)
        page = browser.get("/audit/", headers={"Accept-Language": "en"})
        health = app.test_client().get("/healthz")
        assert api.status_code == 503 and api.get_json()["error"]["message"] == DB_DOWN_ZH
        assert page.status_code == 503 and _message(page) == DB_DOWN_EN and _made_by_the_portal(page)
        assert health.status_code == 503 and health.get_json()["checks"]["database"]["status"] == "fail"

        server.start()
        api = app.test_client().get("/api/v1/me", headers=token)
        page = browser.get("/audit/")
        assert api.status_code == 200 and api.get_json()["email"] == "sec@cdou.example"
        assert page.status_code == 200 and "Audit log" in page.get_data(as_text=True)  # signed in, in English
        assert app.test_client().get("/healthz").get_json()["status"] == "pass"
        with app.app_context():
            db.engine.dispose()
    finally:
        server.remove()
