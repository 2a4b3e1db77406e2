"""Read functions other domains may call (dashboards): replication figures as plain
data, and the scenarios that need a resource-map entry. Replication figures are aggregate counts, the
only replication figures visitors may see (``permissions.can_read_replications``
guards the city-level detail). Agreement figures live in consortium.agreements.queries."""
from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import get_locale
from sqlalchemy import case, func, or_, select

from consortium.catalog.hooks import NeededBy
from consortium.catalog.models import DataResource
from consortium.catalog.permissions import can_view as can_view_resource
from consortium.core.months import month_of, months_between
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from .constants import SIDE_STAGES, STAGE_LINE
from .models import (
    GroupMembership,
    Replication,
    ReplicationEvent,
    Scenario,
    ScenarioGroup,
    ScenarioNeed,
    scenario_resources,
)
from .permissions import can_read_replications


def stage_counts(scenario_ids=None, group=None) -> dict[int, dict[str, int]]:
    """Aggregate counts per scenario and stage: the only replication figures visitors see."""
    stmt = (select(Replication.scenario_id, Replication.stage, func.count(Replication.id))
            .group_by(Replication.scenario_id, Replication.stage))
    if group is not None:
        stmt = stmt.join(Scenario, Scenario.id == Replication.scenario_id).where(Scenario.group_id == group.id)
    if scenario_ids is not None:
        stmt = stmt.where(Replication.scenario_id.in_(list(scenario_ids)))
    out: dict[int, dict[str, int]] = {}
    for sid, stage, n in db.session.execute(stmt):
        out.setdefault(sid, {})[stage] = n
    return out


def promotable_scenarios(group, counts=None) -> list[int]:
    """Scenario ids live in at least K cities (K = group.promotable_cities)."""
    counts = counts if counts is not None else stage_counts(group=group)
    k = group.promotable_cities or 3
    return [sid for sid, by_stage in counts.items() if by_stage.get("live", 0) >= k]


def list_group_members(group, status="approved"):
    return db.session.scalars(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.status == status)
        .order_by(GroupMembership.requested_at, GroupMembership.id)).all()


def visible_resources(actor, scenario) -> list[DataResource]:
    """The linked entries this viewer may see, by the resource map's own rule, at read
    time: a lead may link another member's non-public entry, visitors never see it."""
    return [r for r in scenario.resources if can_view_resource(actor, r)]


def list_groups() -> list[dict]:
    rows = db.session.execute(select(ScenarioGroup.code, ScenarioGroup.name, ScenarioGroup.name_en)
                              .order_by(ScenarioGroup.code)).all()
    return [{"code": c, "name": n, "name_en": e} for c, n, e in rows]

def group_member_ids(group_code: str) -> list[int]:
    """The members of a scenario group (code): its lead and the approved members (a dashboard
    narrowed to a group counts them)."""
    group = db.session.scalar(select(ScenarioGroup).where(ScenarioGroup.code == group_code))
    if group is None:
        return []
    approved = db.session.scalars(select(GroupMembership.member_id).where(
        GroupMembership.group_id == group.id, GroupMembership.status == "approved")).all()
    return sorted({group.lead_member_id, *approved})


def _needing(domain):
    """The ids of the scenarios needing data of ``domain`` (a catalog DOMAINS code), as a subquery."""
    return select(ScenarioNeed.scenario_id).where(ScenarioNeed.domain == domain).scalar_subquery()


def scenario_ids(*, group=None, domain=None) -> list[int]:
    """The scenarios of a group (code) and/or needing data of a domain: what a dashboard panel
    narrowed to them counts (e.g. the agreements linked to them)."""
    stmt = select(Scenario.id).order_by(Scenario.id)
    if group:
        stmt = stmt.join(ScenarioGroup, ScenarioGroup.id == Scenario.group_id).where(ScenarioGroup.code == group)
    if domain:
        stmt = stmt.where(Scenario.id.in_(_needing(domain)))
    return list(db.session.scalars(stmt))


def _replications(stmt, *, group=None, province=None, ids=None, group_id=None, scenario_id=None, stage=None,
                  domain=None):
    """Restrict a statement over Replication to a group (code, or id), a province (code), given
    replication ids, a scenario, a current stage, the scenarios needing data of a domain."""
    if domain:
        stmt = stmt.where(Replication.scenario_id.in_(_needing(domain)))
    if group:
        stmt = stmt.where(Replication.scenario_id.in_(
            select(Scenario.id).join(ScenarioGroup, ScenarioGroup.id == Scenario.group_id)
            .where(ScenarioGroup.code == group).scalar_subquery()))
    if group_id is not None:
        stmt = stmt.where(Replication.scenario_id.in_(
            select(Scenario.id).where(Scenario.group_id == group_id).scalar_subquery()))
    if province:
        stmt = stmt.where(Replication.member_id.in_(
            select(Member.id).join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id)
            .where(Province.code == province).scalar_subquery()))
    if ids is not None:
        stmt = stmt.where(Replication.id.in_(list(ids)))
    if scenario_id is not None:
        stmt = stmt.where(Replication.scenario_id == scenario_id)
    if stage:
        stmt = stmt.where(Replication.stage == stage)
    return stmt

def replication_funnel(*, group=None, province=None, until: date | None = None, domain=None, **narrow) -> dict:
    """A true funnel: how many replications reached at least each stage of the main
    line (意向 → 对接 → 数据准备 → 试点 → 上线), from their dated events up to ``until``
    (so one now 停滞 or 退出 after a pilot still counts up to 试点); 停滞 and 退出 counted
    apart, by the stage each replication stands at on that date. ``narrow``: the other
    filters of ``_replications`` (ids, group_id, scenario_id, current stage) — the board's.
    {"reached": {stage: n}, "side": {"stalled": n, "withdrawn": n}, "total": n}"""
    if narrow.get("ids") is not None and not list(narrow["ids"]):
        return {"reached": dict.fromkeys(STAGE_LINE, 0), "side": dict.fromkeys(SIDE_STAGES, 0), "total": 0}
    scope = {"group": group, "province": province, "domain": domain, **narrow}
    rank = case({s: i for i, s in enumerate(STAGE_LINE)}, value=ReplicationEvent.to_stage, else_=-1)
    best = (select(ReplicationEvent.replication_id, func.max(rank).label("best"))
            .join(Replication, Replication.id == ReplicationEvent.replication_id)
            .group_by(ReplicationEvent.replication_id))
    if until:
        best = best.where(ReplicationEvent.occurred_on <= until)
    best = _replications(best, **scope).subquery()
    by_best = dict(db.session.execute(select(best.c.best, func.count()).group_by(best.c.best)).all())
    reached = {s: sum(n for b, n in by_best.items() if b is not None and b >= i) for i, s in enumerate(STAGE_LINE)}
    if until is None:  # the stage each replication stands at now
        side_rows = db.session.execute(_replications(
            select(Replication.stage, func.count(Replication.id)).where(Replication.stage.in_(SIDE_STAGES))
            .group_by(Replication.stage), **scope)).all()
        side = dict.fromkeys(SIDE_STAGES, 0) | dict(side_rows)
    else:  # the stage of each replication's last event on that date
        side = dict.fromkeys(SIDE_STAGES, 0)
        stmt = (select(ReplicationEvent.replication_id, ReplicationEvent.to_stage)
                .join(Replication, Replication.id == ReplicationEvent.replication_id)
                .where(ReplicationEvent.occurred_on <= until)
                .order_by(ReplicationEvent.replication_id, ReplicationEvent.occurred_on, ReplicationEvent.id))
        current = dict(db.session.connection().execute(_replications(stmt, **scope)).all())
        for stage in current.values():
            if stage in side:
                side[stage] += 1
    return {"reached": reached, "side": side, "total": sum(by_best.values())}

def replication_timeline(*, group=None, province=None, since: date | None = None,
                         until: date | None = None, domain=None) -> dict:
    """Stage changes per month and stage reached, every month of the span kept (a
    month without any change shows as zero): {"months": [...], "series": {stage: [n]}}."""
    month = month_of(ReplicationEvent.occurred_on)
    stmt = (select(month, ReplicationEvent.to_stage, func.count(ReplicationEvent.id))
            .join(Replication, Replication.id == ReplicationEvent.replication_id)
            .where((ReplicationEvent.from_stage.is_(None)) | (ReplicationEvent.from_stage != ReplicationEvent.to_stage))
            .group_by(month, ReplicationEvent.to_stage))
    if since:
        stmt = stmt.where(ReplicationEvent.occurred_on >= since)
    if until:
        stmt = stmt.where(ReplicationEvent.occurred_on <= until)
    rows = db.session.connection().execute(_replications(stmt, group=group, province=province,
                                                                 domain=domain)).all()
    seen = sorted({m for m, _s, _n in rows})
    first = since.strftime("%Y-%m") if since else (seen[0] if seen else None)
    last = until.strftime("%Y-%m") if until else (seen[-1] if seen else None)
    months = months_between(first, last) if first and last else []
    index = {m: i for i, m in enumerate(months)}
    series = {s: [0] * len(months) for s in list(STAGE_LINE) + list(SIDE_STAGES)}
    for m, stage, n in rows:
        if m in index and stage in series:
            series[stage][index[m]] += n
    return {"months": months, "series": series}

def promotable_by_group(*, group=None, domain=None, province=None) -> list[dict]:
    """Per group: promotable solutions (scenarios live in at least K cities) against
    the group's target count and date. ``domain``: only the scenarios needing data of that
    domain; ``province``: only the promotable solutions live in that province (the K cities are
    still counted union-wide: a solution is promotable or not, wherever one looks from)."""
    stmt = select(ScenarioGroup).order_by(ScenarioGroup.code)
    if group:
        stmt = stmt.where(ScenarioGroup.code == group)
    wanted = set(scenario_ids(domain=domain)) if domain else None
    live_there = set(db.session.scalars(_replications(select(Replication.scenario_id).where(
        Replication.stage == "live"), province=province))) if province else None
    out = []
    for g in db.session.scalars(stmt):
        counts = stage_counts(group=g)
        promotable = [sid for sid in promotable_scenarios(g, counts)
                      if (wanted is None or sid in wanted) and (live_there is None or sid in live_there)]
        scenarios = select(func.count(Scenario.id)).where(Scenario.group_id == g.id)
        if domain:
            scenarios = scenarios.where(Scenario.id.in_(_needing(domain)))
        out.append({"code": g.code, "name": g.name, "name_en": g.name_en,
                    "scenarios": db.session.scalar(scenarios),
                    "promotable": len(promotable), "target": g.target_count,
                    "target_date": g.target_date.isoformat() if g.target_date else None,
                    "k": g.promotable_cities})
    return out

def count_live_replications(*, group=None, province=None, domain=None) -> int:
    return db.session.scalar(_replications(select(func.count(Replication.id)).where(Replication.stage == "live"),
                                           group=group, province=province, domain=domain))

def count_promotable(*, group=None, domain=None, province=None) -> int:
    return sum(g["promotable"] for g in promotable_by_group(group=group, domain=domain, province=province))

# ---- the board's funnel over given replications, and the scenarios needing an entry

def can_view_scenario(actor, scenario) -> bool:
    """Seed scenarios and their needs are public pages (scenarios.scenario has no restriction)."""
    return True

def list_scenarios_needing(actor, resource, limit: int = 20) -> list[Scenario]:
    """The scenarios this actor may see that need ``resource``: linked to it explicitly, or
    with a need of its domain whose keyword (if any) appears in its title, keywords or description."""
    linked = select(scenario_resources.c.scenario_id).where(scenario_resources.c.resource_id == resource.id)
    needs = db.session.scalars(select(ScenarioNeed).where(ScenarioNeed.domain == resource.domain)).all()
    text = f"{resource.title} {resource.keywords or ''} {resource.description or ''}".lower()
    by_need = {n.scenario_id for n in needs if not n.keyword or n.keyword.lower() in text}
    rows = db.session.scalars(select(Scenario).where(or_(Scenario.id.in_(linked), Scenario.id.in_(by_need)))
                              .order_by(Scenario.title).limit(limit)).all()
    return [s for s in rows if can_view_scenario(actor, s)]

@dataclass
class Funnel:
    """The board's funnel (see ``replication_funnel``, which counts it)."""
    reached: dict = field(default_factory=dict)  # main-line stage -> replications that reached it
    stalled: int = 0
    withdrawn: int = 0
    total: int = 0

def board_funnel(replication_ids=None, *, group_id=None, scenario_id=None, province=None,
                 stage=None) -> Funnel:
    """The funnel of the given replications, or of those matching the filters (a group, a
    scenario, a province code, a current stage): the dashboards' count, narrowed."""
    data = replication_funnel(province=province, ids=replication_ids, group_id=group_id, scenario_id=scenario_id,
                              stage=stage)
    return Funnel(reached=data["reached"], stalled=data["side"]["stalled"], withdrawn=data["side"]["withdrawn"],
                  total=data["total"])

def needed_by_entries(resource, actor):
    """For the resource map's entry page (catalog.hooks): the scenarios needing it, as links."""
    locale = "en" if str(get_locale()).startswith("en") else "zh_CN"
    return [NeededBy(s.display_name(locale), url_for("scenarios.scenario", scenario_id=s.id))
            for s in list_scenarios_needing(actor, resource)]


# ---- one city's scenarios (its page)

def seed_scenarios_of_city(city_id: int) -> list[Scenario]:
    """The seed scenarios a member of the city originated (public, like every scenario page)."""
    return list(db.session.scalars(select(Scenario).join(Member, Member.id == Scenario.origin_member_id)
                                   .where(Member.city_id == city_id).order_by(Scenario.id)))


def replications_in_city(actor, city_id: int) -> list[Replication]:
    """The replications the city's members run, for those who may read city-level progress
    (``permissions.can_read_replications``); nobody else gets any."""
    if not can_read_replications(actor):
        return []
    return list(db.session.scalars(select(Replication).join(Member, Member.id == Replication.member_id)
                                   .where(Member.city_id == city_id).order_by(Replication.scenario_id, Member.id)))
