"""一场景一申请一审批: the authorisation application of a replication (one scenario in one
city), its decision by the authority, and the stage guard that asks for it before 试点."""
from consortium.core import registry
from consortium.core.api import register
from consortium.scenarios.services import add_stage_guard

from . import api, demo, notices, services, views


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    notices.register()
    registry.add_demo_seeder(app, "authorisations", demo.seed, order=45)
    notices.register_labels()
    add_stage_guard("authorisation", services.guard_stage)
    registry.add_page_section(app, "replication", "authorisations/_replication.html", notices.replication_block)
    registry.add_page_section(app, "board", "authorisations/_board.html", notices.board_block)
    registry.add_workspace_section(app, "authorisations", notices.WORKSPACE_TITLE, notices.workspace_items,
                                   order=30, waiting=True)
