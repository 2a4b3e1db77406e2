"""The sign-on (联署) of a version, its quorum, and reaching agreement."""
import math
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.clock import local_today, utcnow
from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from ..constants import AGREED, CONSULTATION
from ..models import DossierEvent, Signature
from ..schemas import SignatureFields
from .common import _coordinator, _label, _notify_participants, _participant, _write
from .dossiers import _move


def call_sign_on(actor, dossier, *, deadline: date | None = None) -> None:
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION:
        raise DomainError(_("The sign-on is called during the consultation."))
    if dossier.current_version < 1:
        raise DomainError(_("There is no position to sign yet."))
    if deadline is not None and deadline < local_today():
        raise DomainError(_("The sign-on deadline is in the past."), field="deadline")
    dossier.sign_on_version = dossier.current_version
    dossier.sign_on_deadline = deadline
    db.session.flush()
    _notify_participants(actor, dossier, "negotiations.sign_on", version=dossier.current_version,
                         deadline=deadline.isoformat() if deadline else "",
                         exclude_member_id=getattr(actor, "member_id", None))


def cancel_sign_on(actor, dossier) -> None:
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    dossier.sign_on_version = None
    dossier.sign_on_deadline = None
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
