"""/api/v1/jobs: one's recent jobs, a job's state and progress, its file, cancelling it. A job is
its starter's (a user, or a visitor by the key in their cookie): anyone else gets 404."""
from flask import send_file
from flask_login import current_user

from consortium.core.api import Blueprint, first
from consortium.extensions import db

from . import services
from .schemas import JobList, JobOut
from .web import visitor_keys

bp = Blueprint("jobs_api", __name__, url_prefix="/api/v1/jobs",
               description="Jobs: exports and imports done by workers, with their progress and file.")


def own_job(job_id) -> dict:
    """A ``core.api.first`` check: the caller's own job (404 otherwise)."""
    return {"job": services.get_job(current_user, job_id, visitor_keys())}


@bp.route("")
@bp.response(200, JobList)
def index():
    """Your recent jobs (newest first)."""
    return {"items": services.recent_jobs(current_user, visitor_keys=visitor_keys())}


@bp.route("/<int:job_id>")
@first(own_job)
@bp.response(200, JobOut)
def detail(job):
    """A job: state, percent done, rows written, and its file's link when ready."""
    return job


@bp.route("/<int:job_id>/file")
@first(own_job)
@bp.response(200, {"type": "string", "format": "binary"}, content_type="*/*",
             description="The file, of the type its job writes (an export: text/csv, XLSX, text/turtle or "
                         "application/ld+json; file.content_type says which).")
def file(job):
    """The job's file (while kept; see expires_at)."""
    return send_file(services.file_path(job), mimetype=job.content_type, as_attachment=True,
                     download_name=job.download_name, max_age=0, conditional=False)


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@first(own_job)
@bp.response(200, JobOut)
def cancel(job):
    """Cancel a job that has not finished (a running one stops at its next step); no body."""
    job = services.cancel_job(current_user, job.id, visitor_keys())
    db.session.commit()
    return job
