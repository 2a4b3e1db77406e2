"""Harvest benchmark: a DCAT-AP source of N datasets (Turtle, Hydra-paged by P) harvested into a
map of M entries — the issue's target is N = 10,000, P = 1,000, M = 100,000 on PostgreSQL: first
run ≤ 5 minutes, an unchanged re-run ≤ 1 minute writing 0 rows, search p95 unchanged meanwhile.

The source is served by a local HTTP server in this process (127.0.0.1, allowed through
HARVEST_ALLOWED_HOSTS); the run is ``harvest.services.execute_run``, the function a worker
calls. Rows written by the re-run are counted on the database connection (INSERT/UPDATE/DELETE
outside the run's own report). Search latency: ``catalog.search.search`` for a few queries,
20 times each, before and while the first run runs (in a thread of this process, so it shares
the interpreter with the run: an upper bound of what a separate web server would see).

Usage (from the repository root):
    python bench/harvest.py --datasets 1000 --map 10000                    # SQLite file in a temp dir
    python bench/harvest.py --db postgresql://postgres@127.0.0.1:5432/bench  # the issue's sizes
The database given is wiped (drop_all/create_all). Figures are printed."""
import argparse
import http.server
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EU = "http://publications.europa.eu/resource/authority/"
THEMES = ["TRAN", "HEAL", "ENVI", "AGRI", "ENER"]
FREQS = ["DAILY", "WEEKLY", "MONTHLY", "ANNUAL", "IRREG"]


def dataset_ttl(i: int) -> str:
    return (f'<https://data.bench.example.cn/dataset/{i}> a dcat:Dataset ;\n'
            f'  dct:identifier "BENCH-{i:06d}" ;\n'
            f'  dct:title "基准数据集 {i} 公交客流统计"@zh ;\n'
            f'  dct:description "第 {i} 个数据集：按线路、站点和小时统计的客流。"@zh ;\n'
            f'  dcat:keyword "公交"@zh, "客流"@zh ;\n'
            f'  dcat:theme <{EU}data-theme/{THEMES[i % 5]}> ;\n'
            f'  dct:accrualPeriodicity <{EU}frequency/{FREQS[i % 5]}> ;\n'
            f'  dct:accessRights <{EU}access-right/PUBLIC> ;\n'
            f'  dct:license <http://creativecommons.org/licenses/by/4.0/> ;\n'
            f'  dct:creator [ a foaf:Agent ; foaf:name "基准市交通运输局"@zh ] ;\n'
            f'  dcat:distribution [ a dcat:Distribution ; dct:format <{EU}file-type/CSV> ;\n'
            f'      dcat:downloadURL <https://data.bench.example.cn/files/{i}.csv> ] .\n')


PREFIXES = ("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
            "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n")


def serve(datasets: int, page: int):
    pages = (datasets + page - 1) // page
    bodies = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            n = int(self.path.rsplit("=", 1)[1]) if "page=" in self.path else 1
            if n not in bodies:
                lines = [PREFIXES]
                if n < pages:
                    lines.append(f'<{url}?page={n}> hydra:next <{url}?page={n + 1}> .\n')
                lines += [dataset_ttl(i) for i in range((n - 1) * page, min(n * page, datasets))]
                bodies[n] = "".join(lines).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle; charset=utf-8")
            self.send_header("Content-Length", str(len(bodies[n])))
            self.end_headers()
            self.wfile.write(bodies[n])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/catalog.ttl"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, url


def p95(values):
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)] * 1000


def search_times(app, stop=None, rounds=20):
    from consortium.catalog import search
    from consortium.extensions import db
    out = []
    with app.test_request_context():
        for _ in range(rounds):
            for q in ("公交", "医保", "气象"):
                started = time.perf_counter()
                search.search(None, search.SearchParams(q=q))
                out.append(time.perf_counter() - started)
                db.session.rollback()
            if stop is not None and stop.is_set():
                break
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--page", type=int, default=1_000)
    parser.add_argument("--map", type=int, default=100_000, help="entries already on the map")
    parser.add_argument("--db", default=None)
    parser.add_argument("--no-search", action="store_true", help="run the first harvest alone (no searches meanwhile)")
    parser.add_argument("--profile", metavar="FILE", help="profile the first run with cProfile into FILE "
                                                          "(read it with python -m pstats FILE)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="harvest-bench-")
    os.environ["DATABASE_URL"] = args.db or f"sqlite:///{tmp}/bench.db"
    os.environ.setdefault("JOBS_BROKER_URL", "immediate")
    os.environ["HARVEST_ALLOWED_HOSTS"] = "127.0.0.1"
    from sqlalchemy import event, select

    from consortium import create_app
    from consortium.catalog.cli import seed_scale
    from consortium.extensions import db
    from consortium.geo.services import find_city, load_reference_data
    from consortium.harvest import services
    from consortium.members.services import admit_member

    app = create_app("development")
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_data()
        db.session.commit()
        started = time.perf_counter()
        seed_scale(args.map, echo=lambda *a: None)
        db.session.commit()
        print(f"map of {args.map} entries seeded in {time.perf_counter() - started:.0f} s ({db.engine.dialect.name})")
        import datetime
        member = admit_member(None, name="基准数据集团", kind="data_group", city=find_city("青岛"), code="bench",
                              joined_on=datetime.date(2025, 4, 18))
        server, url = serve(args.datasets, args.page)
        source = services.propose_source(None, member, kind="dcat", name="基准目录", url=url)
        services.set_maps(None, source, {"openness": {f"{EU}access-right/PUBLIC": "open"},
                                         "domain": {f"{EU}data-theme/ENER": "energy"}})
        source.state = "approved"
        db.session.commit()
        source_id = source.id

        idle = search_times(app)
        runs = {}

        def harvest(name):
            with app.app_context():
                run = services.new_run(None, db.session.get(type(source), source_id))
                db.session.commit()
                t0 = time.perf_counter()
                if args.profile and name == "first":
                    import cProfile
                    profiler = cProfile.Profile()
                    result = profiler.runcall(services.execute_run, run.id)
                    profiler.dump_stats(args.profile)
                else:
                    result = services.execute_run(run.id)
                runs[name] = (time.perf_counter() - t0, result.counts(), result.state, result.message)

        stop = threading.Event()
        worker = threading.Thread(target=lambda: (harvest("first"), stop.set()))
        worker.start()
        busy = []
        while not stop.is_set():
            if args.no_search:
                time.sleep(0.2)
                continue
            busy += search_times(app, stop, rounds=1)
        worker.join()
        writes = []

        def note(conn, cursor, statement, *a):
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and \
                    "harvest_runs" not in statement and "harvest_sources" not in statement:
                writes.append(statement[:60])
        event.listen(db.engine, "before_cursor_execute", note)
        harvest("again")
        event.remove(db.engine, "before_cursor_execute", note)
        server.shutdown()
        for name in ("first", "again"):
            seconds, counts, state, message = runs[name]
            print(f"{name} run: {seconds:.1f} s, {state} {message} {counts}")
        print(f"rows written by the unchanged re-run (outside its report): {len(writes)}")
        if busy:
            print(f"search p95 idle {p95(idle):.1f} ms ({len(idle)} calls); during the first run {p95(busy):.1f} ms "
                  f"({len(busy)} calls, in this process)")
        print(f"entries on the map: {db.session.scalar(select(db.func.count()).select_from(db.metadata.tables['data_resources']))}")


if __name__ == "__main__":
    main()
