"""Dossiers: open, edit, list, and move along their statuses."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from consortium.audit.services import set_actor
from consortium.core.clock import utcnow
from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db

from .. import permissions
from ..constants import AGREED, CONCLUDED, CONSULTATION, DRAFTING, STATUSES, TRANSITIONS
from ..models import Dossier, DossierEvent, Participant
from ..schemas import DossierFields, EventFields
from .common import _coordinator, _label, _notify_participants, _quorum, _require
from .outcome import breaches


def _written(written: dict) -> dict:
    """What the coordinator wrote: every field of the definition (``schemas.DossierFields``; one
    left out is empty, a quorum left out is "all"), checked by its rules; the quorum becomes its
    (numerator, denominator)."""
    return clean_every(DossierFields, written,
                        special={"quorum": _quorum},
                        messages={"title": _("A title is required (at most 200 characters).")})


def get_dossier(dossier_id) -> Dossier | None:
    return db.session.get(Dossier, dossier_id)


def list_dossiers(actor, *, status=None, q=None):
    stmt = select(Dossier).where(permissions.visible_clause(actor))
    if status in STATUSES:
        stmt = stmt.where(Dossier.status == status)
    if q:
        stmt = stmt.where(or_(Dossier.title.contains(q), Dossier.subject.contains(q)))
    return stmt.order_by(Dossier.updated_at.desc(), Dossier.id.desc())


def list_invitations(actor):
    if not permissions._member_user(actor):
        return []
    return db.session.scalars(select(Dossier).join(Participant).where(
        Participant.member_id == actor.member_id, Participant.status == "invited").order_by(Dossier.id)).all()


def create_dossier(actor, *, counterparty, coordinator, scenarios=(), resources=(), is_illustrative=False,
                   **written) -> Dossier:
    """``written``: the fields of ``schemas.DossierFields`` (title, subject, deadline, quorum …)."""
    set_actor(actor)
    if actor is not None:
        _require(permissions.can_open_dossier(actor))
        if not actor.is_secretariat and coordinator.id != actor.member_id:
            raise PermissionDenied(_("Only the secretariat can open a dossier for another coordinator."))
    written = _written(written)
    if counterparty is None:
        raise DomainError(_("Choose the counterparty."), field="counterparty")
    if coordinator is None or not coordinator.is_active:
        raise DomainError(_("Choose an active member as coordinator."), field="coordinator")
    num, den = written.pop("quorum")
    dossier = Dossier(**written, counterparty=counterparty, coordinator=coordinator,
                      quorum_num=num, quorum_den=den, status=DRAFTING,
                      is_illustrative=is_illustrative, scenarios=list(scenarios), resources=list(resources))
    dossier.participants.append(Participant(member=coordinator, status="active", responded_at=utcnow()))
    dossier.events.append(DossierEvent(from_status=None, to_status=DRAFTING, actor_id=getattr(actor, "id", None),
                                       actor_label=_label(actor)))
    db.session.add(dossier)
    db.session.flush()
    return dossier


def update_dossier(actor, dossier, *, scenarios=None, resources=None, **written):
    """``written``: every field of ``schemas.DossierFields`` (one left out becomes empty)."""
    _coordinator(actor, dossier)
    written = _written(written)
    dossier.quorum_num, dossier.quorum_den = written.pop("quorum")
    for name, value in written.items():
        setattr(dossier, name, value)
    if scenarios is not None:
        dossier.scenarios = list(scenarios)
    if resources is not None:
        dossier.resources = list(resources)
    db.session.flush()
    return dossier


def _move(actor, dossier, to_status, fields: dict, **recorded):
    """``fields``: what the coordinator wrote with the move (``schemas.EventFields``: note …),
    checked before anything changes; ``recorded``: the event's acknowledgement of a rule and the
    terms it concerns."""
    event = DossierEvent(dossier_id=dossier.id, from_status=dossier.status, to_status=to_status,
                         actor_id=getattr(actor, "id", None), actor_label=_label(actor),
                         **clean_every(EventFields, fields), **recorded)
    dossier.status = to_status
    dossier.updated_at = utcnow()
    db.session.add(event)
    db.session.flush()
    if to_status == CONSULTATION and dossier.current_version:  # the consultation asks each for a stance
        _notify_participants(actor, dossier, "negotiations.stance_needed", version=dossier.current_version,
                             exclude_member_id=getattr(actor, "member_id", None), text=event.note)
    else:
        _notify_participants(actor, dossier, "negotiations.status", status=to_status,
                             exclude_member_id=getattr(actor, "member_id", None), text=event.note)
    return event


def transition(actor, dossier, to_status, *, acknowledgement: str = "", **fields) -> DossierEvent:
    """Move the dossier along 起草 → 征求意见 → 达成共识 → 谈判中 → 已结束 (or 已放弃).
    ``fields``: those of ``schemas.EventFields`` (note …). Closing (已结束) with an outcome that
    breaches a red line needs ``acknowledgement``: the coordinator's reason, kept on the event."""
    _coordinator(actor, dossier)
    if to_status not in STATUSES:
        raise DomainError(_("Unknown status."), field="status")
    if to_status not in TRANSITIONS[dossier.status]:
        raise DomainError(_("A dossier cannot go from “%(a)s” to “%(b)s”.", a=STATUSES[dossier.status],
                            b=STATUSES[to_status]), field="status")
    if to_status == AGREED:
        raise DomainError(_("A dossier reaches “%(agreed)s” only through the sign-on, once the quorum is met.",
                            agreed=STATUSES[AGREED]), field="status")
    if to_status == CONSULTATION and dossier.current_version < 1:
        raise DomainError(_("Save a first version of the position before opening the consultation."),
                          field="status")
    if to_status == DRAFTING:
        dossier.sign_on_version = None
    if to_status == CONCLUDED:
        found = breaches(dossier)
        acknowledgement = (acknowledgement or "").strip()
        if found and not acknowledgement:
            raise DomainError(_("The outcome breaches red lines: %(terms)s. To close the dossier anyway, give the "
                                "reason you accept it (it is kept in the history and printed on the paper).",
                                terms="；".join(b.message for b in found)), field="acknowledgement")
        if found:
            return _move(actor, dossier, to_status, fields, acknowledgement=acknowledgement[:5000],
                         breached=[b.key for b in found])
    return _move(actor, dossier, to_status, fields)
