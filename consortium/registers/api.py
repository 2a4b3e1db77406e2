"""/api/v1: registration bodies, certificates (members and the secretariat only),
recognition agreements, the recognition check and trusted data spaces."""
from flask import Blueprint, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS
from consortium.catalog.constants import label as catalog_label
from consortium.core.api import choice_param, paginated
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import permissions, queries, services
from .constants import CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES, label
from .models import Certificate, DataSpace, Recognition, RegistrationBody

bp = Blueprint("registers_api", __name__, url_prefix="/api/v1")


def _locale():
    return str(get_locale())


def _d(value):
    return value.isoformat() if value else None


def body_json(b, locale=None) -> dict:
    locale = locale or _locale()
    return {"code": b.code, "name": b.display_name(locale), "name_zh": b.name,
            "city": {"adcode": b.city.adcode, "name": b.city.display_name(locale)},
            "operator": {"code": b.member.code, "name": b.member.display_name(locale)} if b.member else None,
            "register_url": b.register_url, "is_example": b.is_example,
            "url": url_for("registers.body", code=b.code)}


def certificate_json(c, locale=None) -> dict:
    locale = locale or _locale()
    return {"id": c.id, "number": c.number, "issuer": c.body.code, "holder_name": c.holder_name,
            "holder_uscc": c.holder_uscc, "product_name": c.product_name, "issued_on": _d(c.issued_on),
            "valid_until": _d(c.valid_until),
            "status": {"code": c.status, "label": label(CERTIFICATE_STATUSES, c.status, locale)},
            "status_changed_on": _d(c.status_changed_on), "status_reason": c.status_reason,
            "url": url_for("registers.certificate", certificate_id=c.id)}


def recognition_json(r) -> dict:
    return {"id": r.id, "recognising_body": r.recognising_body.code, "issuing_body": r.issuing_body.code,
            "mutual": r.mutual, "effective_from": _d(r.effective_from), "document_ref": r.document_ref,
            "state": services.current_state(r), "revoked_on": _d(r.revoked_on), "revoke_reason": r.revoke_reason,
            "history": [{"date": _d(e["on"]), "event": e["kind"], "text": e["text"]} for e in services.history(r)],
            "url": url_for("registers.recognition", recognition_id=r.id)}


def space_json(s, locale=None) -> dict:
    locale = locale or _locale()
    return {"id": s.id, "name": s.display_name(locale), "name_zh": s.name,
            "kind": {"code": s.kind, "label": label(SPACE_KINDS, s.kind, locale)},
            "operator": {"code": s.operator.code, "name": s.operator.display_name(locale)} if s.operator else None,
            "city": {"adcode": s.city.adcode, "name": s.city.display_name(locale)} if s.city else None,
            "domains": [{"code": d, "label": catalog_label(DOMAINS, d, locale)} for d in s.domain_list],
            "circulation_modes": [{"code": m, "label": catalog_label(CIRCULATION_MODES, m, locale)}
                                  for m in s.circulation_modes],
            "status": {"code": s.status, "label": label(SPACE_STATUSES, s.status, locale)},
            "launched_on": _d(s.launched_on), "is_example": s.is_example,
            "url": url_for("registers.space", space_id=s.id)}


def _require_member():
    if not permissions.can_view_certificates(current_user):
        abort(401)


@bp.get("/registration-bodies")
def bodies():
    locale = _locale()
    return paginated(select(RegistrationBody).order_by(RegistrationBody.name), lambda b: body_json(b, locale))


@bp.get("/certificates")
def certificates():
    _require_member()
    stmt = select(Certificate).order_by(Certificate.id)
    if request.args.get("body"):
        b = services.find_body(request.args["body"])
        if b is None:
            raise DomainError(_("There is no registration body %(code)s.", code=request.args["body"]), field="body")
        stmt = stmt.where(Certificate.body_id == b.id)
    if request.args.get("number"):
        stmt = stmt.where(Certificate.number == request.args["number"].strip())
    if request.args.get("holder_uscc"):
        stmt = stmt.where(Certificate.holder_uscc == services.normalise_uscc(request.args["holder_uscc"]))
    status = choice_param("status", CERTIFICATE_STATUSES)
    if status:
        stmt = stmt.where(Certificate.status == status)
    locale = _locale()
    return paginated(stmt, lambda c: certificate_json(c, locale))


@bp.get("/certificates/<int:certificate_id>")
def certificate(certificate_id):
    _require_member()
    return certificate_json(services.get_certificate(current_user, certificate_id))


@bp.post("/certificates")
def create_certificate():
    _require_member()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Send a JSON object."), field="body")
    allowed = {"body", "number", "holder_name", "holder_uscc", "product_name", "issued_on", "valid_until", "status",
               "status_changed_on", "status_reason"}
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise DomainError(_("Unknown field: %(value)s", value=unknown[0]), field=str(unknown[0]))
    b = services.find_body(str(data.pop("body", "") or ""))
    if b is None:
        raise DomainError(_("Name the issuing body (its code)."), field="body")
    c = services.create_certificate(current_user, b, **data)
    db.session.commit()
    return certificate_json(c), 201


@bp.get("/recognitions")
def recognitions():
    stmt = select(Recognition).order_by(Recognition.id)
    if request.args.get("body"):
        b = services.find_body(request.args["body"])
        if b is None:
            raise DomainError(_("There is no registration body %(code)s.", code=request.args["body"]), field="body")
        stmt = stmt.where(or_(Recognition.recognising_body_id == b.id, Recognition.issuing_body_id == b.id))
    return paginated(stmt, recognition_json)


@bp.get("/recognition/check")
def check():
    _require_member()
    return services.check_from_params(current_user, request.args).as_dict()


@bp.get("/data-spaces")
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
def space(space_id):
    s = services.get_space(space_id)
    out = space_json(s)
    out["resources"] = [{"id": r.id, "title": r.title, "url": url_for("catalog.detail", resource_id=r.id)}
                        for r in queries.resources_of_space(current_user, s.id)]
    return out
