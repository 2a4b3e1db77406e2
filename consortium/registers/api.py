"""/api/v1: registration bodies, certificates (members and the secretariat only),
recognition agreements, the recognition check and trusted data spaces."""
from flask import abort
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from consortium.core.api import Blueprint, PageQuery, answer_context, first, paginate
from consortium.core.entity import described
from consortium.core.exceptions import DomainError
from consortium.core.uscc import normalise_uscc
from consortium.extensions import db

from . import permissions, queries
from .models import Certificate, DataSpace, Recognition, RegistrationBody
from .schemas import (BodyPage, CertificateCreate, CertificateDetailOut, CertificateFields, CertificateOut,
                      CertificatePage, CertificateQuery, CheckOut, CheckQuery, RecognitionPage, RecognitionQuery,
                      SpaceDetailOut, SpacePage, SpaceQuery, VerificationOut, VerifyQuery)
from .services import bodies as body_services
from .services import certificates as certificate_services
from .services import check as check_services
from .services import recognitions as recognition_services
from .services import spaces as space_services
from .services.common import today
from .views.verify import visitor_limit

bp = Blueprint("registers_api", __name__, url_prefix="/api/v1",
               description="Registration bodies, certificates, recognition agreements and trusted data spaces.")


def members_only(**kwargs) -> dict:
    """A ``core.api.first`` check: certificates are for members and the secretariat (401)."""
    if not permissions.can_view_certificates(current_user):
        abort(401)
    return kwargs


def _body_named(code):
    b = body_services.find_body(code)
    if b is None:
        raise DomainError(_("There is no registration body %(code)s.", code=code), field="body")
    return b


@bp.route("/registration-bodies")
@bp.arguments(PageQuery, location="query")
@bp.response(200, BodyPage)
def bodies(query):
    """Registration bodies (paginated)."""
    return paginate(select(RegistrationBody).order_by(RegistrationBody.name), query)


def _states_on(on) -> None:
    """The certificates of the answer are judged on ``on`` (``schemas._state``)."""
    answer_context()["certificate_state"] = lambda c: certificate_services.certificate_state(c, on)


@bp.route("/certificates")
@first(members_only)
@bp.arguments(CertificateQuery, location="query")
@bp.response(200, CertificatePage)
def certificates(query):
    """Certificates (``body``, ``number`` — any case or width —, ``holder_uscc``, ``status`` as
    recorded, ``state`` today; paginated)."""
    stmt = select(Certificate).order_by(Certificate.id)
    if query.get("body"):
        stmt = stmt.where(Certificate.body_id == _body_named(query["body"]).id)
    if query.get("number"):
        stmt = stmt.where(Certificate.number_key == certificate_services.number_key(query["number"]))
    if query.get("holder_uscc"):
        stmt = stmt.where(Certificate.holder_uscc == normalise_uscc(query["holder_uscc"]))
    if query.get("status"):
        stmt = stmt.where(Certificate.status == query["status"])
    on = today()
    if query.get("state"):
        stmt = stmt.where(certificate_services.state_clause(query["state"], on))
    _states_on(on)
    return paginate(stmt, query)


@bp.route("/certificates/<int:certificate_id>")
@first(members_only)
@bp.response(200, CertificateDetailOut)
def certificate(certificate_id):
    """One certificate, with every body that recognises it today and why."""
    c = certificate_services.get_certificate(current_user, certificate_id)
    on, locale = today(), str(get_locale())
    _states_on(on)
    answer_context()["recognised_by"] = [r.as_dict(locale) for r in check_services.recognised_by(c, on, locale)]
    return c


@bp.route("/certificates/verify")
@visitor_limit()
@bp.doc(security=[])  # open to anyone, without a token (a visitor's calls are rate-limited)
@bp.arguments(VerifyQuery, location="query")
@bp.response(200, VerificationOut)
def verify(query):
    """Verify a certificate by its number (open to visitors): its state today and the bodies that
    recognise it."""
    locale = str(get_locale())
    return check_services.verify_certificate(query["number"], query.get("credit_code") or None, locale).as_dict(locale)


@bp.route("/certificates", methods=["POST"])
@first(members_only)
@bp.arguments(CertificateCreate)
@bp.response(201, CertificateOut)
def create_certificate(body):
    """Record a certificate."""
    b = body_services.find_body(body.pop("body"))
    if b is None:
        raise DomainError(_("Name the issuing body (its code)."), field="body")
    c = certificate_services.create_certificate(current_user, b, **{k: body[k] for k in described(CertificateFields)
                                                                    if k in body})
    db.session.commit()
    _states_on(today())
    return c


@bp.route("/recognitions")
@bp.arguments(RecognitionQuery, location="query")
@bp.response(200, RecognitionPage)
def recognitions(query):
    """Recognition agreements (``body``: those it is party to; paginated)."""
    stmt = select(Recognition).order_by(Recognition.id)
    if query.get("body"):
        b = _body_named(query["body"])
        stmt = stmt.where(or_(Recognition.recognising_body_id == b.id, Recognition.issuing_body_id == b.id))
    answer_context().update(state=recognition_services.current_state, history=recognition_services.history)
    return paginate(stmt, query)


@bp.route("/recognition/check")
@first(members_only)
@bp.arguments(CheckQuery, location="query")
@bp.response(200, CheckOut)
def check(query):
    """Is a certificate recognised by a body (``body``) or in a city (``city``: name or area code)
    on a day (``date``, today by default)? ``certificate`` is its number, ``issuer`` the issuing
    body when two use the number."""
    return check_services.check_from_params(current_user, query).as_dict()


@bp.route("/data-spaces")
@bp.arguments(SpaceQuery, location="query")
@bp.response(200, SpacePage)
def spaces(query):
    """Trusted data spaces (``kind``, ``status``; paginated) and the progress."""
    stmt = select(DataSpace).order_by(DataSpace.name)
    if query.get("kind"):
        stmt = stmt.where(DataSpace.kind == query["kind"])
    if query.get("status"):
        stmt = stmt.where(DataSpace.status == query["status"])
    return {**paginate(stmt, query), "progress": queries.data_space_progress()}


@bp.route("/data-spaces/<int:space_id>")
@bp.response(200, SpaceDetailOut)
def space(space_id):
    """One data space, with the resource-map entries you may see."""
    s = space_services.get_space(space_id)
    answer_context()["resources"] = queries.resources_of_space(current_user, s.id)
    return s
