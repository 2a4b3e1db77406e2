"""The HTML search page `/resources/?q=…` against the API search with the same query, per
request in one process (issue 21: the page's p95 under the load test was three times the API's).
Prints figures; asserts nothing.

    DATABASE_URL=postgresql://… python bench/search_page_bench.py [--repeat 20] [--profile 医保]

Each request is timed twice: "warm" (the snapshot's result and fragment caches hold the answer,
as between two writes) and "after a write" (the per-change-mark caches emptied first, as after
any write: under the load test the members write about every two seconds, so most requests
miss). Wall and CPU time, mean of --repeat, for a visitor and a signed-in member (a demo account).
--profile Q prints cProfile's top functions of one page request "after a write" for query Q.
"""
import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["医保", "公交", "企业信用 数据"]
ACCOUNT = "qingdao@cdou.example"


def _forget_results():
    from consortium.catalog.search.columns import _snapshots
    for snap in _snapshots.values():
        snap._cache.clear()
        snap._cached_entries = 0


def timed(fn, repeat, cold):
    walls, cpus = [], []
    for _ in range(repeat):
        if cold:
            _forget_results()
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return 1000 * sum(walls) / repeat, 1000 * sum(cpus) / repeat


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL is required")
    from consortium import create_app
    app = create_app("development")
    visitor, member = app.test_client(), app.test_client()
    html = member.get("/auth/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = member.post("/auth/login", data={"csrf_token": csrf, "email": ACCOUNT,
                                         "password": app.config["DEMO_PASSWORD"]})
    assert r.status_code in (302, 303), r.status_code

    def get(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return run

    if args.profile:
        run = get(visitor, f"/resources/?q={args.profile}")
        run()
        _forget_results()
        profiler = cProfile.Profile()
        profiler.enable()
        run()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}; mean of {args.repeat}; ms wall / CPU")
    print(f"{'who':8} {'query':14} {'what':6} {'kB':>5} {'warm':>15} {'after a write':>15}")
    for who, client in (("visitor", visitor), ("member", member)):
        for q in QUERIES:
            for what, url in (("page", f"/resources/?q={q}"), ("API", f"/api/v1/resources?q={q}")):
                run = get(client, url)
                size = len(run().data)
                warm = timed(run, args.repeat, cold=False)
                cold = timed(run, args.repeat, cold=True)
                print(f"{who:8} {q:14} {what:6} {size / 1e3:5.0f} {warm[0]:7.1f} /{warm[1]:6.1f} "
                      f"{cold[0]:7.1f} /{cold[1]:6.1f}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
