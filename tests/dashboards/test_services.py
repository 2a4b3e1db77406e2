"""Publishing freezes the data; what a public panel may contain; the funnel,
timeline and compare rules; unpublish; the audit trail."""
import copy
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.audit.models import AuditLog
from consortium.catalog import services as catalog_services
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.dashboards import services
from consortium.dashboards.models import Dashboard, DashboardPanel, Publication
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.members.services import admit_member, get_member_by_code

from .conftest import CANARY

ALL_KINDS = ("key_figures", "membership_growth", "members_by_province", "resource_map", "coverage_matrix",
             "openness", "circulation_modes", ("replication_funnel", {"group": "transport"}),
             ("replication_timeline", {"group": "transport"}), "promotable", "agreements")


def test_publication_does_not_change_when_the_data_changes(union, make_dashboard):
    dashboard = make_dashboard(kinds=ALL_KINDS, actor=union.secretariat)
    v1 = services.publish(union.secretariat, dashboard)
    db.session.commit()
    frozen, figures = copy.deepcopy(v1.panels), dict(v1.key_figures)
    assert v1.version == 1 and v1.published_by_label == "秘书处 赵敏 · 秘书处"

    # the union changes: a new member with a public entry, a replication goes live
    newcomer = admit_member(None, name="兰州数据集团", kind="data_group", city=find_city("兰州"), code="lanzhou",
                            joined_on=date(2025, 10, 1))
    catalog_services.create_resource(None, newcomer, code="LZ-1", title="公交实时位置", description="",
                                     keywords="", domain="transport", department="", frequency="daily",
                                     openness="open", circulation_modes=["central"], is_public=True)
    db.session.commit()
    db.session.expire_all()

    again = db.session.get(Publication, v1.id)
    assert again.panels == frozen and again.key_figures == figures
    v2 = services.publish(union.secretariat, dashboard)
    db.session.commit()
    assert v2.version == 2
    assert v2.key_figures["members"] == figures["members"] + 1
    assert v2.key_figures["entries"] == figures["entries"] + 1
    assert db.session.get(Publication, v1.id).panels == frozen
    cities = {c["adcode"] for c in next(p for p in v2.panels if p["kind"] == "resource_map")["data"]["cities"]}
    assert "620100" in cities and "620100" not in json.dumps(frozen)  # 兰州 only in the new version
    change = {r["key"]: r for r in services.compare(v1, v2)}
    assert change["members"]["change"] == 1 and change["entries"]["change"] == 1 and change["live"]["change"] == 0


def test_public_panels_hold_public_entries_only_members_panels_all(union, make_dashboard):
    public = make_dashboard(slug="open-board", kinds=ALL_KINDS, actor=union.secretariat)
    members = make_dashboard(slug="inner-board", audience="members", kinds=ALL_KINDS, actor=union.secretariat)
    pub = services.publish(union.secretariat, public)
    inner = services.publish(union.secretariat, members)
    db.session.commit()
    public_json = json.dumps([pub.panels, pub.key_figures], ensure_ascii=False)
    inner_json = json.dumps([inner.panels, inner.key_figures], ensure_ascii=False)
    for hidden in ("拉萨", "Lasa", "540100", CANARY):
        assert hidden not in public_json
    assert "拉萨" in inner_json and "540100" in inner_json
    from consortium.catalog.models import DataResource
    public_count = db.session.scalar(select(func.count(DataResource.id)).where(
        DataResource.is_public.is_(True), DataResource.status == "active"))
    all_count = db.session.scalar(select(func.count(DataResource.id)).where(DataResource.status == "active"))
    assert pub.key_figures["entries"] == public_count < all_count == inner.key_figures["entries"]
    openness = {r["code"]: r["count"] for r in next(p for p in pub.panels if p["kind"] == "openness")["data"]["openness"]}
    assert sum(openness.values()) == public_count


def test_agreements_count_only_what_the_audience_may_see(union, make_dashboard):
    from consortium.agreements import services as agreement_services
    qd, wz = get_member_by_code("qingdao"), get_member_by_code("wenzhou")
    agreement_services.record_agreement(None, subject="内部合作备忘", signed_on=date(2025, 11, 3), status="signed",
                                        members=[qd, wz], is_public=False)
    db.session.commit()
    public = make_dashboard(slug="agr-public", kinds=["agreements"], actor=union.secretariat)
    inner = make_dashboard(slug="agr-inner", audience="members", kinds=["agreements"], actor=union.secretariat)
    a, b = services.publish(union.secretariat, public), services.publish(union.secretariat, inner)
    pub_data, inner_data = a.panels[0]["data"], b.panels[0]["data"]
    assert "2025-11" not in pub_data["months"]  # the only agreement of that month is not public
    # nor do members at large see it: only its parties do, and a members-only dashboard is not theirs
    assert "2025-11" not in inner_data["months"]
    assert sum(pub_data["signed"]) == 3 and pub_data["months"][0] == "2025-09"


def test_true_funnel_counts_every_stage_reached_and_keeps_stalled_apart(union):
    from consortium.scenarios import queries
    from consortium.scenarios import services as s
    from consortium.scenarios.models import ScenarioGroup
    group = db.session.scalar(select(ScenarioGroup).where(ScenarioGroup.code == "healthcare"))
    before = queries.replication_funnel(group="healthcare")
    scenario = s.create_scenario(union.secretariat, group, title="专病数据应用测试", description="",
                                 origin_member=get_member_by_code("ningbo"), needs=s.parse_needs("专病数据 | 医疗健康 | 专病"), modes=[],
                                 maturity="idea", links="")
    start = local_today() - timedelta(days=40)
    lhasa_rep = s.start_replication(union.secretariat, scenario, union.lhasa, occurred_on=start)
    for i, stage in enumerate(("matching", "data_ready", "stalled"), 1):
        s.change_stage(union.secretariat, lhasa_rep, stage, occurred_on=start + timedelta(days=i))
    other = s.start_replication(union.secretariat, scenario, get_member_by_code("chengdu"), occurred_on=start)
    s.change_stage(union.secretariat, other, "withdrawn", occurred_on=start + timedelta(days=2))
    db.session.commit()
    after = queries.replication_funnel(group="healthcare")
    delta = {k: after["reached"][k] - before["reached"][k] for k in after["reached"]}
    assert delta == {"interest": 2, "matching": 1, "data_ready": 1, "pilot": 0, "live": 0}
    assert after["side"]["stalled"] - before["side"]["stalled"] == 1
    assert after["side"]["withdrawn"] - before["side"]["withdrawn"] == 1
    # as of a date before the changes, neither replication counts
    assert queries.replication_funnel(group="healthcare", until=start - timedelta(days=1))["total"] <= before["total"]


def test_timeline_keeps_empty_months():
    from consortium.scenarios import queries
    data = queries.replication_timeline(since=date(2025, 1, 1), until=date(2025, 4, 30))
    assert data["months"] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert all(len(v) == 4 for v in data["series"].values())


def test_membership_growth_keeps_empty_months_and_the_source_figures(union):
    from consortium.dashboards import panels
    kind = panels.get("membership_growth")
    data = kind.collect(panels.Context(None, "public"), {"date_to": "2025-09-30"})
    assert data["months"] == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"]
    assert data["by_kind"]["data_group"][0] == 11 and sum(data["by_kind"]["data_group"][1:5]) == 0
    assert data["source"] == {"founding_month": "2025-04", "founding_groups": 24, "later_groups": 22,
                              "later_merchants": 17}
    headers, rows = kind.table(data, "zh_CN")
    assert rows[-1][-1] == 22  # cumulative by the end of September (21 demo members and 拉萨)


def test_negotiation_like_sensitive_kinds_need_the_tick(union, make_dashboard):
    from consortium.dashboards import panels
    calls = []
    panels.register(panels.PanelKind("secret_counts", "secret", lambda ctx, f: calls.append(1) or {"n": 3},
                                     lambda d, loc: (["n"], [[d["n"]]]), sensitive=True))
    try:
        dashboard = make_dashboard(slug="sensitive", kinds=["key_figures", "secret_counts"], actor=union.secretariat)
        without = services.publish(union.secretariat, dashboard)
        assert [p["kind"] for p in without.panels] == ["key_figures"] and calls == []
        assert not without.includes_negotiations
        ticked = services.publish(union.secretariat, dashboard, include_negotiations=True)
        assert [p["kind"] for p in ticked.panels] == ["key_figures", "secret_counts"] and ticked.includes_negotiations
    finally:
        panels._KINDS.pop("secret_counts")


def test_bad_input_is_refused_and_nothing_written(union, make_dashboard):
    n = db.session.scalar(select(func.count(Dashboard.id)))
    with pytest.raises(DomainError) as e:
        services.create_dashboard(union.secretariat, slug="Bad Slug!", title="看板")
    assert e.value.field == "slug"
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        services.create_dashboard(union.member, slug="member-board", title="看板")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Dashboard.id))) == n
    dashboard = make_dashboard(kinds=[], actor=union.secretariat)
    for filters, field in (({"province": "99"}, "province"), ({"group": "nope"}, "group"),
                           ({"date_from": "2025-13-01"}, "date_from"),
                           ({"date_from": "2025-09-01", "date_to": "2025-01-01"}, "date_from")):
        with pytest.raises(DomainError) as e:
            services.add_panel(union.secretariat, dashboard, "replication_timeline", filters=filters)
        assert e.value.field == field
        db.session.rollback()
    with pytest.raises(DomainError):
        services.add_panel(union.secretariat, dashboard, "no_such_kind")
    db.session.rollback()
    assert db.session.scalar(select(func.count(DashboardPanel.id)).where(DashboardPanel.dashboard_id == dashboard.id)) == 0
    with pytest.raises(DomainError):
        services.publish(union.secretariat, dashboard)  # no panels
    db.session.rollback()
    assert db.session.scalar(select(func.count(Publication.id)).where(Publication.dashboard_id == dashboard.id)) == 0


def test_a_filter_the_kind_does_not_honour_is_refused_and_nothing_is_saved(union, make_dashboard):
    dashboard = make_dashboard(kinds=[], actor=union.secretariat)
    with pytest.raises(DomainError) as refused:
        services.add_panel(union.secretariat, dashboard, "recognitions",
                           filters={"group": "transport", "province": "37", "domain": "health"})
    assert "不能按领域" in refused.value.message and "省份" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(DashboardPanel.id)).where(DashboardPanel.dashboard_id == dashboard.id)) == 0
    panel = services.add_panel(union.secretariat, dashboard, "recognitions",
                               filters={"group": "transport", "province": "37", "domain": ""})
    assert panel.filters == {"group": "transport", "province": "37"}


def test_order_move_remove_and_audit(union, make_dashboard):
    dashboard = make_dashboard(kinds=["key_figures", "openness", "agreements"], actor=union.secretariat)
    panels_ = list(dashboard.panels)
    services.move_panel(union.secretariat, panels_[2], -1)
    db.session.commit()
    db.session.refresh(dashboard)
    assert [p.kind for p in dashboard.panels] == ["key_figures", "agreements", "openness"]
    services.remove_panel(union.secretariat, dashboard.panels[0])
    db.session.commit()
    db.session.refresh(dashboard)
    assert [(p.kind, p.position) for p in dashboard.panels] == [("agreements", 1), ("openness", 2)]
    pub = services.publish(union.secretariat, dashboard)
    services.unpublish(union.secretariat, pub)
    db.session.commit()
    assert db.session.get(Publication, pub.id).is_hidden  # kept, hidden
    rows = db.session.scalars(select(AuditLog).where(AuditLog.object_type.in_(
        ["Dashboard", "DashboardPanel", "Publication"])).order_by(AuditLog.id)).all()  # PostgreSQL keeps no order
    actions = {(r.object_type, r.action) for r in rows}
    assert {("Dashboard", "create"), ("DashboardPanel", "create"), ("DashboardPanel", "delete"),
            ("Publication", "create"), ("Publication", "update")} <= actions
    mine = [r for r in rows if r.object_type == "Publication" and r.object_id == str(pub.id)]
    assert [r.action for r in mine] == ["create", "update"]
    assert all(r.actor_label == "secretariat@cdou.example" for r in mine)
    assert all("panels" not in (r.changes or {}) for r in rows if r.object_type == "Publication")
