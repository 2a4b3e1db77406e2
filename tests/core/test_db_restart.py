"""A PostgreSQL restart (here: every connection of the app terminated) costs no request
with pre-ping on; without it, the request that meets the dead connection gets a clean
503 (the database was unreachable: try again) and the next one works — the error
handler survives the dead connection. (A server stopped for a while: test_database_down.)"""
import os

import psycopg
import pytest

from consortium import create_app
from consortium.config import TestConfig

APP_NAME = "cdou-restart-test"
URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="terminates PostgreSQL backends")


def _config(pre_ping):
    class RestartConfig(TestConfig):
        TESTING = False  # the production error handlers, not the test-time re-raise

        def __init__(self, instance_path):
            super().__init__(instance_path)
            self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": pre_ping,
                                              "connect_args": {"application_name": APP_NAME}}
    return RestartConfig


def _terminate_app_connections() -> int:
    with psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE application_name = %s", (APP_NAME,)).fetchall())


def _restarted_app(pre_ping):
    app = create_app(_config(pre_ping))
    client = app.test_client()
    assert client.get("/api/v1/cities?q=青岛").get_json()["items"][0]["name"] == "青岛市"
    assert _terminate_app_connections() >= 1
    return app, client


def test_pre_ping_hides_a_database_restart():
    app, client = _restarted_app(pre_ping=True)
    response = client.get("/api/v1/cities?q=厦门")
    assert response.status_code == 200 and response.get_json()["items"][0]["name"] == "厦门市"
    with app.app_context():
        from consortium.extensions import db
        db.engine.dispose()


def test_without_pre_ping_one_clean_503_then_service_resumes():
    app, client = _restarted_app(pre_ping=False)
    first = client.get("/api/v1/cities?q=厦门")
    assert first.status_code == 503 and first.get_json()["error"]["code"] == 503
    page = client.get("/members/")  # an HTML page: the error page itself must not need the dead connection
    assert page.status_code == 200 and "成员" in page.get_data(as_text=True)
    second = client.get("/api/v1/cities?q=厦门")
    assert second.status_code == 200 and second.get_json()["items"][0]["name"] == "厦门市"
    with app.app_context():
        from consortium.extensions import db
        db.engine.dispose()
