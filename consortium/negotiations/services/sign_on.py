"""The sign-on (联署) of a version, its quorum, and reaching agreement."""
import math
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.clock import local_today, utcnow
from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.notifications.services import notify

from ..constants import AGREED, CONSULTATION
from ..models import Dossier, DossierEvent, Signature
from ..schemas import SignatureFields
from .common import _coordinator, _label, _notify_participants, _participant, _write
from .dossiers import _move
from .stances import stance_quorum

SIGN_ON_REMINDER_DAYS = 2  # participants who have not signed are reminded this many days before the deadline


def call_sign_on(actor, dossier, *, deadline: date | None = None, override: str = "") -> None:
    """Put the current version to sign-on until ``deadline`` (required, not in the past). The sign-on
    opens only when the quorum of participants has a stance on the current version
    (``stances.stance_quorum``): stances on an earlier version are stale. The coordinator may open
    it anyway with ``override``, a reason kept on the dossier, in the history and on the paper."""
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION:
        raise DomainError(_("The sign-on is called during the consultation."))
    if dossier.current_version < 1:
        raise DomainError(_("There is no position to sign yet."))
    if deadline is None:
        raise DomainError(_("Give the sign-on deadline: the participants are reminded before it."), field="deadline")
    if deadline < local_today():
        raise DomainError(_("The sign-on deadline is in the past."), field="deadline")
    q = stance_quorum(dossier)
    override = (override or "").strip()[:5000]
    if not q["met"] and not override:
        raise DomainError(_("Only %(current)d of %(total)d participants have a stance on version %(v)d "
                            "(%(stale)d on an earlier version, %(missing)d without one); %(needed)d are needed to "
                            "open the sign-on. Wait for them to restate, or give the reason to open it anyway.",
                            current=q["current"], total=q["total"], v=dossier.current_version, stale=len(q["stale"]),
                            missing=len(q["missing"]), needed=q["needed"]), field="override")
    dossier.sign_on_version = dossier.current_version
    dossier.sign_on_deadline = deadline
    dossier.sign_on_reminded_on = None
    dossier.sign_on_override = override if not q["met"] else ""
    if dossier.sign_on_override:
        db.session.add(DossierEvent(
            dossier_id=dossier.id, from_status=dossier.status, to_status=dossier.status,
            actor_id=getattr(actor, "id", None), actor_label=_label(actor),
            note=_("Sign-on of version %(v)d opened with %(current)d of %(needed)d stances on it.",
                   v=dossier.current_version, current=q["current"], needed=q["needed"]),
            acknowledgement=dossier.sign_on_override))
    db.session.flush()
    _notify_participants(actor, dossier, "negotiations.sign_on", version=dossier.current_version,
                         deadline=deadline.isoformat(), exclude_member_id=getattr(actor, "member_id", None))


def cancel_sign_on(actor, dossier) -> None:
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    dossier.sign_on_version = None
    dossier.sign_on_deadline = None
    dossier.sign_on_override = ""
    db.session.flush()


def sign(actor, dossier, *, signed: bool, **fields) -> Signature:
    """``fields``: those of ``schemas.SignatureFields`` (comment …); signing again replaces them."""
    _participant(actor, dossier)
    written = clean_every(SignatureFields, fields)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    if dossier.sign_on_deadline is not None and local_today() > dossier.sign_on_deadline:
        raise DomainError(_("The sign-on deadline has passed."))
    row = db.session.scalar(select(Signature).where(Signature.dossier_id == dossier.id,
                                                    Signature.member_id == actor.member_id,
                                                    Signature.version == dossier.sign_on_version))
    if row is None:
        row = Signature(dossier_id=dossier.id, member_id=actor.member_id, version=dossier.sign_on_version,
                        signed=signed)
        db.session.add(row)
    _write(row, written)
    row.signed, row.author_label, row.created_at = signed, _label(actor), utcnow()
    db.session.flush()
    return row


def unsigned_members(dossier) -> list:
    """The participating members who have not answered the open sign-on."""
    answered = {s.member_id for s in signatures(dossier)}
    return [p.member for p in dossier.active_participants if p.member_id not in answered]


def remind_sign_on(today: date | None = None) -> int:
    """Called by a scheduler (``flask negotiations remind-sign-on``): when an open sign-on's deadline
    is at most ``SIGN_ON_REMINDER_DAYS`` away, each participant that has not answered is reminded,
    once. Returns the number of dossiers whose participants were reminded."""
    today = today or local_today()
    set_actor(None)
    due = db.session.scalars(select(Dossier).where(
        Dossier.status == CONSULTATION, Dossier.sign_on_version.is_not(None), Dossier.sign_on_deadline >= today,
        Dossier.sign_on_deadline <= today + timedelta(days=SIGN_ON_REMINDER_DAYS),
        Dossier.sign_on_reminded_on.is_(None))).all()
    for dossier in due:
        for member in unsigned_members(dossier):
            notify(None, member, "negotiations.sign_on_reminder", target_type="dossier", target_id=dossier.id,
                   payload={"title": dossier.title, "version": dossier.sign_on_version,
                            "deadline": dossier.sign_on_deadline.isoformat()})
        dossier.sign_on_reminded_on = today
    db.session.flush()
    return len(due)


def signatures(dossier, version=None) -> list[Signature]:
    version = version if version is not None else dossier.sign_on_version
    if version is None:
        return []
    return db.session.scalars(select(Signature).where(Signature.dossier_id == dossier.id,
                                                      Signature.version == version).order_by(Signature.id)).all()


def quorum_status(dossier) -> dict:
    members = dossier.active_member_ids
    sigs = [s for s in signatures(dossier) if s.member_id in members]
    signed = sum(1 for s in sigs if s.signed)
    needed = math.ceil(len(members) * dossier.quorum_num / dossier.quorum_den)
    return {"signed": signed, "declined": sum(1 for s in sigs if not s.signed), "total": len(members),
            "needed": needed, "met": len(members) > 0 and signed >= needed}


def complete_sign_on(actor, dossier, **fields) -> DossierEvent:
    """达成共识, only when the quorum rule is met. ``fields``: those of ``schemas.EventFields``."""
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    q = quorum_status(dossier)
    if not q["met"]:
        raise DomainError(_("The quorum is not met: %(signed)d of %(total)d participants signed, %(needed)d needed.",
                            signed=q["signed"], total=q["total"], needed=q["needed"]))
    return _move(actor, dossier, AGREED, fields)
