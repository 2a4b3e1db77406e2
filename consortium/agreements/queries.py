"""What other domains may read about agreements (the scenario page lists its own; dashboards
count them). Agreements are counted through ``services.list_agreements(actor)``, so a
non-public agreement is only counted for an audience that may see it."""
from datetime import date

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.core.months import month_of, months_between

from .models import Agreement, AgreementParty, agreement_scenarios
from .services import list_agreements


def agreements_of_scenario(actor, scenario) -> list:
    """The agreements linked to a scenario that this actor may see."""
    return db.session.scalars(list_agreements(actor, scenario=scenario)).all()


def agreements_signed_by_month(actor, *, since: date | None = None, until: date | None = None,
                               scenario_ids=None, member_ids=None) -> list[tuple[str, int]]:
    """Signed agreements per month of signing, among those ``actor`` may see: [(YYYY-MM, n)],
    every month of the span kept. ``scenario_ids``: only the agreements linked to one of these
    scenarios; ``member_ids``: only those with one of these members as a party (a dashboard
    narrowed to a group, a domain or a province, read by the caller from their domains)."""
    chosen = list_agreements(actor)
    if scenario_ids is not None:
        chosen = chosen.where(Agreement.id.in_(select(agreement_scenarios.c.agreement_id).where(
            agreement_scenarios.c.scenario_id.in_(list(scenario_ids)))))
    if member_ids is not None:
        chosen = chosen.where(Agreement.id.in_(select(AgreementParty.agreement_id).where(
            AgreementParty.member_id.in_(list(member_ids)))))
    visible = chosen.subquery()
    month = month_of(visible.c.signed_on)
    stmt = (select(month, func.count()).select_from(visible)
            .where(visible.c.signed_on.is_not(None), visible.c.status.in_(("signed", "in_force", "ended")))
            .group_by(month))
    if since:
        stmt = stmt.where(visible.c.signed_on >= since)
    if until:
        stmt = stmt.where(visible.c.signed_on <= until)
    counts = dict(db.session.execute(stmt).all())
    if not counts:
        return []
    months = months_between(since.strftime("%Y-%m") if since else min(counts),
                     until.strftime("%Y-%m") if until else max(counts))
    return [(m, counts.get(m, 0)) for m in months]
