"""A large import's confirmation as a job (``consortium.jobs``): a preview of more than
``SYNC_IMPORT_ROWS`` rows is applied by a worker, all or nothing as at once, and its user
follows it on the job's page. The preview itself (parsing, checking, the plan) is unchanged:
the rows wait in their batch until the job claims it, for the user who uploaded them only."""
from flask import current_app
from flask_babel import gettext as _

from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.jobs import job_task, start_job
from consortium.members.models import Member

from . import imports

KIND = "catalog.import"


def is_large(rows: list) -> bool:
    return len(rows) > current_app.config["SYNC_IMPORT_ROWS"]


def start_import(actor, token: str, filename: str, n_rows: int, locale: str):
    """A queued job applying the preview ``token`` of ``actor`` (the batch stays until it runs)."""
    return start_job(actor, KIND, {"token": token, "locale": locale, "rows": n_rows},
                     title=_("Import of %(file)s (%(n)d rows)", file=filename, n=n_rows))


@job_task(KIND, retries=0)  # never twice: a failed apply leaves the preview to confirm again
def run_import(run):
    if run.owner is None:
        raise DomainError(_("Your account is no longer active; nothing was imported."))
    batch, rows = imports.load_batch(run.owner, run.params["token"])
    if batch is None:
        raise DomainError(_("This preview has expired or does not exist. Upload the file again."))
    member = db.session.get(Member, batch.member_id)
    run.progress(0, len(rows), force=True)
    if not imports.claim_batch(batch):
        raise DomainError(_("This preview was already confirmed."))
    plan = imports.apply_rows(run.owner, member, rows)  # all or nothing: the job's commit applies it
    run.rows_written(len(rows))
    run.done_message(_("Import done: %(c)d new, %(u)d updated, %(n)d unchanged.",
                       c=len(plan.created), u=len(plan.updated), n=len(plan.unchanged)))
