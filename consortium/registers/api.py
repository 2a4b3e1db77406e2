"""/api/v1: registration bodies, certificates (members and the secretariat only),
recognition agreements, the recognition check and trusted data spaces."""
from flask import Blueprint, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from consortium.core.api import choice_param, json_object, paginated
from consortium.core.entity import described
from consortium.core.exceptions import DomainError
from consortium.core.openapi import api_doc
from consortium.extensions import db

from . import permissions, queries
from .constants import CERTIFICATE_STATES, CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES
from .models import Certificate, DataSpace, Recognition, RegistrationBody
from .schemas import (BodyFields, BodyPage, CertificateCreate, CertificateDetailOut, CertificateFields, CertificateOut,
                      CertificatePage, RecognitionFields, RecognitionPage, SpaceDetailOut, SpaceFields, SpacePage,
                      VerificationOut, VerifyQuery, fields_json)
from .services import bodies as body_services
from .services import certificates as certificate_services
from .services import check as check_services
from .services import recognitions as recognition_services
from .services import spaces as space_services
from consortium.core.uscc import normalise_uscc
from .services.common import today
from .views.verify import visitor_limit

bp = Blueprint("registers_api", __name__, url_prefix="/api/v1")


def _locale():
    return str(get_locale())


def _named(member, locale):
    return {"code": member.code, "name": member.display_name(locale)} if member else None


def _city(city, locale):
    return {"adcode": city.adcode, "name": city.display_name(locale)} if city else None


def body_json(b, locale=None) -> dict:
    """A body as the API shows it (``schemas.BodyOut``): its definition's fields, the name in the
    reader's language, the city, the operating member."""
    locale = locale or _locale()
    return {**fields_json(BodyFields, b, locale), "name": b.display_name(locale), "name_zh": b.name,
            "city": _city(b.city, locale), "operator": _named(b.member, locale), "is_example": b.is_example,
            "url": url_for("registers.body", code=b.code)}


def certificate_json(c, locale=None, on=None) -> dict:
    """``schemas.CertificateOut``: the definition's fields, the issuing body's code, and the state on
    ``on`` (today), derived from its dates and events."""
    locale = locale or _locale()
    state, since = certificate_services.certificate_state(c, on)
    return {"id": c.id, **fields_json(CertificateFields, c, locale), "issuer": c.body.code,
            "url": url_for("registers.certificate", certificate_id=c.id),
            "state": state, "state_label": CERTIFICATE_STATES.label(state, locale), "state_since": _day(since)}


def recognition_json(r, locale=None) -> dict:
    """``schemas.RecognitionOut``: the definition's fields, the two bodies, the state today and
    the history."""
    return {"id": r.id, **fields_json(RecognitionFields, r, locale or _locale()),
            "recognising_body": r.recognising_body.code, "issuing_body": r.issuing_body.code,
            "state": recognition_services.current_state(r), "revoked_on": _day(r.revoked_on),
            "revoke_reason": r.revoke_reason,
            "history": [{"date": _day(e["on"]), "event": e["kind"], "text": e["text"]}
                        for e in recognition_services.history(r)],
            "url": url_for("registers.recognition", recognition_id=r.id)}


def space_json(s, locale=None) -> dict:
    """``schemas.SpaceOut``: the definition's fields, the name in the reader's language, the
    operator and the city."""
    locale = locale or _locale()
    return {"id": s.id, **fields_json(SpaceFields, s, locale), "name": s.display_name(locale), "name_zh": s.name,
            "operator": _named(s.operator, locale), "city": _city(s.city, locale), "is_example": s.is_example,
            "url": url_for("registers.space", space_id=s.id)}


def _day(value):
    return value.isoformat() if value else None


def _require_member():
    if not permissions.can_view_certificates(current_user):
        abort(401)


@bp.get("/registration-bodies")
@api_doc(summary="Registration bodies (paginated).", response=BodyPage)
def bodies():
    locale = _locale()
    return paginated(select(RegistrationBody).order_by(RegistrationBody.name), lambda b: body_json(b, locale))


@bp.get("/certificates")
@api_doc(summary="Certificates (``body``, ``number`` — any case or width —, ``holder_uscc``, ``status`` as recorded, "
                 "``state`` today; paginated).", response=CertificatePage, auth=True)
def certificates():
    _require_member()
    stmt = select(Certificate).order_by(Certificate.id)
    if request.args.get("body"):
        b = body_services.find_body(request.args["body"])
        if b is None:
            raise DomainError(_("There is no registration body %(code)s.", code=request.args["body"]), field="body")
        stmt = stmt.where(Certificate.body_id == b.id)
    if request.args.get("number"):
        stmt = stmt.where(Certificate.number_key == certificate_services.number_key(request.args["number"]))
    if request.args.get("holder_uscc"):
        stmt = stmt.where(Certificate.holder_uscc == normalise_uscc(request.args["holder_uscc"]))
    status = choice_param("status", CERTIFICATE_STATUSES)
    if status:
        stmt = stmt.where(Certificate.status == status)
    state = choice_param("state", CERTIFICATE_STATES)
    on = today()
    if state:
        stmt = stmt.where(certificate_services.state_clause(state, on))
    locale = _locale()
    return paginated(stmt, lambda c: certificate_json(c, locale, on))


@bp.get("/certificates/<int:certificate_id>")
@api_doc(summary="One certificate, with every body that recognises it today and why.", response=CertificateDetailOut,
         auth=True)
def certificate(certificate_id):
    _require_member()
    c = certificate_services.get_certificate(current_user, certificate_id)
    locale, on = _locale(), today()
    return {**certificate_json(c, locale, on),
            "recognised_by": [r.as_dict(locale) for r in check_services.recognised_by(c, on, locale)]}


@bp.get("/certificates/verify")
@visitor_limit()
@api_doc(summary="Verify a certificate by its number (open to visitors): its state today and the bodies that "
                 "recognise it.", query=VerifyQuery, response=VerificationOut)
def verify():
    number = request.args.get("number") or ""
    locale = _locale()
    return check_services.verify_certificate(number, request.args.get("credit_code") or None, locale).as_dict(locale)


@bp.post("/certificates")
@api_doc(summary="Record a certificate.", body=CertificateCreate, response=CertificateOut, status=201)
def create_certificate():
    _require_member()
    data = json_object()
    allowed = {"body", *described(CertificateFields)}
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise DomainError(_("Unknown field: %(value)s", value=unknown[0]), field=str(unknown[0]))
    b = body_services.find_body(str(data.pop("body", "") or ""))
    if b is None:
        raise DomainError(_("Name the issuing body (its code)."), field="body")
    c = certificate_services.create_certificate(current_user, b, **data)
    db.session.commit()
    return certificate_json(c), 201


@bp.get("/recognitions")
@api_doc(summary="Recognition agreements (``body``; paginated).", response=RecognitionPage)
def recognitions():
    stmt = select(Recognition).order_by(Recognition.id)
    if request.args.get("body"):
        b = body_services.find_body(request.args["body"])
        if b is None:
            raise DomainError(_("There is no registration body %(code)s.", code=request.args["body"]), field="body")
        stmt = stmt.where(or_(Recognition.recognising_body_id == b.id, Recognition.issuing_body_id == b.id))
    return paginated(stmt, recognition_json)


@bp.get("/recognition/check")
@api_doc(summary="Is a certificate recognised by a body (``body``) or in a city (``city``: name or area code) on "
                 "a day (``date``, today by default)? ``certificate`` is its number, ``issuer`` the issuing body "
                 "when two use the number.", response={"type": "object"}, auth=True)
def check():
    _require_member()
    return check_services.check_from_params(current_user, request.args).as_dict()


@bp.get("/data-spaces")
@api_doc(summary="Trusted data spaces (``kind``, ``status``; paginated) and the progress.", response=SpacePage)
def spaces():
    stmt = select(DataSpace).order_by(DataSpace.name)
    kind = choice_param("kind", SPACE_KINDS)
    status = choice_param("status", SPACE_STATUSES)
    if kind:
        stmt = stmt.where(DataSpace.kind == kind)
    if status:
        stmt = stmt.where(DataSpace.status == status)
    locale = _locale()
    result = paginated(stmt, lambda s: space_json(s, locale))
    result["progress"] = queries.data_space_progress()
    return result


@bp.get("/data-spaces/<int:space_id>")
@api_doc(summary="One data space, with the resource-map entries you may see.", response=SpaceDetailOut)
def space(space_id):
    s = space_services.get_space(space_id)
    resources = [{"id": r.id, "title": r.title, "url": url_for("catalog.detail", resource_id=r.id)}
                 for r in queries.resources_of_space(current_user, s.id)]
    return {**space_json(s), "resources": resources}
