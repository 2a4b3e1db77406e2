"""Read functions other domains may call. Nothing here returns dossier content to
someone who may not see it."""
from sqlalchemy import exists, func, select

from consortium.extensions import db

from . import permissions
from .constants import ABANDONED, CONCLUDED, CONSULTATION, EDITABLE, STATUSES
from .models import Amendment, Dossier, Participant, Signature, Stance


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


# ------------------------------------------------ what waits on a member (the inbox, the e-mails)

def invitations_of(member_id: int, limit: int = 50) -> list[Participant]:
    """The member's unanswered invitations to a dossier that is still open."""
    return db.session.scalars(
        select(Participant).join(Dossier, Dossier.id == Participant.dossier_id)
        .where(Participant.member_id == member_id, Participant.status == "invited",
               Dossier.status.not_in((CONCLUDED, ABANDONED)))
        .order_by(Participant.invited_at.desc()).limit(limit)).all()


def _active_in(member_id: int):
    return select(Participant.dossier_id).where(Participant.member_id == member_id, Participant.status == "active")


def owing_stance(member_id: int, limit: int = 50) -> list[Dossier]:
    """Dossiers in consultation whose current version has no stance of the member on the whole
    position (none yet, or one given on an older version)."""
    on_current = exists(select(Stance.id).where(Stance.dossier_id == Dossier.id, Stance.member_id == member_id,
                                                Stance.term_key == "", Stance.version == Dossier.current_version))
    return db.session.scalars(
        select(Dossier).where(Dossier.id.in_(_active_in(member_id)), Dossier.status == CONSULTATION,
                              Dossier.current_version > 0, ~on_current)
        .order_by(Dossier.sign_on_deadline.is_(None), Dossier.sign_on_deadline, Dossier.deadline.is_(None),
                  Dossier.deadline, Dossier.id).limit(limit)).all()


def owing_signature(member_id: int, limit: int = 50) -> list[Dossier]:
    """Dossiers whose open sign-on the member has not answered, the nearest deadline first."""
    answered = exists(select(Signature.id).where(Signature.dossier_id == Dossier.id,
                                                 Signature.member_id == member_id,
                                                 Signature.version == Dossier.sign_on_version))
    return db.session.scalars(
        select(Dossier).where(Dossier.id.in_(_active_in(member_id)), Dossier.status == CONSULTATION,
                              Dossier.sign_on_version.is_not(None), ~answered)
        .order_by(Dossier.sign_on_deadline.is_(None), Dossier.sign_on_deadline, Dossier.id).limit(limit)).all()


def amendments_to_decide(member_id: int, limit: int = 50) -> list[Amendment]:
    """Open amendments in the dossiers the member coordinates (and still takes part in)."""
    return db.session.scalars(
        select(Amendment).join(Dossier, Dossier.id == Amendment.dossier_id)
        .where(Dossier.coordinator_id == member_id, Dossier.id.in_(_active_in(member_id)),
               Amendment.status == "open", Dossier.status.in_(EDITABLE))
        .order_by(Amendment.created_at, Amendment.id).limit(limit)).all()

