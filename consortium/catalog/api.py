"""/api/v1/resources: search with facets, one entry, and writes for the owning member's users
(session + CSRF, or a bearer token)."""
from flask import abort
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from consortium.auth.api import signed_in
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.api import Blueprint, Error, first, paginate
from consortium.core.exceptions import DomainError
from consortium.core.locking import UNCHECKED
from consortium.extensions import db
from consortium.jobs.schemas import JobOut
from consortium.jobs.web import new_visitor_key, started
from consortium.members.services import get_member_by_code

from . import export_jobs, extras, permissions, search, services
from .schemas import ExportRequest, ResourceCreate, ResourceOut, ResourcePage, ResourceQuery, ResourceUpdate

bp = Blueprint("catalog_api", __name__, url_prefix="/api/v1/resources", description="The joint resource map.")
SEARCH_QUERY = ResourceQuery()
EXPORT_REQUEST = ExportRequest()


def describe_extra_filters(app) -> None:
    """The search filters domains above the catalog add (``signals.extra_filters``), read and described."""
    for name, extra in sorted(extras.filters().items()):
        SEARCH_QUERY.add_filter(name, extra.description)
        EXPORT_REQUEST.add_filter(name, extra.description)


@bp.route("")
@bp.arguments(SEARCH_QUERY, location="query")
@bp.response(200, ResourcePage)
def index(query):
    """Search the resource map (facets included; paginated); ``status=archived``: your member's
    archived entries (all members' for the secretariat), without facets."""
    if query.pop("status", None) == "archived":
        if not is_signed_in(current_user):
            abort(401)
        return {**paginate(services.list_archived(current_user), query), "facets": {}}
    extra = {name: query[name] for name in extras.filters() if name in query}
    return search.search(current_user, search.SearchParams.from_args({**query, **extra}))


@bp.route("/<int:resource_id>")
@bp.response(200, ResourceOut)
def detail(resource_id):
    """One entry."""
    return services.get_resource(current_user, resource_id)


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


def editable(resource_id) -> dict:
    """A ``core.api.first`` check: signed in (401), the entry visible (404) and editable (403)."""
    signed_in()
    resource = services.get_resource(current_user, resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    return {"resource": resource}


@bp.route("", methods=["POST"])
@first(signed_in)
@bp.arguments(ResourceCreate)
@bp.response(201, ResourceOut)
def create(body):
    """Add an entry for your member (the secretariat: for any member)."""
    member = _member_for_create(body)
    resource = services.create_resource(current_user, member, **body)
    db.session.commit()
    return resource


@bp.route("/<int:resource_id>", methods=["PATCH"])
@first(editable)
@bp.arguments(ResourceUpdate)
@bp.response(200, ResourceOut)
def update(body, resource):
    """Change some fields of an entry (send ``version``: a stale one answers 409)."""
    services.update_resource(current_user, resource, expected_version=body.pop("version", UNCHECKED), **body)
    db.session.commit()
    return resource


@bp.route("/<int:resource_id>", methods=["DELETE"])
@first(editable)
@bp.response(200, ResourceOut)
def retire(resource):
    """Retire an entry (it keeps its history; it leaves the map)."""
    services.retire_resource(current_user, resource)
    db.session.commit()
    return resource


exports_bp = Blueprint("catalog_exports_api", __name__, url_prefix="/api/v1/exports",
                       description="Exports of the resource map, made by a job.")


@exports_bp.route("", methods=["POST"])
@exports_bp.arguments(EXPORT_REQUEST)
@exports_bp.response(202, JobOut, headers={"Location": {"description": "The job's address in the API.",
                                                        "schema": {"type": "string"}}})
@exports_bp.alt_response(503, schema=Error, description="The job service is unreachable or no worker runs: "
                                                        "nothing was started.")
def start_export(body):
    """Start an export of a search (CSV, XLSX) or of the public catalogue (DCAT-AP) as a job:
    answers 202 with the job; follow it at /api/v1/jobs/<id>."""
    fmt = body.pop("format")
    args = MultiDict({k: str(v) for k, v in body.items() if k not in ("page", "per_page")})
    key = None if is_signed_in(current_user) else new_visitor_key()
    job = export_jobs.start_export(current_user, fmt, args, str(get_locale()), visitor_key=key)
    db.session.commit()
    return started(job, api=True)
