"""Read functions other domains may call (dashboards): plain data, never ORM
objects. Only what ``can_view_member`` lets anyone see: active members."""
from datetime import date

from sqlalchemy import func, select

from consortium.core.months import month_of
from consortium.extensions import db
from consortium.geo.models import City, Province

from .models import Member


def _public(stmt, *, province=None, kind=None, joined_from: date | None = None, joined_to: date | None = None,
            ids=None):
    """``ids``: only these members (e.g. a scenario group's, read by the caller from its domain)."""
    stmt = stmt.where(Member.status == "active")  # suspended members are not public (can_view_member)
    if ids is not None:
        stmt = stmt.where(Member.id.in_(list(ids)))
    if province:
        stmt = stmt.where(Member.city_id.in_(select(City.id).join(Province, Province.id == City.province_id)
                                             .where(Province.code == province).scalar_subquery()))
    if kind:
        stmt = stmt.where(Member.kind == kind)
    if joined_from:
        stmt = stmt.where(Member.joined_on >= joined_from)
    if joined_to:
        stmt = stmt.where(Member.joined_on <= joined_to)
    return stmt


def member_ids(*, province=None) -> list[int]:
    """The active members of a province (code): what other domains narrow their counts to."""
    return list(db.session.scalars(_public(select(Member.id), province=province).order_by(Member.id)))


def growth_by_month(*, province=None, kind=None, joined_from=None, joined_to=None,
                    ids=None) -> list[tuple[str, str, int]]:
    """Members who joined per month and kind: [(YYYY-MM, kind, count)], months in order."""
    month = month_of(Member.joined_on)
    stmt = _public(select(month, Member.kind, func.count(Member.id)), province=province, kind=kind,
                   joined_from=joined_from, joined_to=joined_to, ids=ids).group_by(month, Member.kind)
    return sorted((m, k, n) for m, k, n in db.session.execute(stmt))


def growth_by_province(*, province=None, kind=None, joined_from=None, joined_to=None, ids=None) -> list[dict]:
    """Active members per province: [{code, name, name_en, count}], largest first."""
    stmt = _public(select(Province.code, Province.name, Province.name_en, func.count(Member.id))
                   .select_from(Member).join(City, City.id == Member.city_id)
                   .join(Province, Province.id == City.province_id),
                   province=province, kind=kind, joined_from=joined_from, joined_to=joined_to, ids=ids)
    rows = db.session.execute(stmt.group_by(Province.code, Province.name, Province.name_en)).all()
    return sorted(({"code": c, "name": n, "name_en": e, "count": k} for c, n, e, k in rows),
                  key=lambda r: (-r["count"], r["code"]))


def count_members(*, province=None, joined_to=None, ids=None) -> int:
    return db.session.scalar(_public(select(func.count(Member.id)), province=province, joined_to=joined_to, ids=ids))


def count_cities_covered(*, province=None, joined_to=None, ids=None) -> int:
    """Distinct cities of active members."""
    return db.session.scalar(_public(select(func.count(func.distinct(Member.city_id))), province=province,
                                     joined_to=joined_to, ids=ids))
