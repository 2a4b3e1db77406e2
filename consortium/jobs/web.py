"""What the pages and the API of every domain share about jobs: the visitor's keys (kept in
the signed cookie session), a job as JSON, and how a started job is answered."""
from flask import jsonify, redirect, session, url_for

from consortium.core.clock import iso_utc

from . import services
from .labels import state_label
from .models import DONE

SESSION_KEY = "job_keys"
KEPT_KEYS = 10


def visitor_keys() -> list[str]:
    return list(session.get(SESSION_KEY, []))


def new_visitor_key() -> str:
    """A key for a visitor's new job, remembered in their cookie (the last ``KEPT_KEYS``)."""
    raw, _hash = services.new_visitor_key()
    session[SESSION_KEY] = (visitor_keys() + [raw])[-KEPT_KEYS:]
    return raw


def job_json(job) -> dict:
    ready = job.state == DONE and job.file_name
    return {
        "id": job.id, "kind": job.kind, "title": job.title, "state": job.state, "state_label": state_label(job.state),
        "percent": job.percent, "rows": job.rows, "message": job.message,
        "created_at": iso_utc(job.created_at), "started_at": iso_utc(job.started_at),
        "finished_at": iso_utc(job.finished_at), "expires_at": iso_utc(job.expires_at),
        "url": url_for("jobs.detail", job_id=job.id), "api_url": url_for("jobs_api.detail", job_id=job.id),
        "cancel_url": None if job.finished else url_for("jobs_api.cancel", job_id=job.id),
        "file": {"url": url_for("jobs_api.file", job_id=job.id), "name": job.download_name,
                 "size": job.file_size, "content_type": job.content_type} if ready else None,
    }


def started(job, api: bool):
    """The answer to a start: 202 with the job (API), or the job's page (a browser)."""
    if api:
        response = jsonify(job_json(job))
        response.status_code = 202
        response.headers["Location"] = url_for("jobs_api.detail", job_id=job.id)
        return response
    return redirect(url_for("jobs.detail", job_id=job.id), 303)
