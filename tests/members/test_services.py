from datetime import date

import pytest
from sqlalchemy import func, select

from consortium.audit.models import AuditLog
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.members import services, signals
from consortium.members.models import Member


def _members():
    return db.session.scalar(select(func.count(Member.id)))


def test_admission_writes_member_and_audit_in_one_transaction(make_user):
    secretariat = make_user("sec@cdou.example", role="secretariat")
    member = services.admit_member(secretariat, name="潍坊数据集团", kind="data_group", city=find_city("潍坊"), code="weifang",
                                   joined_on=date(2025, 9, 1))
    row = db.session.scalar(select(AuditLog).where(AuditLog.object_type == "Member"))
    assert row.action == "create" and row.actor_id == secretariat.id
    assert row.changes["name"] == [None, "潍坊数据集团"]
    db.session.rollback()  # the audit row goes with the member: same transaction
    assert _members() == 0
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.object_type == "Member")) == 0
    assert member.name == "潍坊数据集团"


def test_member_user_cannot_admit(make_member, make_user):
    user = make_user("qd@cdou.example", member=make_member())
    with pytest.raises(PermissionDenied):
        services.admit_member(user, name="某数据集团", kind="data_group", city=find_city("济南"), code="jinan")
    db.session.rollback()
    assert _members() == 1


def test_update_records_before_and_after(make_member, make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    member = make_member(name="温州大数据公司", city="温州")
    services.update_member(sec, member, description="信贷数据宝合作方", city=find_city("杭州"))
    db.session.commit()
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "update")).one()
    assert row.changes["description"] == ["", "信贷数据宝合作方"]
    assert row.changes["city_id"] == [find_city("温州").id, find_city("杭州").id]
    assert row.actor_label == "sec@cdou.example"


def test_counterparty_can_never_become_member(make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    from consortium.counterparties.services import add_counterparty
    add_counterparty(sec, name="蚂蚁集团")
    with pytest.raises(DomainError, match="对手方"):
        services.admit_member(sec, name="蚂蚁集团", kind="other", city=find_city("杭州"), code="mayi")
    db.session.rollback()
    assert _members() == 0


def _refuse_platform_names(name, **kwargs):
    return "平台公司不能入会" if name.endswith("平台") else None


def test_a_name_refused_by_a_receiver_blocks_a_rename_and_writes_nothing(make_member, make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    member = make_member(name="青岛数据集团")
    db.session.commit()
    with signals.name_refused.connected_to(_refuse_platform_names):
        with pytest.raises(DomainError, match="平台公司不能入会") as err:
            services.update_member(sec, member, name="青岛交通平台")
        assert err.value.field == "name"
        db.session.rollback()
        services.update_member(sec, member, name="青岛数据集团有限公司")   # a name it does not refuse
    db.session.commit()
    assert db.session.scalars(select(Member.name)).all() == ["青岛数据集团有限公司"]
    updates = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "Member", AuditLog.action == "update"))
    assert [row.changes["name"] for row in updates] == [["青岛数据集团", "青岛数据集团有限公司"]]


def test_duplicate_name_rejected(make_member, make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    make_member(name="青岛数据集团")
    with pytest.raises(DomainError) as err:
        services.admit_member(sec, name=" 青岛数据集团 ", kind="data_group", city=find_city("青岛"), code="qd2")
    assert err.value.field == "name"


def test_directory_filters(make_member, make_user):
    make_member(name="青岛数据集团", city="青岛", joined_on=date(2025, 4, 18))
    make_member(name="贵州数据宝网络科技有限公司", city="贵阳", kind="data_merchant", joined_on=date(2025, 9, 1))
    make_member(name="宁波数字产业集团", city="宁波", joined_on=date(2025, 4, 18))

    def names(**kw):
        return sorted(m.name for m in db.session.scalars(services.list_members(None, **kw)))
    assert names(province="37") == ["青岛数据集团"]
    assert names(kind="data_merchant") == ["贵州数据宝网络科技有限公司"]
    assert names(joined_from=date(2025, 6, 1)) == ["贵州数据宝网络科技有限公司"]
    assert names(q="数据") == ["贵州数据宝网络科技有限公司", "青岛数据集团"]
    assert names(q="宁波") == ["宁波数字产业集团"]


def test_suspended_members_hidden_from_public_directory_and_stats(make_member, make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    make_member(name="青岛数据集团", city="青岛")
    wz = make_member(name="温州大数据公司", city="温州")
    services.suspend_member(sec, wz, "未按期更新资源目录")
    db.session.commit()
    assert [m.name for m in db.session.scalars(services.list_members(None))] == ["青岛数据集团"]
    assert len(db.session.scalars(services.list_members(sec, include_suspended=True)).all()) == 2
    assert services.member_stats() == {"members": 1, "cities": 1, "provinces": 1}


def test_code_is_chosen_by_the_secretariat_and_checked(make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    with pytest.raises(DomainError) as e:
        services.admit_member(sec, name="烟台数据集团", kind="data_group", city=find_city("烟台"), code="")
    assert e.value.field == "code"
    with pytest.raises(DomainError):
        services.admit_member(sec, name="烟台数据集团", kind="data_group", city=find_city("烟台"), code="烟台")
    member = services.admit_member(sec, name="烟台数据集团", kind="data_group", city=find_city("烟台"), code="Yantai")
    assert member.code == "yantai"
    with pytest.raises(DomainError) as e:
        services.admit_member(sec, name="烟台另一集团", kind="data_group", city=find_city("烟台"), code="yantai")
    assert e.value.field == "code"


def test_province_level_data_group(make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    member = services.admit_member(sec, name="福建省大数据集团", kind="data_group", city=find_city("福州"),
                                   code="fujian", level="province")
    db.session.commit()
    assert member.level == "province" and str(member.level_label) in ("省级", "Province level")
    with pytest.raises(DomainError) as e:
        services.admit_member(sec, name="某省数商", kind="data_merchant", city=find_city("福州"), code="x-shang",
                              level="province")
    assert e.value.field == "level"


def test_suspension_needs_a_reason_kept_for_the_members_users(make_member, make_user):
    sec = make_user("sec@cdou.example", role="secretariat")
    wz = make_member(name="温州大数据公司", city="温州", code="wenzhou")
    with pytest.raises(DomainError):
        services.suspend_member(sec, wz, "  ")
    assert wz.is_active
    services.suspend_member(sec, wz, "未按期更新资源目录")
    assert wz.suspension_reason == "未按期更新资源目录" and not wz.is_active
    services.reinstate_member(sec, wz)
    assert wz.suspension_reason == "" and wz.is_active
