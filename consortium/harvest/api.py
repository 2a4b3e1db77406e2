"""/api/v1/harvest-sources: a member's sources, the secretariat's decision, previews, runs
and their reports (session + CSRF, or a bearer token). Every view declares what it reads and
answers (``core.api``); who may call is checked first."""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.api import signed_in
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.api import Blueprint, Error, first
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.jobs.models import Job
from consortium.members.services import get_member_by_code

from . import permissions, services, tasks
from .models import HarvestRun
from .schemas import (Decision, PreviewRequest, RunList, RunOut, RunStarted, SourceCreate, SourceList,
                      SourceOut, SourceUpdate)

bp = Blueprint("harvest_api", __name__, url_prefix="/api/v1/harvest-sources",
               description="Harvest sources: members' own catalogues fed into the resource map.")
JOB_SERVICE_DOWN = "The job service is unreachable: nothing was started."


def visible_source(source_id) -> dict:
    """A ``core.api.first`` check: a signed-in caller (401) who may see the source (404)."""
    if not is_signed_in(current_user):
        abort(401)
    return {"source": services.get_source(current_user, source_id)}


def managed_source(source_id) -> dict:
    """The source, for a caller who may change and run it (403 otherwise)."""
    found = visible_source(source_id)
    if not permissions.can_manage(current_user, found["source"]):
        abort(403)
    return found


def decided_source(source_id) -> dict:
    """The source, for the secretariat, who approves and refuses (403 otherwise)."""
    found = visible_source(source_id)
    if not is_secretariat(current_user):
        abort(403)
    return found


@bp.route("")
@first(signed_in)
@bp.response(200, SourceList)
def index():
    """The harvest sources you may see: your member's (all for the secretariat)."""
    return {"items": services.list_sources(current_user)}


@bp.route("", methods=["POST"])
@first(signed_in)
@bp.arguments(SourceCreate)
@bp.response(201, SourceOut)
def create(body):
    """Register a source for your member; it waits for the secretariat's approval."""
    code = body.pop("member", None)
    member = current_user.member if code is None else get_member_by_code(code)
    if member is None:
        raise DomainError(_("Name the member the source belongs to."), field="member")
    if not permissions.can_propose_for(current_user, member):
        abort(403)
    maps = body.pop("vocabulary_maps", None)
    source = services.propose_source(current_user, member, **body)
    if maps:
        services.set_maps(current_user, source, maps)
    db.session.commit()
    return source


@bp.route("/<int:source_id>")
@first(visible_source)
@bp.response(200, SourceOut)
def detail(source):
    """One source."""
    return source


@bp.route("/<int:source_id>", methods=["PATCH"])
@first(managed_source)
@bp.arguments(SourceUpdate)
@bp.response(200, SourceOut)
def update(body, source):
    """Change a source (a new address or kind needs approval again) or its vocabulary maps."""
    maps = body.pop("vocabulary_maps", None)
    services.update_source(current_user, source, **body)
    if maps is not None:
        services.set_maps(current_user, source, maps)
    db.session.commit()
    return source


def _decide(source, approve: bool, comment: str):
    services.decide_source(current_user, source, approve, comment)
    db.session.commit()
    return source


@bp.route("/<int:source_id>/approve", methods=["POST"])
@first(decided_source)
@bp.arguments(Decision)
@bp.response(200, SourceOut)
def approve(body, source):
    """Approve a source (the secretariat)."""
    return _decide(source, True, body["comment"])


@bp.route("/<int:source_id>/refuse", methods=["POST"])
@first(decided_source)
@bp.arguments(Decision)
@bp.response(200, SourceOut)
def refuse(body, source):
    """Refuse a source with a comment, shown to the member (the secretariat)."""
    return _decide(source, False, body["comment"])


def _start(source, dry_run: bool, limit: int | None):
    run, job = tasks.start_run(current_user, source, dry_run=dry_run, limit=limit)
    run_id, job_id = run.id, job.id
    db.session.commit()  # the job is sent now (run at once by the tests' immediate engine)
    answer = {"run": db.session.get(HarvestRun, run_id), "job": db.session.get(Job, job_id)}
    return answer, 202, {"Location": url_for("harvest_api.runs", source_id=source.id)}


RUNS_LOCATION = {"Location": {"description": "The source's runs in the API.", "schema": {"type": "string"}}}


@bp.route("/<int:source_id>/preview", methods=["POST"])
@first(managed_source)
@bp.arguments(PreviewRequest)
@bp.response(202, RunStarted, headers=RUNS_LOCATION)
@bp.alt_response(503, schema=Error, description=JOB_SERVICE_DOWN)
def preview(body, source):
    """A dry run over the first records: what a run would create, change, leave, archive, and
    every record that cannot be used and why. Writes no entry."""
    return _start(source, True, body["limit"])


@bp.route("/<int:source_id>/run", methods=["POST"])
@first(managed_source)
@bp.response(202, RunStarted, headers=RUNS_LOCATION)
@bp.alt_response(503, schema=Error, description=JOB_SERVICE_DOWN)
def run(source):
    """Harvest an approved source now (no body, or ``{}``): a job; follow it at /api/v1/jobs/<id>."""
    if request.get_data(cache=True).strip() not in (b"", b"{}"):  # a mistaken call starts nothing
        raise DomainError(_("This act reads no body: send nothing, or {}."), field="body")
    return _start(source, False, None)


@bp.route("/<int:source_id>/runs")
@first(visible_source)
@bp.response(200, RunList)
def runs(source):
    """The source's last 50 runs and previews, newest first, with their counts and reports."""
    return {"items": services.list_runs(source)}


@bp.route("/<int:source_id>/runs/<int:run_id>")
@first(visible_source)
@bp.response(200, RunOut)
def run_detail(source, run_id):
    """One run with its report."""
    found = services.get_run(current_user, run_id)
    if found.source_id != source.id:
        abort(404)
    return found
