"""Redis (the rate-limit store) stopped under the production set-up — gunicorn workers
sharing Redis — and started again: sign-in and anonymous downloads never answer 500;
by default each worker keeps counting the same limits in its own memory (logged) and
returns to Redis once it answers; with the fallback switched off they answer a clear
503. /healthz names the store as down while it is, and the database as up."""
import json
import os
import time

import pytest
import redis as redis_client

from consortium import create_app
from consortium.auth.services import create_user
from consortium.config import TestConfig
from consortium.extensions import db
from tests.servers import Gunicorn, HttpClient, RedisServer

pytestmark = pytest.mark.slow

EMAIL, PASSWORD = "secretariat@cdou.example", "a-long-password-4-tests"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A SQLite file with the schema and one account, shared by the servers of this module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('redis-down') / 'portal.db'}"

    class FileConfig(TestConfig):
        def __init__(self, instance_path):
            super().__init__(instance_path)
            self.SQLALCHEMY_DATABASE_URI = url
            self.SQLALCHEMY_ENGINE_OPTIONS = {}

    app = create_app(FileConfig)
    with app.app_context():
        db.create_all()
        create_user(None, email=EMAIL, password=PASSWORD, role="secretariat")
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture
def redis():
    server = RedisServer().start()
    yield server
    server.stop()


def _env(database_url, redis_url, **extra):
    env = dict(os.environ, CDOU_ENV="development", DATABASE_URL=database_url, RATELIMIT_STORAGE_URI=redis_url,
               SECRET_KEY="shared-secret-for-all-workers-0123456789",
               JOBS_BROKER_URL="immediate", **extra)  # no job worker here: the jobs check stays out of the way
    env.pop("TEST_DATABASE_URL", None)
    return env


def _health(client):
    status, headers, body = client.get("/healthz")
    assert headers["Content-Type"] == "application/json"
    report = json.loads(body)
    return status, report["status"], {name: check["status"] for name, check in report["checks"].items()}, report


def test_redis_down_sign_in_and_downloads_fall_back_to_per_process_limits(database_url, redis):
    server = Gunicorn(_env(database_url, redis.url), workers=2)
    try:
        visitor = HttpClient(server.base)
        assert _health(visitor)[:3] == (200, "pass", {"database": "pass", "rate-limit-store": "pass", "jobs": "pass"})

        redis.stop()
        status, overall, checks, report = _health(visitor)
        assert (status, overall, checks) == (200, "warn", {"database": "pass", "rate-limit-store": "fail", "jobs": "pass"})
        assert "in-memory fallback" in report["checks"]["rate-limit-store"]["output"]
        assert "127.0.0.1" not in json.dumps(report)  # states, never addresses

        member = HttpClient(server.base)
        status, headers, _ = member.post_form("/auth/login", {"email": EMAIL, "password": PASSWORD})
        assert status == 302, "sign-in works while Redis is down"
        status, _, page = member.get("/auth/account")
        assert status == 200 and EMAIL in page

        status, headers, body = visitor.get("/resources/export.csv")
        assert status == 200 and headers["Content-Type"].startswith("text/csv") and "编码" in body

        # the throttle still holds, counted by each of the 2 workers on its own (5 a minute per
        # address each; the sign-in above used one of them). Which worker takes a request is the
        # kernel's choice, so one may still have tries left at the end: count, don't expect an order.
        attacker = HttpClient(server.base)
        codes = [attacker.post_form("/auth/login", {"email": EMAIL, "password": f"guess-{i}"})[0] for i in range(24)]
        assert set(codes) <= {200, 429}, codes
        assert 4 <= codes.count(200) <= 2 * 5 - 1 and codes.count(429) >= 24 - (2 * 5 - 1), codes

        redis.start()  # empty, as a restarted Redis without persistence
        assert _health(visitor)[:3] == (200, "pass", {"database": "pass", "rate-limit-store": "pass", "jobs": "pass"})
        store = redis_client.Redis.from_url(redis.url)
        # a worker that fell back re-checks the store after 1, 2, 4, 8 … s; a worker the kernel gave
        # no request during the outage never fell back and writes to Redis at once, so the keys
        # alone do not say the one that fell back has recovered: wait for both
        deadline, codes = time.time() + 60, []
        while not (store.keys("LIMITS*") and "Rate limit storage recovered" in server.written()) \
                and time.time() < deadline:
            codes.append(visitor.get("/resources/export.csv")[0])
            time.sleep(0.3)
        assert store.keys("LIMITS*"), "the limits went back to Redis"
        assert set(codes) <= {200, 429}, codes
    finally:
        log = server.stop()
    assert "Rate limit storage unreachable - falling back to in-memory storage" in log
    assert "Rate limit storage recovered" in log
    assert "Traceback" not in log


def test_redis_down_without_fallback_answers_503(database_url, redis):
    server = Gunicorn(_env(database_url, redis.url, RATELIMIT_IN_MEMORY_FALLBACK="0"), workers=1)
    try:
        visitor = HttpClient(server.base)
        redis.stop()
        status, overall, checks, report = _health(visitor)
        assert (status, overall, checks) == (200, "warn", {"database": "pass", "rate-limit-store": "fail", "jobs": "pass"})
        assert "answer 503" in report["checks"]["rate-limit-store"]["output"]

        status, headers, page = visitor.post_form("/auth/login", {"email": EMAIL, "password": PASSWORD})
        assert status == 503 and headers["Retry-After"] == "30" and headers["Content-Type"].startswith("text/html")
        assert "登录和下载暂停片刻" in page and 'id="error-message"' in page
        status, headers, _ = visitor.get("/resources/export.csv")
        assert status == 503 and headers["Retry-After"] == "30"
        status, _, body = visitor.get("/resources/export.csv", headers={"Accept": "application/json"})
        assert status == 503 and json.loads(body)["error"]["code"] == 503
        status, _, page = visitor.get("/auth/login")  # only what is limited is refused
        assert status == 200 and 'name="password"' in page

        redis.start()
        status, _, _ = visitor.post_form("/auth/login", {"email": EMAIL, "password": PASSWORD})
        assert status == 302, "sign-in works again as soon as Redis answers"
    finally:
        log = server.stop()
    assert "rate-limit store unavailable on POST /auth/login" in log
