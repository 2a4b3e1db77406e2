"""Recognition agreements (互认协议): when one is in force, recording, suspending, resuming
and revoking it, its history."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select

from consortium.audit.services import set_actor
from consortium.core.entity import clean_values
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from .. import permissions
from ..models import Recognition, RecognitionSuspension
from ..schemas import RecognitionChangeFields, RecognitionFields
from .common import today


def covering_clause(recognising_id: int, issuing_id: int):
    """Agreements by which body ``recognising_id`` accepts ``issuing_id``'s certificates."""
    return or_(and_(Recognition.recognising_body_id == recognising_id, Recognition.issuing_body_id == issuing_id),
               and_(Recognition.mutual.is_(True), Recognition.recognising_body_id == issuing_id,
                    Recognition.issuing_body_id == recognising_id))


def in_force_clause(on: date):
    """SQL: the agreement is in force on ``on`` (the same rule as ``state_on``)."""
    suspended = exists().where(RecognitionSuspension.recognition_id == Recognition.id,
                               RecognitionSuspension.starts_on <= on,
                               or_(RecognitionSuspension.ends_on.is_(None), RecognitionSuspension.ends_on > on))
    return and_(Recognition.effective_from <= on,
                or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > on), ~suspended)


def state_on(recognition, on: date) -> tuple[str, object]:
    """("in_force" | "not_yet" | "revoked" | "suspended", the date or suspension concerned).
    Boundaries: in force from ``effective_from`` inclusive; not in force from the revocation
    date, nor from a suspension's first day until (excluding) the day it was resumed."""
    if on < recognition.effective_from:
        return "not_yet", recognition.effective_from
    if recognition.revoked_on is not None and on >= recognition.revoked_on:
        return "revoked", recognition.revoked_on
    for s in recognition.suspensions:
        if s.starts_on <= on and (s.ends_on is None or on < s.ends_on):
            return "suspended", s
    return "in_force", None


def current_state(recognition) -> str:
    return state_on(recognition, today())[0]


def _check_pair(actor, recognising, issuing, mutual):
    if recognising.id == issuing.id:
        raise DomainError(_("A body does not need an agreement with itself."), field="issuing_body")
    if actor is not None and not permissions.can_record_recognition(actor, recognising, issuing, mutual):
        raise PermissionDenied(_("Only the recognising body's operator (for a mutual agreement: either party's) "
                                 "and the secretariat record recognition agreements."))


def create_recognition(actor, *, recognising_body, issuing_body, **values) -> Recognition:
    """Record an agreement; ``values`` are the fields of ``schemas.RecognitionFields``."""
    if recognising_body is None:
        raise DomainError(_("Choose the recognising body."), field="recognising_body")
    if issuing_body is None:
        raise DomainError(_("Choose the issuing body."), field="issuing_body")
    mutual = clean_values(RecognitionFields, {"mutual": values.get("mutual", False)})["mutual"]  # a flag: never refused
    _check_pair(actor, recognising_body, issuing_body, mutual)
    set_actor(actor)
    data = clean_values(RecognitionFields, values | {"mutual": mutual}, creating=True)
    clash = db.session.scalar(select(Recognition).where(
        Recognition.revoked_on.is_(None),
        or_(covering_clause(recognising_body.id, issuing_body.id),
            *([covering_clause(issuing_body.id, recognising_body.id)] if mutual else []))).limit(1))
    if clash is not None:
        raise Conflict(_("An agreement between these bodies already exists (%(ref)s): suspend, resume or revoke "
                         "it instead of recording a second one.", ref=clash.document_ref), field="issuing_body")
    recognition = Recognition(recognising_body_id=recognising_body.id, issuing_body_id=issuing_body.id, **data)
    db.session.add(recognition)
    db.session.flush()
    return recognition


def _require_changer(actor, recognition):
    if actor is not None and not permissions.can_change_recognition(actor, recognition):
        raise PermissionDenied(_("Only the parties' operators and the secretariat change this agreement."))
    set_actor(actor)


def _change_values(on, reason, reason_required: bool) -> tuple:
    """The date and reason of a suspension, resumption or revocation (``schemas.RecognitionChangeFields``)."""
    data = clean_values(RecognitionChangeFields, {"on": on, "reason": reason},
                        required=("reason",) if reason_required else ())
    return data["on"], data["reason"]


def suspend_recognition(actor, recognition, *, on, reason) -> RecognitionSuspension:
    _require_changer(actor, recognition)
    on, reason = _change_values(on, reason, reason_required=True)
    if recognition.revoked_on is not None:
        raise DomainError(_("This agreement was revoked; it cannot be suspended."), field="on")
    if on < recognition.effective_from:
        raise DomainError(_("A suspension cannot start before the agreement takes effect (%(d)s).",
                            d=recognition.effective_from.isoformat()), field="on")
    for s in recognition.suspensions:
        if s.ends_on is None:
            raise DomainError(_("The agreement is already suspended since %(d)s; resume it first.",
                                d=s.starts_on.isoformat()), field="on")
        if on < s.ends_on:
            raise DomainError(_("A suspension must start after the previous one ended (%(d)s).",
                                d=s.ends_on.isoformat()), field="on")
    suspension = RecognitionSuspension(recognition=recognition, starts_on=on, reason=reason)
    db.session.add(suspension)
    db.session.flush()
    return suspension


def resume_recognition(actor, recognition, *, on, reason="") -> RecognitionSuspension:
    _require_changer(actor, recognition)
    on, reason = _change_values(on, reason, reason_required=False)
    open_ = next((s for s in recognition.suspensions if s.ends_on is None), None)
    if open_ is None:
        raise DomainError(_("The agreement is not suspended."), field="on")
    if recognition.revoked_on is not None:
        raise DomainError(_("This agreement was revoked; it cannot be resumed."), field="on")
    if on <= open_.starts_on:
        raise DomainError(_("The agreement can be resumed only after the suspension started (%(d)s).",
                            d=open_.starts_on.isoformat()), field="on")
    open_.ends_on, open_.resume_reason = on, reason
    db.session.flush()
    return open_


def revoke_recognition(actor, recognition, *, on, reason) -> Recognition:
    _require_changer(actor, recognition)
    on, reason = _change_values(on, reason, reason_required=True)
    if recognition.revoked_on is not None:
        raise DomainError(_("This agreement was already revoked on %(d)s.", d=recognition.revoked_on.isoformat()),
                          field="on")
    if on < recognition.effective_from:
        raise DomainError(_("A revocation cannot come before the agreement takes effect (%(d)s).",
                            d=recognition.effective_from.isoformat()), field="on")
    recognition.revoked_on, recognition.revoke_reason = on, reason
    db.session.flush()
    return recognition


def history(recognition) -> list[dict]:
    """The agreement's events in date order: signed/in force, suspended, resumed, revoked."""
    events = [{"on": recognition.effective_from, "kind": "effective", "text": recognition.document_ref}]
    for s in recognition.suspensions:
        events.append({"on": s.starts_on, "kind": "suspended", "text": s.reason})
        if s.ends_on is not None:
            events.append({"on": s.ends_on, "kind": "resumed", "text": s.resume_reason})
    if recognition.revoked_on is not None:
        events.append({"on": recognition.revoked_on, "kind": "revoked", "text": recognition.revoke_reason})
    order = {"effective": 0, "resumed": 1, "suspended": 2, "revoked": 3}
    return sorted(events, key=lambda e: (e["on"], order[e["kind"]]))


def get_recognition(recognition_id) -> Recognition:
    recognition = db.session.get(Recognition, recognition_id)
    if recognition is None:
        raise NotFound(_("No such recognition agreement."))
    return recognition
