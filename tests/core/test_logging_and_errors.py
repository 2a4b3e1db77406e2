"""The 500 path (tested, not skipped under testing), request ids and the log lines
operations rely on: sign-in failures, refusals, unexpected errors."""
import logging

import pytest
from flask import Blueprint
from sqlalchemy import func, select

from consortium import create_app
from consortium.config import TestConfig
from consortium.extensions import db


@pytest.fixture
def broken_app(app):
    """A second app whose one route fails unexpectedly after writing to the session."""
    other = create_app(TestConfig)
    bp = Blueprint("broken", __name__)

    @bp.get("/broken")
    def broken():
        from consortium.members.models import Member
        db.session.add(Member(code="half-written", name="只写了一半的成员", kind="data_group"))
        raise RuntimeError("boom")

    @bp.get("/api/v1/broken")
    def broken_api():
        raise RuntimeError("boom")

    other.register_blueprint(bp)
    with other.app_context():
        db.create_all()  # its own in-memory database on SQLite; the test database on PostgreSQL
    yield other
    with other.app_context():
        db.session.remove()
        if other.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            db.engine.dispose()


def test_an_unexpected_error_renders_a_page_logs_the_traceback_and_rolls_back(broken_app, caplog):
    from consortium.members.models import Member
    client = broken_app.test_client()
    with caplog.at_level(logging.ERROR, logger="consortium"):
        response = client.get("/broken", headers={"X-Request-ID": "trace-12345678"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "系统出错，错误已记录。" in html
    assert response.headers["X-Request-ID"] == "trace-12345678"
    record = next(r for r in caplog.records if r.getMessage().startswith("unhandled error on GET /broken"))
    assert record.exc_info and "boom" in str(record.exc_info[1])
    with broken_app.app_context():
        assert db.session.scalar(select(func.count(Member.id)).where(Member.code == "half-written")) == 0


def test_an_unexpected_api_error_answers_json(broken_app):
    response = broken_app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == 500


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    rid = response.headers["X-Request-ID"]
    assert rid != "bad id <script>" and len(rid) == 32 and rid.isalnum()


def test_sign_in_failures_and_refusals_are_logged(browser, demo, caplog):
    with caplog.at_level(logging.INFO, logger="consortium"):
        browser.post_form("/auth/login", {"email": "qingdao@cdou.example", "password": "不是这个密码123"})
        browser.login("qingdao@cdou.example")
        browser.get("/audit/")
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("sign-in failed for 'qingdao@cdou.example'") for m in messages)
    assert any(m.startswith("refused GET /audit/ for user ") for m in messages)
    assert not any("不是这个密码123" in m for m in messages)  # never a password
