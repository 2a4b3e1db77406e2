"""Certificates (登记证书): the credit-code check, the field rules shared by the form, the API
and the import, recording and finding them."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from consortium.audit.services import set_actor
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.core.validation import parse_date
from consortium.extensions import db

from .. import permissions
from ..constants import CERTIFICATE_STATUSES
from ..models import Certificate, RegistrationBody
from .common import _text


def normalise_uscc(value) -> str:
    return "".join(str(value or "").split()).upper()


def check_uscc(value, field="holder_uscc") -> str:
    """The unified social credit code (GB 32100-2015): 18 characters and its check digit."""
    code = normalise_uscc(value)
    if not code:
        raise DomainError(_("This field is required."), field=field)
    try:
        return uscc.validate(code)
    except ValidationError:
        if len(code) != 18:
            raise DomainError(_("A unified social credit code has 18 characters (%(n)d given).", n=len(code)),
                              field=field) from None
        try:
            expected = uscc.calc_check_digit(code[:17])
        except (ValueError, KeyError, IndexError):  # characters outside the code's alphabet
            expected = None
        if expected is not None and expected != code[17]:
            raise DomainError(_("The unified social credit code %(code)s fails its check digit (expected %(d)s).",
                                code=code, d=expected), field=field) from None
        raise DomainError(_("%(code)s is not a valid unified social credit code.", code=code),
                          field=field) from None


def certificate_values(values: dict) -> dict:
    """Validated, normalised certificate fields: one rule for the form, the API and the import."""
    out = {"number": _text("number", values.get("number"), 60, required=True),
           "holder_name": _text("holder_name", values.get("holder_name"), 200, required=True),
           "holder_uscc": check_uscc(values.get("holder_uscc")),
           "product_name": _text("product_name", values.get("product_name"), 200, required=True),
           "issued_on": parse_date(values.get("issued_on"), "issued_on", required=True),
           "valid_until": parse_date(values.get("valid_until"), "valid_until")}
    if out["valid_until"] is not None and out["valid_until"] < out["issued_on"]:
        raise DomainError(_("The end of validity cannot be before the issue date."), field="valid_until")
    status = values.get("status") or "valid"
    if status not in CERTIFICATE_STATUSES:
        raise DomainError(_("Unknown status: %(value)s", value=status), field="status")
    out["status"] = status
    out["status_changed_on"] = parse_date(values.get("status_changed_on"), "status_changed_on")
    out["status_reason"] = _text("status_reason", values.get("status_reason"), 300)
    if status != "valid":
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
