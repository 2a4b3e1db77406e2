"""A signed-in session older than two minutes against a fresh one (issue 21): the same search
loop over HTTP for both, side by side, and anonymously. Prints figures; asserts nothing.

    python bench/session_bench.py --database-url sqlite:////path/cdou-100k.db [--age 130] [--seconds 45]

gunicorn (2 sync workers, the search preload settings) serves a prepared database (demo data +
``seed-scale``). Session OLD signs in first; for ``--age`` seconds the loop runs anonymously
(the baseline); then session FRESH signs in and the loop runs for ``--seconds`` with OLD and
FRESH alternating request by request, so both meet the same machine load. FRESH stays younger
than a minute (the touch interval) throughout; OLD is older than two minutes. The loop is the
13 searches of bench/search_bench.py on /api/v1/resources?per_page=100. Loopback only."""
import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import QUERIES  # noqa: E402

PASSWORD = os.environ.get("CDOU_DEMO_PASSWORD", "cdou-demo-2025")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _urls() -> list[str]:
    return ["/api/v1/resources?" + urllib.parse.urlencode({"q": q, "per_page": 100, **filters})
            for _label, q, filters in QUERIES[:13]]


class Client:
    def __init__(self, host):
        self.host = host
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.times: list[float] = []
        self.signed_in_at: float | None = None

    def sign_in(self, email):
        html = self.opener.open(self.host + "/auth/login").read().decode()
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"csrf_token": csrf, "email": email, "password": PASSWORD}).encode()
        page = self.opener.open(self.host + "/auth/login", data=body).read().decode()
        assert "/auth/logout" in page, "sign-in failed"
        self.signed_in_at = time.time()

    def get(self, path):
        start = time.perf_counter()
        self.opener.open(self.host + path, timeout=120).read()
        self.times.append((time.perf_counter() - start) * 1000)


def _summary(name, c: Client) -> str:
    t = sorted(c.times)
    p95 = t[int(0.95 * (len(t) - 1))]
    return f"{name:38} n={len(t):5} p50={statistics.median(t):7.1f} ms  p95={p95:7.1f} ms  mean={statistics.mean(t):7.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--age", type=int, default=130, help="seconds the old session waits before the pair loop")
    parser.add_argument("--seconds", type=int, default=45, help="length of the pair loop (keep it under 60)")
    parser.add_argument("--email", default="qingdao@cdou.example")
    args = parser.parse_args()
    env = dict(os.environ, CDOU_ENV="development", DATABASE_URL=args.database_url,
               SECRET_KEY="session-bench-" + os.urandom(8).hex(), LOGIN_RATE_LIMIT="1000 per minute",
               LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute")
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:consortium.catalog.search.preload",
                               "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120", "app:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180
        while True:
            try:
                urllib.request.urlopen(host + "/healthz", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.5)
        urls = _urls()
        anonymous, old, fresh = Client(host), Client(host), Client(host)
        for _ in range(3):  # warm both workers on every query
            for url in urls:
                Client(host).get(url)
        old.sign_in(args.email)
        while time.time() - old.signed_in_at < args.age:
            for url in urls:
                anonymous.get(url)
        fresh.sign_in(args.email)
        end = time.time() + args.seconds
        while time.time() < end:
            for url in urls:
                old.get(url)
                fresh.get(url)
        print(f"database: {args.database_url.split('://')[0]}  gunicorn -w 2  load average now: "
              f"{os.getloadavg()[0]:.1f}")
        print(_summary("anonymous (during the wait)", anonymous))
        print(_summary(f"session older than {args.age} s", old))
        print(_summary(f"fresh session (< {args.seconds + 1} s old)", fresh))
        ratio = statistics.median(old.times) / statistics.median(fresh.times)
        print(f"old / fresh p50: {ratio:.2f}")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
