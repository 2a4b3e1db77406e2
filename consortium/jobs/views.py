"""A job's page (progress bar; reloads itself without JavaScript), its file, cancelling it,
and the list of one's recent jobs."""
from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import services
from .web import job_json, visitor_keys

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("/")
def index():
    jobs = services.recent_jobs(current_user, limit=50, visitor_keys=visitor_keys())
    return render_template("jobs/index.html", jobs=[(job_json(j), j) for j in jobs])


@bp.get("/<int:job_id>")
def detail(job_id):
    job = services.get_job(current_user, job_id, visitor_keys())
    return render_template("jobs/detail.html", job=job_json(job), row=job)


@bp.get("/<int:job_id>/file")
def file(job_id):
    job = services.get_job(current_user, job_id, visitor_keys())
    path = services.file_path(job)
    return send_file(path, mimetype=job.content_type, as_attachment=True, download_name=job.download_name,
                     max_age=0, conditional=False)


@bp.post("/<int:job_id>/cancel")
def cancel(job_id):
    try:
        services.cancel_job(current_user, job_id, visitor_keys())
        db.session.commit()
        flash(_("The job was cancelled."), "info")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "warning")
    return redirect(url_for(".detail", job_id=job_id))
