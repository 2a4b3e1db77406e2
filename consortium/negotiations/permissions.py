"""Who may see and do what in a joint negotiation. One function per question; views,
the API, list queries, notifications and other domains' pages all ask these.

A dossier exists only for the users of its current participants (status active)
and for the secretariat. An invited member sees the invitation (title, counterparty,
coordinator) and nothing of the position until it accepts."""
from sqlalchemy import exists, false, select, true

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.extensions import db

from .models import Dossier, Participant


def _member_user(actor) -> bool:
    return (is_signed_in(actor) and actor.member_id is not None and actor.member is not None
            and actor.member.is_active)


def participation(actor, dossier):
    if not _member_user(actor):
        return None
    return next((p for p in dossier.participants if p.member_id == actor.member_id), None)


def is_participant(actor, dossier) -> bool:
    p = participation(actor, dossier)
    return p is not None and p.status == "active"


def can_view(actor, dossier) -> bool:
    return is_secretariat(actor) or is_participant(actor, dossier)


def can_answer_invitation(actor, dossier) -> bool:
    p = participation(actor, dossier)
    return p is not None and p.status == "invited"


def can_coordinate(actor, dossier) -> bool:
    """Edit the dossier and the position, invite and withdraw, move the status, call the sign-on."""
    if is_secretariat(actor):
        return True
    return is_participant(actor, dossier) and actor.member_id == dossier.coordinator_id


def can_take_part(actor, dossier) -> bool:
    """Record stances, propose amendments, sign: a participating organisation's users."""
    return is_participant(actor, dossier)


def can_open_dossier(actor) -> bool:
    """Any active member's users (coordinating themselves) and the secretariat (for any coordinator)."""
    return is_secretariat(actor) or _member_user(actor)


def visible_clause(actor):
    """The SQL condition every list, count and search of dossiers applies."""
    if is_secretariat(actor):
        return true()
    if not _member_user(actor):
        return false()
    return exists(select(Participant.id).where(Participant.dossier_id == Dossier.id,
                                               Participant.member_id == actor.member_id,
                                               Participant.status == "active"))


def can_see_target(user, dossier_id) -> bool:
    """For notifications about a dossier: the rule applied when they are read."""
    dossier = db.session.get(Dossier, dossier_id) if dossier_id else None
    return dossier is not None and (can_view(user, dossier) or can_answer_invitation(user, dossier))


def can_view_pricing(actor) -> bool:
    """The register of members' models is for the union's signed-in users."""
    return is_signed_in(actor)


def can_add_pricing(actor) -> bool:
    return is_secretariat(actor) or _member_user(actor)


def can_edit_pricing(actor, model) -> bool:
    return is_secretariat(actor) or (_member_user(actor) and model.member_id == actor.member_id)
