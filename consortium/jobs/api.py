"""/api/v1/jobs: one's recent jobs, a job's state and progress, its file, cancelling it."""
from flask import Blueprint, send_file
from flask_login import current_user

from consortium.core.openapi import api_doc
from consortium.extensions import db

from . import services
from .schemas import JobList, JobOut
from .web import job_json, visitor_keys

bp = Blueprint("jobs_api", __name__, url_prefix="/api/v1/jobs")


@bp.get("")
@api_doc(summary="Your recent jobs (newest first).", response=JobList, auth=True)
def index():
    return {"items": [job_json(j) for j in services.recent_jobs(current_user, visitor_keys=visitor_keys())]}


@bp.get("/<int:job_id>")
@api_doc(summary="A job: state, percent done, rows written, and its file's link when ready.", response=JobOut,
         auth=True)
def detail(job_id):
    return job_json(services.get_job(current_user, job_id, visitor_keys()))


@bp.get("/<int:job_id>/file")
@api_doc(summary="The job's file (while kept; see expires_at), of the type its job writes (an export: text/csv, "
         "XLSX, text/turtle or application/ld+json; file.content_type says which).",
         response={"type": "string", "format": "binary"}, media=("*/*",), auth=True)
def file(job_id):
    job = services.get_job(current_user, job_id, visitor_keys())
    return send_file(services.file_path(job), mimetype=job.content_type, as_attachment=True,
                     download_name=job.download_name, max_age=0, conditional=False)


@bp.post("/<int:job_id>/cancel")
@api_doc(summary="Cancel a job that has not finished (a running one stops at its next step); no body.",
         response=JobOut,
         auth=True)
def cancel(job_id):
    job = services.cancel_job(current_user, job_id, visitor_keys())
    db.session.commit()
    return job_json(job)
