"""Read functions other domains (the board, the workspace) call."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from consortium.core.clock import local_today
from consortium.extensions import db
from consortium.scenarios.models import Replication, Scenario

from .models import AuthorisationApplication


@dataclass(frozen=True)
class Waiting:
    application: AuthorisationApplication
    days: int


def waiting_in_group(group, today: date | None = None, limit: int = 200) -> list[Waiting]:
    """Replications of the group whose application is submitted and undecided, longest wait first."""
    today = today or local_today()
    rows = db.session.scalars(
        select(AuthorisationApplication)
        .join(Replication, Replication.id == AuthorisationApplication.replication_id)
        .join(Scenario, Scenario.id == Replication.scenario_id)
        .where(Scenario.group_id == group.id, AuthorisationApplication.status == "submitted")
        .order_by(AuthorisationApplication.submitted_on, AuthorisationApplication.id).limit(limit)).all()
    return [Waiting(a, (today - a.submitted_on).days) for a in rows]


def waiting_for_member(member_id: int, today: date | None = None, limit: int = 20) -> list[Waiting]:
    today = today or local_today()
    rows = db.session.scalars(
        select(AuthorisationApplication)
        .join(Replication, Replication.id == AuthorisationApplication.replication_id)
        .where(Replication.member_id == member_id, AuthorisationApplication.status == "submitted")
        .order_by(AuthorisationApplication.submitted_on).limit(limit)).all()
    return [Waiting(a, (today - a.submitted_on).days) for a in rows]


def status_by_replication(replication_ids) -> dict[int, str]:
    """The latest application's status per replication (for lists)."""
    ids = list(replication_ids)
    if not ids:
        return {}
    out = {}
    for rid, status in db.session.execute(
            select(AuthorisationApplication.replication_id, AuthorisationApplication.status)
            .where(AuthorisationApplication.replication_id.in_(ids))
            .order_by(AuthorisationApplication.id)):
        out[rid] = status
    return out


