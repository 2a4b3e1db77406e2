"""Harvest runs as work of the job engine: a run someone starts is a job they follow on its
page (progress, retries); scheduled runs are background tasks queued by a periodic check of
the sources that are due, and reports past their keeping time are pruned daily."""
from flask_babel import get_locale
from flask_babel import gettext as _

from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.jobs import JobRun, background_task, job_task, periodic_task, start_job

from . import services
from .constants import DONE, FAILED
from .models import HarvestRun


def run_summary(result: HarvestRun) -> str | None:
    """A finished run in one line, in the current language (its counts, or why it failed)."""
    if result.state == FAILED:
        return _("The run failed: %(reason)s", reason=result.reason)
    if result.state == DONE:
        return _("%(created)d new, %(changed)d changed, %(unchanged)d unchanged, %(archived)d archived, "
                 "%(restored)d restored, %(failed)d failed.", **result.counts())
    return None


def job_summary(job) -> str | None:
    """The job's line on its page, in its reader's language, from its run (None once the run's report
    was pruned: the line stored when it finished is shown)."""
    result = db.session.get(HarvestRun, (job.params or {}).get("run_id") or 0)
    return run_summary(result) if result is not None and result.job_id == job.id else None


@job_task("harvest.run", retries=2, retry_delay=60, summary=job_summary)
def run_job(run: JobRun):
    """A run started by a person (page, API, preview)."""
    def progress(records):
        run.progress(records, None, rows=records)
    result = services.execute_run(run.params["run_id"], progress)
    said = run_summary(result)
    if said:
        run.done_message(said)  # in the starter's language: shown only if the run's report is gone
    run.rows_written(result.records_seen)


def start_run(actor, source, *, dry_run: bool = False, limit: int | None = None):
    """(the run, its job): queued now, done by a worker once the caller commits."""
    harvest_run = services.new_run(actor, source, dry_run=dry_run, limit=limit)
    title = (_("Preview of the source %(name)s", name=source.name) if dry_run
             else _("Harvest of the source %(name)s", name=source.name))
    job = start_job(actor, "harvest.run", {"run_id": harvest_run.id, "locale": str(get_locale())}, title=title)
    harvest_run.job_id = job.id
    db.session.flush()
    return harvest_run, job


@background_task("harvest.scheduled_run", retries=2, retry_delay=300)
def scheduled_run(run_id: int):
    services.execute_run(run_id)


@periodic_task("harvest.due", minute="*/15")
def queue_due_sources() -> int:
    """Every quarter of an hour: the runs that lost their worker are failed (so that they block
    no source), then a run is queued for every approved source whose period has passed."""
    services.recover_stuck_runs()
    queued = []
    for source in services.due_sources():
        try:
            queued.append(services.new_run(None, source, trigger="schedule").id)
        except DomainError:  # already queued or running: the next check sees it again
            continue
    db.session.commit()
    for run_id in queued:
        scheduled_run.send(run_id)
    return len(queued)


@periodic_task("harvest.prune", hour="19", minute="20")  # 03:20 in Beijing
def prune_reports() -> int:
    removed = services.prune_runs()
    db.session.commit()
    return removed
