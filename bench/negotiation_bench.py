"""Joint-negotiation benchmark: one dossier with 40 participating organisations, a
position of 30 terms saved in 25 versions, and 1,000 stances; times, side by side
with GET /healthz in the same run:

* the dossier page of a participant, GET /negotiations/<id> (consensus meters for
  30 terms × 40 organisations, amendments, sign-on, participants) — target ≤ 200 ms;
* the diff of two versions, GET /negotiations/<id>/diff?from=1&to=25 and the service
  call alone (services.diff_versions) — target ≤ 100 ms.

Usage (from the repository root):
    python bench/negotiation_bench.py                                   # SQLite file in /tmp
    python bench/negotiation_bench.py --db postgresql://postgres@127.0.0.1:5432/bench

The database given is wiped (drop_all/create_all). Figures are printed.
"""
import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-password-2025"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default="sqlite:////tmp/cdou-negotiation-bench.db")
    p.add_argument("--participants", type=int, default=40)
    p.add_argument("--terms", type=int, default=30)
    p.add_argument("--versions", type=int, default=25)
    p.add_argument("--stances", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=15)
    return p.parse_args()


CPU = []  # per timed call: the process CPU time (ms), beside the wall-clock time


def timed(fn, repeat):
    """Median, min, max wall-clock ms; the median CPU ms of the same calls goes to CPU[-1].
    On a shared machine the CPU figure shows the work done, the wall figure the waiting too."""
    fn()  # warm-up (template compilation, caches)
    runs, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    CPU.append(statistics.median(cpu))
    return statistics.median(runs), min(runs), max(runs)


def _terms(n, version, rnd):
    kinds = ("money", "percentage", "tiered", "choice", "duration", "boolean", "text")
    terms = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        changed = rnd.random() < 0.2  # about a fifth of the terms move in each version
        base = version if changed else 1
        value = {"money": str(100000 + 1000 * base), "percentage": str(min(100, 10 + base)),
                 "tiered": {"tiers": [{"upto": str(200000 + 1000 * base), "supplier": "50", "operator": "50"},
                                      {"upto": None, "supplier": "60", "operator": "40"}]},
                 "choice": ["不排他", "限时排他", "排他"][base % 3], "duration": 12 + base, "boolean": base % 2 == 0,
                 "text": f"条款 {i} 的要求，第 {base} 稿：原始数据不出域，平台不得留存明细。"}[kind]
        terms.append({"key": f"t{i}", "label": f"条款 {i}", "type": kind, "value": value,
                      "options": ["不排他", "限时排他", "排他"] if kind == "choice" else [],
                      "rationale": f"理由 {i}（第 {base} 稿）", "red_line": i % 5 == 0})
    return terms


def generate(args, db):
    from sqlalchemy import insert, select

    from consortium.auth.services import create_user
    from consortium.counterparties.services import add_counterparty
    from consortium.geo.models import City
    from consortium.geo.services import load_reference_data
    from consortium.members.services import admit_member
    from consortium.negotiations import services
    from consortium.negotiations.models import Participant, Stance

    rnd = random.Random(7)
    db.drop_all()
    db.create_all()
    load_reference_data()
    cities = db.session.scalars(select(City).order_by(City.id).limit(args.participants)).all()
    members = [admit_member(None, name=f"{c.name}数据集团", kind="data_group", city=c, code=f"b{i:03d}")
               for i, c in enumerate(cities)]
    create_user(None, email="coord@bench.example", password=PASSWORD, member=members[0], name="牵头人")
    create_user(None, email="member@bench.example", password=PASSWORD, member=members[1], name="参与人")
    ant = add_counterparty(None, name="蚂蚁集团")
    from consortium.auth.services import get_user_by_email
    coordinator = get_user_by_email("coord@bench.example")
    d = services.create_dossier(coordinator, title="基准：信贷数据宝联合立场", counterparty=ant,
                                coordinator=members[0], subject="基准数据")
    for m in members[1:]:
        d.participants.append(Participant(member=m, status="active"))
    db.session.flush()
    for v in range(1, args.versions + 1):
        services.save_position(coordinator, d, _terms(args.terms, v, rnd), base_version=v - 1, note=f"第 {v} 稿")
    keys = [""] + [f"t{i}" for i in range(args.terms)]
    rows = []
    for n in range(args.stances):   # spread over organisations, terms and the last versions
        rows.append({"dossier_id": d.id, "member_id": members[n % len(members)].id, "term_key": keys[n % len(keys)],
                     "version": args.versions - rnd.randrange(3), "stance": rnd.choice(("support", "reserve", "oppose")),
                     "comment": "基准意见", "author_label": "基准"})
    db.session.execute(insert(Stance), rows)
    db.session.commit()
    return d.id


def main():
    args = parse_args()
    if args.db.startswith("sqlite:////"):
        Path(args.db[len("sqlite:///"):]).unlink(missing_ok=True)
    os.environ["TEST_DATABASE_URL"] = args.db
    from consortium import create_app
    from consortium.config import TestConfig
    from consortium.extensions import db
    from consortium.negotiations import services

    app = create_app(TestConfig)
    app.config["TESTING"] = False  # time what production does
    with app.app_context():
        print(f"database: {db.engine.dialect.name} ({db.engine.url.render_as_string(hide_password=True)})")
        t = time.perf_counter()
        dossier_id = generate(args, db)
        print(f"generated {args.participants} participants, {args.terms} terms × {args.versions} versions, "
              f"{args.stances:,} stances in {time.perf_counter() - t:.1f} s")

    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/auth/login", data={"email": "member@bench.example", "password": PASSWORD, "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code

    def healthz():
        assert client.get("/healthz").status_code == 200

    def dossier_page():
        resp = client.get(f"/negotiations/{dossier_id}")
        assert resp.status_code == 200
        return resp

    def diff_page():
        assert client.get(f"/negotiations/{dossier_id}/diff?from=1&to={args.versions}").status_code == 200

    med, lo, hi = timed(healthz, args.repeat)
    print(f"GET /healthz: median {med:.1f} ms, min {lo:.1f}, max {hi:.1f} (CPU {CPU[-1]:.1f} ms)")
    size = len(dossier_page().data)
    med, lo, hi = timed(dossier_page, args.repeat)
    print(f"dossier page (GET, {size / 1e3:.0f} kB HTML): median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}"
          f" (CPU {CPU[-1]:.0f} ms)  [target ≤ 200 ms]")
    med, lo, hi = timed(diff_page, args.repeat)
    print(f"diff page v1 → v{args.versions} (GET): median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}"
          f" (CPU {CPU[-1]:.0f} ms)  [target ≤ 100 ms]")
    with app.test_request_context():
        d = services.get_dossier(dossier_id)
        changes = len(services.diff_versions(d, 1, args.versions))
        med, lo, hi = timed(lambda: services.diff_versions(d, 1, args.versions), args.repeat)
        print(f"services.diff_versions v1 → v{args.versions} ({changes} changed terms): median {med:.1f} ms, "
              f"min {lo:.1f}, max {hi:.1f} (CPU {CPU[-1]:.1f} ms)")
        med, lo, hi = timed(lambda: services.consensus(d), args.repeat)
        print(f"services.consensus (all terms): median {med:.1f} ms, min {lo:.1f}, max {hi:.1f} "
              f"(CPU {CPU[-1]:.1f} ms)")
    med, lo, hi = timed(healthz, args.repeat)
    print(f"GET /healthz (again): median {med:.1f} ms, min {lo:.1f}, max {hi:.1f} (CPU {CPU[-1]:.1f} ms)")
    print(f"load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
