"""The counterparty register: recording, editing, contacts. Secretariat only."""
from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.auth.permissions import is_secretariat
from consortium.core.entity import clean_values
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db
from consortium.members.models import Member

from .models import Counterparty, CounterpartyContact
from .queries import get_counterparty, list_counterparties  # noqa: F401  (one place to ask)
from .schemas import ContactFields, CounterpartyFields


def _require_secretariat(actor):
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied(_("Only the secretariat can do this."))
    set_actor(actor)


def _check(cp: Counterparty):
    if not cp.name:
        raise DomainError(_("A name is required."), field="name")
    if not cp.kind:
        raise DomainError(_("Unknown counterparty kind."), field="kind")
    if db.session.scalar(select(Member.id).where(Member.name == cp.name)):
        raise DomainError(_("This organisation is a member and cannot be a counterparty."), field="name")
    clash = select(Counterparty.id).where(Counterparty.name == cp.name, Counterparty.id != (cp.id or 0))
    if db.session.scalar(clash):
        raise DomainError(_("This counterparty already exists."), field="name")
    if cp.credit_code:
        clash = select(Counterparty.id).where(Counterparty.credit_code == cp.credit_code,
                                              Counterparty.id != (cp.id or 0))
        if db.session.scalar(clash):
            raise DomainError(_("Another counterparty has this credit code."), field="credit_code")


def add_counterparty(actor, **fields) -> Counterparty:
    """Record a counterparty: ``fields`` are any of the definition's (schemas.CounterpartyFields),
    checked by it; a platform company unless told otherwise."""
    _require_secretariat(actor)
    cp = Counterparty(**clean_values(CounterpartyFields, {"kind": "platform", **fields}))
    with db.session.no_autoflush:
        _check(cp)
    db.session.add(cp)
    db.session.flush()
    return cp


def update_counterparty(actor, cp, **fields):
    """Change any of the defined fields (schemas.CounterpartyFields)."""
    _require_secretariat(actor)
    with db.session.no_autoflush:
        for key, value in clean_values(CounterpartyFields, fields).items():
            setattr(cp, key, value)
        _check(cp)
    db.session.flush()
    return cp


def add_contact(actor, cp, **fields) -> CounterpartyContact:
    """Add a contact: ``fields`` are the definition's (schemas.ContactFields), checked by it
    (the e-mail address the one way, core.validation.clean_email)."""
    _require_secretariat(actor)
    clean = clean_values(ContactFields, fields)
    if not clean.get("name"):
        raise DomainError(_("A name is required."), field="name")
    contact = CounterpartyContact(counterparty=cp, **clean)
    db.session.add(contact)
    db.session.flush()
    return contact


def remove_contact(actor, cp, contact_id):
    _require_secretariat(actor)
    contact = db.session.get(CounterpartyContact, contact_id)
    if contact is None or contact.counterparty_id != cp.id:
        raise NotFound(_("No such contact."))
    db.session.delete(contact)
    db.session.flush()
