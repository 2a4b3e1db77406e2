"""Where next: rank the member cities that do not yet replicate a scenario by
how ready they are, from their resource-map entries and the related
scenarios they already run. Each rank comes with its reasons."""
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from consortium.catalog.constants import CIRCULATION_MODES, FREQUENCIES, label, modes_from_mask
from consortium.catalog.models import DataResource
from consortium.catalog.permissions import visible_clause
from consortium.catalog.search import query_terms, text_clause
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from .models import Replication, Scenario

COVERAGE_WEIGHT = 80  # share of the needs covered in a compatible circulation mode
RELATED_WEIGHT = 20  # related scenarios already run (two or more = full weight)
WRONG_MODE_CREDIT = 0.25  # the data exists but only in a mode the scenario cannot use


@dataclass
class Reason:
    need: str
    resource_title: str = ""
    frequency: str = ""
    modes: list = field(default_factory=list)


@dataclass
class Candidate:
    member_id: int
    member_code: str
    member_name: str
    city: str
    province: str
    province_code: str
    score: float = 0.0
    has: list = field(default_factory=list)  # Reason
    wrong_mode: list = field(default_factory=list)  # Reason
    lacks: list = field(default_factory=list)  # need labels
    related: list = field(default_factory=list)  # scenario titles


def _needs(scenario):
    return [(n.domain, n.label, n.keyword) for n in scenario.needs]


def where_next(actor, scenario, *, limit=None, province=None, locale="zh_CN") -> list[Candidate]:
    """Member data groups with no replication of the scenario, best prepared first."""
    already = select(Replication.member_id).where(Replication.scenario_id == scenario.id)
    english = locale.startswith("en")  # names as the page's language has them (Chinese where no English one)
    stmt = (select(Member.id, Member.code, Member.name, City.name, Province.name, Province.code,
                   Member.name_en, City.name_en, Province.name_en)
            .join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id)
            .where(Member.status == "active", Member.kind == "data_group", Member.id.not_in(already)))
    if province:
        stmt = stmt.where(Province.code == province)
    candidates = {}
    for mid, code, name, city, prov, prov_code, name_en, city_en, prov_en in db.session.execute(stmt):
        if english:
            name, city, prov = name_en or name, city_en or city, prov_en or prov
        candidates[mid] = Candidate(mid, code, name, city, prov, prov_code)
    if not candidates:
        return []

    needs = _needs(scenario)
    mask = scenario.circulation_mask or 0
    visible = visible_clause(actor)
    found: list[dict] = []  # per need: member_id -> (good resource id or None, any resource id)
    for domain, _label, keyword in needs:
        compatible = (DataResource.circulation_mask.op("&")(mask) != 0) if mask else None
        good = func.max(case((compatible, DataResource.id))) if mask else func.max(DataResource.id)
        q = (select(DataResource.member_id, good, func.max(DataResource.id))
             .where(visible, DataResource.domain == domain).group_by(DataResource.member_id))
        if keyword:  # the resource map's own matcher: same answer on SQLite and PostgreSQL
            q = q.where(text_clause(query_terms(keyword)))
        found.append({m: (g, a) for m, g, a in db.session.execute(q) if m in candidates})

    ids = {g or a for per_need in found for g, a in per_need.values()}
    details = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 900):
        chunk = id_list[start:start + 900]
        for rid, title, freq, rmask in db.session.execute(
                select(DataResource.id, DataResource.title, DataResource.frequency, DataResource.circulation_mask)
                .where(DataResource.id.in_(chunk))):
            details[rid] = (title, label(FREQUENCIES, freq, locale),
                            [label(CIRCULATION_MODES, m, locale) for m in modes_from_mask(rmask or 0)])

    related = db.session.execute(
        select(Replication.member_id, Scenario.title)
        .join(Scenario, Scenario.id == Replication.scenario_id)
        .where(Scenario.group_id == scenario.group_id, Scenario.id != scenario.id,
               Replication.stage != "withdrawn", Replication.member_id.in_(list(candidates)))
        .order_by(Scenario.id)).all()
    for member_id, title in related:
        candidates[member_id].related.append(title)

    for cand in candidates.values():
        covered = 0.0
        for (domain, need_label, _kw), per_need in zip(needs, found):
            hit = per_need.get(cand.member_id)
            if hit is None:
                cand.lacks.append(need_label)
                continue
            good, any_id = hit
            title, freq, modes = details[good or any_id]
            reason = Reason(need_label, title, freq, modes)
            if good:
                cand.has.append(reason)
                covered += 1
            else:
                cand.wrong_mode.append(reason)
                covered += WRONG_MODE_CREDIT
        share = covered / len(needs) if needs else 0
        cand.score = round(COVERAGE_WEIGHT * share + RELATED_WEIGHT * min(len(cand.related), 2) / 2, 1)
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, -len(c.has), c.province_code, c.member_name))
    return ranked[:limit] if limit else ranked
