"""Who takes part in a dossier: invitations, answers, withdrawals."""

from flask_babel import gettext as _

from consortium.core.naming import named
from consortium.audit.services import set_actor
from consortium.core.clock import utcnow
from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError, NotFound
from consortium.extensions import db
from consortium.notifications.services import notify, refs

from .. import permissions
from ..constants import ABANDONED, CONCLUDED
from ..models import Participant
from ..schemas import ParticipantFields
from .common import _coordinator, _write


def invite(actor, dossier, member) -> Participant:
    _coordinator(actor, dossier)
    if dossier.status in (CONCLUDED, ABANDONED):
        raise DomainError(_("This negotiation is closed."))
    if member is None or not member.is_active:
        raise DomainError(_("Choose an active member."), field="member")
    existing = next((p for p in dossier.participants if p.member_id == member.id), None)
    if existing is not None and existing.status in ("invited", "active"):
        raise DomainError(_("%(name)s is already invited or taking part.", name=named(member)), field="member")
    if existing is None:
        existing = Participant(member=member)
        dossier.participants.append(existing)
    existing.status, existing.reason, existing.invited_at, existing.responded_at = "invited", "", utcnow(), None
    db.session.flush()
    notify(actor, member, "negotiations.invited", target_type="dossier", target_id=dossier.id,
           payload={"title": dossier.title, **refs(counterparty=dossier.counterparty)})
    return existing


def respond(actor, dossier, *, accept: bool, **fields) -> Participant:
    """``fields``: those of ``schemas.ParticipantFields`` (reason …)."""
    set_actor(actor)
    p = permissions.participation(actor, dossier)
    if p is None or p.status != "invited":
        raise NotFound(_("There is no invitation to answer."))
    _write(p, clean_every(ParticipantFields, fields))
    p.status = "active" if accept else "declined"
    p.responded_at = utcnow()
    db.session.flush()
    notify(actor, dossier.coordinator, "negotiations.invitation_answered", target_type="dossier",
           target_id=dossier.id, payload={"title": dossier.title, **refs(member=p.member), "accepted": accept},
           text=p.reason)
    return p


def withdraw(actor, dossier, member, **fields) -> Participant:
    """The coordinator takes a participant out, with a reason; it loses access at once.
    ``fields``: those of ``schemas.ParticipantFields`` (the reason, required here …)."""
    _coordinator(actor, dossier)
    written = clean_every(ParticipantFields, fields, required=("reason",),
                      messages={"reason": _("Give the reason for the withdrawal.")})
    if member.id == dossier.coordinator_id:
        raise DomainError(_("The coordinator cannot be withdrawn."), field="member")
    p = next((p for p in dossier.participants if p.member_id == member.id and p.status in ("invited", "active")),
             None)
    if p is None:
        raise NotFound(_("This member is not taking part."))
    _write(p, written)
    p.status, p.responded_at = "withdrawn", utcnow()
    db.session.flush()
    return p
