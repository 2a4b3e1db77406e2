"""Registers benchmark at national scale.

Builds 300 registration bodies (one per city), 20,000 recognition agreements between
them (one-way and mutual, with history: about 30 % suspended once — half of those
resumed — and 10 % revoked) and 1,000,000 certificates (bulk Core inserts), then times:

* the recognition check, GET /api/v1/recognition/check?certificate=…&body=…&date=…,
  signed in, over random certificates, bodies and dates — target p95 ≤ 20 ms;
* the network page, GET /registers/network (all bodies; and one body's view) —
  target ≤ 500 ms.

Usage (from the repository root):
    python bench/registers_bench.py                                    # SQLite file in /tmp
    python bench/registers_bench.py --db postgresql://postgres@127.0.0.1:55432/bench
    python bench/registers_bench.py --certificates 200000 --checks 200 # smaller / quicker
    python bench/registers_bench.py --reuse ...                        # time an existing database

The database given is wiped (drop_all/create_all) unless --reuse. Figures are printed.
"""
import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default="sqlite:////tmp/cdou-registers-bench.db")
    p.add_argument("--bodies", type=int, default=300)
    p.add_argument("--agreements", type=int, default=20_000)
    p.add_argument("--certificates", type=int, default=1_000_000)
    p.add_argument("--checks", type=int, default=500)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--batch", type=int, default=20_000)
    p.add_argument("--reuse", action="store_true")
    return p.parse_args()


def percentile(values, q):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(q / 100 * len(values) + 0.5)) - 1))
    return values[k]


def generate(args, rnd, db):
    from sqlalchemy import insert, select
    from stdnum.cn import uscc

    from consortium.auth.services import create_user
    from consortium.geo.models import City
    from consortium.geo.services import load_reference_data
    from consortium.members.models import Member
    from consortium.registers.models import (
        Certificate,
        Recognition,
        RecognitionSuspension,
        RegistrationBody,
    )
    db.drop_all()
    db.create_all()
    load_reference_data()
    db.session.commit()
    t0 = time.perf_counter()
    cities = db.session.execute(select(City.id, City.name).order_by(City.adcode)).all()
    cities = sorted(rnd.sample(cities, args.bodies))
    db.session.execute(insert(Member), [
        {"code": f"m{i:04d}", "name": f"{name}数据集团{i}", "name_en": f"Data group {i}", "kind": "data_group",
         "city_id": cid, "joined_on": date(2025, 4, 18), "status": "active", "description": "", "website": ""}
        for i, (cid, name) in enumerate(cities)])
    members = db.session.execute(select(Member.id, Member.city_id).order_by(Member.id)).all()
    db.session.execute(insert(RegistrationBody), [
        {"code": f"b{i:04d}", "name": f"{name}数据资产登记中心{i}", "name_en": f"Registration body {i}",
         "city_id": cid, "member_id": members[i].id, "register_url": "", "is_example": False}
        for i, (cid, name) in enumerate(cities)])
    body_ids = db.session.scalars(select(RegistrationBody.id).order_by(RegistrationBody.id)).all()
    create_user(None, email="member@bench.example", password="bench-password-2025",
                member=db.session.get(Member, members[0].id))
    db.session.commit()

    # agreements: distinct unordered pairs, a third mutual, dates 2023–2026, with history
    pairs = set()
    while len(pairs) < args.agreements:
        a, b = rnd.sample(body_ids, 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    rows, suspensions = [], []
    for rid, (a, b) in enumerate(sorted(pairs), 1):
        start = date(2023, 1, 1) + timedelta(days=rnd.randint(0, 1300))
        revoked = start + timedelta(days=rnd.randint(30, 600)) if rnd.random() < 0.10 else None
        rows.append({"id": rid, "recognising_body_id": a, "issuing_body_id": b, "mutual": rnd.random() < 1 / 3,
                     "effective_from": start, "document_ref": f"互认〔{start.year}〕{rid}号", "revoked_on": revoked,
                     "revoke_reason": "机构整合" if revoked else ""})
        if rnd.random() < 0.30:
            s = start + timedelta(days=rnd.randint(10, 300))
            e = s + timedelta(days=rnd.randint(5, 120)) if rnd.random() < 0.5 else None
            suspensions.append({"recognition_id": rid, "starts_on": s, "reason": "规则修订", "ends_on": e,
                                "resume_reason": "已恢复" if e else ""})
    db.session.execute(insert(Recognition.__table__), rows)
    db.session.execute(insert(RecognitionSuspension.__table__), suspensions)
    db.session.commit()
    print(f"{len(body_ids)} bodies, {len(rows):,} agreements, {len(suspensions):,} suspensions "
          f"in {time.perf_counter() - t0:.1f} s", flush=True)

    # certificates: 1M by bulk Core inserts; credit codes from a pool of valid ones
    t0 = time.perf_counter()
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    pool = []
    for _ in range(5000):
        base = "91" + "".join(rnd.choice("0123456789") for _ in range(6)) + "".join(
            rnd.choice(alphabet) for _ in range(9))
        pool.append(base + uscc.calc_check_digit(base))
    table = Certificate.__table__
    done = 0
    while done < args.certificates:
        n = min(args.batch, args.certificates - done)
        batch = []
        for j in range(done, done + n):
            body = body_ids[j % len(body_ids)]
            issued = date(2023, 1, 1) + timedelta(days=rnd.randint(0, 1400))
            roll = rnd.random()
            status = "revoked" if roll < 0.03 else "cancelled" if roll < 0.05 else "valid"
            batch.append({"body_id": body, "number": f"DJ{j:08d}", "number_key": f"DJ{j:08d}", "holder_name": f"示例企业{j % 50000}有限公司",
                          "holder_uscc": pool[j % len(pool)], "product_name": f"数据产品{j % 997}",
                          "issued_on": issued, "valid_until": issued + timedelta(days=365 * rnd.randint(1, 5)),
                          "status": status,
                          "status_changed_on": issued + timedelta(days=rnd.randint(30, 500)) if status != "valid" else None,
                          "status_reason": ""})
        db.session.execute(insert(table), batch)
        done += n
        if done % 200_000 == 0 or done == args.certificates:
            db.session.commit()
            print(f"  certificates: {done:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval('recognitions_id_seq', (SELECT max(id) FROM recognitions))"))
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()


def main():
    args = parse_args()
    if args.db.startswith("sqlite:////") and not args.reuse:
        Path(args.db[len("sqlite:///"):]).unlink(missing_ok=True)
    os.environ["TEST_DATABASE_URL"] = args.db
    from sqlalchemy import func, select

    from consortium import create_app
    from consortium.config import TestConfig
    from consortium.extensions import db
    from consortium.registers.models import Certificate, Recognition, RegistrationBody

    app = create_app(TestConfig)
    app.config["TESTING"] = False  # time what production does
    rnd = random.Random(2025)
    with app.app_context():
        print(f"database: {db.engine.dialect.name} ({db.engine.url.render_as_string(hide_password=True)}); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if not args.reuse:
            generate(args, rnd, db)
        counts = [db.session.scalar(select(func.count()).select_from(m))
                  for m in (RegistrationBody, Recognition, Certificate)]
        print(f"timing with {counts[0]} bodies, {counts[1]:,} agreements, {counts[2]:,} certificates")
        bodies = db.session.scalars(select(RegistrationBody.code)).all()
        top = db.session.scalar(select(func.max(Certificate.id)))
        lookups = []
        for _ in range(args.checks):
            c = db.session.get(Certificate, rnd.randint(1, top))
            lookups.append((c.number, rnd.choice(bodies),
                            (date(2023, 1, 1) + timedelta(days=rnd.randint(0, 1500))).isoformat()))
        db.session.remove()

    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/auth/login", data={"email": "member@bench.example", "password": "bench-password-2025",
                                         "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code

    reasons = {}
    client.get(f"/api/v1/recognition/check?certificate={lookups[0][0]}&body={lookups[0][1]}")  # warm-up
    times, cpu = [], []
    for number, body, day in lookups:
        t, c = time.perf_counter(), time.process_time()
        resp = client.get(f"/api/v1/recognition/check?certificate={number}&body={body}&date={day}")
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        reason = resp.get_json()["reason"]
        reasons[reason] = reasons.get(reason, 0) + 1
    print(f"check API (GET, {len(times)} random certificate × body × date): median {statistics.median(times):.1f} ms, "
          f"p95 {percentile(times, 95):.1f} ms, max {max(times):.1f} ms  [target p95 ≤ 20 ms]; "
          f"CPU time of this process: median {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 95):.1f} ms")
    print("  answers: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))

    def page_times(url):
        resp = client.get(url)  # warm-up
        assert resp.status_code == 200
        runs, cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            resp = client.get(url)
            runs.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert resp.status_code == 200
        return runs, cpu, len(resp.data)

    for url, what in (("/registers/network", "network page, all bodies, today"),
                      ("/registers/network?date=2024-06-30", "network page, all bodies, 2024-06-30"),
                      (f"/registers/network?body={bodies[0]}", "network page, one body")):
        runs, cpu, size = page_times(url)
        print(f"{what} (GET, {size / 1e6:.2f} MB HTML): median {statistics.median(runs):.0f} ms, "
              f"max {max(runs):.0f} ms  [target ≤ 500 ms]; CPU median {statistics.median(cpu):.0f} ms")


if __name__ == "__main__":
    main()
