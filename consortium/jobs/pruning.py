"""Pruning finished jobs: their expired files, their old rows and files no job names. Run by the
workers every ten minutes (``engine``) and by ``flask jobs prune``."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consortium.core.clock import utcnow
from consortium.extensions import db

from . import files
from .models import FINISHED, Job

KEEP_ROWS = timedelta(days=30)  # a finished job's row (without its file) stays listed this long


def prune_jobs(now=None) -> tuple[int, int]:
    """Removes the files of jobs past their expiry (the row stays, saying so), rows older than
    ``KEEP_ROWS``, and files no job names (left by a worker that stopped). Returns (files
    removed, rows deleted)."""
    now = now or utcnow()
    removed = 0
    for job in db.session.scalars(select(Job).where(Job.file_name.is_not(None), Job.expires_at <= now)):
        files.remove(job.file_name)
        job.file_name = None
        job.message = _("The file was removed after %(n)d hours.", n=int(files.keep().total_seconds() // 3600))
        removed += 1
    old = select(Job.id).where(Job.state.in_(FINISHED), Job.finished_at < now - KEEP_ROWS)
    for name in db.session.scalars(select(Job.file_name).where(Job.id.in_(old), Job.file_name.is_not(None))):
        files.remove(name)
    deleted = db.session.execute(delete(Job).where(Job.id.in_(old))).rowcount or 0
    db.session.commit()
    known = set(db.session.scalars(select(Job.file_name).where(Job.file_name.is_not(None))))
    for path in files.orphans(known):
        path.unlink(missing_ok=True)
        removed += 1
    return removed, deleted
