"""The counterparty register: recording, editing, contacts. Secretariat only."""
from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.auth.permissions import is_secretariat
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from . import credit_code as uscc
from .constants import COUNTERPARTY_KINDS
from .models import Counterparty, CounterpartyContact
from .queries import get_counterparty, list_counterparties  # noqa: F401  (one place to ask)


def _require_secretariat(actor):
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied(_("Only the secretariat can do this."))
    set_actor(actor)


def _clean_code(code) -> str:
    code = uscc.normalise(code)
    if code and not uscc.is_valid(code):
        raise DomainError(_("This is not a valid unified social credit code (18 characters, check character "
                            "per GB 32100-2015)."), field="credit_code")
    return code


def _check(cp: Counterparty):
    from consortium.members.models import Member
    if not cp.name:
        raise DomainError(_("A name is required."), field="name")
    if cp.kind not in COUNTERPARTY_KINDS:
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


def add_counterparty(actor, *, name, kind="platform", name_en="", description="", credit_code="",
                     website="") -> Counterparty:
    _require_secretariat(actor)
    cp = Counterparty(name=(name or "").strip(), kind=kind, name_en=(name_en or "").strip(),
                      description=description or "", credit_code=_clean_code(credit_code), website=website or "")
    with db.session.no_autoflush:
        _check(cp)
    db.session.add(cp)
    db.session.flush()
    return cp


def update_counterparty(actor, cp, *, name, kind, name_en="", description="", credit_code="", website=""):
    _require_secretariat(actor)
    with db.session.no_autoflush:
        cp.name, cp.kind, cp.name_en = (name or "").strip(), kind, (name_en or "").strip()
        cp.description, cp.website = description or "", website or ""
        cp.credit_code = _clean_code(credit_code)
        _check(cp)
    db.session.flush()
    return cp


def add_contact(actor, cp, *, name, title="", email="", phone="") -> CounterpartyContact:
    _require_secretariat(actor)
    if not (name or "").strip():
        raise DomainError(_("A name is required."), field="name")
    contact = CounterpartyContact(counterparty=cp, name=name.strip(), title=title or "", email=email or "",
                                  phone=phone or "")
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
