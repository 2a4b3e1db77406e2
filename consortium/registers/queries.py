"""Read functions other domains (dashboards, the resource map) may call."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import joinedload, lazyload

from consortium.catalog.models import DataResource
from consortium.catalog.permissions import visible_clause
from consortium.core.collation import sort_by_pinyin
from consortium.core.months import month_starts
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from .constants import NATIONAL_SPACE_TARGET, NATIONAL_SPACE_TARGET_YEAR, SPACE_STATUSES
from .models import (
    Certificate,
    DataSpace,
    DataSpaceResource,
    Recognition,
    RecognitionSuspension,
    RegistrationBody,
)
from .services.common import today
from .services.recognitions import in_force_clause


def list_bodies(with_operator: bool = True) -> list[RegistrationBody]:
    stmt = select(RegistrationBody).order_by(RegistrationBody.name)
    if not with_operator:  # name and city only (the network): no joins through members and provinces
        stmt = stmt.options(lazyload(RegistrationBody.member), joinedload(RegistrationBody.city).lazyload("*"))
    return list(db.session.scalars(stmt))


def cities_with_bodies() -> list:
    """The cities where a registration body is recorded (the check asked of a city), by pinyin."""
    cities = db.session.scalars(select(City).where(City.id.in_(select(RegistrationBody.city_id)))).all()
    return sort_by_pinyin(cities, key=lambda c: c.name)


def list_spaces(kind=None, status=None) -> list[DataSpace]:
    stmt = select(DataSpace).order_by(DataSpace.status.desc(), DataSpace.name)
    if kind:
        stmt = stmt.where(DataSpace.kind == kind)
    if status:
        stmt = stmt.where(DataSpace.status == status)
    return list(db.session.scalars(stmt))


def _in_province(city_column, province: str):
    return city_column.in_(select(City.id).join(Province, Province.id == City.province_id)
                           .where(Province.code == province).scalar_subquery())


def data_space_progress(on: date | None = None, *, province=None, domain=None, operator_ids=None) -> dict:
    """Registered trusted data spaces against the national expectation (100+ by 2028).
    ``counted`` are the spaces in operation or under construction (planned ones are listed
    but not counted); ``share`` is counted / target. Narrowed to the spaces located in a
    ``province``, serving a ``domain`` (catalog DOMAINS code), operated by ``operator_ids``."""
    stmt = select(DataSpace.status, func.count()).group_by(DataSpace.status)
    if province:
        stmt = stmt.where(_in_province(DataSpace.city_id, province))
    if domain:  # a comma-separated list: the code between commas
        stmt = stmt.where((literal(",") + DataSpace.domains + literal(",")).like(f"%,{domain},%"))
    if operator_ids is not None:
        stmt = stmt.where(DataSpace.operator_id.in_(list(operator_ids)))
    rows = db.session.execute(stmt).all()
    by_status = {code: 0 for code in SPACE_STATUSES}
    by_status.update({status: n for status, n in rows})
    counted = by_status["running"] + by_status["building"]
    return {"total": sum(by_status.values()), "by_status": by_status, "counted": counted,
            "running": by_status["running"], "target": NATIONAL_SPACE_TARGET,
            "target_year": NATIONAL_SPACE_TARGET_YEAR, "share": counted / NATIONAL_SPACE_TARGET}


def recognitions_over_time(until: date | None = None, *, province=None, operator_ids=None) -> list[dict]:
    """Per month (first day, from the first agreement's month): agreements in force that
    day and the directed recognitions they give (a mutual agreement gives two). Narrowed to
    the agreements one of whose two bodies is in a ``province``, or operated by ``operator_ids``."""
    until = until or today()
    bodies = select(RegistrationBody.id)
    if province:
        bodies = bodies.where(_in_province(RegistrationBody.city_id, province))
    if operator_ids is not None:
        bodies = bodies.where(RegistrationBody.member_id.in_(list(operator_ids)))
    narrowed = [] if not (province or operator_ids is not None) else [or_(
        Recognition.recognising_body_id.in_(bodies.scalar_subquery()),
        Recognition.issuing_body_id.in_(bodies.scalar_subquery()))]
    first = db.session.scalar(select(func.min(Recognition.effective_from)).where(*narrowed))
    if first is None:
        return []
    out = []
    for month in month_starts(first, until):
        day = max(first, month)
        rows = db.session.execute(select(Recognition.mutual, func.count()).where(in_force_clause(day), *narrowed)
                                  .group_by(Recognition.mutual)).all()
        counts = {bool(m): n for m, n in rows}
        agreements = counts.get(True, 0) + counts.get(False, 0)
        out.append({"month": month.isoformat()[:7], "date": day.isoformat(), "agreements": agreements,
                    "mutual": counts.get(True, 0), "directed": agreements + counts.get(True, 0)})
    return out


def in_force_pairs(on: date) -> list[tuple[int, int, bool]]:
    """(recognising id, issuing id, mutual) of every agreement in force on ``on``: the rule of
    ``services.in_force_clause`` as two plain scans (agreements in their dates, suspensions
    covering the day) instead of one correlated subquery per agreement."""
    r, s = Recognition.__table__.c, RecognitionSuspension.__table__.c
    suspended = set(db.session.execute(select(s.recognition_id).where(
        s.starts_on <= on, or_(s.ends_on.is_(None), s.ends_on > on))).scalars())
    rows = db.session.execute(select(r.id, r.recognising_body_id, r.issuing_body_id, r.mutual).where(
        r.effective_from <= on, or_(r.revoked_on.is_(None), r.revoked_on > on))).all()
    return [(a, b, bool(m)) for i, a, b, m in rows if i not in suspended]


@dataclass
class Network:
    on: date
    bodies: list
    edges: list = field(default_factory=list)   # (id_a, id_b, "mutual" | "one_way"); one way: a accepts b's
    recognises: Counter = field(default_factory=Counter)     # body id -> bodies whose certificates it accepts
    recognised_by: Counter = field(default_factory=Counter)  # body id -> bodies accepting its certificates

    @property
    def by_id(self) -> dict:
        return {b.id: b for b in self.bodies}


def network(on: date | None = None, body: RegistrationBody | None = None) -> Network:
    """Who recognises whom on ``on``: one edge per pair of bodies, mutual when each accepts
    the other's certificates (by one mutual agreement or two one-way ones). Plain ids and
    tuples: at 20,000 agreements this runs per page view."""
    on = on or today()
    bodies = list_bodies(with_operator=False)
    directed = set()
    for a, b, mutual in in_force_pairs(on):
        directed.add((a, b))
        if mutual:
            directed.add((b, a))
    result = Network(on=on, bodies=bodies)
    result.recognises.update(a for a, _b in directed)
    result.recognised_by.update(b for _a, b in directed)
    only = body.id if body is not None else None
    for a, b in sorted(directed):
        if only is not None and only != a and only != b:
            continue
        if (b, a) in directed:
            if a < b:
                result.edges.append((a, b, "mutual"))
        else:
            result.edges.append((a, b, "one_way"))
    return result


# ---------------------------------------------------------------- data spaces × resource map

def spaces_of_resource(resource_id: int) -> list[DataSpace]:
    return list(db.session.scalars(select(DataSpace).join(DataSpaceResource, DataSpaceResource.space_id == DataSpace.id)
                                   .where(DataSpaceResource.resource_id == resource_id).order_by(DataSpace.name)))


def resources_of_space(actor, space_id: int) -> list:
    """The entries linked to the space that ``actor`` may see (the resource map's rule)."""
    return list(db.session.scalars(
        select(DataResource).join(DataSpaceResource, DataSpaceResource.resource_id == DataResource.id)
        .where(DataSpaceResource.space_id == space_id, visible_clause(actor)).order_by(DataResource.title)))


def space_facet(resource_ids) -> list[dict]:
    """For the resource map's "可信数据空间" facet: per space, how many of ``resource_ids`` (the
    ids of the entries a search finds, ``catalog.search.matching_ids``) are linked
    to it; spaces without any are left out. The links are read and counted against the ids
    here: counting in SQL ran the whole search again (≈ 0.4 s at 100k entries)."""
    links = db.session.execute(select(DataSpaceResource.space_id, DataSpaceResource.resource_id)).all()
    if not links:
        return []
    spaces, linked = np.array(links, dtype=np.int64).T
    counts = Counter(spaces[np.isin(linked, resource_ids)].tolist())
    if not counts:
        return []
    rows = db.session.execute(select(DataSpace.id, DataSpace.name, DataSpace.name_en)
                              .where(DataSpace.id.in_(counts))).all()
    entries = [{"id": i, "name": n, "name_en": en, "count": counts[i]} for i, n, en in rows]
    entries.sort(key=lambda e: (-e["count"], e["name"]))
    return entries


# ---------------------------------------------------------------- certificates that need attention

def expiring_certificates(member_id: int, on: date, days: int = 30, limit: int = 50) -> list[Certificate]:
    """Valid certificates of a member that expire within ``days`` (today included): those its
    registration bodies issued (it keeps them) and those its own active entries cite by number."""
    cited = select(DataResource.registration_no).where(DataResource.member_id == member_id,
                                                       DataResource.status == "active",
                                                       DataResource.registration_no != "")
    own_bodies = select(RegistrationBody.id).where(RegistrationBody.member_id == member_id)
    return list(db.session.scalars(
        select(Certificate).where(Certificate.status == "valid", Certificate.valid_until.is_not(None),
                                  Certificate.valid_until >= on,
                                  Certificate.valid_until <= on + timedelta(days=days),
                                  or_(Certificate.body_id.in_(own_bodies), Certificate.number.in_(cited)))
        .order_by(Certificate.valid_until, Certificate.id).limit(limit)))


# ---------------------------------------------------------------- one city (its page)

def spaces_of_city(city_id: int) -> list[DataSpace]:
    """Data spaces located in the city, or run by a member of the city."""
    operated = select(Member.id).where(Member.city_id == city_id)
    return list(db.session.scalars(select(DataSpace).where(or_(DataSpace.city_id == city_id,
                                                               DataSpace.operator_id.in_(operated)))
                                   .order_by(DataSpace.status.desc(), DataSpace.name)))


@dataclass
class CountingBody:
    body: RegistrationBody
    local: bool                                  # a body of the city itself
    via: list = field(default_factory=list)      # the city's bodies that recognise it (in force)


def bodies_counting_in_city(city_id: int, on: date | None = None) -> list[CountingBody]:
    """The registration bodies whose certificates count in the city on ``on``: its own, and
    those one of its own recognises by an agreement in force (mutual agreements both ways).
    Its own first, then by how many of its bodies recognise them."""
    on = on or today()
    bodies = {b.id: b for b in list_bodies(with_operator=False)}
    local = {i for i, b in bodies.items() if b.city_id == city_id}
    if not local:
        return []
    via: dict[int, set] = {}
    for a, b, mutual in in_force_pairs(on):
        for accepting, issuing in ((a, b), (b, a)) if mutual else ((a, b),):
            if accepting in local and issuing not in local:
                via.setdefault(issuing, set()).add(accepting)
    out = [CountingBody(bodies[i], True) for i in sorted(local, key=lambda i: bodies[i].name)]
    out += [CountingBody(bodies[i], False, sorted((bodies[j] for j in v), key=lambda x: x.name))
            for i, v in sorted(via.items(), key=lambda kv: (-len(kv[1]), bodies[kv[0]].name))]
    return out
