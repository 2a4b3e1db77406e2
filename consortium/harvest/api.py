"""/api/v1/harvest-sources: a member's sources, the secretariat's decision, previews, runs
and their reports (session + CSRF, or a bearer token)."""
from flask import Blueprint, abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.api import parse_body
from consortium.core.clock import iso_utc
from consortium.core.exceptions import DomainError
from consortium.core.openapi import api_doc
from consortium.extensions import db
from consortium.jobs.models import Job
from consortium.jobs.web import job_json
from consortium.members.services import get_member_by_code

from . import permissions, services, tasks
from .constants import SOURCE_STATES
from .models import HarvestRun
from .schemas import Decision, PreviewRequest, RunList, RunOut, RunStarted, SourceCreate, SourceList, SourceOut, \
    SourceUpdate

bp = Blueprint("harvest_api", __name__, url_prefix="/api/v1/harvest-sources")


def source_json(s) -> dict:
    return {"id": s.id, "member": s.member.code, "kind": s.kind, "name": s.name, "url": s.url,
            "schedule": s.schedule, "state": s.state, "state_label": str(SOURCE_STATES[s.state]),
            "decision_comment": s.decision_comment, "decided_at": iso_utc(s.decided_at),
            "archive_after": s.archive_after, "make_public": s.make_public,
            "vocabulary_maps": s.vocabulary_maps or {}, "last_success_at": iso_utc(s.last_success_at),
            "page": url_for("harvest.source", source_id=s.id)}


def run_json(r) -> dict:
    return {"id": r.id, "state": r.state, "dry_run": r.dry_run, "trigger": r.trigger, "message": r.message,
            "records_seen": r.records_seen, **r.counts(), "records": list(r.details or []),
            "created_at": iso_utc(r.created_at), "started_at": iso_utc(r.started_at),
            "finished_at": iso_utc(r.finished_at), "job_id": r.job_id}


def _signed_in():
    if not is_signed_in(current_user):
        abort(401)


def _source(source_id):
    _signed_in()
    return services.get_source(current_user, source_id)


def _managed(source_id):
    source = _source(source_id)
    if not permissions.can_manage(current_user, source):
        abort(403)
    return source


@bp.get("")
@api_doc(summary="The harvest sources you may see: your member's (all for the secretariat).", response=SourceList,
         auth=True)
def index():
    _signed_in()
    return {"items": [source_json(s) for s in services.list_sources(current_user)]}


@bp.post("")
@api_doc(summary="Register a source for your member; it waits for the secretariat's approval.", body=SourceCreate,
         response=SourceOut, status=201)
def create():
    _signed_in()
    data = parse_body(SourceCreate)
    code = data.pop("member", None)
    member = current_user.member if code is None else get_member_by_code(code)
    if member is None:
        raise DomainError(_("Name the member the source belongs to."), field="member")
    if not permissions.can_propose_for(current_user, member):
        abort(403)
    maps = data.pop("vocabulary_maps", None)
    source = services.propose_source(current_user, member, **data)
    if maps:
        services.set_maps(current_user, source, maps)
    db.session.commit()
    return source_json(source), 201


@bp.get("/<int:source_id>")
@api_doc(summary="One source.", response=SourceOut, auth=True)
def detail(source_id):
    return source_json(_source(source_id))


@bp.patch("/<int:source_id>")
@api_doc(summary="Change a source (a new address or kind needs approval again) or its vocabulary maps.",
         body=SourceUpdate, response=SourceOut)
def update(source_id):
    source = _managed(source_id)
    data = parse_body(SourceUpdate)
    maps = data.pop("vocabulary_maps", None)
    services.update_source(current_user, source, **data)
    if maps is not None:
        services.set_maps(current_user, source, maps)
    db.session.commit()
    return source_json(source)


def _decide(source_id, approve: bool):
    source = _source(source_id)
    if not is_secretariat(current_user):
        abort(403)
    data = parse_body(Decision)
    services.decide_source(current_user, source, approve, data["comment"])
    db.session.commit()
    return source_json(source)


@bp.post("/<int:source_id>/approve")
@api_doc(summary="Approve a source (the secretariat).", body=Decision, response=SourceOut)
def approve(source_id):
    return _decide(source_id, True)


@bp.post("/<int:source_id>/refuse")
@api_doc(summary="Refuse a source with a comment (the secretariat).", body=Decision, response=SourceOut)
def refuse(source_id):
    return _decide(source_id, False)


def _start(source_id, dry_run: bool):
    source = _managed(source_id)
    limit = parse_body(PreviewRequest, data=request.get_json(silent=True) or {})["limit"] if dry_run else None
    run, job = tasks.start_run(current_user, source, dry_run=dry_run, limit=limit)
    run_id, job_id = run.id, job.id
    db.session.commit()  # the job is sent now (run at once by the tests' immediate engine)
    response = jsonify({"run": run_json(db.session.get(HarvestRun, run_id)), "job": job_json(db.session.get(Job, job_id))})
    response.status_code = 202
    response.headers["Location"] = url_for("harvest_api.runs", source_id=source.id)
    return response


@bp.post("/<int:source_id>/preview")
@api_doc(summary="A dry run over the first records: what a run would create, change, leave, archive, and every "
         "record that cannot be used and why. Writes no entry.", body=PreviewRequest, response=RunStarted,
         status=202, errors={503: "The job service is unreachable: nothing was started."})
def preview(source_id):
    return _start(source_id, True)


@bp.post("/<int:source_id>/run")
@api_doc(summary="Harvest an approved source now (no body): a job; follow it at /api/v1/jobs/<id>.", response=RunStarted,
         status=202, errors={503: "The job service is unreachable: nothing was started."})
def run(source_id):
    return _start(source_id, False)


@bp.get("/<int:source_id>/runs")
@api_doc(summary="The source's runs and previews, newest first, with their counts and reports.", response=RunList,
         auth=True)
def runs(source_id):
    source = _source(source_id)
    return {"items": [run_json(r) for r in services.list_runs(source)]}


@bp.get("/<int:source_id>/runs/<int:run_id>")
@api_doc(summary="One run with its report.", response=RunOut, auth=True)
def run_detail(source_id, run_id):
    source = _source(source_id)
    run = services.get_run(current_user, run_id)
    if run.source_id != source.id:
        abort(404)
    return run_json(run)
