"""The rules of groups, replications, the board and where-next, without a client."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.core.spreadsheets import to_csv, to_xlsx
from consortium.core.weeks import Week
from consortium.extensions import db
from consortium.notifications import services as notifications
from consortium.scenarios import board, ranking, services
from consortium.notifications.models import Notification
from consortium.scenarios.models import GroupMembership, Replication, ReplicationEvent

from .conftest import approve, days_ago


def _events(rep):
    return db.session.scalars(select(ReplicationEvent).where(ReplicationEvent.replication_id == rep.id)
                              .order_by(ReplicationEvent.id)).all()


# ---------------------------------------------------------------- groups

def test_only_the_secretariat_creates_groups(world):
    with pytest.raises(PermissionDenied):
        services.create_group(world.users.lead, code="industry", name="工业场景小组", lead_member=world.fuzhou)
    group = services.create_group(world.users.secretariat, code="industry", name="工业场景小组",
                                  lead_member=world.fuzhou)
    assert group.lead_member.name == "福州数据集团"
    with pytest.raises(DomainError) as e:
        services.create_group(world.users.secretariat, code="industry2", name="工业场景小组",
                              lead_member=world.fuzhou)
    assert e.value.field == "name"


def test_join_request_approve_decline_remove(world):
    u = world.users
    m = services.request_join(u.merchant, world.group, motivation="我们有公交数据产品")
    assert m.status == "pending"
    with pytest.raises(DomainError):
        services.request_join(u.merchant, world.group)  # asked already
    with pytest.raises(PermissionDenied):
        services.decide_join(u.fuzhou, m, True)  # not the lead
    services.decide_join(u.lead, m, True)
    assert [x.member.name for x in services.list_group_members(world.group)] == ["贵州数据宝网络科技有限公司"]

    f = services.request_join(u.fuzhou, world.group)
    with pytest.raises(DomainError) as e:
        services.decide_join(u.lead, f, False, reason="  ")
    assert e.value.field == "reason" and f.status == "pending"
    services.decide_join(u.lead, f, False, reason="请先完成交通数据编目")
    assert f.status == "declined" and f.reason == "请先完成交通数据编目"
    # the declined member may ask again
    assert services.request_join(u.fuzhou, world.group).status == "pending"

    services.remove_member(u.lead, m, "长期未参与")
    assert m.status == "removed"
    kinds = db.session.scalars(select(Notification.kind).where(Notification.member_id == world.merchant.id)
                               .order_by(Notification.id)).all()
    assert kinds == ["scenarios.join_approved", "scenarios.join_removed"]


def test_the_lead_cannot_ask_to_join_its_own_group(world):
    with pytest.raises(PermissionDenied):
        services.request_join(world.users.lead, world.group)
    with pytest.raises(PermissionDenied):
        services.request_join(world.users.secretariat, world.group)  # no member organisation
    assert db.session.scalar(select(func.count(GroupMembership.id))) == 0


# ---------------------------------------------------------------- stage rules

def test_stage_changes_are_dated_events_and_never_overwritten(world):
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou, owner="王工",
                                     occurred_on=days_ago(30))
    services.change_stage(u.fuzhou, rep, "matching", note="首次对接会", occurred_on=days_ago(20))
    services.change_stage(u.lead, rep, "pilot", occurred_on=days_ago(10))
    events = _events(rep)
    assert [(e.from_stage, e.to_stage) for e in events] == [(None, "interest"), ("interest", "matching"),
                                                            ("matching", "pilot")]
    assert events[1].note == "首次对接会" and events[1].author_label == "福州用户 · 福州数据集团"
    assert events[2].author_label == "厦门牵头人 · 厦门大数据有限公司" and events[2].occurred_on == days_ago(10)
    assert rep.stage == "pilot" and rep.last_event_on == days_ago(10)


def test_moving_backwards_needs_a_reason(world):
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou)
    services.change_stage(u.fuzhou, rep, "pilot")
    with pytest.raises(DomainError) as e:
        services.change_stage(u.fuzhou, rep, "matching")
    assert e.value.field == "reason"
    assert rep.stage == "pilot" and len(_events(rep)) == 2
    services.change_stage(u.fuzhou, rep, "matching", reason="数据接口需重新对接")
    assert rep.stage == "matching" and _events(rep)[-1].reason == "数据接口需重新对接"


def test_resuming_below_the_stalled_stage_needs_a_reason(world):
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou)
    services.change_stage(u.fuzhou, rep, "data_ready")
    services.change_stage(u.fuzhou, rep, "stalled", note="授权审批暂停")  # sideways: no reason needed
    with pytest.raises(DomainError):
        services.change_stage(u.fuzhou, rep, "interest")
    services.change_stage(u.fuzhou, rep, "pilot")  # forwards again: fine
    assert [e.to_stage for e in _events(rep)] == ["interest", "data_ready", "stalled", "pilot"]


def test_stage_rules_reject_bad_input(world):
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou, occurred_on=days_ago(5))
    for kwargs, field in [(dict(to_stage="interest"), "to_stage"), (dict(to_stage="launched"), "to_stage"),
                          (dict(to_stage="pilot", occurred_on=local_today() + timedelta(days=1)), "occurred_on"),
                          (dict(to_stage="pilot", occurred_on=days_ago(6)), "occurred_on")]:
        with pytest.raises(DomainError) as e:
            services.change_stage(u.fuzhou, rep, **kwargs)
        assert e.value.field == field
    assert len(_events(rep)) == 1 and rep.stage == "interest"
    with pytest.raises(DomainError):
        services.start_replication(u.fuzhou, world.scenario, world.fuzhou)  # one per city and scenario


# ---------------------------------------------------------------- permissions

def test_who_may_write_a_replication(world):
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou)
    with pytest.raises(PermissionDenied):
        services.start_replication(u.fuzhou, world.scenario, world.chengdu)  # not its own city
    for outsider in (u.chengdu, u.merchant):
        with pytest.raises(PermissionDenied):
            services.change_stage(outsider, rep, "matching")
        with pytest.raises(PermissionDenied):
            services.update_replication(outsider, rep, owner="x")
    for writer, stage in ((u.fuzhou, "matching"), (u.lead, "data_ready"), (u.secretariat, "pilot")):
        services.change_stage(writer, rep, stage)
    assert rep.stage == "pilot" and len(_events(rep)) == 4


# ---------------------------------------------------------------- optimistic locking

def test_a_stale_form_version_is_a_conflict_and_nothing_is_written(world):
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou)
    db.session.commit()
    opened = rep.version
    services.update_replication(u.lead, rep, expected_version=opened, next_step="约见交通局")
    db.session.commit()
    with pytest.raises(Conflict):
        services.update_replication(u.fuzhou, rep, expected_version=opened, next_step="另一人的修改")
    with pytest.raises(Conflict):
        services.change_stage(u.fuzhou, rep, "matching", expected_version=opened)
    db.session.rollback()
    assert rep.next_step == "约见交通局" and rep.stage == "interest" and len(_events(rep)) == 1


def test_a_concurrent_write_between_read_and_flush_is_a_conflict(world):
    """Both requests read version N; the first commits; the second's UPDATE ... WHERE version = N
    matches no row (the version column), so it is refused instead of overwriting."""
    from sqlalchemy.orm.attributes import set_committed_value
    approve(world, world.fuzhou)
    u = world.users
    rep = services.start_replication(u.fuzhou, world.scenario, world.fuzhou)
    db.session.commit()
    opened = rep.version
    services.update_replication(u.lead, rep, expected_version=opened, owner="先保存的人")
    db.session.commit()
    set_committed_value(rep, "version", opened)  # our copy was read before that save
    with pytest.raises(Conflict):
        services.update_replication(u.fuzhou, rep, expected_version=opened, owner="后保存的人")
    db.session.rollback()
    assert db.session.get(Replication, rep.id).owner == "先保存的人"


# ---------------------------------------------------------------- board, promotable, stalled

def test_promotable_needs_k_live_cities(world, make_member, make_user):
    u = world.users
    cities = [world.xiamen, world.fuzhou, world.chengdu]
    for member in cities:
        rep = services.start_replication(u.lead, world.scenario, member)
        services.change_stage(u.lead, rep, "live")
    counts = services.stage_counts(group=world.group)
    assert counts[world.scenario.id] == {"live": 3}
    assert services.promotable_scenarios(world.group) == [world.scenario.id]
    world.group.promotable_cities = 4
    assert services.promotable_scenarios(world.group) == []
    services.change_stage(u.lead, services.replication_of(world.scenario, world.chengdu), "pilot", reason="回退验证")
    world.group.promotable_cities = 3
    assert services.promotable_scenarios(world.group) == []


def test_board_flags_replications_without_events_for_n_days(world):
    u = world.users
    old = services.start_replication(u.lead, world.scenario, world.fuzhou, occurred_on=days_ago(61))
    services.start_replication(u.lead, world.scenario, world.chengdu, occurred_on=days_ago(10))
    live = services.start_replication(u.lead, world.scenario, world.xiamen, occurred_on=days_ago(200))
    services.change_stage(u.lead, live, "live", occurred_on=days_ago(100))
    b = board.build_board(world.group)
    assert [(t, m) for t, m, _c in b.stalled] == [("公交信息智能服务", "福州数据集团")]
    assert b.funnel["interest"] == 2 and b.funnel["live"] == 1
    world.group.stall_days = 5
    assert len(board.build_board(world.group).stalled) == 2  # live ones never stall
    services.add_progress_note(u.fuzhou, old, "已提交授权申请")
    assert [m for _t, m, _c in board.build_board(world.group).stalled] == ["成都数据集团"]
    assert board.build_board(world.group, province="35").funnel["interest"] == 1  # 福建: 福州 only
    digest = board.weekly_digest(world.group, Week.of(local_today()))
    assert [c.note for c in digest["changes"] if c.note] == ["已提交授权申请"]


def test_export_neutralises_formulas(world):
    rep = services.start_replication(world.users.lead, world.scenario, world.fuzhou)
    services.update_replication(world.users.lead, rep, owner="=HYPERLINK(\"http://x\")", next_step="+1",
                                blockers="@SUM(A1)")
    rows = board.export_rows(world.group)
    data = to_csv(board.EXPORT_HEADER, rows).decode("utf-8")
    assert "'=HYPERLINK" in data and ",'+1," in data and "'@SUM(A1)" in data
    from io import BytesIO

    from openpyxl import load_workbook
    ws = load_workbook(BytesIO(to_xlsx(board.EXPORT_HEADER, rows))).active
    cells = {c.value: c for c in ws[2]}
    assert ws[2][0].value == "公交信息智能服务"
    # XLSX text cells are typed as strings, never evaluated: written as they are, no guard needed
    assert cells["=HYPERLINK(\"http://x\")"].data_type == "s" and cells["+1"].data_type == "s"
    assert ws[2][5].is_date  # the last event is a date cell


# ---------------------------------------------------------------- where next

def test_where_next_ranks_by_coverage_and_explains(world, make_member, make_resource, make_user):
    u = world.users
    ningbo = make_member("宁波数字产业集团", city="宁波", code="ningbo")
    make_resource(world.fuzhou, "福州公交实时位置数据", modes=("privacy",), frequency="realtime")
    make_resource(world.fuzhou, "福州公交线路站点数据", modes=("in_domain",))
    make_resource(world.chengdu, "成都公交实时位置数据", modes=("central",))  # mode the scenario cannot use
    make_resource(ningbo, "宁波公交线路站点数据", modes=("in_domain",))
    make_resource(ningbo, "宁波公交实时位置数据（已停用）", status="retired")
    make_resource(ningbo, "宁波医保结算数据", domain="health")
    services.start_replication(u.lead, world.scenario, world.xiamen)  # origin city: already replicating

    ranked = ranking.where_next(u.lead, world.scenario)
    assert [c.member_name for c in ranked] == ["福州数据集团", "宁波数字产业集团", "成都数据集团"]
    fz, nb, cd = ranked
    assert fz.score == 80 and not fz.lacks
    assert [(r.need, r.frequency, r.modes) for r in fz.has] == [
        ("公交实时位置数据", "实时", ["基于隐私计算"]), ("线路站点数据", "每日", ["供方数据不出域"])]
    assert nb.lacks == ["公交实时位置数据"] and [r.resource_title for r in nb.has] == ["宁波公交线路站点数据"]
    assert [r.resource_title for r in cd.wrong_mode] == ["成都公交实时位置数据"]
    assert cd.score == 10  # a quarter credit for one of two needs


def test_where_next_counts_related_scenarios_and_hides_what_the_actor_cannot_see(world, make_resource):
    u = world.users
    other = services.create_scenario(u.lead, world.group, title="两客一危动态监管", description="", origin_member=None,
                                     needs=services.parse_needs("车辆定位数据 | 交通 | 定位"), modes=[],
                                     maturity="pilot", links="")
    services.start_replication(u.lead, other, world.chengdu)
    make_resource(world.fuzhou, "福州公交实时位置数据", modes=("privacy",), is_public=False)
    signed_in = {c.member_name: c for c in ranking.where_next(u.lead, world.scenario)}
    assert signed_in["成都数据集团"].related == ["两客一危动态监管"] and signed_in["成都数据集团"].score == 10
    assert signed_in["福州数据集团"].score == 40
    visitor = {c.member_name: c for c in ranking.where_next(None, world.scenario)}
    assert visitor["福州数据集团"].score == 0 and visitor["福州数据集团"].has == []


def test_invite_creates_an_invitation_not_a_replication_and_notifies_the_member(world):
    u = world.users
    with pytest.raises(PermissionDenied):
        services.invite_city(u.fuzhou, world.scenario, world.chengdu)
    inv = services.invite_city(u.lead, world.scenario, world.chengdu, note="欢迎加入公交场景复制")
    assert inv.status == "pending" and inv.member.name == "成都数据集团"
    assert services.replication_of(world.scenario, world.chengdu) is None  # nothing opened until it answers
    assert notifications.unread_count(u.chengdu) == 1 and notifications.unread_count(u.fuzhou) == 0
    note = notifications.list_notifications(u.chengdu)[0]
    assert note.kind == "scenarios.invitation" and note.text == "欢迎加入公交场景复制"
    assert (note.target_type, note.target_id) == ("invitation", inv.id)
    assert note.payload["scenario"] == world.scenario.title
    with pytest.raises(NotFound):
        notifications.mark_read(u.fuzhou, note.id)  # another member's notification
    assert notifications.mark_read(u.chengdu, note.id) == 1 and notifications.unread_count(u.chengdu) == 0


def test_demo_seed_is_idempotent(demo):
    from consortium.agreements.models import Agreement
    from consortium.portal.demo import seed_demo
    from consortium.scenarios.models import Scenario
    assert demo["scenarios"] > 0
    titles = set(db.session.scalars(select(Scenario.title)))
    assert {"两客一危动态监管", "医检互认", "信贷数据宝", "交通出行“一码通城”"} <= titles
    assert seed_demo("cdou-demo-2025")["scenarios"] == 0
    assert db.session.scalar(select(func.count(Agreement.id))) == 3
    transport = services.get_group_by_code("transport")
    assert transport.target_count == 3 and transport.target_date == date(2026, 12, 31)
    assert len(services.promotable_scenarios(transport)) == 1  # 公交信息智能服务, illustrative


@pytest.fixture(autouse=True)
def _request_context(app):
    """Messages are translated when a rule is broken, which needs a locale."""
    with app.test_request_context():
        yield


def test_timeline_counts_stage_changes_per_month_not_notes(world):
    u = world.users
    rep = services.start_replication(u.lead, world.scenario, world.fuzhou, occurred_on=date(2025, 3, 5))
    services.change_stage(u.lead, rep, "matching", occurred_on=date(2025, 3, 20))
    services.add_progress_note(u.lead, rep, "会议纪要", occurred_on=date(2025, 4, 2))
    services.change_stage(u.lead, rep, "pilot", occurred_on=date(2025, 4, 9))
    other = services.start_replication(u.lead, world.scenario, world.chengdu, occurred_on=date(2025, 4, 1))
    assert other.stage == "interest"
    assert board.timeline(world.group) == [("2025-03", "interest", 1), ("2025-03", "matching", 1),
                                           ("2025-04", "interest", 1), ("2025-04", "pilot", 1)]
    assert board.timeline(world.group, province="51") == [("2025-04", "interest", 1)]


def test_where_next_matches_needs_like_the_resource_map_search(world, make_resource):
    """A need's keyword is matched by the search's own matcher: ASCII case-insensitively over
    the same searchable text, so `GPS` finds "福州公交gps定位" on SQLite and PostgreSQL alike
    (SQL LIKE found it on SQLite only)."""
    from consortium.catalog import search
    u = world.users
    scenario = services.create_scenario(u.lead, world.group, title="公交到站预测", description="", origin_member=None,
                                         needs=services.parse_needs("车辆定位 | 交通 | GPS"), modes=[],
                                         maturity="pilot", links="")
    found = make_resource(world.fuzhou, "福州公交gps定位", is_public=True)
    make_resource(world.chengdu, "成都公交线路", is_public=True)
    ranked = {c.member_name: c for c in ranking.where_next(u.lead, scenario)}
    assert [r.resource_title for r in ranked["福州数据集团"].has] == ["福州公交gps定位"]
    assert ranked["成都数据集团"].lacks == ["车辆定位"]
    assert [r.id for r in search.search(u.lead, search.SearchParams(q="GPS", domain="transport"))["items"]] \
        == [found.id]
