"""Read functions other domains may call."""
from sqlalchemy import or_, select

from consortium.extensions import db

from .models import Scenario, ScenarioNeed, scenario_resources


def can_view_scenario(actor, scenario) -> bool:
    """Seed scenarios and their needs are public pages (scenarios.scenario has no restriction)."""
    return True


def list_scenarios_needing(actor, resource, limit: int = 20) -> list[Scenario]:
    """The scenarios this actor may see that need ``resource``: linked to it explicitly, or
    with a need of its domain whose keyword (if any) appears in its title or keywords."""
    linked = select(scenario_resources.c.scenario_id).where(scenario_resources.c.resource_id == resource.id)
    needs = db.session.scalars(select(ScenarioNeed).where(ScenarioNeed.domain == resource.domain)).all()
    text = f"{resource.title} {resource.keywords or ''}".lower()
    by_need = {n.scenario_id for n in needs if not n.keyword or n.keyword.lower() in text}
    rows = db.session.scalars(select(Scenario).where(or_(Scenario.id.in_(linked), Scenario.id.in_(by_need)))
                              .order_by(Scenario.title).limit(limit)).all()
    return [s for s in rows if can_view_scenario(actor, s)]
