"""Benchmark of the resource-map search engine (issue 8). Prints figures; asserts nothing.

Usage, from the repository root, after `pip install -e .[bench]` (Datasette). The databases
must hold the synthetic rows; --seed N tops them up with ``seed-scale`` first (deterministic:
an SQLite and a PostgreSQL database seeded with the same N hold the same rows):

    python bench/search_bench.py --sqlite /tmp/cdou-100k.db \\
        --postgres postgresql://postgres@127.0.0.1:5432/cdou100k --seed 100000

Sections (all by default; choose with --only writers,storage,http,cold,peers):
  writers  PostgreSQL: a 20,000-row import transaction is held open; meanwhile another
           member's edit of one entry, another member's new entry and a new account are
           timed (each in its own session, through the service layer, committed).
  storage  PostgreSQL: the search's own bytes (GIN index, change log) against the bytes of
           the text it indexes; the whole database against the catalogue written as CSV.
           SQLite: the FTS5 table's bytes (dbstat) against the same text.
  http     /api/v1/resources (default page of 20 with facets) over HTTP on loopback under
           gunicorn with 2 and with 4 sync workers (preload settings), per database: one client in sequence
           after a warm-up (every worker has loaded its columns and seen every query), and
           a second pass with 4 concurrent clients. Memory (RSS and PSS) of each worker after.
  cold     a freshly started single worker: time of its first search, plain (the worker reads
           every row's columns on that search) and with consortium/catalog/search/preload.py
           (the master read them before forking).
  peers    on the same rows and queries: Datasette's own search (FTS5 trigram over title,
           description and keywords: answers counted wrong when its total differs from a plain
           substring match over those columns), Datasette with LIKE filters (correct by
           construction, facets on), and PostgreSQL pg_trgm (GIN trigram index over the same
           text as our index; SQL time in process for count + page + the facet GROUP BYs).
The machine is a shared 2-core VM: the load generator, the servers and the databases share it.
"""
import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
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
TEXT_SQL = "coalesce(title,'') || ' ' || coalesce(description,'') || ' ' || coalesce(keywords,'')"


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def fmt(values):
    return f"p50 {pct(values, 50):7.1f}  p95 {pct(values, 95):7.1f}  max {max(values):7.1f} ms (n={len(values)})"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def http_get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def api_path(q, filters, per_page=20):
    args = {"q": q, **filters, "per_page": per_page} if q else {**filters, "per_page": per_page}
    return "/api/v1/resources?" + urllib.parse.urlencode(args)


def make_app(database_url, seed):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CDOU_ENV", "development")
    from consortium import create_app
    from consortium.extensions import db
    app = create_app()
    with app.app_context():
        db.create_all()
        if seed:
            from consortium.catalog.cli import seed_scale
            t = time.perf_counter()
            added = seed_scale(seed, echo=lambda *_a: None)
            if added:
                print(f"   seeded {added:,} rows in {time.perf_counter() - t:.0f} s")
    return app


def bench_user(app):
    from consortium.auth.models import ROLE_SECRETARIAT
    from consortium.auth.services import create_api_token, create_user, get_user_by_email
    from consortium.extensions import db
    with app.app_context():
        user = get_user_by_email("bench@cdou.example")
        if user is None:
            user = create_user(None, email="bench@cdou.example", password=secrets.token_urlsafe(16),
                               role=ROLE_SECRETARIAT, name="benchmark")
        token = create_api_token(None, user, "bench")[1]
        db.session.commit()
    return token


# --------------------------------------------------------------------------- writers

def writers(app):
    from sqlalchemy import func, insert, select

    from consortium.audit.services import set_actor
    from consortium.auth.services import create_user, get_user_by_email
    from consortium.catalog import services
    from consortium.catalog.demo import make_resource_values
    from consortium.catalog.models import DataResource
    from consortium.extensions import db
    from consortium.members.models import Member
    import random

    started, release, done = threading.Event(), threading.Event(), {}

    def importer():
        with app.app_context():
            member = db.session.scalars(select(Member).where(Member.code.like("syn-%")).order_by(Member.id)).first()
            rng = random.Random(8)
            rows = []
            for i in range(20_000):
                values = make_resource_values(rng, "导入市", i, "IMPBENCH")
                values.update(member_id=member.id, city_id=member.city_id, code=f"IMPBENCH-{i}")
                rows.append(values)
            t = time.perf_counter()
            db.session.execute(insert(DataResource), rows)
            done["import_ms"] = (time.perf_counter() - t) * 1000
            started.set()
            release.wait(60)
            db.session.rollback()  # leave the benchmark database as it was

    def edits(timings, label):
        sec = get_user_by_email("bench@cdou.example")
        set_actor(sec)
        other = db.session.scalars(select(Member).where(Member.code.like("syn-%")).order_by(Member.id.desc())).first()
        for k in range(5):
            resource = db.session.scalars(select(DataResource).where(DataResource.member_id == other.id)
                                          .order_by(DataResource.id).offset(k)).first()
            t = time.perf_counter()
            services.update_resource(sec, resource, title=f"{resource.title[:150]}（修订{k}）")
            db.session.commit()
            timings.setdefault(("another member edits one entry", label), []).append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            created = services.create_resource(sec, other, code=f"BENCH-{secrets.token_hex(4)}", title="并发新增条目",
                                               domain="transport", openness="open", frequency="daily")
            db.session.commit()
            timings.setdefault(("another member adds one entry", label), []).append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            user = create_user(None, email=f"bench-{secrets.token_hex(4)}@cdou.example",
                               password=secrets.token_urlsafe(16), role="member", member=other)
            db.session.commit()
            timings.setdefault(("a new account (its password hash included)", label), []).append(
                (time.perf_counter() - t) * 1000)
            db.session.delete(created)
            db.session.delete(user)
            db.session.commit()

    timings = {}
    with app.app_context():
        edits(timings, "alone")
        count = db.session.scalar(select(func.count(DataResource.id)))
    thread = threading.Thread(target=importer)
    thread.start()
    started.wait(600)
    with app.app_context():
        edits(timings, "import open")
    release.set()
    thread.join()
    print(f"-- writers (PostgreSQL, {count:,} rows): a 20,000-row import inserted in "
          f"{done['import_ms']:.0f} ms and held open (uncommitted) while others write; same writes alone first:")
    for (name, label), values in timings.items():
        print(f"   {name:<38} {label:<12} {fmt(values)}" + ("   target <= 200 ms" if label != "alone" else ""))


# --------------------------------------------------------------------------- storage

def storage_pg(app):
    from consortium.extensions import db
    with app.app_context():
        # the writers section's rolled-back 20,000-row import leaves dead index entries and log
        # rows until autovacuum passes; measure what the search keeps, as autovacuum leaves it
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            autocommit.exec_driver_sql("VACUUM (ANALYZE) data_resources, catalog_changes")
        c = db.session.connection()
        one = lambda sql: c.exec_driver_sql(sql).scalar()  # noqa: E731
        n = one("SELECT count(*) FROM data_resources")
        text_bytes = one("SELECT sum(octet_length(title) + octet_length(coalesce(description, '')) + "
                         "octet_length(coalesce(keywords, '')) + octet_length(coalesce(department, ''))) "
                         "FROM data_resources")
        index = one("SELECT pg_relation_size('ix_data_resources_grams')")
        log = one("SELECT pg_total_relation_size('catalog_changes')")
        log_rows = one("SELECT count(*) FROM catalog_changes")
        table = one("SELECT pg_total_relation_size('data_resources')")
        database = one("SELECT pg_database_size(current_database())")
        raw = c.connection.driver_connection
        csv_bytes = 0
        with raw.cursor() as cur, cur.copy("COPY data_resources TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for chunk in copy:
                csv_bytes += len(chunk)
        db.session.rollback()
    mb = 1 << 20
    print(f"-- storage (PostgreSQL, {n:,} entries, after VACUUM)")
    print(f"   text indexed (title, description, keywords, department): {text_bytes / mb:.1f} MB")
    print(f"   GIN index over catalog_grams(): {index / mb:.1f} MB = {index / text_bytes:.2f}x the text; change log "
          f"({log_rows:,} rows, pruned after a day): {log / mb:.2f} MB; both {(index + log) / text_bytes:.2f}x the text "
          "(target <= 2x)")
    print(f"   data_resources with all its indexes: {table / mb:.1f} MB; whole database {database / mb:.1f} MB; "
          f"catalogue as CSV {csv_bytes / mb:.1f} MB -> database {database / csv_bytes:.1f}x the CSV (target <= 8x)")


def storage_sqlite(path):
    con = sqlite3.connect(path)
    try:
        n = con.execute("SELECT count(*) FROM data_resources").fetchone()[0]
        text_bytes = con.execute("SELECT sum(length(CAST(title AS BLOB)) + length(CAST(coalesce(description, '') "
                                 "AS BLOB)) + length(CAST(coalesce(keywords, '') AS BLOB)) + "
                                 "length(CAST(coalesce(department, '') AS BLOB))) FROM data_resources").fetchone()[0]
        try:
            fts = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'resource_text%'").fetchone()[0]
        except sqlite3.OperationalError:
            fts = None
    finally:
        con.close()
    size = os.path.getsize(path)
    mb = 1 << 20
    print(f"-- storage (SQLite, {n:,} entries): text {text_bytes / mb:.1f} MB; file {size / mb:.1f} MB; " + (
        f"FTS5 gram index {fts / mb:.1f} MB = {fts / text_bytes:.2f}x the text" if fts else "dbstat not available"))


# --------------------------------------------------------------------------- HTTP

PRELOAD = ["-c", "python:consortium.catalog.search.preload"]


def start_gunicorn(database_url, workers, extra_env=None, options=()):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(ROOT),
               CDOU_ENV=os.environ.get("CDOU_ENV", "development"), **(extra_env or {}))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), *options, "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}",
                             "--timeout", "120", "--log-level", "warning", "app:app"], cwd=ROOT, env=env)
    return proc, port


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def worker_memory(master_pid):
    out = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        rss = pss = 0
        for line in Path(f"/proc/{child}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) // 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) // 1024
        out.append((rss, pss))
    return out


def load(port, paths, duration, clients, headers=None):
    """``clients`` threads request ``paths`` in turn for ``duration`` seconds: (requests per
    second answered 200, other answers). Used by bench/dashboard_bench.py."""
    done, errors = [0] * clients, [0] * clients
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
    started = time.time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(done) / (time.time() - started), sum(errors)


def concurrent(port, paths, clients, rounds, headers):
    samples, lock = [], threading.Lock()

    def worker(i):
        for k in range(rounds * len(paths)):
            t = time.perf_counter()
            status, body = http_get(port, paths[(i * 7 + k) % len(paths)], headers)
            ms = (time.perf_counter() - t) * 1000
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
            with lock:
                samples.append(ms)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return samples


def http_section(name, database_url, token, repeat):
    headers = {"Authorization": f"Bearer {token}"}
    paths = [api_path(q, f) for _label, q, f in QUERIES]
    result = {}
    for workers in (2, 4):
        proc, port = start_gunicorn(database_url, workers, options=PRELOAD)
        try:
            wait_port(port)
            concurrent(port, paths, workers * 2, 2, headers)  # every worker loads its columns, sees every query
            sequential = []
            for _ in range(repeat):
                for path in paths:
                    t = time.perf_counter()
                    status, _body = http_get(port, path, headers)
                    sequential.append((time.perf_counter() - t) * 1000)
            parallel = concurrent(port, paths, 4, repeat, headers)
            memory = worker_memory(proc.pid)
        finally:
            stop(proc)
        result[workers] = sequential
        print(f"   {name}, gunicorn {workers} workers, 1 client:  {fmt(sequential)}")
        print(f"   {name}, gunicorn {workers} workers, 4 clients: {fmt(parallel)}")
        print(f"   {name}, memory per worker (RSS / PSS MB): {memory}")
    return result


def cold_section(name, database_url, token):
    headers = {"Authorization": f"Bearer {token}"}
    for label, options in (("plain `gunicorn app:app`", ()), ("with the preload settings", PRELOAD)):
        firsts, starts = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            proc, port = start_gunicorn(database_url, 1, options=options)
            try:
                wait_port(port)
                # gunicorn listens before the preload hook has run: a request sent now would wait
                # for the master to read the columns and fork. A worker is ready when it answers
                # /healthz (which reads nothing of the search); then its first search is timed.
                while http_get(port, "/healthz")[0] != 200:
                    time.sleep(0.05)
                starts.append((time.perf_counter() - t0) * 1000)
                t = time.perf_counter()
                status, _body = http_get(port, api_path("医保", {}), headers)
                firsts.append((time.perf_counter() - t) * 1000)
                assert status == 200
            finally:
                stop(proc)
        print(f"   {name}, {label}: first search (q=医保, facets) of a freshly started worker: "
              + ", ".join(f"{v:.0f}" for v in firsts) + " ms (target <= 1000 ms at 1M); "
              "start until a worker answers /healthz: " + ", ".join(f"{v / 1000:.1f}" for v in starts) + " s")


# --------------------------------------------------------------------------- peers

def datasette_where(q, filters):
    where = ["status = 'active'"]
    for term in q.split():
        lit = "'%" + term.replace("'", "''") + "%'"
        where.append(f"(title LIKE {lit} OR description LIKE {lit} OR keywords LIKE {lit})")
    args = []
    for key, value in filters.items():
        if key == "province":
            where.append(f"city_id IN (SELECT c.id FROM cities c JOIN provinces p ON p.id = c.province_id "
                         f"WHERE p.code = '{value}')")
        elif key == "mode":
            from consortium.catalog.constants import CIRCULATION_MODES
            where.append(f"(circulation_mask & {CIRCULATION_MODES[value].bit}) != 0")
        else:
            args.append((key, value))
    return where, args


FACET_ARGS = [("_size", "20"), ("_facet", "domain"), ("_facet", "openness"), ("_facet", "frequency"),
              ("_facet", "city_id"), ("_facet", "member_id"), ("_labels", "off")]


def datasette_like_path(db_name, q, filters):
    where, args = datasette_where(q, filters)
    return f"/{db_name}/data_resources.json?" + urllib.parse.urlencode(
        FACET_ARGS + args + [("_where", " AND ".join(where))])


def datasette_fts_path(db_name, q, filters):
    where, args = datasette_where("", filters)
    search = [("_search", q)] if q else []
    return f"/{db_name}/data_resources.json?" + urllib.parse.urlencode(
        FACET_ARGS + args + search + [("_where", " AND ".join(where))])


def timed_http(port, paths, repeat):
    per_path = {}
    for rnd in range(repeat + 1):
        for key, path in paths:
            t = time.perf_counter()
            status, body = http_get(port, path)
            ms = (time.perf_counter() - t) * 1000
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}: {body[:300]!r}")
            entry = per_path.setdefault(key, {"ms": [], "total": None})
            if rnd:
                entry["ms"].append(ms)
            entry["total"] = json.loads(body).get("filtered_table_rows_count")
    return per_path


def peers(sqlite_path, postgres_url, ours, repeat):
    workdir = Path(tempfile.mkdtemp(prefix="cdou-peers-"))
    procs = []
    try:
        copy = workdir / "catalogue.db"
        shutil.copy(sqlite_path, copy)
        con = sqlite3.connect(copy)
        # Datasette's own search: an FTS5 table named <table>_fts, trigram tokenizer (the only
        # FTS5 tokenizer that finds substrings inside Chinese text at all)
        con.executescript("""
            DROP TABLE IF EXISTS data_resources_fts;
            CREATE VIRTUAL TABLE data_resources_fts USING fts5(title, description, keywords,
                content='data_resources', content_rowid='id', tokenize='trigram');
            INSERT INTO data_resources_fts(data_resources_fts) VALUES ('rebuild');""")
        truth = {}
        for _label, q, f in QUERIES:  # a plain substring match over the columns Datasette searches
            where, args = datasette_where(q, f)
            where += [f"{k} = '{v}'" for k, v in args]
            truth[(q, tuple(sorted(f.items())))] = con.execute(
                "SELECT count(*) FROM data_resources WHERE " + " AND ".join(where)).fetchone()[0]
        con.commit()
        con.close()
        port = free_port()
        datasette = Path(sys.executable).with_name("datasette")
        procs.append(subprocess.Popen([
            str(datasette), "serve", str(copy), "-h", "127.0.0.1", "-p", str(port),
            "--setting", "suggest_facets", "off", "--setting", "facet_time_limit_ms", "20000",
            "--setting", "sql_time_limit_ms", "60000", "--setting", "default_facet_size", "30",
            "--setting", "allow_download", "off"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(port)
        keyed = [((q, tuple(sorted(f.items()))), label) for label, q, f in QUERIES]
        like = timed_http(port, [(k, datasette_like_path("catalogue", k[0], dict(k[1]))) for k, _l in keyed], repeat)
        fts = timed_http(port, [(k, datasette_fts_path("catalogue", k[0], dict(k[1]))) for k, _l in keyed], repeat)
        wrong = [k[0] for k, _l in keyed if fts[k]["total"] != truth[k]]
        fts_right = [k for k, _l in keyed if fts[k]["total"] == truth[k]]
        print(f"-- peers on {Path(sqlite_path).name} (same rows and queries; ours = gunicorn 2 workers, 1 client)")
        print(f"   Datasette LIKE filters + facets:        {fmt([m for v in like.values() for m in v['ms']])}"
              f"   totals equal to the substring truth: {sum(like[k]['total'] == truth[k] for k, _l in keyed)}"
              f"/{len(keyed)}")
        print(f"   Datasette FTS5 trigram (_search) + facets: {fmt([m for v in fts.values() for m in v['ms']])}"
              f"   wrong answers: {len(wrong)}/{len(keyed)} {wrong}")
        if ours:
            for name, values in ours.items():
                print(f"   ours ({name}):                      {fmt(values)}")
            ratio_like = pct([m for v in like.values() for m in v["ms"]], 95) / pct(next(iter(ours.values())), 95)
            print(f"   Datasette LIKE p95 / ours p95: x{ratio_like:.0f}; Datasette FTS p95 on the "
                  f"{len(fts_right)} queries it answers right: "
                  f"{pct([m for k in fts_right for m in fts[k]['ms']], 95):.1f} ms")
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(workdir, ignore_errors=True)
    if postgres_url:
        pg_trgm(postgres_url, repeat)


def pg_trgm(postgres_url, repeat):
    import psycopg
    url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        t = time.perf_counter()
        con.execute(f"CREATE INDEX IF NOT EXISTS bench_trgm ON data_resources USING gin (({TEXT_SQL}) gin_trgm_ops)")
        built = time.perf_counter() - t
        size = con.execute("SELECT pg_relation_size('bench_trgm')").fetchone()[0]
        con.execute("ANALYZE data_resources")
        samples = {}
        for rnd in range(repeat + 1):
            for label, q, _f in QUERIES:
                if not q:
                    continue
                where = f"status = 'active' AND ({TEXT_SQL}) ILIKE %s"
                pattern = "%" + q + "%"
                t = time.perf_counter()
                con.execute(f"SELECT count(*) FROM data_resources WHERE {where}", (pattern,)).fetchone()
                con.execute(f"SELECT id, title FROM data_resources WHERE {where} ORDER BY data_updated_on DESC "
                            "NULLS LAST, id DESC LIMIT 20", (pattern,)).fetchall()
                for facet in ("domain", "openness", "frequency", "city_id", "member_id"):
                    con.execute(f"SELECT {facet}, count(*) FROM data_resources WHERE {where} GROUP BY {facet}",
                                (pattern,)).fetchall()
                if rnd:
                    samples.setdefault(label, []).append((time.perf_counter() - t) * 1000)
        con.execute("DROP INDEX bench_trgm")
    allv = [m for v in samples.values() for m in v]
    print(f"   pg_trgm (index {size / (1 << 20):.0f} MB, built in {built:.0f} s), SQL in process, "
          f"count + page + 5 facet GROUP BYs, text queries: {fmt(allv)}")
    print("     by kind: " + "  ".join(f"{k}: p95 {pct(v, 95):.0f}" for k, v in samples.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite", help="SQLite database file")
    parser.add_argument("--postgres", help="PostgreSQL URL")
    parser.add_argument("--seed", type=int, default=0, help="top the databases up to N synthetic entries first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="writers,storage,http,cold,peers")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(f"== search bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ours = {}
    for name, url in (("SQLite", args.sqlite and f"sqlite:///{Path(args.sqlite).resolve()}"),
                      ("PostgreSQL", args.postgres)):
        if not url:
            continue
        app = make_app(url, args.seed)
        token = bench_user(app)
        if name == "PostgreSQL" and "writers" in only:
            writers(app)
        if "storage" in only:
            storage_pg(app) if name == "PostgreSQL" else storage_sqlite(args.sqlite)
        if "http" in only:
            print(f"-- search over HTTP ({name}), load average {os.getloadavg()[0]:.1f}")
            result = http_section(name, url, token, args.repeat)
            ours[f"{name}, 2 workers"] = result[2]
        if "cold" in only:
            cold_section(name, url, token)
    if "peers" in only and args.sqlite:
        peers(args.sqlite, args.postgres, {k: v for k, v in ours.items() if k.startswith("SQLite")}, args.repeat)


if __name__ == "__main__":
    main()
