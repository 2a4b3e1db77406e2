"""Light pages, measured: what a phone downloads and when it first paints, for the home page, a
search, an entry and a published dashboard, in real Chromium with a Lighthouse-like mobile profile
(390 × 844, slow 4G: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up; the CPU slowed 4 ×).

    .venv/bin/python bench/page_weight.py                # this checkout
    .venv/bin/python bench/page_weight.py --root DIR     # another checkout (e.g. `git archive main`)

The checkout's demo data is seeded into a fresh SQLite database and served by gunicorn (2 sync
workers, loopback). For each page: bytes transferred until the load event and two seconds of quiet
(compressed sizes as they travel), the number of requests, First Contentful Paint and the load
event, median of ``--repeat`` cold loads (a fresh browser context each: nothing cached). The profile
follows Lighthouse's mobile defaults; the Lighthouse scores themselves: ``bench/lighthouse.py``.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
PAGES = {"home": "/", "search": "/resources/?q=%E5%8C%BB%E4%BF%9D", "entry": None, "dashboard": "/d/quarterly"}  # q=医保
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", default=str(ROOT), help="the checkout to serve")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--pages", nargs="*", choices=list(PAGES), default=list(PAGES))
    return p.parse_args()


def measure(chromium, base, path, repeat):
    runs = []
    for _ in range(repeat):
        context = chromium.new_context(base_url=base, viewport={"width": 390, "height": 844}, bypass_csp=True,
                                       is_mobile=True, device_scale_factor=2)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        sizes = []
        cdp.on("Network.loadingFinished", lambda e: sizes.append(e["encodedDataLength"]))
        page.goto(path, wait_until="load", timeout=180_000)
        page.wait_for_timeout(2000)
        timing = page.evaluate("""() => {
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const nav = performance.getEntriesByType('navigation')[0];
            return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd};
        }""")
        runs.append((sum(sizes), len(sizes), timing["fcp"], timing["load"]))
        context.close()
    return [statistics.median(r[i] for r in runs) for i in range(4)]


@contextmanager
def demo_server(root: Path):
    """The checkout's demo data in a fresh SQLite database, served by gunicorn (2 sync workers,
    loopback): yields the base URL; PAGES["entry"] is set to the first public entry."""
    from search_bench import free_port, http_get, wait_port
    work = Path(tempfile.mkdtemp(prefix="page-weight-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    env = dict(os.environ, DATABASE_URL=db_url, PYTHONPATH=str(root), CDOU_ENV="development")
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "--app", "app", "db", "upgrade"], cwd=root, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([str(flask), "--app", "app", "seed-demo"], cwd=root, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    import sqlite3
    entry = sqlite3.connect(work / "bench.db").execute(
        "select id from data_resources where is_public order by id limit 1").fetchone()[0]
    PAGES["entry"] = f"/resources/{entry}"
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "app:app"], cwd=root, env=env)
    try:
        wait_port(port)
        for path in PAGES.values():
            http_get(port, path)  # warm both workers' caches a little
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main():
    args = parse_args()
    root = Path(args.root).resolve()
    with demo_server(root) as base:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"])
            print(f"{root.name}: median of {args.repeat} cold loads, 390 px, slow 4G, CPU ÷4; load average "
                  f"{os.getloadavg()[0]:.1f}")
            print(f"{'page':<10} {'kB transferred':>15} {'requests':>9} {'FCP ms':>8} {'load ms':>8}")
            for name, path in PAGES.items():
                if name not in args.pages:
                    continue
                size, count, fcp, load = measure(chromium, base, path, args.repeat)
                print(f"{name:<10} {size / 1024:>15.0f} {count:>9.0f} {fcp or 0:>8.0f} {load:>8.0f}")
            chromium.close()

if __name__ == "__main__":
    main()
