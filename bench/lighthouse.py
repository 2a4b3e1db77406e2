"""Lighthouse scores of the pages a reader opens first: the home page, a search, an entry and a
published dashboard, on Lighthouse's mobile profile (its default: a Moto G Power, slow 4G and a
4× slower CPU, simulated) and its desktop preset. Target (issue 23): performance ≥ 90 on mobile.

    npm install --prefix ~/.cache/cdou-lighthouse lighthouse@12     # once (npm registry)
    .venv/bin/python bench/lighthouse.py [--root DIR] [--repeat 3] [--lighthouse PATH]

The demo data is served as in ``bench/page_weight.py`` (fresh SQLite, gunicorn with 2 sync
workers on loopback); Lighthouse drives Debian's ``chromium``. For each page and profile the
median of ``--repeat`` runs of the performance score, First Contentful Paint, Largest Contentful
Paint, Total Blocking Time and the bytes transferred, and the accessibility, best-practices and
SEO scores of the last run.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from page_weight import PAGES, demo_server  # noqa: E402

DEFAULT_LIGHTHOUSE = Path.home() / ".cache" / "cdou-lighthouse" / "node_modules" / ".bin" / "lighthouse"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", default=str(HERE.parent), help="the checkout to serve")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--pages", nargs="*", choices=list(PAGES), default=list(PAGES))
    p.add_argument("--lighthouse", default=str(DEFAULT_LIGHTHOUSE), help="the lighthouse command")
    return p.parse_args()


def run(lighthouse: str, url: str, desktop: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as out:
        report = Path(out) / "report.json"
        command = [lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
                   "--only-categories=performance,accessibility,best-practices,seo",
                   "--chrome-flags=--headless=new --no-sandbox"]
        if desktop:
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=shutil.which("chromium")),
                       stdout=subprocess.DEVNULL)
        data = json.loads(report.read_text())
    audits, categories = data["audits"], data["categories"]
    return {"performance": categories["performance"]["score"] * 100,
            "fcp": audits["first-contentful-paint"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "kb": audits["total-byte-weight"]["numericValue"] / 1024,
            "accessibility": categories["accessibility"]["score"] * 100,
            "best-practices": categories["best-practices"]["score"] * 100,
            "seo": categories["seo"]["score"] * 100}


def main():
    args = parse_args()
    if not Path(args.lighthouse).exists() and not shutil.which(args.lighthouse):
        sys.exit(f"lighthouse not found at {args.lighthouse}: npm install --prefix "
                 f"~/.cache/cdou-lighthouse lighthouse@12")
    root = Path(args.root).resolve()
    with demo_server(root) as base:
        print(f"{root.name}: median of {args.repeat} Lighthouse runs; load average {os.getloadavg()[0]:.1f}")
        print(f"{'page':<10} {'profile':<8} {'perf':>5} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'kB':>6} "
              f"{'a11y':>5} {'BP':>4} {'SEO':>4}")
        for name, path in PAGES.items():
            if name not in args.pages:
                continue
            for profile in ("mobile", "desktop"):
                runs = [run(args.lighthouse, base + path, profile == "desktop") for _ in range(args.repeat)]
                med = {k: statistics.median(r[k] for r in runs) for k in ("performance", "fcp", "lcp", "tbt", "kb")}
                last = runs[-1]
                print(f"{name:<10} {profile:<8} {med['performance']:>5.0f} {med['fcp']:>7.0f} {med['lcp']:>7.0f} "
                      f"{med['tbt']:>7.0f} {med['kb']:>6.0f} {last['accessibility']:>5.0f} "
                      f"{last['best-practices']:>4.0f} {last['seo']:>4.0f}")


if __name__ == "__main__":
    main()
