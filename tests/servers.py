"""Real servers the fault tests start, stop and start again: Redis, a private PostgreSQL
cluster, and the portal under gunicorn. Each listens on a free loopback port and is
stopped by the test that started it."""
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {proc.args}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


def _stop(proc: subprocess.Popen, seconds: float = 30) -> None:
    proc.terminate()
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


class RedisServer:
    """redis-server without persistence; ``stop()`` and ``start()`` again keep the port, as a
    restarted production Redis does (and it comes back empty)."""

    def __init__(self):
        self.binary = require_tool("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.proc = None

    def start(self) -> "RedisServer":
        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.proc)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            _stop(self.proc)
        self.proc = None


class PostgresServer:
    """A private PostgreSQL cluster (initdb in a temporary directory), so a test can stop and
    start it without touching the database the suite runs on. Run as the ``postgres`` user
    when the tests run as root (PostgreSQL refuses root)."""

    def __init__(self):
        self.bindir = _postgres_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="cdou-pg-"))
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def _run(self, tool, *args):
        command = [str(self.bindir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.dir)

    def start(self) -> "PostgresServer":
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "start", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off")
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


def _postgres_bindir() -> Path:
    found = shutil.which("pg_ctl") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                                                      reverse=True)), None)
    if found is None:
        require_tool("pg_ctl")  # skips, or fails in CI
    return Path(found).parent


class Gunicorn:
    """The portal under gunicorn (sync workers), with the given environment."""

    def __init__(self, env: dict, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would block the server
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
                                      f"127.0.0.1:{self.port}", "app:app"], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_port(self.port, self.proc, seconds=60)
        except (RuntimeError, TimeoutError):
            raise RuntimeError(self.stop()) from None

    def written(self) -> str:
        """What the server has written so far, while it runs."""
        return os.pread(self.log.fileno(), 10**7, 0).decode(errors="replace")

    def stop(self) -> str:
        """Stops the server; returns what it wrote (its log)."""
        _stop(self.proc, 30)  # workers finish their requests first; slow on a loaded machine
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


class HttpClient:
    """A browser over real HTTP: keeps cookies, sends forms with their CSRF token, follows no
    redirect. ``get``/``post`` return (status, headers, body text)."""

    def __init__(self, base: str, headers: dict | None = None):
        self.base = base
        self.headers = headers or {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode(errors="replace")

    def get(self, path: str, headers: dict | None = None):
        return self._open(urllib.request.Request(self.base + path, headers={**self.headers, **(headers or {})}))

    def post_form(self, path: str, data: dict, form_path: str | None = None):
        page = self.get(form_path or path)[2]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, **data}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, headers=self.headers))
