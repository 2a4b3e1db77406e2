"""/api/v1/resources: search with facets, one entry, and writes for the owning member's users
(session + CSRF, or a bearer token)."""
import logging

from flask import Blueprint, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.api import choice_param, paginated, parse_body
from consortium.core.entity import to_json
from consortium.core.exceptions import DomainError
from consortium.core.locking import UNCHECKED
from consortium.core.openapi import api_doc
from consortium.extensions import db
from consortium.members.services import get_member_by_code

from . import export_jobs, permissions, search, services
from .schemas import ResourceFields
from .schemas import ExportRequest, ResourceCreate, ResourceOut, ResourcePage, ResourceQuery, ResourceUpdate
from consortium.jobs.schemas import JobOut
from consortium.jobs.web import new_visitor_key, started

log = logging.getLogger(__name__)
bp = Blueprint("catalog_api", __name__, url_prefix="/api/v1/resources")


def resource_json(r, locale: str | None = None) -> dict:
    """An entry as the API shows it: every field of the definition (``schemas.ResourceFields``,
    vocabularies as code and label) plus its id, state, owner, city and page."""
    locale = locale or str(get_locale())
    return {
        "id": r.id, **to_json(ResourceFields, r, locale), "status": r.status, "version": r.version,
        "member": {"code": r.member.code, "name": r.member.display_name(locale)},
        "city": {"adcode": r.city.adcode, "name": r.city.display_name(locale),
                 "province": {"code": r.city.province.code, "name": r.city.province.display_name(locale)}},
        "url": url_for("catalog.detail", resource_id=r.id, _external=False),
    }


def _safe_json(r, locale):
    """One row that cannot be serialised is logged and left out, never a 500 for the page."""
    try:
        return resource_json(r, locale)
    except Exception:
        log.exception("resource %s could not be serialised", r.id)
        return None


@bp.get("")
@api_doc(summary="Search the resource map (facets included); status=archived: your member's archived entries.",
         query=ResourceQuery, response=ResourcePage, auth=True)
def index():
    if choice_param("status", ("active", "archived")) == "archived":
        _require_signed_in()
        locale = str(get_locale())
        return {**paginated(services.list_archived(current_user), lambda r: resource_json(r, locale)), "facets": {}}
    params = search.SearchParams.from_args(request.args)
    result = search.search(current_user, params)
    locale = str(get_locale())
    return {"items": [item for item in (_safe_json(r, locale) for r in result["items"]) if item is not None],
            "total": result["total"],
            "page": result["page"], "per_page": result["per_page"], "facets": result["facets"]}


@bp.get("/<int:resource_id>")
@api_doc(summary="One entry.", response=ResourceOut, auth=True)
def detail(resource_id):
    return resource_json(services.get_resource(current_user, resource_id))


def _require_signed_in():
    if not is_signed_in(current_user):
        abort(401)


def _member_for_create(data):
    code = data.pop("member", None)
    if code is None:
        if current_user.member is None:
            raise DomainError(_("Name the member that owns the entry."), field="member")
        return current_user.member
    member = get_member_by_code(str(code))
    if member is None:
        raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="member", value=code),
                          field="member")
    if not (is_secretariat(current_user) or member.id == current_user.member_id):
        abort(403)
    return member


@bp.post("")
@api_doc(summary="Add an entry for your member (the secretariat: for any member).", body=ResourceCreate,
         response=ResourceOut, status=201)
def create():
    _require_signed_in()
    data = parse_body(ResourceCreate)
    member = _member_for_create(data)
    resource = services.create_resource(current_user, member, **data)
    db.session.commit()
    return resource_json(resource), 201


@bp.patch("/<int:resource_id>")
@api_doc(summary="Change some fields of an entry.", body=ResourceUpdate, response=ResourceOut)
def update(resource_id):
    _require_signed_in()
    resource = services.get_resource(current_user, resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    data = parse_body(ResourceUpdate)
    # optional "version": when sent, a stale one answers 409 instead of overwriting
    services.update_resource(current_user, resource, expected_version=data.pop("version", UNCHECKED), **data)
    db.session.commit()
    return resource_json(resource)


@bp.delete("/<int:resource_id>")
@api_doc(summary="Retire an entry (it keeps its history).", response=ResourceOut)
def retire(resource_id):
    """Retires the entry (it keeps its history); it leaves the map."""
    _require_signed_in()
    resource = services.get_resource(current_user, resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    services.retire_resource(current_user, resource)
    db.session.commit()
    return resource_json(resource)


exports_bp = Blueprint("catalog_exports_api", __name__, url_prefix="/api/v1/exports")


@exports_bp.post("")
@api_doc(summary="Start an export of a search (CSV, XLSX) or of the public catalogue (DCAT-AP) as a job: "
         "answers 202 with the job; follow it at /api/v1/jobs/<id>.", body=ExportRequest, response=JobOut,
         status=202, auth=True, errors={503: "The job service is unreachable or no worker runs: nothing was started."})
def start_export():
    body = parse_body(ExportRequest)
    fmt = body.pop("format")
    args = MultiDict({k: str(v) for k, v in body.items() if k not in ("page", "per_page")})
    key = None if is_signed_in(current_user) else new_visitor_key()
    job = export_jobs.start_export(current_user, fmt, args, str(get_locale()), visitor_key=key)
    db.session.commit()
    return started(job, api=True)
