"""Read functions other domains may call."""
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from consortium.extensions import db

from .models import Scenario, ScenarioNeed, scenario_resources


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
    """A real funnel: how many replications reached at least each stage of the main line
    (意向 → 对接 → 数据准备 → 试点 → 上线), counting the furthest stage each one ever reached
    (so a replication now 停滞 or 退出 after a pilot still counts up to 试点); and, apart,
    how many stand at 停滞 and 退出 now."""
    reached: dict = field(default_factory=dict)  # main-line stage -> replications that reached it
    stalled: int = 0
    withdrawn: int = 0
    total: int = 0


def replication_funnel(replication_ids=None, *, group_id=None, scenario_id=None, province=None,
                       stage=None) -> Funnel:
    """The funnel of the given replications, or of those matching the filters (a group, a
    scenario, a province code, a current stage)."""
    from consortium.geo.models import City, Province
    from consortium.members.models import Member

    from .constants import STAGE_LINE
    from .models import Replication, ReplicationEvent
    stmt = select(Replication.id, Replication.stage)
    if replication_ids is not None:
        ids = list(replication_ids)
        if not ids:
            return Funnel(reached=dict.fromkeys(STAGE_LINE, 0))
        stmt = stmt.where(Replication.id.in_(ids))
    if group_id is not None:
        stmt = stmt.where(Replication.scenario_id.in_(select(Scenario.id).where(Scenario.group_id == group_id)))
    if scenario_id is not None:
        stmt = stmt.where(Replication.scenario_id == scenario_id)
    if province:
        stmt = stmt.where(Replication.member_id.in_(
            select(Member.id).join(City, City.id == Member.city_id).join(Province, Province.id == City.province_id)
            .where(Province.code == province)))
    if stage:
        stmt = stmt.where(Replication.stage == stage)
    current = dict(db.session.execute(stmt).all())
    rank = {s: i for i, s in enumerate(STAGE_LINE)}
    furthest = {rid: rank.get(st, -1) for rid, st in current.items()}
    if current:
        events = db.session.execute(select(ReplicationEvent.replication_id, ReplicationEvent.to_stage)
                                    .where(ReplicationEvent.replication_id.in_(list(current)))).all()
        for rid, to_stage in events:
            furthest[rid] = max(furthest[rid], rank.get(to_stage, -1))
    reached = {s: sum(1 for r in furthest.values() if r >= i) for i, s in enumerate(STAGE_LINE)}
    stages = list(current.values())
    return Funnel(reached=reached, stalled=stages.count("stalled"), withdrawn=stages.count("withdrawn"),
                  total=len(current))


def needed_by_entries(actor, resource):
    """For the resource map's entry page (catalog.hooks): the scenarios needing it, as links."""
    from flask import url_for
    from flask_babel import get_locale

    from consortium.catalog.hooks import NeededBy
    locale = "en" if str(get_locale()).startswith("en") else "zh_CN"
    return [NeededBy(s.display_name(locale), url_for("scenarios.scenario", scenario_id=s.id))
            for s in list_scenarios_needing(actor, resource)]
