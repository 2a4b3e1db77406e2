"""Jobs: work longer than about a second (whole-map exports, large imports, the DCAT
catalogue, e-mails) done by worker processes with progress people can see. The seam for
domains is small — see docs/jobs.md:

- ``job_task(kind, retries=…)``: declare a kind, run by ``func(run: JobRun)``;
- ``start_job(actor, kind, params, title=…)``: a queued job, sent when the caller commits;
- ``JobRun.progress(done, total, rows=)`` and ``JobRun.write_file(name, content_type)``;
- ``web.started(job, api=…)``: the answer to a start (202 + the job, or its page);
- ``background_task(name)``: work nobody follows on a page (e-mails, DCAT pages), enqueued by
  ``func.send(*args)``;
- ``periodic_task(name, minute=…, hour=…)``: work a worker runs on a schedule (UTC);
- ``job_states(ids)``: whether jobs a domain keeps its own record of have ended."""
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.core.health import Check

from . import api, cli, engine, views, workspace
from .engine import EngineUnavailable, JobCancelled, JobRun, background_task, job_task, periodic_task  # noqa: F401
from .services import job_states, start_job  # noqa: F401


def _health_check(app, **kwargs) -> Check:
    return Check("jobs", engine.probe, critical=False,
                 when_down=("exports of large lists, DCAT files, large imports and e-mails cannot start "
                            "(users are told to try again); quick pages and searches are unaffected"))


def init_app(app):
    engine.configure(app)
    core_signals.health_checks.connect(_health_check)
    app.register_blueprint(views.bp)
    register(app, api.bp)
    app.cli.add_command(cli.jobs_cli)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
