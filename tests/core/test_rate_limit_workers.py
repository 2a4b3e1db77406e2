"""Login throttling holds across several gunicorn workers when the limiter uses
a shared store (Redis), as the README tells production to configure."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import require_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read().decode(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


@pytest.fixture
def redis_url():
    redis = require_tool("redis-server")
    port = _free_port()
    proc = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _wait(port, proc)
    yield f"redis://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def test_login_limit_holds_across_four_gunicorn_workers(tmp_path, redis_url):
    env = dict(os.environ, CDOU_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path / 'rl.db'}",
               SECRET_KEY="shared-secret-for-all-workers", RATELIMIT_STORAGE_URI=redis_url)
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "app:app"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(port, server)
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(base + "/auth/login").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        codes = []
        for i in range(40):
            body = urllib.parse.urlencode({"csrf_token": token, "email": "nobody@cdou.example",
                                           "password": f"wrong-password-{i}"}).encode()
            try:
                codes.append(opener.open(base + "/auth/login", data=body).status)
            except urllib.error.HTTPError as e:
                codes.append(e.code)
        assert codes.count(429) == 35, codes
        assert codes[:5] == [200] * 5
    finally:
        server.terminate()
        try:
            server.wait(30)  # four workers finish their requests first; slow on a loaded machine
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
