from datetime import date

import pytest
from sqlalchemy import func, select

from consortium.audit.models import AuditLog
from consortium.audit.services import history_of
from consortium.catalog import search, services
from consortium.catalog.models import DataResource
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db

GOOD = dict(code="QD-YB-001", title="参保人员医保结算明细", description="市医保局提供的参保人员门诊、住院结算明细。",
            keywords="医保，结算、门诊", domain="health", department="市医保局", frequency="daily",
            openness="conditional", circulation_modes=["in_domain", "privacy"], record_count="1200000",
            temporal_start="2020-01-01", temporal_end="2025-06-30", is_public=False)


@pytest.fixture
def world(make_member, make_user):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    xm = make_member(name="厦门大数据有限公司", city="厦门", code="xiamen")
    return {"qd": qd, "xm": xm, "qd_user": make_user("qd@cdou.example", member=qd),
            "xm_user": make_user("xm@cdou.example", member=xm),
            "sec": make_user("sec@cdou.example", role="secretariat")}


def _count():
    return db.session.scalar(select(func.count(DataResource.id)))


def test_owner_creates_entry_with_clean_fields_and_audit(world):
    r = services.create_resource(world["qd_user"], world["qd"], **GOOD)
    db.session.commit()
    assert (r.member_id, r.city_id, r.record_count) == (world["qd"].id, world["qd"].city_id, 1200000)
    assert r.keywords == "医保,结算,门诊" and r.circulation_modes == ["in_domain", "privacy"]
    assert r.temporal_start == date(2020, 1, 1)
    log = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "DataResource")).one()
    assert (log.action, log.actor_id) == ("create", world["qd_user"].id)
    # indexed at once: a 2-character query finds it
    assert [x.id for x in search.search(world["qd_user"], search.SearchParams(q="医保"))["items"]] == [r.id]


def test_other_members_user_cannot_create_update_or_retire(world):
    with pytest.raises(PermissionDenied):
        services.create_resource(world["xm_user"], world["qd"], **GOOD)
    r = services.create_resource(world["sec"], world["qd"], **GOOD)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.update_resource(world["xm_user"], r, title="篡改")
    with pytest.raises(PermissionDenied):
        services.retire_resource(world["xm_user"], r)
    db.session.rollback()
    assert db.session.get(DataResource, r.id).title == GOOD["title"] and r.status == "active"


@pytest.mark.parametrize("change, field", [
    ({"code": ""}, "code"), ({"title": "  "}, "title"), ({"domain": "太空"}, "domain"),
    ({"frequency": "hourly"}, "frequency"), ({"openness": "maybe"}, "openness"),
    ({"circulation_modes": ["in_domain", "teleport"]}, "circulation_modes"),
    ({"temporal_start": "2025-13-01"}, "temporal_start"), ({"temporal_end": "2019-01-01"}, "temporal_end"),
    ({"record_count": "很多"}, "record_count"), ({"record_count": -1}, "record_count"),
    ({"contact_email": "not an email"}, "contact_email"), ({"title": "长" * 201}, "title"),
    ({"status": "active"}, "status"),
])
def test_invalid_input_names_the_field_and_writes_nothing(world, change, field):
    with pytest.raises(DomainError) as err:
        services.create_resource(world["qd_user"], world["qd"], **{**GOOD, **change})
    assert err.value.field == field
    db.session.rollback()
    assert _count() == 0


def test_code_unique_per_member_only(world):
    services.create_resource(world["qd_user"], world["qd"], **GOOD)
    db.session.commit()
    with pytest.raises(DomainError) as err:
        services.create_resource(world["qd_user"], world["qd"], **{**GOOD, "title": "另一条"})
    assert err.value.field == "code"
    db.session.rollback()
    services.create_resource(world["xm_user"], world["xm"], **GOOD)  # same code, other member: fine
    db.session.commit()
    assert _count() == 2


def test_update_reindexes_and_history_shows_changes(world):
    r = services.create_resource(world["qd_user"], world["qd"], **GOOD)
    db.session.commit()
    services.update_resource(world["qd_user"], r, title="公交车辆实时定位", keywords="公交,GPS")
    db.session.commit()
    user = world["qd_user"]
    assert search.search(user, search.SearchParams(q="医保结算明细"))["total"] == 0
    assert search.search(user, search.SearchParams(q="公交"))["total"] == 1
    history = history_of(r)
    assert [h.action for h in history] == ["update", "create"]
    assert history[0].changes["title"] == [GOOD["title"], "公交车辆实时定位"]


def test_retire_hides_from_search_but_owner_still_sees_it(world):
    r = services.create_resource(world["qd_user"], world["qd"], **{**GOOD, "is_public": True})
    db.session.commit()
    services.retire_resource(world["qd_user"], r)
    db.session.commit()
    assert search.search(world["xm_user"], search.SearchParams(q="医保"))["total"] == 0
    assert services.get_resource(world["qd_user"], r.id) is r
    with pytest.raises(NotFound):
        services.get_resource(world["xm_user"], r.id)
    with pytest.raises(NotFound):
        services.get_resource(None, r.id)


def test_anonymous_sees_only_public_entries(world):
    private = services.create_resource(world["qd_user"], world["qd"], **GOOD)
    public = services.create_resource(world["qd_user"], world["qd"], **{**GOOD, "code": "P1", "is_public": "是"})
    db.session.commit()
    assert public.is_public is True
    assert services.get_resource(None, public.id) is public
    with pytest.raises(NotFound):
        services.get_resource(None, private.id)
    assert services.get_resource(world["xm_user"], private.id) is private
    with pytest.raises(NotFound):
        services.get_resource(None, "abc")


def test_demo_inventory_is_realistic_deterministic_and_idempotent(demo):
    from consortium.catalog.demo import seed
    from consortium.members.models import Member
    assert 200 <= demo["resources"] <= 500
    rows = db.session.scalars(select(DataResource).order_by(DataResource.id)).all()
    public = [r for r in rows if r.is_public]
    assert 20 <= len(public) < len(rows)
    assert any(r.department == "市卫健委" for r in rows)
    assert len({r.member_id for r in rows}) >= 10
    qd = [r for r in rows if r.member.code == "qingdao"]
    assert qd[0].title == "信贷数据宝企业信用画像" and qd[0].is_public
    assert seed({m.code: m for m in db.session.scalars(select(Member))}) == 0
    assert search.search(None, search.SearchParams(q="医保"))["total"] > 0
    assert search.search(None, search.SearchParams(q="公交"))["total"] == len(
        [r for r in public if "公交" in r.title + r.description + r.keywords])


def test_custom_licence_terms_must_be_described_and_stay_described(world):
    """自定义条款 without the terms written out says nothing about use: refused on create and on
    every later edit that would empty them (blank text counts as empty); nothing is written."""
    qd_user = world["qd_user"]
    for conditions in ("", "   \n "):
        with pytest.raises(DomainError) as refused:
            services.create_resource(qd_user, world["qd"], **dict(GOOD, licence="custom", usage_conditions=conditions))
        assert refused.value.field == "usage_conditions"
        db.session.rollback()
    assert _count() == 0

    r = services.create_resource(qd_user, world["qd"], **dict(GOOD, licence="custom",
                                                                usage_conditions="仅限医保稽核使用，不得转授权"))
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.update_resource(qd_user, r, usage_conditions=" ")
    assert refused.value.field == "usage_conditions"
    db.session.rollback()
    assert db.session.get(DataResource, r.id).usage_conditions == "仅限医保稽核使用，不得转授权"
    # choosing a standard licence makes the terms optional again
    services.update_resource(qd_user, r, licence="cc_by_4", usage_conditions="")
    db.session.commit()
    assert db.session.get(DataResource, r.id).licence == "cc_by_4"
