"""Benchmark of the resource-map search (issue 3). Prints figures; asserts nothing.

Usage, from the repository root (the database must hold the synthetic rows; --seed N
tops it up with ``seed-scale`` first, deterministic, so an SQLite and a PostgreSQL
database seeded with the same N hold the same rows):

    # SQLite, 100k rows (Datasette runs on the same file)
    python bench/search_bench.py --database-url sqlite:////tmp/cdou-100k.db --seed 100000

    # PostgreSQL; Datasette needs an SQLite file holding the same rows
    python bench/search_bench.py --database-url postgresql://postgres@127.0.0.1:5432/cdou100k \\
        --seed 100000 --datasette-db /tmp/cdou-100k.db

    # 1M rows: the same with --seed 1000000 (seeding takes a while; about 10x the 100k time)

Options: --repeat R (measured passes over the query set, default 5), --duration S (seconds
of each throughput run, default 8), --clients C (load threads, default 4),
--no-datasette, --no-gunicorn.

What it measures
  1. Server-side latency of GET /api/v1/resources, in process (Flask test client, timed
     around the request): a fixed query set of 1-, 2-, 3-, 4+-character Chinese, Latin and
     no-hit queries, each with 0 to 3 facet filters, as a signed-in user (who sees every
     active entry: the larger result sets). "cold" is the first pass after start (posting
     lists read from the database), "warm" the following passes (posting lists cached in
     the process until the next write). p50/p95 over all requests of the passes.
  2. The same queries over HTTP on loopback, against our API under gunicorn (2 sync
     workers) and against Datasette serving the SQLite file (suggest_facets off; text as
     ``_where`` LIKE over title, description and keywords, because Datasette's ``_search``
     needs an FTS table whose trigram tokenizer misses 1-2 character queries; facets
     domain, openness, frequency, city_id, member_id; generous time limits so Datasette
     really computes them). Both timed by the same client; the ratio is printed. Each
     query's total is compared between both systems (same rows, same substring rule).
  3. Requests/second of the /resources HTML page (anonymous, rotating through the query
     set) versus /healthz, same gunicorn run, bounded loopback load loop of C threads.
     The load generator shares the machine's cores with the server. Before each HTTP
     measurement, a concurrent warm-up (every client requests every path twice) makes
     both workers load their columns and caches: the figures are steady-state ones.
"""
import argparse
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, q, facet filters)
QUERIES = [
    ("1 char", "医", {}),
    ("1 char", "车", {"domain": "transport"}),
    ("1 char", "数", {"province": "37", "openness": "conditional"}),
    ("2 char", "医保", {}),
    ("2 char", "公交", {"frequency": "realtime"}),
    ("2 char", "交通", {"province": "44", "mode": "privacy", "openness": "open"}),
    ("2 char", "数据", {}),
    ("3 char", "公积金", {}),
    ("3 char", "一码通", {"mode": "in_domain"}),
    ("3 char", "空气质", {"province": "32", "frequency": "realtime"}),
    ("4+ char", "两客一危", {}),
    ("4+ char", "医保结算明细", {"openness": "conditional"}),
    ("4+ char", "企业信用画像", {"domain": "finance", "mode": "central", "province": "33"}),
    ("Latin", "GPS", {}),
    ("Latin", "pm2.5", {"domain": "environment"}),
    ("Latin", "AQI", {"province": "11", "frequency": "realtime", "mode": "privacy"}),
    ("no hit", "量子纠缠", {}),
    ("no hit", "zzqx", {"domain": "health", "province": "37"}),
    ("facets only", "", {}),
    ("facets only", "", {"domain": "health", "province": "37", "mode": "privacy"}),
]


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def http_get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        conn.close()


def api_path(q, filters, per_page=20):
    args = {"q": q, **filters, "per_page": per_page} if q else {**filters, "per_page": per_page}
    return "/api/v1/resources?" + urllib.parse.urlencode(args)


def html_path(q, filters):
    args = {"q": q, **filters} if q else dict(filters)
    return "/resources/?" + urllib.parse.urlencode(args)


def setup(database_url, seed):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CDOU_ENV", "development")
    from consortium import create_app
    from consortium.auth.models import ROLE_SECRETARIAT
    from consortium.auth.services import create_api_token, create_user, get_user_by_email
    from consortium.extensions import db
    app = create_app()
    with app.app_context():
        db.create_all()
        if seed:
            from consortium.catalog.cli import seed_scale
            seed_scale(seed, echo=lambda *_a: None)
        user = get_user_by_email("bench@cdou.example")
        if user is None:
            user = create_user(None, email="bench@cdou.example", password=secrets.token_urlsafe(16),
                               role=ROLE_SECRETARIAT, name="benchmark")
        token = create_api_token(None, user, "bench")[1]
        db.session.commit()
        from sqlalchemy import func, select

        from consortium.catalog.models import DataResource
        n = db.session.scalar(select(func.count(DataResource.id)).where(DataResource.status == "active"))
    return app, token, n


def in_process(app, token, repeat):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/resources?per_page=1", headers=headers)  # load the facet columns once
    cold, warm, totals = [], [], {}
    for rnd in range(repeat + 1):
        for label, q, filters in QUERIES:
            path = api_path(q, filters)
            t = time.perf_counter()
            response = client.get(path, headers=headers)
            ms = (time.perf_counter() - t) * 1000
            assert response.status_code == 200, (path, response.status_code)
            (cold if rnd == 0 else warm).append((label, ms))
            totals[(q, tuple(sorted(filters.items())))] = response.get_json()["total"]
    return cold, warm, totals


def datasette_path(db_name, q, filters):
    where = ["status = 'active'"]
    if q:
        for term in q.split():
            lit = "'%" + term.replace("'", "''") + "%'"
            where.append(f"(title LIKE {lit} OR description LIKE {lit} OR keywords LIKE {lit})")
    args = [("_size", "20"), ("_facet", "domain"), ("_facet", "openness"), ("_facet", "frequency"),
            ("_facet", "city_id"), ("_facet", "member_id"), ("_labels", "off")]
    for key, value in filters.items():
        if key == "province":
            where.append(f"city_id IN (SELECT c.id FROM cities c JOIN provinces p ON p.id = c.province_id "
                         f"WHERE p.code = '{value}')")
        elif key == "mode":
            from consortium.catalog.constants import CIRCULATION_MODES
            where.append(f"(circulation_mask & {CIRCULATION_MODES[value][0]}) != 0")
        else:
            args.append((key, value))
    args.append(("_where", " AND ".join(where)))
    return f"/{db_name}/data_resources.json?" + urllib.parse.urlencode(args)


def measure_http(port, paths, repeat, headers=None, parse_total=None, warmup=1):
    cold, warm, totals = [], [], {}
    for rnd in range(1 - warmup, repeat + 1):
        for (label, key), path in paths:
            t = time.perf_counter()
            status, body = http_get(port, path, headers)
            ms = (time.perf_counter() - t) * 1000
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}: {body[:300]!r}")
            (cold if rnd <= 0 else warm).append((label, ms))
            if parse_total:
                totals[key] = parse_total(json.loads(body))
    return cold, warm, totals


def load(port, paths, duration, clients, headers=None):
    done = [0] * clients
    errors = [0] * clients
    stop = time.time() + duration

    def worker(i):
        k = i
        while time.time() < stop:
            status, _body = http_get(port, paths[k % len(paths)], headers)
            k += 1
            if status == 200:
                done[i] += 1
            else:
                errors[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t = time.time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.time() - t
    return sum(done) / elapsed, sum(errors)


def warm_up(port, paths, args, headers=None, rounds=2):
    """C concurrent clients each request every path ``rounds`` times (however long that
    takes), so that both sync workers load their columns and see every query: one client
    in sequence may keep hitting the same worker and leave the other cold. The figures
    that follow are steady-state ones."""
    def worker(i):
        for k in range(rounds * len(paths)):
            http_get(port, paths[(i * 7 + k) % len(paths)], headers)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def summary(name, samples):
    ms = [m for _label, m in samples]
    return f"{name:<44} p50 {pct(ms, 50):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   max {max(ms):7.1f} ms   n={len(ms)}"


def by_label(samples):
    out = {}
    for label, ms in samples:
        out.setdefault(label, []).append(ms)
    return "  ".join(f"{label}: p50 {pct(v, 50):.1f}/p95 {pct(v, 95):.1f}" for label, v in out.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=0, help="top the database up to N synthetic resources first")
    parser.add_argument("--datasette-db", help="SQLite file for Datasette (default: the SQLite database itself)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--duration", type=float, default=8)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--no-gunicorn", action="store_true")
    args = parser.parse_args()

    app, token, n = setup(args.database_url, args.seed)
    backend = args.database_url.split(":", 1)[0]
    print(f"== {backend}: {n:,} active resources; {len(QUERIES)} queries x {args.repeat} warm passes")

    app.config["CATALOG_RESULT_CACHE"] = False
    cold, uncached, our_totals = in_process(app, token, args.repeat)
    print(summary("API in process, cold (first pass after start)", cold))
    print(summary("API in process, result cache off", uncached))
    print("   by query kind:", by_label(uncached))
    app.config["CATALOG_RESULT_CACHE"] = True
    _cold, warm, _totals = in_process(app, token, args.repeat)
    print(summary("API in process, result cache on (warm)", warm))

    procs = []
    try:
        ours_http = None
        if not args.no_gunicorn:
            port = free_port()
            env = dict(os.environ, DATABASE_URL=args.database_url, PYTHONPATH=str(ROOT),
                       CDOU_ENV=os.environ.get("CDOU_ENV", "development"))
            gunicorn = Path(sys.executable).with_name("gunicorn")
            procs.append(subprocess.Popen([str(gunicorn), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                                           "--log-level", "warning", "app:app"], cwd=ROOT, env=env))
            wait_port(port)
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(4):  # both workers load their facet columns
                http_get(port, "/api/v1/resources?per_page=1", headers)
            paths = [((label, q), api_path(q, f)) for label, q, f in QUERIES]
            warm_up(port, [p for _k, p in paths], args, headers)
            ours_http = measure_http(port, paths, args.repeat, headers, warmup=1)
            print(summary("API over HTTP, gunicorn 2 sync workers, warm", ours_http[1]))

        if not args.no_datasette:
            ds_file = args.datasette_db or args.database_url.replace("sqlite:///", "", 1)
            if not Path(ds_file).exists():
                raise SystemExit(f"no SQLite file for Datasette: {ds_file}")
            ds_port = free_port()
            datasette = Path(sys.executable).with_name("datasette")
            procs.append(subprocess.Popen([
                str(datasette), "serve", ds_file, "-h", "127.0.0.1", "-p", str(ds_port),
                "--setting", "suggest_facets", "off", "--setting", "facet_time_limit_ms", "20000",
                "--setting", "sql_time_limit_ms", "60000", "--setting", "default_facet_size", "30",
                "--setting", "allow_download", "off"], cwd=ROOT, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
            wait_port(ds_port)
            db_name = Path(ds_file).stem
            paths = [((label, (q, tuple(sorted(f.items())))), datasette_path(db_name, q, f)) for label, q, f in QUERIES]
            ds_cold, ds_warm, ds_totals = measure_http(ds_port, paths, args.repeat,
                                                       parse_total=lambda b: b.get("filtered_table_rows_count"))
            print(summary("Datasette over HTTP, warm", ds_warm))
            print("   by query kind (warm):", by_label(ds_warm))
            mismatches = [(k, our_totals[k], v) for k, v in ds_totals.items() if our_totals.get(k) != v]
            print(f"   totals equal to ours for {len(ds_totals) - len(mismatches)}/{len(ds_totals)} queries"
                  + (f"; differing: {mismatches}" if mismatches else ""))
            if ours_http:
                ours = [m for _l, m in ours_http[1]]
                theirs = [m for _l, m in ds_warm]
                print(f"   Datasette / ours (HTTP, warm): p50 x{pct(theirs, 50) / pct(ours, 50):.1f}, "
                      f"p95 x{pct(theirs, 95) / pct(ours, 95):.1f}")

        if not args.no_gunicorn:
            html_paths = [html_path(q, f) for _label, q, f in QUERIES]
            warm_up(port, html_paths, args)
            health, health_err = load(port, ["/healthz"], args.duration, args.clients)
            page, page_err = load(port, html_paths, args.duration, args.clients)
            print(f"throughput, {args.clients} loopback clients, {args.duration:.0f} s each: /healthz {health:.0f} req/s, "
                  f"/resources {page:.0f} req/s -> {100 * page / health:.0f}% of /healthz (result cache on)"
                  + (f" (errors: {health_err + page_err})" if health_err + page_err else ""))
            procs[0].terminate()
            procs[0].wait(timeout=10)
            port = free_port()
            procs[0] = subprocess.Popen([str(gunicorn), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                                         "--log-level", "warning", "app:app"], cwd=ROOT,
                                        env=dict(env, CDOU_CATALOG_RESULT_CACHE="0"))
            wait_port(port)
            warm_up(port, html_paths, args)
            health, health_err = load(port, ["/healthz"], args.duration, args.clients)
            page, page_err = load(port, html_paths, args.duration, args.clients)
            print(f"throughput, result cache off: /healthz {health:.0f} req/s, /resources {page:.0f} req/s "
                  f"-> {100 * page / health:.0f}% of /healthz"
                  + (f" (errors: {health_err + page_err})" if health_err + page_err else ""))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
