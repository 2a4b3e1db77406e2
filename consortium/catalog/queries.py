"""Read functions other domains may call (dashboards): counts of resource-map
entries as plain data. Every count filters with ``visible_clause(actor)``: for a
visitor (``actor=None``) only public entries are counted, so nothing hidden
reaches a public figure."""
from datetime import date, datetime, time

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.geo.models import City, Province

from .constants import CIRCULATION_MODES
from .models import DataResource
from .permissions import visible_clause


def _filtered(stmt, actor, *, province=None, domain=None, created_from: date | None = None,
              created_to: date | None = None):
    stmt = stmt.where(visible_clause(actor))
    if province:
        stmt = stmt.where(DataResource.city_id.in_(
            select(City.id).join(Province, Province.id == City.province_id).where(Province.code == province)
            .scalar_subquery()))
    if domain:
        stmt = stmt.where(DataResource.domain == domain)
    if created_from:
        stmt = stmt.where(DataResource.created_at >= datetime.combine(created_from, time.min))
    if created_to:
        stmt = stmt.where(DataResource.created_at <= datetime.combine(created_to, time.max))
    return stmt


def count_entries(actor, **filters) -> int:
    return db.session.scalar(_filtered(select(func.count(DataResource.id)), actor, **filters))


def counts_by_city_domain(actor, **filters) -> list[dict]:
    """Entries per (city, domain) the actor may see: [{adcode, city, city_en, province,
    province_en, lon, lat, domain, count}], cities in adcode order."""
    counts = db.session.execute(_filtered(
        select(DataResource.city_id, DataResource.domain, func.count(DataResource.id)), actor, **filters)
        .group_by(DataResource.city_id, DataResource.domain)).all()
    ids = {c for c, _d, _n in counts}
    cities = {}
    if ids:
        cities = {r.id: r for r in db.session.execute(
            select(City.id, City.adcode, City.name, City.name_en, City.longitude, City.latitude,
                   Province.name.label("province"), Province.name_en.label("province_en"))
            .join(Province, Province.id == City.province_id).where(City.id.in_(ids)))}
    rows = [{"adcode": cities[c].adcode, "city": cities[c].name, "city_en": cities[c].name_en,
             "province": cities[c].province, "province_en": cities[c].province_en,
             "lon": cities[c].longitude, "lat": cities[c].latitude, "domain": d, "count": n}
            for c, d, n in counts if c in cities]
    return sorted(rows, key=lambda r: (r["adcode"], r["domain"]))


def counts_by_openness_and_mode(actor, **filters) -> dict:
    """{"openness": {code: count}, "modes": {code: count}} over the visible entries
    (an entry offering several circulation modes counts once per mode)."""
    rows = db.session.execute(_filtered(
        select(DataResource.openness, DataResource.circulation_mask, func.count(DataResource.id)), actor,
        **filters).group_by(DataResource.openness, DataResource.circulation_mask)).all()
    openness: dict[str, int] = {}
    modes = dict.fromkeys(CIRCULATION_MODES, 0)
    for code, mask, n in rows:
        openness[code] = openness.get(code, 0) + n
        for mode, (bit, *_rest) in CIRCULATION_MODES.items():
            if (mask or 0) & bit:
                modes[mode] += n
    return {"openness": openness, "modes": modes}
