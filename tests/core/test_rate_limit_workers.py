"""Login throttling holds across several gunicorn workers when the limiter uses
a shared store (Redis), as the README tells production to configure."""
import os
import subprocess
import sys

import pytest

from tests.servers import ROOT, Gunicorn, HttpClient, RedisServer

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_url():
    redis = RedisServer().start()
    yield redis.url
    redis.stop()


def test_login_limit_holds_across_four_gunicorn_workers(tmp_path, redis_url):
    env = dict(os.environ, CDOU_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'rl.db'}",
               SECRET_KEY="shared-secret-for-all-workers", RATELIMIT_STORAGE_URI=redis_url)
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    server = Gunicorn(env, workers=4)
    try:
        client = HttpClient(server.base)
        codes = [client.post_form("/auth/login", {"email": "nobody@cdou.example",
                                                  "password": f"wrong-password-{i}"})[0] for i in range(40)]
        assert codes.count(429) == 35, codes
        assert codes[:5] == [200] * 5
    finally:
        server.stop()
