"""我的工作台 at national scale: the workspace page of the lead of a national group.

Reuses bench/scenario_bench.py's generator (333 member cities, one national group
with 40 seed scenarios in every city ≈ 13,000 replications and 100,000 stage events,
a resource map of N entries), then adds what fills a lead's workspace:

* 100,000 notifications spread over the members, a tenth of them for the lead's
  member (stage changes, join requests, invitation answers), half of those unread;
* 60 pending join requests to the national group (the lead decides them);
* 300 pending invitations, 500 authorisation applications waiting for a decision;
* a fifth of the lead member's own entries overdue for their update frequency.

and times, as the lead, GET /me (all sections: join requests, invitations,
authorisations, entries with stale ones flagged, replications, groups, recent
notifications), GET / (the home page with the waiting items) and GET /me/digest.

Usage (from the repository root):
    python bench/workspace_bench.py                                  # SQLite file in /tmp, 1M entries
    python bench/workspace_bench.py --db postgresql://postgres@127.0.0.1:55432/bench --resources 200000
    python bench/workspace_bench.py --reuse --db ...                 # time an existing database again

The database given is wiped unless --reuse. Figures are printed; nothing is asserted.
"""
import os
import random
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scenario_bench  # noqa: E402  (the national-scale generator)


def add_workspace_load(args, rnd, db, lead_user_id):
    from sqlalchemy import insert, select, update

    from consortium.auth.models import User
    from consortium.authorisations.models import AuthorisationApplication
    from consortium.catalog.models import DataResource
    from consortium.members.models import Member
    from consortium.notifications.models import Notification
    from consortium.scenarios.models import GroupMembership, Invitation, Replication, Scenario, ScenarioGroup

    lead = db.session.get(User, lead_user_id)
    group = db.session.scalar(select(ScenarioGroup).where(ScenarioGroup.code == "national"))
    members = db.session.scalars(select(Member.id).order_by(Member.id)).all()
    now = datetime.utcnow()
    kinds = ["scenarios.stage_changed", "scenarios.invitation_accepted", "authorisations.submitted"]
    reps = db.session.scalars(select(Replication.id).limit(20_000)).all()
    rows = []
    for i in range(args.notifications):
        for_lead = i % 10 == 0
        rows.append({"member_id": lead.member_id if for_lead else rnd.choice(members), "kind": rnd.choice(kinds),
                     "target_type": "replication", "target_id": rnd.choice(reps),
                     "payload": {"scenario": "场景01", "city": "某市", "from": "interest", "to": "matching",
                                 "group": group.name, "member": "某数据集团", "authority": "某市数据局"},
                     "text": "", "created_by_label": "bench", "created_at": now - timedelta(minutes=i),
                     "read_at": None if rnd.random() < 0.5 else now})
        if len(rows) == args.batch:
            db.session.execute(insert(Notification), rows)
            rows = []
    if rows:
        db.session.execute(insert(Notification), rows)
    # join requests, invitations, authorisation applications
    outsiders = members[1:61]
    db.session.execute(insert(GroupMembership), [
        {"group_id": group.id, "member_id": m, "status": "pending", "motivation": "bench", "reason": "",
         "requested_at": now - timedelta(days=rnd.randint(0, 30))} for m in outsiders])
    extra = db.session.execute(insert(Scenario).values(group_id=group.id, title="邀请场景", title_en="",
                                                       description="", circulation_mask=0, maturity="pilot",
                                                       links="", is_illustrative=False)
                               .returning(Scenario.id)).scalar_one()
    db.session.execute(insert(Invitation), [
        {"scenario_id": extra, "member_id": m, "status": "pending", "note": "", "reason": "", "invited_by_label": "bench",
         "created_at": now} for m in members[:300]])
    db.session.execute(insert(AuthorisationApplication), [
        {"replication_id": rid, "resources": "bench", "scope": "", "authority": "某市数据局", "reference_no": "",
         "attachments": "", "status": "submitted", "submitted_on": date.today() - timedelta(days=rnd.randint(0, 200)),
         "decision_note": "", "created_at": now} for rid in rnd.sample(reps, 500)])
    # a fifth of the lead member's entries overdue
    mine = db.session.scalars(select(DataResource.id).where(DataResource.member_id == lead.member_id)).all()
    stale = rnd.sample(mine, len(mine) // 5)
    for start in range(0, len(stale), 500):
        db.session.execute(update(DataResource).where(DataResource.id.in_(stale[start:start + 500]))
                           .values(data_updated_on=date.today() - timedelta(days=800))
                           .execution_options(audit_bypass_ok=True))  # bench data, like seed-scale
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    print(f"workspace load: {args.notifications:,} notifications ({args.notifications // 10:,} for the lead), "
          f"{len(outsiders)} join requests, 300 invitations, 500 applications, "
          f"{len(mine):,} lead entries ({len(stale):,} overdue)")


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite:////tmp/cdou-workspace-bench.db")
    parser.add_argument("--cities", type=int, default=333)
    parser.add_argument("--scenarios", type=int, default=40)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--resources", type=int, default=1_000_000)
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if args.db.startswith("sqlite:////") and not args.reuse:
        Path(args.db[len("sqlite:///"):]).unlink(missing_ok=True)
    os.environ["TEST_DATABASE_URL"] = args.db
    from sqlalchemy import func, select

    from consortium import create_app
    from consortium.auth.models import User
    from consortium.config import TestConfig
    from consortium.extensions import db
    from consortium.notifications.models import Notification

    app = create_app(TestConfig)
    app.config["TESTING"] = False
    rnd = random.Random(48)
    with app.app_context():
        print(f"database: {db.engine.dialect.name}")
        if args.reuse:
            lead_user_id = db.session.scalar(select(User.id).where(User.email == "lead@bench.example"))
        else:
            _subject, _total, _reps, lead_user_id = scenario_bench.generate(args, rnd, db)
            add_workspace_load(args, rnd, db, lead_user_id)
        print(f"notifications in the database: {db.session.scalar(select(func.count(Notification.id))):,}")

    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/auth/login", data={"email": "lead@bench.example", "password": "bench-password-2025",
                                         "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code

    for label, url, target in (("workspace GET /me", "/me", " [target ≤ 300 ms]"),
                               ("home page GET / (waiting items)", "/", ""),
                               ("weekly digest GET /me/digest", "/me/digest", ""),
                               ("notifications GET /notifications/", "/notifications/", "")):
        def get(url=url):
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.status_code)
            return resp
        size = len(get().data)
        med, lo, hi = scenario_bench.timed(get, args.repeat)
        print(f"{label} ({size / 1e3:.0f} kB): median {med:.0f} ms, min {lo:.0f}, max {hi:.0f}{target}")


if __name__ == "__main__":
    main()
