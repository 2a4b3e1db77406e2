"""Scenario-replication benchmark at national scale.

Builds 333 member cities, one scenario group with 40 seed scenarios tracked in
every city (≈13,000 replications, 100,000 stage events) and a resource map of
1,000,000 entries (bulk Core inserts into data_resources), then times:

* the lead's board, server side: GET /scenarios/groups/<code>/board (matrix,
  funnel, timeline, stalled detection, HTML rendering) — target ≤ 300 ms;
* where-next for one scenario over the 1M-entry resource map
  (consortium.scenarios.ranking.where_next, and the full page) — target ≤ 500 ms.

Usage (from the repository root):
    python bench/scenario_bench.py                                  # SQLite file in /tmp
    python bench/scenario_bench.py --db postgresql://postgres@127.0.0.1:5432/bench
    python bench/scenario_bench.py --resources 200000 --repeat 3    # smaller / quicker

The database given is wiped (drop_all/create_all). Figures are printed.
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

STAGES = ("interest", "matching", "data_ready", "pilot", "live")
DOMAIN_TITLES = {
    "transport": ["公交实时位置", "车辆定位", "营运车辆资质", "危险货物电子运单", "货运车辆轨迹", "道路运输许可",
                  "公交线路站点", "乘车码", "出租车订单", "停车场泊位"],
    "health": ["医保结算", "医检结果", "医学影像", "护理机构", "老年人健康档案", "专病诊疗", "电子病历"],
    "finance": ["企业纳税", "企业社保缴纳", "企业信用", "不动产登记", "公积金缴存"],
    "market": ["企业信用", "市场主体登记", "行政处罚"],
    "social": ["参保人员", "企业社保缴纳", "低保救助"],
    "government": ["实名认证", "电子证照", "政务服务事项"],
    "tourism": ["景区客流", "酒店入住", "文化场馆"],
    "industry": ["工业用电", "规上企业产值", "园区企业"],
    "urban": ["城市部件", "网格事件", "井盖监测"],
    "environment": ["空气质量", "气象观测", "水质监测"],
    "education": ["学籍", "学校基础信息"],
    "agriculture": ["农产品价格", "耕地"],
    "energy": ["充电桩", "光伏发电"],
    "science": ["科技企业", "专利"],
}
FREQS = ("realtime", "daily", "weekly", "monthly", "quarterly", "annual", "irregular")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default="sqlite:////tmp/cdou-scenario-bench.db")
    p.add_argument("--cities", type=int, default=333)
    p.add_argument("--scenarios", type=int, default=40)
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--resources", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--batch", type=int, default=20_000)
    p.add_argument("--reuse", action="store_true", help="time an existing benchmark database; generate nothing")
    return p.parse_args()


def timed(fn, repeat):
    fn()  # warm-up (template compilation, caches)
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), min(runs), max(runs)


def generate(args, rnd, db):
    """Fill the database; returns (where-next scenario id, resources, replications, lead user id)."""
    from sqlalchemy import func, insert, select
    from consortium.catalog.models import DataResource
    from consortium.geo.models import City
    from consortium.geo.services import load_reference_data
    from consortium.members.models import Member
    from consortium.scenarios.models import Replication, ReplicationEvent, Scenario, ScenarioGroup, ScenarioNeed
    engine = db.engine
    db.drop_all()
    db.create_all()
    load_reference_data()
    db.session.commit()
    t0 = time.perf_counter()
    cities = db.session.execute(select(City.id, City.name).order_by(City.adcode)).all()
    rnd.shuffle(cities)
    cities = sorted(cities[:args.cities])
    db.session.execute(insert(Member), [
        {"code": f"c{i:04d}", "name": f"{name}数据集团{i}", "name_en": f"City data group {i}", "kind": "data_group",
         "city_id": cid, "joined_on": date(2025, 4, 18), "status": "active", "description": "", "website": ""}
        for i, (cid, name) in enumerate(cities)])
    members = db.session.execute(select(Member.id, Member.city_id).order_by(Member.id)).all()
    lead_id = members[0].id
    from consortium.auth.services import create_user
    lead = create_user(None, email="lead@bench.example", password="bench-password-2025", member=db.session.get(Member, lead_id))
    group_id = db.session.execute(insert(ScenarioGroup).values(
        code="national", name="全国交通场景小组", name_en="", description="benchmark", lead_member_id=lead_id,
        target_count=5, target_date=date(2026, 12, 31), promotable_cities=3, stall_days=60)
        .returning(ScenarioGroup.id)).scalar_one()
    domains = list(DOMAIN_TITLES)
    scenario_rows = []
    for i in range(args.scenarios + 1):  # the extra one is the where-next subject
        scenario_rows.append({"group_id": group_id, "title": f"场景{i:02d}", "title_en": "", "description": "",
                              "origin_member_id": members[i % len(members)].id, "circulation_mask": 3,
                              "maturity": "pilot", "links": "", "is_illustrative": False})
    db.session.execute(insert(Scenario), scenario_rows)
    scenario_ids = db.session.scalars(select(Scenario.id).order_by(Scenario.id)).all()
    needs = []
    for sid in scenario_ids:
        for d in rnd.sample(["transport", "health", "finance", "social"], 3):
            word = rnd.choice(DOMAIN_TITLES[d])
            needs.append({"scenario_id": sid, "domain": d, "label": word + "数据", "keyword": word})
    db.session.execute(insert(ScenarioNeed), needs)
    db.session.commit()

    # replications: every board scenario in every city; the where-next one in 10 cities only
    today = date.today()
    rep_rows = []
    board_scenarios, subject = scenario_ids[:-1], scenario_ids[-1]
    for sid in board_scenarios:
        for m in members:
            rep_rows.append({"scenario_id": sid, "member_id": m.id})
    for m in members[:10]:
        rep_rows.append({"scenario_id": subject, "member_id": m.id})
    per_rep = [args.events // len(rep_rows)] * len(rep_rows)
    for i in range(args.events - sum(per_rep)):
        per_rep[i] += 1
    events, reps = [], []
    for rid, (row, n) in enumerate(zip(rep_rows, per_rep), 1):
        day = today - timedelta(days=rnd.randint(200, 700))
        stage, prev = "interest", None
        chain = []
        for k in range(n):
            if k:
                day += timedelta(days=rnd.randint(1, 25))
                prev = stage
                roll = rnd.random()
                if roll < 0.5:
                    stage = stage  # a progress note
                elif roll < 0.9 and stage in STAGES and stage != "live":
                    stage = STAGES[STAGES.index(stage) + 1]
                elif roll < 0.95:
                    stage = "stalled"
                else:
                    stage = rnd.choice(STAGES[:3])
            chain.append({"replication_id": rid, "from_stage": prev if k else None, "to_stage": stage,
                          "occurred_on": min(day, today), "note": "", "reason": "",
                          "author_label": "bench"})
        events.extend(chain)
        reps.append(dict(row, id=rid, stage=stage, owner="", next_step="", blockers="",
                         last_event_on=min(day, today), is_illustrative=False, version=1))
    for start in range(0, len(reps), args.batch):
        db.session.execute(insert(Replication.__table__), reps[start:start + args.batch])
    for start in range(0, len(events), args.batch):
        db.session.execute(insert(ReplicationEvent.__table__), events[start:start + args.batch])
    db.session.commit()
    if engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval('replications_id_seq', (SELECT max(id) FROM replications))"))
        db.session.commit()
    print(f"scenario data: {len(members)} cities, {len(board_scenarios)} board scenarios, "
          f"{len(reps):,} replications, {len(events):,} events in {time.perf_counter() - t0:.1f} s")

    # the resource map, 1M rows by bulk Core inserts
    t0 = time.perf_counter()
    member_city = [(m.id, m.city_id) for m in members]
    table = DataResource.__table__
    done = 0
    while done < args.resources:
        n = min(args.batch, args.resources - done)
        rows = []
        for j in range(done, done + n):
            mid, cid = member_city[j % len(member_city)]
            d = domains[rnd.randrange(len(domains))]
            word = rnd.choice(DOMAIN_TITLES[d])
            rows.append({"member_id": mid, "city_id": cid, "code": f"R{j}", "title": f"{word}数据{j}",
                         "description": "", "keywords": "", "domain": d, "department": "",
                         "contact_name": "", "contact_email": "", "frequency": rnd.choice(FREQS),
                         "spatial_coverage": "", "openness": "conditional",
                         "circulation_mask": rnd.randint(1, 15), "registration_no": "", "formats": "",
                         "has_api": False, "is_public": rnd.random() < 0.3,
                         "status": "active" if rnd.random() < 0.97 else "retired"})
        db.session.execute(insert(table), rows)
        done += n
        if done % 200_000 == 0 or done == args.resources:
            db.session.commit()
            print(f"  resources: {done:,} rows, {time.perf_counter() - t0:.1f} s", flush=True)
    db.session.commit()
    if engine.dialect.name == "postgresql":
        db.session.execute(db.text("ANALYZE"))
    else:
        db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    gen = time.perf_counter() - t0
    total = db.session.scalar(select(func.count(DataResource.id)))
    print(f"resource map: {total:,} entries generated in {gen:.1f} s")
    lead_id_user = lead.id

    return subject, total, reps, lead_id_user


def main():
    args = parse_args()
    if args.db.startswith("sqlite:////") and not args.reuse:
        Path(args.db[len("sqlite:///"):]).unlink(missing_ok=True)
    os.environ["TEST_DATABASE_URL"] = args.db
    from sqlalchemy import func, select

    from consortium import create_app
    from consortium.auth.models import User
    from consortium.catalog.models import DataResource
    from consortium.config import TestConfig
    from consortium.extensions import db
    from consortium.members.models import Member
    from consortium.scenarios import ranking
    from consortium.scenarios.models import Replication, Scenario

    app = create_app(TestConfig)
    app.config["TESTING"] = False  # time what production does (no test-only template reloads)
    rnd = random.Random(42)
    with app.app_context():
        engine = db.engine
        print(f"database: {engine.dialect.name} ({engine.url.render_as_string(hide_password=True)})")
        if args.reuse:
            members = db.session.execute(select(Member.id)).all()
            reps = db.session.scalars(select(Replication.id)).all()
            total = db.session.scalar(select(func.count(DataResource.id)))
            subject = db.session.scalar(select(func.max(Scenario.id)))
            lead_id_user = db.session.scalar(select(User.id).where(User.email == "lead@bench.example"))
            print(f"reusing: {len(members)} members, {len(reps):,} replications, {total:,} resources")
        else:
            subject, total, reps, lead_id_user = generate(args, rnd, db)

    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/auth/login", data={"email": "lead@bench.example", "password": "bench-password-2025",
                                         "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code

    def board():
        resp = client.get("/scenarios/groups/national/board")
        assert resp.status_code == 200
        return resp

    size = len(board().data)
    med, lo, hi = timed(board, args.repeat)
    print(f"lead's board (GET, {len(reps):,} replications, {size / 1e6:.1f} MB HTML): "
          f"median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}  [target ≤ 300 ms]")

    def board_filtered():
        assert client.get("/scenarios/groups/national/board?stage=pilot").status_code == 200
    med, lo, hi = timed(board_filtered, args.repeat)
    print(f"lead's board filtered by stage: median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}")

    with app.app_context():
        from consortium.extensions import db as _db
        user = _db.session.get(User, lead_id_user)
        scenario = _db.session.get(Scenario, subject)

        def rank():
            return ranking.where_next(user, scenario)
        ranked = rank()
        med, lo, hi = timed(rank, args.repeat)
        print(f"where-next ranking ({len(ranked)} candidate cities, {len(scenario.needs)} needs, "
              f"{total:,} resources): median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}  [target ≤ 500 ms]")

    def where_next_page():
        assert client.get(f"/scenarios/{subject}/where-next").status_code == 200
    med, lo, hi = timed(where_next_page, args.repeat)
    print(f"where-next page (GET): median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}")


if __name__ == "__main__":
    main()
