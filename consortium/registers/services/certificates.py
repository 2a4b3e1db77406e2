"""Certificates (登记证书): the field rules shared by the form, the API and the import,
recording and finding them, and what a certificate is on a day (its state, derived from its
dates and recorded events: the one rule every page, answer and export shows)."""
import unicodedata
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import lazyload

from consortium.audit.services import set_actor
from consortium.core.entity import clean_values, columns, described, taken
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.core.uscc import normalise_uscc
from consortium.extensions import db

from .. import permissions
from ..constants import CERTIFICATE_STATES
from ..models import Certificate, RegistrationBody
from ..schemas import CertificateFields
from .common import today


def number_key(number) -> str:
    """What a certificate number is matched by: full-width characters folded (NFKC: ＱＤＤＪ２０２５ → QDDJ2025),
    spaces dropped, upper case — so ``qddj2025000201`` and ``ＱＤＤＪ２０２５０００２０１`` find QDDJ2025000201."""
    return "".join(unicodedata.normalize("NFKC", str(number or "")).split()).upper()


def certificate_state(certificate, on: date | None = None) -> tuple[str, date | None]:
    """(state, the day it began) of ``certificate`` on ``on`` (today in Beijing by default), one of
    ``constants.CERTIFICATE_STATES``: not_yet before its issue date; cancelled or revoked from the
    recorded day of that event; expired after its ``valid_until`` day (valid all of that day);
    else valid. The order is the check's: an event recorded before the end of validity wins."""
    on = on or today()
    if on < certificate.issued_on:
        return "not_yet", certificate.issued_on
    if certificate.status in ("cancelled", "revoked") and certificate.status_changed_on is not None \
            and on >= certificate.status_changed_on:
        return certificate.status, certificate.status_changed_on
    if certificate.valid_until is not None and on > certificate.valid_until:
        return "expired", certificate.valid_until
    return "valid", certificate.issued_on


def state_clause(state: str, on: date | None = None):
    """SQL: the certificates whose ``certificate_state(…, on)`` is ``state`` (the same rule, for lists and counts)."""
    on = on or today()
    c = Certificate
    ended = and_(c.status.in_(("cancelled", "revoked")), c.status_changed_on.is_not(None), c.status_changed_on <= on)
    if state == "not_yet":
        return c.issued_on > on
    if state in ("cancelled", "revoked"):
        return and_(c.issued_on <= on, c.status == state, c.status_changed_on.is_not(None), c.status_changed_on <= on)
    if state == "expired":
        return and_(c.issued_on <= on, ~ended, c.valid_until.is_not(None), c.valid_until < on)
    if state == "valid":
        return and_(c.issued_on <= on, ~ended, or_(c.valid_until.is_(None), c.valid_until >= on))
    return false()


def certificate_values(values: dict) -> dict:
    """Validated, normalised certificate fields: one rule for the form, the API and the import
    (the definition's, ``schemas.CertificateFields``, and the rules between fields)."""
    out = clean_values(CertificateFields, taken(CertificateFields, {**values, "status": values.get("status") or "valid"}))
    if not number_key(out["number"]):
        raise DomainError(_("A number is required."), field="number")
    if out["valid_until"] is not None and out["valid_until"] < out["issued_on"]:
        raise DomainError(_("The end of validity cannot be before the issue date."), field="valid_until")
    if out["status"] != "valid":
        if out["status_changed_on"] is None:
            raise DomainError(_("Give the date of the cancellation or revocation."), field="status_changed_on")
        if out["status_changed_on"] < out["issued_on"]:
            raise DomainError(_("A certificate cannot end before it was issued."), field="status_changed_on")
    else:
        out["status_changed_on"], out["status_reason"] = None, ""
    return out


def _require_body_writer(actor, body):
    if actor is not None and not permissions.can_manage_body(actor, body):
        raise PermissionDenied(_("Only the operating member's users and the secretariat record this body's "
                                 "certificates."))
    set_actor(actor)


def create_certificate(actor, body, **values) -> Certificate:
    _require_body_writer(actor, body)
    data = certificate_values(values)
    clash = db.session.scalar(select(Certificate.number).where(Certificate.body_id == body.id,
                                                               Certificate.number_key == number_key(data["number"])))
    if clash:
        raise Conflict(_("%(body)s already has a certificate numbered %(number)s.", body=body.name,
                         number=clash), field="number")
    certificate = Certificate(body_id=body.id, number_key=number_key(data["number"]), **data)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def update_certificate(actor, certificate, **values) -> Certificate:
    _require_body_writer(actor, certificate.body)
    data = certificate_values(values)
    other = db.session.scalar(select(Certificate.number).where(Certificate.body_id == certificate.body_id,
                                                               Certificate.number_key == number_key(data["number"]),
                                                               Certificate.id != certificate.id))
    if other:
        raise Conflict(_("%(body)s already has a certificate numbered %(number)s.", body=certificate.body.name,
                         number=other), field="number")
    for key, value in data.items():
        setattr(certificate, key, value)
    certificate.number_key = number_key(data["number"])
    db.session.flush()
    return certificate


def get_certificate(actor, certificate_id) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not permissions.can_view_certificates(actor):
        raise NotFound(_("No such certificate."))
    return certificate


def find_certificates(number: str, issuer: RegistrationBody | None = None, holder_uscc: str | None = None
                      ) -> list[Certificate]:
    """The certificates numbered ``number`` (matched by ``number_key``: case, width and spaces do not
    matter), of one issuing body or one holder (its credit code) when given."""
    key = number_key(number)
    if not key:
        return []
    stmt = select(Certificate).options(lazyload("*")).where(Certificate.number_key == key)
    if issuer is not None:
        stmt = stmt.where(Certificate.body_id == issuer.id)
    if holder_uscc is not None:
        stmt = stmt.where(Certificate.holder_uscc == normalise_uscc(holder_uscc))
    return list(db.session.scalars(stmt.order_by(Certificate.id).limit(20)))


def certificate_table(certificates, locale: str) -> tuple[list[str], list[list]]:
    """Certificates as a spreadsheet: the import's columns (``CertificateFields``: the recorded status
    as typed, so an export can be edited and imported again), the issuing body, and the state on
    the day of the export with the day it began — derived by ``certificate_state``."""
    english = locale.startswith("en")
    defined = described(CertificateFields)
    fields = columns(CertificateFields)
    headers = [en if english else zh for _name, zh, en, _required in fields]
    headers += [_("Issuing body"), _("State today"), _("State since")]
    on, rows = today(), []
    for c in certificates:
        state, since = certificate_state(c, on)
        rows.append([defined[name].to_cell(getattr(c, name), locale) for name, *_rest in fields]
                    + [c.body.display_name(locale), CERTIFICATE_STATES.label(state, locale),
                       since.isoformat() if since else ""])
    return headers, rows
