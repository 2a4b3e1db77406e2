"""Load test: gunicorn with N workers on a prepared database, then locust for a fixed
time with U users (half visitors, half signed-in members who export and write).
Loopback only; prints locust's table and the totals, and exits non-zero on any error.

    # a PostgreSQL database with the demo data and 100,000 synthetic entries:
    export DATABASE_URL=postgresql://postgres@127.0.0.1:55432/cdou_bench
    flask --app app db upgrade && flask --app app load-reference-data
    flask --app app seed-demo --if-empty && flask --app app seed-scale --resources 100000
    python bench/load_test.py --database-url $DATABASE_URL --workers 4 --users 16 --seconds 60

All virtual users come from 127.0.0.1, so the per-address sign-in limit is raised for the
run (LOGIN_RATE_LIMIT); every other setting is the portal's own. Needs the `bench` extra
(locust)."""
import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = ["qingdao@cdou.example", "xiamen@cdou.example", "ningbo@cdou.example", "wenzhou@cdou.example"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server stopped: " + proc.stdout.read().decode(errors="replace")[-2000:])
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer in time")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()

    env = dict(os.environ, CDOU_ENV="development", DATABASE_URL=args.database_url,
               SECRET_KEY=os.environ.get("SECRET_KEY", "load-test-" + os.urandom(16).hex()),
               LOGIN_RATE_LIMIT="1000 per minute", LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute")
    tokens = []
    for email in ACCOUNTS:
        out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "create-token", email, "--name", "load"],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip()
        tokens.append(f"{email}={out.splitlines()[-1]}")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "app:app"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    host = f"http://127.0.0.1:{port}"
    try:
        _wait(host + "/healthz", server)
        for path in ("/resources/?q=%E5%8C%BB", "/api/v1/resources?q=%E5%85%AC%E4%BA%A4"):  # warm every worker
            for _ in range(args.workers * 2):
                urllib.request.urlopen(host + path, timeout=120).read()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "load")
            run = subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                                  "--headless", "-u", str(args.users), "-r", str(args.users),
                                  "-t", f"{args.seconds}s", "--host", host, "--csv", prefix, "--only-summary",
                                  "--stop-timeout", "10"],
                                 cwd=ROOT, env=dict(env, BENCH_TOKENS=",".join(tokens)),
                                 capture_output=True, text=True)
            print(run.stdout[-6000:] or run.stderr[-6000:])
            with open(prefix + "_stats.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            failures_file = Path(prefix + "_failures.csv")
            failures = failures_file.read_text() if failures_file.exists() else ""
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"\nworkers={args.workers} users={args.users} seconds={args.seconds}")
    print(f"requests={total['Request Count']} failures={total['Failure Count']} "
          f"req/s={float(total['Requests/s']):.1f} p50={total['50%']} ms p95={total['95%']} ms "
          f"p99={total['99%']} ms max={float(total['Max Response Time']):.0f} ms")
    for r in rows:
        if r["Name"] != "Aggregated":
            print(f"  {r['Type']:6} {r['Name']:36} n={r['Request Count']:>6} fail={r['Failure Count']:>3} "
                  f"p50={r['50%']:>6} p95={r['95%']:>6}")
    if int(total["Failure Count"]):
        print(failures)
        sys.exit(1)


if __name__ == "__main__":
    main()
