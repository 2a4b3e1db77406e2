"""Read functions other domains may call. Nothing here returns dossier content to
someone who may not see it."""
from sqlalchemy import func, select

from consortium.extensions import db

from . import permissions
from .constants import STATUSES
from .models import Dossier


def count_dossiers_by_status() -> dict[str, int]:
    """How many dossiers are in each status (counts only, never a title), every status present."""
    rows = db.session.execute(select(Dossier.status, func.count(Dossier.id)).group_by(Dossier.status)).all()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def list_visible_dossiers_with(actor, counterparty) -> list[Dossier]:
    """The dossiers with one counterparty that ``actor`` may see (none for the public)."""
    return db.session.scalars(select(Dossier).where(Dossier.counterparty_id == counterparty.id,
                                                    permissions.visible_clause(actor))
                              .order_by(Dossier.id.desc())).all()
