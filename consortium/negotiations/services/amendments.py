"""Amendments a participant proposes to a term, and the coordinator's decision."""

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.clock import utcnow
from consortium.core.entity import clean_values, taken
from consortium.core.exceptions import DomainError, NotFound
from consortium.extensions import db
from consortium.notifications.services import notify

from .. import terms as term_rules
from ..constants import CONSULTATION, EDITABLE
from ..models import Amendment
from ..schemas import AmendmentFields, decision_fields, proposal_fields
from .common import _coordinator, _label, _participant, _write
from .positions import _new_version, current_position


def _proposed(term, raw):
    """An amendment's value: within the definition's limit when typed as text, then read by
    the term's type."""
    if isinstance(raw, str) and raw.strip():
        clean_values(AmendmentFields, {"value": raw})
    return term_rules.parse_value(term["type"], raw, term.get("options") or [], label=term["label"])


def propose_amendment(actor, dossier, *, term_key, **written) -> Amendment:
    """``written``: the fields of ``schemas.AmendmentFields`` a participant writes
    (``schemas.proposal_fields``: value, reason …; the decision's are the coordinator's)."""
    _participant(actor, dossier)
    if dossier.status not in EDITABLE:
        raise DomainError(_("Amendments are taken while drafting or in consultation."))
    position = current_position(dossier)
    term = position.term(term_key) if position else None
    if term is None:
        raise DomainError(_("No such term in the current version."), field="term_key")
    proposed = proposal_fields(AmendmentFields)
    # the value is read by the term's own type (a schedule or a number may come as JSON)
    if set(written) - set(proposed):
        raise DomainError(_("This field cannot be changed."), field=sorted(set(written) - set(proposed))[0])
    # in the definition's order: the reason first (its own message), then the value, read by the term's own type
    written = clean_values(AmendmentFields, {name: written.get(name) for name in proposed} | written,
                           special={"value": lambda raw: _proposed(term, raw)},
                           messages={"reason": _("Give the reason for the amendment.")})
    value = written.pop("value")
    amendment = Amendment(dossier_id=dossier.id, term_key=term_key, base_version=dossier.current_version,
                          proposed_value={"value": value}, **written, member_id=actor.member_id,
                          author_label=_label(actor))
    db.session.add(amendment)
    db.session.flush()
    if dossier.coordinator_id != actor.member_id:
        notify(actor, dossier.coordinator, "negotiations.amendment", target_type="dossier", target_id=dossier.id,
               payload={"title": dossier.title, "term": term["label"]})
    return amendment


def list_amendments(dossier) -> list[Amendment]:
    return db.session.scalars(select(Amendment).where(Amendment.dossier_id == dossier.id)
                              .order_by(Amendment.id.desc())).all()


def decide_amendment(actor, dossier, amendment, *, accept: bool, **decided) -> Amendment:
    """``decided``: the fields of ``schemas.AmendmentFields`` the coordinator writes when deciding
    (``schemas.decision_fields``: decision_reason …, required to reject)."""
    _coordinator(actor, dossier)
    if amendment.dossier_id != dossier.id:
        raise NotFound(_("No such amendment."))
    if amendment.status != "open":
        raise DomainError(_("This amendment was already decided."))
    decision = decision_fields(AmendmentFields)
    if set(decided) - set(decision):
        raise DomainError(_("This field cannot be changed."), field=sorted(set(decided) - set(decision))[0])
    # every decision field (one left out is empty); the proposal's own are not touched
    decided = clean_values(AmendmentFields, taken(AmendmentFields, decided, only=decision) | decided,
                           required=() if accept else ("decision_reason",),
                           messages={"decision_reason": _("Give the reason for rejecting the amendment.")})
    if accept:
        position = current_position(dossier)
        if position is None or position.term(amendment.term_key) is None:
            raise DomainError(_("The term is no longer in the position; reject the amendment instead."))
        if dossier.status not in EDITABLE or (dossier.sign_on_version is not None and dossier.status == CONSULTATION):
            raise DomainError(_("The position can only change while drafting or in consultation."))
        terms = [dict(t, value=amendment.proposed_value["value"]) if t["key"] == amendment.term_key else dict(t)
                 for t in position.terms]
        label = position.term(amendment.term_key)["label"]
        version = _new_version(actor, dossier, term_rules.clean_terms(terms), dossier.current_version,
                               {"note": _("Amendment accepted: %(term)s", term=label)})
        amendment.result_version = version.number
    _write(amendment, decided)
    amendment.status = "accepted" if accept else "rejected"
    amendment.decided_at = utcnow()
    db.session.flush()
    notify(actor, amendment.member, "negotiations.amendment_decided", target_type="dossier", target_id=dossier.id,
           payload={"title": dossier.title, "accepted": accept, "term": amendment.term_key},
           text=amendment.decision_reason)
    return amendment
