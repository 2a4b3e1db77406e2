"""The rules of co-operation agreements, consent included.

Consent: an agreement binds the parties it names, so no single party may make it
say something for the others. Every change a member party makes (parties added or
removed, status, signing date, visibility, text, linked scenarios) resets the other
parties' confirmations: the agreement is a draft, seen only by its named member
parties and the secretariat, until each of them confirms the current version. A
member party may remove only itself (withdraw), never another member. The
secretariat's record or change, and the system's (demo data, CLI), count as every
party's confirmation; a counterparty, which never signs in, is confirmed by the
secretariat. Services take an explicit ``actor``, flush, and raise; callers commit."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, not_, or_, select, true

from consortium.audit.services import set_actor
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.clock import utcnow, local_today
from consortium.core.entity import clean_values, described
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version
from consortium.extensions import db

from . import permissions
from .constants import AGREEMENT_STATUSES
from .models import Agreement, AgreementParty, agreement_scenarios
from .schemas import AgreementFields


def _require(allowed: bool, message=None):
    if not allowed:
        raise PermissionDenied(message or _l("You are not allowed to do this."))


def _speaks_for_all(actor) -> bool:
    return actor is None or is_secretariat(actor)


# ---------------------------------------------------------------- reading

def _unconfirmed():
    return exists().where(AgreementParty.agreement_id == Agreement.id, AgreementParty.confirmed_at.is_(None))


def visible_clause(actor):
    """SQL condition for the agreements this actor may see (the rule of permissions.can_view)."""
    if is_secretariat(actor):
        return true()
    public = and_(Agreement.is_public.is_(True), not_(_unconfirmed()))
    if is_signed_in(actor) and actor.member_id is not None and actor.member.is_active:
        party = exists().where(AgreementParty.agreement_id == Agreement.id,
                               AgreementParty.member_id == actor.member_id)
        return or_(public, party)
    return public


def list_agreements(actor, scenario=None):
    stmt = (select(Agreement).where(visible_clause(actor))
            .order_by(Agreement.signed_on.desc().nulls_last(), Agreement.id.desc()))
    if scenario is not None:
        stmt = stmt.where(Agreement.id.in_(select(agreement_scenarios.c.agreement_id)
                                           .where(agreement_scenarios.c.scenario_id == scenario.id)))
    return stmt


def get_agreement(agreement_id: int) -> Agreement | None:
    return db.session.get(Agreement, agreement_id)


def awaiting(actor, agreement) -> list[AgreementParty]:
    """The parties whose confirmation this actor may give now."""
    if not permissions.can_confirm(actor, agreement):
        return []
    return [p for p in agreement.parties if p.confirmed_at is None
            and (is_secretariat(actor) or p.member_key == actor.member_id)]


# ---------------------------------------------------------------- writing

def _apply(actor, agreement, *, members, counterparties=(), scenarios=(), **fields):
    """``fields`` are any of the definition's (schemas.AgreementFields), checked by it; the
    parties and the linked scenarios are objects."""
    values = clean_values(AgreementFields, fields)
    proposed = {name: getattr(agreement, name) for name in described(AgreementFields)} | values
    if not proposed["subject"]:
        raise DomainError(_("A subject is required."), field="subject")
    if proposed["status"] not in AGREEMENT_STATUSES:
        raise DomainError(_("Unknown status."), field="status")
    signed_on, status = proposed["signed_on"], proposed["status"]
    if signed_on is not None and signed_on > local_today() and status != "negotiating":
        raise DomainError(_("A signing date cannot be in the future."), field="signed_on")
    members = list(dict.fromkeys(members))
    counterparties = list(dict.fromkeys(counterparties))
    if not members:
        raise DomainError(_("At least one member must be a party."), field="members")
    if len(members) + len(counterparties) < 2:
        raise DomainError(_("An agreement needs at least two parties."), field="members")
    if any(not m.is_active for m in members if m.id not in agreement.member_ids):
        raise DomainError(_("This member is not active."), field="members")
    if not _speaks_for_all(actor):
        new_ids = {m.id for m in members}
        if agreement.id is None and actor.member_id not in new_ids:
            raise PermissionDenied(_("You may only record agreements your organisation is party to."))
        removed = agreement.member_ids - new_ids
        if removed - {actor.member_id}:
            raise PermissionDenied(_("Only the secretariat removes another member from an agreement; "
                                     "a party may withdraw itself."))
    before = _snapshot(agreement) if agreement.id is not None else None
    for key, value in values.items():
        setattr(agreement, key, value)
    kept = {("m", p.member_key): p for p in agreement.parties if p.member_key}
    kept.update({("c", p.counterparty_id): p for p in agreement.parties if p.counterparty_id})
    agreement.parties = ([kept.get(("m", m.id)) or AgreementParty(member=m) for m in members]
                         + [kept.get(("c", c.id)) or AgreementParty(counterparty=c) for c in counterparties])
    agreement.scenarios = list(dict.fromkeys(scenarios))
    if before is None or _snapshot(agreement) != before:
        _reset_consent(actor, agreement)


def _snapshot(agreement):
    """What the parties consent to: every defined field, the parties and the linked scenarios."""
    return (*(getattr(agreement, name) for name in described(AgreementFields)), tuple(sorted(agreement.member_ids)),
            tuple(sorted(p.counterparty_id for p in agreement.parties if p.counterparty_id)),
            tuple(sorted(s.id for s in agreement.scenarios if s.id)))


def _reset_consent(actor, agreement):
    """The content changed: only the author's side stands behind it now."""
    now, author = utcnow(), getattr(actor, "id", None)
    for party in agreement.parties:
        if _speaks_for_all(actor) or (party.member_key is not None and party.member_key == actor.member_id):
            party.confirmed_at, party.confirmed_by_id = now, author
        else:
            party.confirmed_at, party.confirmed_by_id = None, None


def record_agreement(actor, **fields) -> Agreement:
    _require(actor is None or permissions.can_record(actor))
    set_actor(actor)
    agreement = Agreement(proposed_by_id=getattr(actor, "id", None))
    with db.session.no_autoflush:
        _apply(actor, agreement, **fields)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def update_agreement(actor, agreement, expected_version=UNCHECKED, **fields) -> Agreement:
    _require(actor is None or permissions.can_edit(actor, agreement))
    check_version(agreement, expected_version)
    set_actor(actor)
    with db.session.no_autoflush:
        _apply(actor, agreement, **fields)
    db.session.flush()
    return agreement


def confirm_agreement(actor, agreement, expected_version=UNCHECKED) -> list[AgreementParty]:
    """Confirm the agreement as it stands (the version the party read): a member user
    for its member, the secretariat for every party still waiting."""
    _require(permissions.can_confirm(actor, agreement), _l("Only a named party or the secretariat confirms."))
    check_version(agreement, expected_version)
    parties = awaiting(actor, agreement)
    if not parties:
        raise DomainError(_("There is nothing left for you to confirm."))
    set_actor(actor)
    now = utcnow()
    for party in parties:
        party.confirmed_at, party.confirmed_by_id = now, actor.id
    db.session.flush()
    return parties


