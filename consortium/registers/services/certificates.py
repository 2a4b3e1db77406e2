"""Certificates (登记证书): the field rules shared by the form, the API and the import,
recording and finding them."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from consortium.audit.services import set_actor
from consortium.core.entity import clean_values, taken
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from .. import permissions
from ..models import Certificate, RegistrationBody
from ..schemas import CertificateFields


def certificate_values(values: dict) -> dict:
    """Validated, normalised certificate fields: one rule for the form, the API and the import
    (the definition's, ``schemas.CertificateFields``, and the rules between fields)."""
    out = clean_values(CertificateFields, taken(CertificateFields, {**values, "status": values.get("status") or "valid"}))
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
    if db.session.scalar(select(Certificate.id).where(Certificate.body_id == body.id,
                                                      Certificate.number == data["number"])):
        raise Conflict(_("%(body)s already has a certificate numbered %(number)s.", body=body.name,
                         number=data["number"]), field="number")
    certificate = Certificate(body_id=body.id, **data)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def update_certificate(actor, certificate, **values) -> Certificate:
    _require_body_writer(actor, certificate.body)
    data = certificate_values(values)
    other = db.session.scalar(select(Certificate.id).where(Certificate.body_id == certificate.body_id,
                                                           Certificate.number == data["number"],
                                                           Certificate.id != certificate.id))
    if other:
        raise Conflict(_("%(body)s already has a certificate numbered %(number)s.", body=certificate.body.name,
                         number=data["number"]), field="number")
    for key, value in data.items():
        setattr(certificate, key, value)
    db.session.flush()
    return certificate


def get_certificate(actor, certificate_id) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not permissions.can_view_certificates(actor):
        raise NotFound(_("No such certificate."))
    return certificate


def find_certificates(number: str, issuer: RegistrationBody | None = None) -> list[Certificate]:
    stmt = select(Certificate).options(lazyload("*")).where(Certificate.number == (number or "").strip())
    if issuer is not None:
        stmt = stmt.where(Certificate.body_id == issuer.id)
    return list(db.session.scalars(stmt.limit(20)))
