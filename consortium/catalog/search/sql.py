"""The search as one SQL statement, for callers that need a query (exports, the map, the
coverage matrix, the CLI export): the same rules as the in-memory engine, tests check that
both agree with a plain substring oracle."""
from __future__ import annotations

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.geo.models import City

from .. import extras, permissions
from ..constants import CIRCULATION_MODES
from ..models import DataResource
from .columns import geo
from .index import text_clause
from .params import SearchParams, member_id


def filter_clauses(params: SearchParams, skip: str | None = None) -> list:
    g = geo()
    clauses = []
    if params.province and skip != "province":
        pid = g.province_id_by_code[params.province]
        clauses.append(DataResource.city_id.in_(select(City.id).where(City.province_id == pid)))
    if params.city and skip != "city":
        clauses.append(DataResource.city_id == g.city_id_by_adcode[params.city])
    if params.member and skip != "member":
        clauses.append(DataResource.member_id == (member_id(params.member) or -1))
    for name in ("domain", "openness", "frequency"):
        if getattr(params, name) and skip != name:
            clauses.append(getattr(DataResource, name) == getattr(params, name))
    if params.mode and skip != "mode":
        clauses.append(DataResource.circulation_mask.op("&")(CIRCULATION_MODES[params.mode].bit) != 0)
    for name, value in params.extra:  # filters other domains add (catalog.extras)
        if skip != name:
            clauses.append(DataResource.id.in_(extras.get_filter(name).resource_ids(value)))
    return clauses


def build_select(actor, params: SearchParams, skip: str | None = None):
    """A Select of DataResource with visibility, the text query and every facet filter
    but ``skip`` (no order, no pagination)."""
    return select(DataResource).where(permissions.visible_clause(actor), text_clause(params.terms),
                                      *filter_clauses(params, skip=skip))


def order_clauses(sort: str) -> list:
    """ORDER BY for a sort option, identical to the order the engine returns."""
    r = DataResource
    if sort == "newest":
        return [r.id.desc()]
    if sort == "title":
        return [r.title, r.id]
    if sort == "records":
        return [r.record_count.is_(None), r.record_count.desc(), r.id.desc()]
    return [r.data_updated_on.is_(None), r.data_updated_on.desc(), r.id.desc()]


def rows_for_export(actor, params: SearchParams):
    """The Select of every entry of a search, in the search's order (exports, CLI)."""
    return build_select(actor, params).order_by(*order_clauses(params.sort))


def count_matching(actor, params: SearchParams) -> int:
    """The total by SQL."""
    return db.session.scalar(select(func.count()).select_from(build_select(actor, params).subquery()))
