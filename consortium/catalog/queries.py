"""Read functions other domains may call (dashboards): counts of resource-map
entries as plain data. Every count filters with ``visible_clause(actor)``: for a
visitor (``actor=None``) only public entries are counted, so nothing hidden
reaches a public figure."""
from datetime import date, timedelta

from sqlalchemy import func, select

from consortium.core.clock import utc_start_of_local_day
from consortium.extensions import db
from consortium.geo.models import City, Province

from .constants import CIRCULATION_MODES
from .models import DataResource
from .permissions import visible_clause


def _filtered(stmt, actor, *, province=None, domain=None, created_from: date | None = None,
              created_to: date | None = None, member_ids=None, city_id: int | None = None):
    stmt = stmt.where(visible_clause(actor))
    if city_id is not None:
        stmt = stmt.where(DataResource.city_id == city_id)
    if member_ids is not None:  # e.g. a scenario group's members, read by the caller from its domain
        stmt = stmt.where(DataResource.member_id.in_(list(member_ids)))
    if province:
        stmt = stmt.where(DataResource.city_id.in_(
            select(City.id).join(Province, Province.id == City.province_id).where(Province.code == province)
            .scalar_subquery()))
    if domain:
        stmt = stmt.where(DataResource.domain == domain)
    if created_from:
        stmt = stmt.where(DataResource.created_at >= utc_start_of_local_day(created_from))  # Beijing days
    if created_to:
        stmt = stmt.where(DataResource.created_at < utc_start_of_local_day(created_to + timedelta(days=1)))
    return stmt


def count_entries(actor, **filters) -> int:
    return db.session.scalar(_filtered(select(func.count(DataResource.id)), actor, **filters))


def member_ids_with_entries(actor, **filters) -> list[int]:
    """The members holding at least one entry ``actor`` may see, among those ``filters`` keep
    (e.g. ``domain=``): a dashboard narrowed to a domain counts them."""
    return list(db.session.scalars(_filtered(select(DataResource.member_id).distinct(), actor, **filters)
                                   .order_by(DataResource.member_id)))


def domain_counts(actor, **filters) -> dict[str, int]:
    """Visible entries per domain (DOMAINS code → count, domains without any left out), e.g. of
    one city (``city_id=``): a city's page."""
    rows = db.session.execute(_filtered(select(DataResource.domain, func.count(DataResource.id)), actor, **filters)
                              .group_by(DataResource.domain))
    return {domain: n for domain, n in rows}


def coverage_counts(actor, **filters) -> dict:
    """Every count a coverage figure needs, from one grouped read of the visible entries
    in the order of ``ix_data_resources_visible_counts`` (the database reads that index
    alone and aggregates as it goes): {"cities": [{adcode, city, city_en, province,
    province_en, lon, lat, domain, count}] (one row per city and domain, adcode order),
    "openness": {code: n}, "modes": {code: n} (an entry offering several circulation
    modes counts once per mode), "total": n}."""
    columns = (DataResource.city_id, DataResource.domain, DataResource.openness, DataResource.circulation_mask)
    rows = db.session.connection().execute(_filtered(select(*columns, func.count(DataResource.id)), actor, **filters)
                                           .group_by(*columns))
    per_city_domain: dict[tuple, int] = {}
    openness: dict[str, int] = {}
    by_mask: dict[int, int] = {}
    for city_id, domain, code, mask, n in rows:
        key = (city_id, domain)
        per_city_domain[key] = per_city_domain.get(key, 0) + n
        openness[code] = openness.get(code, 0) + n
        by_mask[mask or 0] = by_mask.get(mask or 0, 0) + n
    modes = {mode: sum(n for mask, n in by_mask.items() if mask & bit)
             for mode, bit in ((t.code, t.bit) for t in CIRCULATION_MODES.values())}
    per_city_domain = [(c, d, n) for (c, d), n in per_city_domain.items()]
    ids = {c for c, _d, _n in per_city_domain}
    cities = {}
    if ids:
        cities = {r.id: r for r in db.session.execute(
            select(City.id, City.adcode, City.name, City.name_en, City.longitude, City.latitude,
                   Province.name.label("province"), Province.name_en.label("province_en"))
            .join(Province, Province.id == City.province_id).where(City.id.in_(ids)))}
    out = [{"adcode": cities[c].adcode, "city": cities[c].name, "city_en": cities[c].name_en,
            "province": cities[c].province, "province_en": cities[c].province_en,
            "lon": cities[c].longitude, "lat": cities[c].latitude, "domain": d, "count": n}
           for c, d, n in per_city_domain if c in cities]
    return {"cities": sorted(out, key=lambda r: (r["adcode"], r["domain"])), "openness": openness, "modes": modes,
            "total": sum(n for _c, _d, n in per_city_domain)}
