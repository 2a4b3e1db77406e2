"""My recent jobs, on 我的工作台."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.signals import WorkspaceItem, WorkspaceSection

from . import services
from .labels import state_label, summary
from .models import DONE, RUNNING

SHOWN = 5


def items(user):
    jobs = services.recent_jobs(user, limit=SHOWN)
    if not jobs:
        return None
    return [WorkspaceItem(text=job.title or job.kind, url=url_for("jobs.detail", job_id=job.id), when=job.created_at,
                          badge=state_label(job.state),
                          detail=(_("%(p)d%% · %(n)d rows", p=job.percent, n=job.rows) if job.state == RUNNING
                                  else _("%(n)d rows", n=job.rows) if job.state == DONE else summary(job)))
            for job in jobs]


def workspace_sections(sender, **kwargs):
    yield WorkspaceSection("jobs", _l("My recent jobs (exports, imports)"), items, order=95,
                           more=lambda user: (url_for("jobs.index"), _("All my jobs")))
