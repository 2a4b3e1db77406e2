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


def consultations_of(member_id: int, limit: int = 50) -> list[Dossier]:
    """The dossiers in consultation where ``member_id`` takes part (an active participant): the
    workspace's stances to give and sign-ons to answer."""
    from .constants import CONSULTATION
    from .models import Participant
    return db.session.scalars(select(Dossier).join(Participant).where(
        Participant.member_id == member_id, Participant.status == "active", Dossier.status == CONSULTATION,
        Dossier.current_version > 0).order_by(Dossier.updated_at.desc(), Dossier.id.desc()).limit(limit)).all()
