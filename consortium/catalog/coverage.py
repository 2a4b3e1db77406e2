"""What the map, the coverage matrix and "who has what I need" show, as plain
data. Every count comes from entries the actor may see (``build_select`` /
``visible_clause``), so nothing hidden leaks through a marker, a cell or a rank."""
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.geo.models import City

from .constants import CIRCULATION_MODES, DOMAINS, mask_from_modes
from .models import DataResource
from .permissions import visible_clause
from .search import SearchParams, build_select


def _cities(ids) -> dict[int, City]:
    ids = list(ids)
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(City).where(City.id.in_(ids)))}


@dataclass
class CityCount:
    city: City
    count: int


def city_counts(actor, params: SearchParams) -> list[CityCount]:
    """Entries per city for a search (same rules as /resources), largest first."""
    stmt = (build_select(actor, params).with_only_columns(DataResource.city_id, func.count(DataResource.id))
            .group_by(DataResource.city_id))
    rows = db.session.execute(stmt).all()
    cities = _cities(r[0] for r in rows)
    out = [CityCount(cities[city_id], n) for city_id, n in rows if city_id in cities]
    return sorted(out, key=lambda c: (-c.count, c.city.adcode))


@dataclass
class Matrix:
    cities: list[City]
    domains: list[str]
    counts: dict[tuple[int, str], int]  # (city id, domain) -> entries

    def count(self, city, domain) -> int:
        return self.counts.get((city.id, domain), 0)

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.cities for d in self.domains if not self.count(c, d))


def coverage_matrix(actor, params: SearchParams) -> Matrix:
    """City × domain counts for a search. The domain filter is ignored (the matrix
    is about domains); cities are those with at least one entry, in adcode order."""
    params = replace(params, domain=None)
    stmt = (build_select(actor, params)
            .with_only_columns(DataResource.city_id, DataResource.domain, func.count(DataResource.id))
            .group_by(DataResource.city_id, DataResource.domain))
    rows = db.session.execute(stmt).all()
    cities = _cities({r[0] for r in rows})
    return Matrix(cities=sorted(cities.values(), key=lambda c: c.adcode), domains=list(DOMAINS),
                  counts={(city_id, domain): n for city_id, domain, n in rows})


@dataclass
class CityCoverage:
    city: City
    per_domain: dict[str, int] = field(default_factory=dict)  # chosen domain -> matching entries

    @property
    def covered(self) -> list[str]:
        return [d for d, n in self.per_domain.items() if n]

    @property
    def total(self) -> int:
        return sum(self.per_domain.values())


def who_has(actor, domains: list[str], modes: list[str] | None = None) -> list[CityCoverage]:
    """Cities holding entries in the chosen domains (offering at least one of the
    chosen circulation modes, when any is chosen), ranked by how many of the
    domains they cover, then by how many matching entries they hold."""
    domains = [d for d in dict.fromkeys(domains) if d in DOMAINS]
    if not domains:
        return []
    stmt = (select(DataResource.city_id, DataResource.domain, func.count(DataResource.id))
            .where(visible_clause(actor), DataResource.domain.in_(domains))
            .group_by(DataResource.city_id, DataResource.domain))
    modes = [m for m in dict.fromkeys(modes or []) if m in CIRCULATION_MODES]
    if modes:
        stmt = stmt.where(DataResource.circulation_mask.op("&")(mask_from_modes(modes)) != 0)
    rows = db.session.execute(stmt).all()
    cities = _cities({r[0] for r in rows})
    result: dict[int, CityCoverage] = {}
    for city_id, domain, n in rows:
        if city_id in cities:
            entry = result.setdefault(city_id, CityCoverage(cities[city_id], {d: 0 for d in domains}))
            entry.per_domain[domain] = n
    return sorted(result.values(), key=lambda c: (-len(c.covered), -c.total, c.city.adcode))
