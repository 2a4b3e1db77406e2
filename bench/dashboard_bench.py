"""Dashboard benchmark at national scale.

Builds the national data of bench/scenario_bench.py (333 member cities, one scenario
group with 40 seed scenarios tracked in every city: ≈13,000 replications and 100,000
stage events; a resource map of 1,000,000 entries, bulk Core inserts), then:

* publishes a 12-panel public dashboard (every panel kind of the catalogue, both
  funnels) through ``dashboards.services.publish`` — target ≤ 5 s;
* serves it with gunicorn (2 sync workers, loopback) and measures requests per
  second of the published page /d/<slug> against /healthz in the same run, with C
  concurrent loopback clients — target ≥ 50 % of /healthz.

Usage (from the repository root):
    python bench/dashboard_bench.py                                   # SQLite file in /tmp
    python bench/dashboard_bench.py --db postgresql://postgres@127.0.0.1:5432/bench
    python bench/dashboard_bench.py --resources 200000                # smaller / quicker
    python bench/dashboard_bench.py --reuse                           # an existing bench database

The database given is wiped (drop_all/create_all) unless --reuse. Figures are printed.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PANELS = [("key_figures", {}), ("membership_growth", {}), ("members_by_province", {}), ("resource_map", {}),
          ("coverage_matrix", {}), ("openness", {}), ("circulation_modes", {}),
          ("replication_funnel", {"group": "national"}), ("replication_funnel", {"group": "national", "province": "37"}),
          ("replication_timeline", {"group": "national"}), ("promotable", {}), ("agreements", {})]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default="sqlite:////tmp/cdou-dashboard-bench.db")
    p.add_argument("--cities", type=int, default=333)
    p.add_argument("--scenarios", type=int, default=40)
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--resources", type=int, default=1_000_000)
    p.add_argument("--batch", type=int, default=20_000)
    p.add_argument("--repeat", type=int, default=3, help="publishing runs (median reported)")
    p.add_argument("--duration", type=float, default=5, help="seconds of load per URL and round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--reuse", action="store_true")
    return p.parse_args()


def main():
    args = parse_args()
    if args.db.startswith("sqlite:////") and not args.reuse:
        Path(args.db[len("sqlite:///"):]).unlink(missing_ok=True)
    os.environ["TEST_DATABASE_URL"] = args.db
    from scenario_bench import generate
    from search_bench import free_port, http_get, load, wait_port
    from sqlalchemy import delete, func, select

    from consortium import create_app
    from consortium.auth.models import ROLE_SECRETARIAT
    from consortium.auth.services import create_user, get_user_by_email
    from consortium.catalog.models import DataResource
    from consortium.config import TestConfig
    from consortium.dashboards import services
    from consortium.dashboards.models import Dashboard, DashboardPanel, Publication
    from consortium.extensions import db
    from consortium.scenarios.models import Replication

    app = create_app(TestConfig)
    app.config["TESTING"] = False
    with app.app_context():
        print(f"database: {db.engine.dialect.name}")
        if not args.reuse:
            generate(args, random.Random(42), db)
        db.create_all()  # the dashboards tables, when reusing an older bench database
        secretariat = get_user_by_email("secretariat@bench.example") or create_user(
            None, email="secretariat@bench.example", password="bench-password-2025", role=ROLE_SECRETARIAT,
            name="秘书处（基准测试）")
        for model in (Publication, DashboardPanel, Dashboard):
            db.session.execute(delete(model).execution_options(audit_bypass_ok=True))  # bench reset
        db.session.commit()
        entries = db.session.scalar(select(func.count(DataResource.id)))
        reps = db.session.scalar(select(func.count(Replication.id)))
        dashboard = services.create_dashboard(secretariat, slug="national", title="全国看板（基准测试）",
                                              audience="public")
        for kind, filters in PANELS:
            services.add_panel(secretariat, dashboard, kind, filters=filters)
        db.session.commit()
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            publication = services.publish(secretariat, dashboard)
            db.session.commit()
            times.append(time.perf_counter() - t)
        size = len(str(publication.panels))
        print(f"publish a {len(PANELS)}-panel public dashboard ({entries:,} entries, {reps:,} replications): "
              f"median {statistics.median(times):.2f} s, min {min(times):.2f}, max {max(times):.2f} "
              f"over {args.repeat} runs; frozen data {size / 1e3:.0f} kB  [target ≤ 5 s]")
        version = publication.version

    port = free_port()
    env = dict(os.environ, DATABASE_URL=args.db, PYTHONPATH=str(ROOT), CDOU_ENV="development")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "app:app"], cwd=ROOT, env=env)
    try:
        wait_port(port)
        status, body = http_get(port, "/d/national")
        assert status == 200 and "全国看板" in body.decode(), status
        for path in ("/d/national", f"/d/national/v/{version}", "/healthz"):
            for _ in range(8):  # both workers render and keep the page once
                http_get(port, path)
        # rounds of healthz, latest, one version back to back: the machine's load drifts,
        # so each ratio compares neighbours in time; the median ratio is reported
        paths = ["/healthz", "/d/national", f"/d/national/v/{version}"]
        rates = {p: [] for p in paths}
        errors = 0
        for _round in range(args.rounds):
            for path in paths:
                rate, err = load(port, [path], args.duration, args.clients)
                rates[path].append(rate)
                errors += err
        ratio = {p: statistics.median(r / h for r, h in zip(rates[p], rates["/healthz"])) for p in paths[1:]}
        print(f"gunicorn 2 sync workers, {args.clients} loopback clients, {args.rounds} rounds of {args.duration:.0f} s "
              f"per URL (page {len(body) / 1e3:.0f} kB): /healthz {statistics.median(rates['/healthz']):.0f} req/s; "
              + "; ".join(f"{p} {statistics.median(rates[p]):.0f} req/s ({100 * ratio[p]:.0f}% of /healthz)"
                          for p in paths[1:]) + "  [target ≥ 50%]" + (f" errors: {errors}" if errors else ""))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
