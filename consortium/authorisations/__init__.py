"""一场景一申请一审批: the authorisation application of a replication (one scenario in one
city), its decision by the authority, and the stage guard that asks for it before 试点."""
from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.notifications import signals as notification_signals
from consortium.scenarios.signals import stage_changing

from . import api, demo, notices, services, views


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("authorisations", demo.seed, order=45)


def _page_sections(sender, **kwargs):
    return [core_signals.PageSection("replication", "authorisations/_replication.html", notices.replication_block),
            core_signals.PageSection("board", "authorisations/_board.html", notices.board_block)]


def _workspace_sections(sender, **kwargs):
    return core_signals.WorkspaceSection("authorisations", notices.WORKSPACE_TITLE, notices.workspace_items,
                                    order=30, waiting=True)


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    notification_signals.kinds.connect(notices.kinds)
    core_signals.demo_seeders.connect(_demo)
    model_labels.connect(notices.audit_models)
    stage_changing.connect(services.guard_stage)
    core_signals.page_sections.connect(_page_sections)
    core_signals.workspace_sections.connect(_workspace_sections)
