"""Load test: gunicorn with N workers on a prepared database, then locust for a fixed
time with U users (half visitors, half signed-in members who export and write).
Loopback only; prints locust's table and the totals, and exits non-zero on any error.

    # a PostgreSQL database with the demo data and 100,000 synthetic entries:
    export DATABASE_URL=postgresql://postgres@127.0.0.1:55432/cdou_bench
    flask --app app db upgrade && flask --app app load-reference-data
    flask --app app seed-demo --if-empty && flask --app app seed-scale --resources 100000
    python bench/load_test.py --database-url $DATABASE_URL --workers 4 --users 16 --seconds 60

All virtual users come from 127.0.0.1, so the per-address limits are raised for the run: the
sign-in limit (LOGIN_RATE_LIMIT) and the anonymous downloads' (EXPORT_RATE_LIMIT, 20 a minute per
address: eight visitors asking for /catalog.ttl share one address here, never in use); every
other setting is the portal's own. Users start all at once unless ``--spawn-rate`` says how many a
second (locust's ``-r``). Job workers (``--job-workers``
processes of ``flask jobs worker``) run beside gunicorn on a broker of the run's own: huey's
SQLite storage, or with ``--redis`` a redis-server the script starts (production). While the load
runs, one member starts an XLSX export of the whole map through the API and the time until its
file is ready is printed. Needs the `bench` extra (locust)."""
import argparse
import csv
import json
import os
import shutil
import threading
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


WARM_PATHS = ("/", "/auth/login", "/members/", "/resources/?q=%E5%8C%BB", "/resources/?q=%E5%8C%BB&page=2",
              "/api/v1/resources?q=%E5%85%AC%E4%BA%A4", "/api/v1/resources?sort=newest&per_page=10")


def _warm(host, workers, token):
    """A running portal's workers have served requests before: each page kind of the mix is asked
    for by as many clients at once as there are workers, a few times, so that every worker (the
    kernel chooses which takes a request) has compiled its templates, loaded its translations
    and read the search's snapshot before the measured minute begins. Without it the first
    seconds measured each worker's start (sign-ins at the start took 2–3 s, warm ones 30 ms)."""
    def ask(path, headers):
        for _ in range(3):
            urllib.request.urlopen(urllib.request.Request(host + path, headers=headers), timeout=120).read()
    member = {"Authorization": f"Bearer {token}"}  # a member's visibility (its own non-public entries)
    for path, headers in [*((p, {}) for p in WARM_PATHS), ("/api/v1/resources?q=%E5%8C%BB", member)]:
        threads = [threading.Thread(target=ask, args=(path, headers)) for _ in range(workers * 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def _whole_map_xlsx(host, token, out, delay=5.0):
    """A member's XLSX of the whole map through the API while the load runs: seconds until ready."""
    time.sleep(delay)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.time()
    request = urllib.request.Request(host + "/api/v1/exports", data=b'{"format": "xlsx"}', headers=headers)
    job = json.load(urllib.request.urlopen(request, timeout=60))
    while job["state"] in ("queued", "running") and time.time() - start < 170:
        time.sleep(0.5)
        job = json.load(urllib.request.urlopen(urllib.request.Request(host + job["api_url"], headers=headers),
                                               timeout=60))
    out.update(state=job["state"], rows=job["rows"], message=job["message"])
    if job["state"] == "done":
        out["seconds"] = time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started a second (default: all at once)")
    parser.add_argument("--job-workers", type=int, default=1, help="flask jobs worker processes (2 threads each)")
    parser.add_argument("--redis", action="store_true", help="the job broker on a redis-server started here")
    args = parser.parse_args()
    shared = tempfile.mkdtemp(prefix="cdou-load-")
    redis = None
    if args.redis:
        redis_port = _free_port()
        redis = subprocess.Popen([shutil.which("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        broker = f"redis://127.0.0.1:{redis_port}/0"
    else:
        broker = f"sqlite:///{shared}/jobs.db"

    env = dict(os.environ, CDOU_ENV="development", DATABASE_URL=args.database_url,
               SECRET_KEY=os.environ.get("SECRET_KEY", "load-test-" + os.urandom(16).hex()),
               LOGIN_RATE_LIMIT="1000 per minute", LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute",
               EXPORT_RATE_LIMIT="1000 per minute",
               JOBS_BROKER_URL=broker, JOBS_FILE_DIR=f"{shared}/files", DCAT_CACHE_DIR=f"{shared}/dcat")
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
    job_workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "2"],
                                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for _ in range(args.job_workers)]
    whole_map: dict = {}
    try:
        _wait(host + "/healthz", server)
        _warm(host, args.workers, tokens[0].split("=", 1)[1])
        # the DCAT page exists in a running portal (built once, then rebuilt by workers after writes)
        urllib.request.urlopen(host + "/catalog.ttl", timeout=300).read()
        timer = threading.Thread(target=_whole_map_xlsx, args=(host, tokens[-1].split("=", 1)[1], whole_map),
                                 daemon=True)
        timer.start()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "load")
            run = subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                                  "--headless", "-u", str(args.users), "-r", str(args.spawn_rate or args.users),
                                  "-t", f"{args.seconds}s", "--host", host, "--csv", prefix, "--only-summary",
                                  "--stop-timeout", "10"],
                                 cwd=ROOT, env=dict(env, BENCH_TOKENS=",".join(tokens)),
                                 capture_output=True, text=True)
            print(run.stdout[-6000:] or run.stderr[-6000:])
            with open(prefix + "_stats.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            failures_file = Path(prefix + "_failures.csv")
            failures = failures_file.read_text() if failures_file.exists() else ""
        timer.join(max(0, 180 - args.seconds))
    finally:
        for proc in [server, *job_workers] + ([redis] if redis else []):
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(shared, ignore_errors=True)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"\nworkers={args.workers} users={args.users} spawn rate={args.spawn_rate or args.users}/s "
          f"seconds={args.seconds} job workers={args.job_workers} "
          f"broker={'redis' if args.redis else 'sqlite'} load average={os.getloadavg()[0]:.1f}")
    print("whole-map XLSX through a job: " + (f"{whole_map['rows']} rows ready in {whole_map['seconds']:.1f} s"
                                               if "seconds" in whole_map else f"not ready ({whole_map})"))
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
