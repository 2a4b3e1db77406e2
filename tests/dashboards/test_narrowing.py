"""Issue 22: every panel kind that counts can be narrowed to a scenario group, a domain or a
province (``dashboards.narrow``). On the demo union (real Chinese data), each kind's figures are
those of the rows the narrowing keeps, counted independently here; a value that does not exist,
or a filter the kind does not honour, is refused and nothing is saved; a public dashboard never
counts a members-only entry, however narrowed; the page, the chart's text alternative, the CSV
and the API show the narrowed figures and say what they count."""
import csv
import io

import pytest
from sqlalchemy import select

from consortium.catalog.models import DataResource
from consortium.core.exceptions import DomainError
from consortium.dashboards import panels, services
from consortium.dashboards.models import DashboardPanel
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member
from consortium.scenarios.models import GroupMembership, Replication, Scenario, ScenarioGroup, ScenarioNeed
from tests.conftest import Browser

SHANDONG = "37"  # 山东: 青岛, 济南, 烟台 … in the demo


@pytest.fixture
def transport(union):
    """The demo's first scenario group (公交 / 交通 scenarios) and its members."""
    group = db.session.scalar(select(ScenarioGroup).order_by(ScenarioGroup.id).limit(1))
    ids = {group.lead_member_id, *db.session.scalars(select(GroupMembership.member_id).where(
        GroupMembership.group_id == group.id, GroupMembership.status == "approved"))}
    return group, ids


def _data(kind, filters, audience="public"):
    """One panel's data, as publishing collects it, and the panel's stored filters."""
    panel_kind = panels.get(kind)
    clean = services.validate_filters(panel_kind, filters)
    ctx = panels.Context(actor=services.audience_actor(audience), audience=audience)
    return panel_kind.collect(ctx, clean)


def _province_members(code):
    return set(db.session.scalars(select(Member.id).join(City, City.id == Member.city_id)
                                  .join(Province, Province.id == City.province_id)
                                  .where(Province.code == code, Member.status == "active")))


def _public_entries():
    return db.session.scalars(select(DataResource).where(DataResource.is_public.is_(True),
                                                         DataResource.status == "active")).all()


def _province_cities(code):
    return set(db.session.scalars(select(City.id).join(Province, Province.id == City.province_id)
                                  .where(Province.code == code)))


def _active(ids):
    return {m for m in ids if db.session.get(Member, m).status == "active"}


def test_membership_panels_narrow_to_a_group_a_domain_and_a_province(union, transport):
    group, ids = transport
    whole = sum(sum(v) for v in _data("membership_growth", {})["by_kind"].values())
    by_group = sum(sum(v) for v in _data("membership_growth", {"group": group.code})["by_kind"].values())
    assert by_group == len(_active(ids)) < whole
    holders = {r.member_id for r in _public_entries() if r.domain == "transport"}
    by_domain = _data("members_by_province", {"domain": "transport"})["provinces"]
    assert sum(p["count"] for p in by_domain) == len(_active(holders)) < whole
    shandong = _data("members_by_province", {"province": SHANDONG})["provinces"]
    assert [(p["name"], p["count"]) for p in shandong] == [("山东省", len(_province_members(SHANDONG)))]
    both = _data("membership_growth", {"group": group.code, "domain": "transport", "province": SHANDONG})
    assert sum(sum(v) for v in both["by_kind"].values()) == len(_active(ids & holders) & _province_members(SHANDONG))


def test_resource_map_panels_narrow_to_a_group_a_domain_and_a_province(union, transport):
    group, ids = transport
    public = _public_entries()
    of_group = [r for r in public if r.member_id in ids]
    assert sum(c["count"] for c in _data("resource_map", {"group": group.code})["cities"]) == len(of_group) < len(public)
    assert sum(r["count"] for r in _data("openness", {"group": group.code})["openness"]) == len(of_group)
    transport_rows = [r for r in public if r.domain == "transport"]
    matrix = _data("coverage_matrix", {"domain": "transport"})
    assert matrix["domains"] == ["transport"]
    assert sum(sum(c["counts"].values()) for c in matrix["cities"]) == len(transport_rows)
    cities = _province_cities(SHANDONG)
    in_shandong = [r for r in public if r.city_id in cities]
    modes = _data("circulation_modes", {"province": SHANDONG, "domain": "transport"})["modes"]
    assert sum(m["count"] for m in modes) == sum(
        bin(r.circulation_mask or 0).count("1") for r in in_shandong if r.domain == "transport")
    assert {c["province"] for c in _data("resource_map", {"province": SHANDONG})["cities"]} == {"山东省"}


def test_a_public_dashboard_never_counts_a_members_only_entry_however_narrowed(union):
    """The canary: 拉萨's only entry (能源, 西藏) is members-only."""
    tibet = {"province": "54", "domain": "energy"}
    assert _data("key_figures", tibet) | {} == {"members": 0, "cities": 0, "entries": 0, "live": 0, "promotable": 0}
    assert _data("resource_map", tibet)["cities"] == []
    assert _data("members_by_province", {"domain": "energy", "province": "54"})["provinces"] == []
    members_only = _data("key_figures", tibet, audience="members")
    assert (members_only["members"], members_only["entries"]) == (1, 1)
    assert _data("resource_map", tibet, audience="members")["cities"][0]["city"] == "拉萨市"


def test_replication_panels_narrow_to_a_group_a_domain_and_a_province(union, transport):
    group, _ids = transport
    all_ = db.session.scalars(select(Replication)).all()
    needing_health = set(db.session.scalars(select(ScenarioNeed.scenario_id).where(ScenarioNeed.domain == "health")))
    of_group = set(db.session.scalars(select(Scenario.id).where(Scenario.group_id == group.id)))
    shandong = _province_members(SHANDONG)
    assert _data("replication_funnel", {})["total"] == len(all_)
    assert _data("replication_funnel", {"group": group.code})["total"] == len(
        [r for r in all_ if r.scenario_id in of_group]) < len(all_)
    health = _data("replication_funnel", {"domain": "health"})
    assert health["total"] == len([r for r in all_ if r.scenario_id in needing_health]) < len(all_)
    assert _data("replication_funnel", {"province": SHANDONG})["total"] == len(
        [r for r in all_ if r.member_id in shandong])
    timeline = _data("replication_timeline", {"domain": "health"})
    whole = _data("replication_timeline", {})
    assert sum(map(sum, timeline["series"].values())) < sum(map(sum, whole["series"].values()))
    promotable = _data("promotable", {})["groups"]
    by_domain = _data("promotable", {"domain": "health"})["groups"]
    assert sum(g["scenarios"] for g in by_domain) == len(needing_health) < sum(g["scenarios"] for g in promotable)
    live_in = set(db.session.scalars(select(Replication.scenario_id).where(
        Replication.stage == "live", Replication.member_id.in_(_province_members("54")))))
    assert live_in == set() and sum(g["promotable"] for g in _data("promotable", {"province": "54"})["groups"]) == 0
    assert [g["code"] for g in _data("promotable", {"group": group.code})["groups"]] == [group.code]


def test_agreement_and_register_panels_narrow(union, transport):
    from consortium.agreements.models import Agreement, AgreementParty, agreement_scenarios
    from consortium.registers.models import DataSpace
    group, ids = transport
    signed = [a for a in db.session.scalars(select(Agreement)).all()
              if a.signed_on and a.status in ("signed", "in_force", "ended") and a.is_public]
    of_group = set(db.session.scalars(select(agreement_scenarios.c.agreement_id).join(
        Scenario, Scenario.id == agreement_scenarios.c.scenario_id).where(Scenario.group_id == group.id)))
    assert sum(_data("agreements", {"group": group.code})["signed"]) == len([a for a in signed if a.id in of_group])
    with_shandong = set(db.session.scalars(select(AgreementParty.agreement_id).where(
        AgreementParty.member_id.in_(_province_members(SHANDONG)))))
    assert sum(_data("agreements", {"province": SHANDONG})["signed"]) == len(
        [a for a in signed if a.id in with_shandong])
    spaces = db.session.scalars(select(DataSpace)).all()
    by_domain = _data("data_spaces", {"domain": "transport"})
    assert by_domain["total"] == len([s for s in spaces if "transport" in s.domain_list]) < len(spaces)
    cities = _province_cities(SHANDONG)
    assert _data("data_spaces", {"province": SHANDONG})["total"] == len([s for s in spaces if s.city_id in cities])
    assert by_domain["target"] == 100  # the national expectation stays union-wide
    whole = _data("recognitions", {})["months"]
    tibet = _data("recognitions", {"province": "54"})["months"]
    assert whole and tibet == []  # no registration body in 西藏


def test_a_filter_value_that_does_not_exist_is_refused_with_a_clear_message(union, make_dashboard):
    dashboard = make_dashboard(slug="jiaotong", kinds=("resource_map",), actor=union.secretariat)
    panel = dashboard.panels[0]
    for filters, words in (({"group": "无此分组"}, "未知的场景小组"), ({"domain": "交通运输"}, "未知的领域"),
                           ({"province": "99"}, "未知的省份")):
        with pytest.raises(DomainError) as refused:
            services.configure_panel(union.secretariat, panel, filters=filters)
        assert words in refused.value.message
        db.session.rollback()
        assert db.session.get(DashboardPanel, panel.id).filters == {}
    for kind in ("key_figures", "membership_growth", "members_by_province", "resource_map", "coverage_matrix",
                 "openness", "circulation_modes", "replication_funnel", "replication_timeline", "promotable",
                 "agreements", "data_spaces"):
        assert {"province", "group", "domain"} <= set(panels.get(kind).filters), kind


def test_the_page_its_text_alternative_csv_and_api_show_the_narrowed_counts(union, transport, app, make_dashboard):
    group, ids = transport
    dashboard = make_dashboard(slug="jiaotong", title="交通看板", kinds=(
        ("openness", {"group": group.code, "domain": "transport"}),), actor=union.secretariat)
    services.publish(union.secretariat, dashboard)
    db.session.commit()
    expected = len([r for r in _public_entries() if r.member_id in ids and r.domain == "transport"])
    visitor = Browser(app.test_client())
    page = visitor.get("/d/jiaotong").get_data(as_text=True)
    assert f"场景小组: {group.name}" in page and "领域: 交通" in page  # the panel says what it counts
    assert f"资源条目（按开放属性） · 场景小组: {group.name} · 领域: 交通" in page  # the text alternative's caption
    rows = list(csv.reader(io.StringIO(visitor.get("/d/jiaotong/v/1/panels/0.csv").get_data(as_text=True))))
    assert sum(int(r[1]) for r in rows[1:]) == expected
    api = visitor.get("/api/v1/dashboards/jiaotong/versions/1").get_json()
    assert api["panels"][0]["filters"] == {"group": group.code, "domain": "transport"}
    assert sum(r["count"] for r in api["panels"][0]["data"]["openness"]) == expected
    members = Browser(app.test_client())
    members.login("qingdao@cdou.example")
    assert f"场景小组: {group.name}" in members.get("/d/jiaotong").get_data(as_text=True)
