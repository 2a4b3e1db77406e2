"""Starting, reading, cancelling and pruning jobs. A job belongs to the user who started it
(or to a visitor, by a random key kept in the visitor's cookie): nobody else reads it, its
progress or its file (``permissions.can_view``)."""
import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.clock import utcnow
from consortium.core.exceptions import DomainError, NotFound
from consortium.extensions import db

from . import engine, files
from .models import CANCELLED, DONE, QUEUED, Job
from .permissions import can_view

RECENT = 10


def new_visitor_key() -> tuple[str, str]:
    """(raw key for the visitor's cookie, its hash for the row)."""
    raw = secrets.token_urlsafe(24)
    return raw, visitor_key_hash(raw)


def visitor_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start_job(actor, kind: str, params: dict, *, title: str = "", visitor_key: str | None = None) -> Job:
    """A queued job of ``kind`` for ``actor`` (a signed-in user), or for a visitor holding
    ``visitor_key``; flushed, and sent to the workers when the caller commits. Raises
    ``engine.EngineUnavailable`` (503) when no worker could run it."""
    if kind not in engine.KINDS:
        raise DomainError(_("Unknown kind of job."))
    owner_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None
    if owner_id is None and not visitor_key:
        raise DomainError(_("A job belongs to a user or to a visitor's key."))
    engine.require_available()
    job = Job(owner_id=owner_id, visitor_key_hash=None if owner_id else visitor_key_hash(visitor_key),
              kind=kind, params=params, title=title[:200], state=QUEUED, created_at=utcnow())
    db.session.add(job)
    db.session.flush()
    engine.send_on_commit(job)
    return job


def job_states(job_ids) -> dict[int, str]:
    """{job id: its state} of the jobs that still exist among ``job_ids`` (for domains that keep
    their own record of work a job carries, to see whether the job ended without it)."""
    ids = [i for i in set(job_ids) if i is not None]
    if not ids:
        return {}
    return dict(db.session.execute(select(Job.id, Job.state).where(Job.id.in_(ids))).all())


def get_job(actor, job_id: int, visitor_keys=()) -> Job:
    """The job if ``actor`` (or the visitor holding one of ``visitor_keys``) may see it; else
    NotFound, the same answer as for a job that does not exist."""
    job = db.session.get(Job, job_id)
    if job is None or not can_view(actor, job, [visitor_key_hash(k) for k in visitor_keys]):
        raise NotFound(_("No such job."))
    return job


def cancel_job(actor, job_id: int, visitor_keys=()) -> Job:
    """A queued job is cancelled at once; a running one stops at its next progress report."""
    job = get_job(actor, job_id, visitor_keys)
    if job.finished:
        raise DomainError(_("This job has already finished."))
    if job.state == QUEUED:
        job.state, job.finished_at, job.message = CANCELLED, utcnow(), _("Cancelled.")
    job.cancel_requested = True
    db.session.flush()
    return job


def recent_jobs(actor, limit: int = RECENT, visitor_keys=()) -> list[Job]:
    if getattr(actor, "is_authenticated", False):
        where = Job.owner_id == actor.id
    elif visitor_keys:
        where = Job.visitor_key_hash.in_([visitor_key_hash(k) for k in visitor_keys])
    else:
        return []
    return db.session.scalars(select(Job).where(where).order_by(Job.id.desc()).limit(limit)).all()


def file_path(job: Job):
    """The finished file of a job the caller has already been allowed to see, or NotFound."""
    if job.state != DONE or not job.file_name:
        raise NotFound(_("This job has no file (any more)."))
    path = files.path_of(job.file_name)
    if not path.is_file():
        raise NotFound(_("This job has no file (any more)."))
    return path
