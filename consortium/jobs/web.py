"""What the pages and the API of every domain share about jobs: the visitor's keys (kept in
the signed cookie session), a job as JSON, and how a started job is answered."""
from flask import redirect, session, url_for

from . import services
from .schemas import JobOut

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
    """A job as the API and the pages show it (``schemas.JobOut``)."""
    return JobOut().dump(job)


def started(job, api: bool):
    """The answer to a start: 202 with the job and its address (API), or the job's page (a browser)."""
    if api:
        return job, 202, {"Location": url_for("jobs_api.detail", job_id=job.id)}
    return redirect(url_for("jobs.detail", job_id=job.id), 303)
