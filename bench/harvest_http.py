"""Search over HTTP while a large harvest runs in a job worker (issue 26: "search p95 unchanged
while it runs"). Prints figures; asserts nothing.

    .venv/bin/python bench/harvest_http.py --db postgresql://postgres@127.0.0.1:PORT/postgres \\
        --map 20000 --datasets 4000

What runs, each in its own process, as in production:
  - gunicorn (2 sync workers, the search preload settings) serving a prepared map: the demo data
    and ``seed-scale`` up to ``--map`` entries, in the empty database given (migrated here);
  - a job worker (``flask jobs worker``) on a huey SQLite broker shared with this script;
  - a DCAT-AP source of ``--datasets`` datasets (Turtle, Hydra pages of ``--page``), served from a
    thread of this script on 127.0.0.1 (the worker reads it through HARVEST_ALLOWED_HOSTS).

The loop is the 13 searches of bench/search_bench.py on /api/v1/resources?per_page=100, asked by
two signed-in sessions in turn, request by request, so both meet the same load: OLD signed in
more than ``--age`` seconds (over a minute: it has had its last-use touch) before the first
measured request, and FRESH, signed in again every 50 s so that it is always younger than a minute.
Phase 1, ``--seconds`` long: no harvest. Phase 2: a scheduled run of the source is queued (a
background task: the worker takes it) and the loop runs until the run has finished. For each
phase and session: p50 and p95, and the errors. The load average is printed at each step."""
import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harvest import EU, serve  # noqa: E402
from bench.search_bench import pct, start_gunicorn, stop, wait_port  # noqa: E402
from bench.session_bench import Client, _urls  # noqa: E402

FRESH_FOR = 50  # seconds a "fresh" session is used before a new one signs in


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


class Timed(Client):
    """A session of bench/session_bench.py that counts its failed requests instead of stopping."""

    def __init__(self, host):
        super().__init__(host)
        self.errors = 0

    def get(self, path):
        try:
            super().get(path)
        except OSError:
            self.errors += 1


def line(name, c) -> str:
    t = c.times
    return (f"  {name:34} n={len(t):5}  p50={pct(t, 50):7.1f} ms  p95={pct(t, 95):7.1f} ms  "
            f"max={max(t) if t else float('nan'):7.1f} ms  errors={c.errors}")


def prepare(args, env):
    """The map (demo data + seed-scale), and an approved DCAT source of the demo member 青岛."""
    os.environ.update(env)
    from consortium import create_app
    from consortium.catalog.cli import seed_scale
    from consortium.extensions import db
    from consortium.harvest import services
    from consortium.members.services import get_member_by_code
    import subprocess
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "--app", "app", "db", "upgrade"], cwd=ROOT, env=dict(os.environ), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([str(flask), "--app", "app", "seed-demo"], cwd=ROOT, env=dict(os.environ), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = create_app("development")
    with app.app_context():
        started = time.perf_counter()
        added = seed_scale(args.map, echo=lambda *a: None)
        db.session.commit()
        print(f"map: {added:,} synthetic entries added in {time.perf_counter() - started:.0f} s "
              f"({db.engine.dialect.name}); load {load()}")
        server, url = serve(args.datasets, args.page)
        member = get_member_by_code("qingdao")
        source = services.propose_source(None, member, kind="dcat", name="基准目录", url=url)
        services.set_maps(None, source, {"openness": {f"{EU}access-right/PUBLIC": "open"},
                                         "domain": {f"{EU}data-theme/ENER": "energy"}})
        source.state = "approved"
        db.session.commit()
        return app, server, source.id


def queue_run(app, source_id) -> int:
    from consortium.extensions import db
    from consortium.harvest import services, tasks
    from consortium.harvest.models import HarvestSource
    with app.app_context():
        run = services.new_run(None, db.session.get(HarvestSource, source_id), trigger="schedule")
        db.session.commit()
        tasks.scheduled_run.send(run.id)
        return run.id


def run_state(app, run_id):
    from consortium.extensions import db
    from consortium.harvest.models import HarvestRun
    with app.app_context():
        run = db.session.get(HarvestRun, run_id)
        out = (run.state, run.counts(), run.started_at, run.finished_at, run.reason_code)
        db.session.rollback()
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None, help="URL of an empty database (e.g. one made by createdb); default: "
                                                   "an SQLite file in a temp dir")
    parser.add_argument("--map", type=int, default=20_000, help="entries on the map before the harvest")
    parser.add_argument("--datasets", type=int, default=4_000)
    parser.add_argument("--page", type=int, default=1_000)
    parser.add_argument("--age", type=int, default=65, help="seconds OLD is signed in before phase 1")
    parser.add_argument("--seconds", type=int, default=60, help="length of phase 1 (no harvest)")
    parser.add_argument("--max-run", type=int, default=900, help="give up phase 2 after this many seconds")
    parser.add_argument("--email", default="qingdao@cdou.example")
    parser.add_argument("--worker-nice", type=int, default=10, help="the job worker's --nice N (10, the worker's "
                                                                    "default; 0: the web server's priority)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="harvest-http-"))
    env = {"DATABASE_URL": args.db or f"sqlite:///{tmp / 'bench.db'}", "CDOU_ENV": "development",
           "JOBS_BROKER_URL": f"sqlite:///{tmp / 'jobs.db'}", "JOBS_FILE_DIR": str(tmp / "files"),
           "HARVEST_ALLOWED_HOSTS": "127.0.0.1", "HARVEST_RUN_TIMEOUT": "0",
           "SECRET_KEY": "harvest-http-" + os.urandom(8).hex(),
           "LOGIN_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute"}
    print(f"start {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC; load {load()}")
    app, source_server, source_id = prepare(args, env)
    import subprocess
    web, port = start_gunicorn(env["DATABASE_URL"], 2,
                               extra_env={k: v for k, v in env.items() if k not in ("DATABASE_URL", "CDOU_ENV")},
                               options=("-c", "python:consortium.catalog.search.preload"))
    flask = Path(sys.executable).with_name("flask")
    worker = subprocess.Popen([str(flask), "--app", "app", "jobs", "worker", "--workers", "1",
                               "--nice", str(args.worker_nice)], cwd=ROOT,
                              env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        host = f"http://127.0.0.1:{port}"
        urls = _urls()
        for _ in range(3):  # every worker has loaded its columns and seen every query
            for url in urls:
                Timed(host).get(url)
        old = Timed(host)
        old.sign_in(args.email)
        waiting = Timed(host)
        while time.time() - old.signed_in_at < args.age:
            for url in urls:
                waiting.get(url)

        def phase(until):
            """OLD and a FRESH session (renewed every FRESH_FOR s) in turn, until ``until()``."""
            old_times, fresh = Timed(host), Timed(host)
            fresh_all = Timed(host)
            old.times, old.errors = [], 0
            fresh.sign_in(args.email)
            while not until():
                if time.time() - fresh.signed_in_at > FRESH_FOR:
                    fresh_all.times += fresh.times
                    fresh_all.errors += fresh.errors
                    fresh = Timed(host)
                    fresh.sign_in(args.email)
                for url in urls:
                    old.get(url)
                    fresh.get(url)
            fresh_all.times += fresh.times
            fresh_all.errors += fresh.errors
            old_times.times, old_times.errors = list(old.times), old.errors
            return old_times, fresh_all

        print(f"phase 1 (no harvest, {args.seconds} s): load {load()}")
        end = time.time() + args.seconds
        idle = phase(lambda: time.time() > end)
        print(f"  load at its end {load()}")
        run_id = queue_run(app, source_id)
        queued = time.time()
        state = {"value": None}
        stop_polling = threading.Event()

        def poll():
            while not stop_polling.is_set():
                state["value"] = run_state(app, run_id)
                if state["value"][0] in ("done", "failed"):
                    return
                stop_polling.wait(2)
        threading.Thread(target=poll, daemon=True).start()
        print(f"phase 2 (harvest of {args.datasets:,} datasets running in the worker): load {load()}")
        busy = phase(lambda: (state["value"] is not None and state["value"][0] in ("done", "failed"))
                     or time.time() - queued > args.max_run)
        stop_polling.set()
        run = run_state(app, run_id)
        took = (run[3] - run[2]).total_seconds() if run[2] and run[3] else float("nan")
        print(f"  load at its end {load()}; run {run[0]} in {took:.0f} s (queued to finished "
              f"{time.time() - queued:.0f} s) {run[1]} {run[4] or ''}")
        print(f"database {env['DATABASE_URL'].split(':')[0]}, map {args.map:,} + demo, gunicorn -w 2, "
              f"job worker 1 thread (nice {args.worker_nice}), 13 searches /api/v1/resources?per_page=100")
        print("no harvest:")
        print(line(f"session older than {args.age} s", idle[0]))
        print(line(f"fresh session (< {FRESH_FOR + 10} s old)", idle[1]))
        print("while the harvest runs:")
        print(line(f"session older than {args.age} s", busy[0]))
        print(line(f"fresh session (< {FRESH_FOR + 10} s old)", busy[1]))
        both_idle, both_busy = idle[0].times + idle[1].times, busy[0].times + busy[1].times
        print(f"p95 both sessions: {pct(both_idle, 95):.1f} ms → {pct(both_busy, 95):.1f} ms "
              f"({pct(both_busy, 95) / pct(both_idle, 95):.2f}×); p50 {pct(both_idle, 50):.1f} → "
              f"{pct(both_busy, 50):.1f} ms; load {load()}")
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        stop(web)
        source_server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
