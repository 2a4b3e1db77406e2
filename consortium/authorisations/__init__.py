"""一场景一申请一审批: the authorisation application of a replication (one scenario in one
city), its decision by the authority, and the stage guard that asks for it before 试点."""


def init_app(app):
    from consortium.core import registry
    from consortium.scenarios.services import add_stage_guard

    from . import api, demo, notices, services, views
    app.register_blueprint(views.bp)
    from consortium.core.api import register
    register(app, api.bp)
    notices.register()
    registry.add_demo_seeder(app, "authorisations", demo.seed, order=45)
    notices.register_labels()
    add_stage_guard("authorisation", services.guard_stage)
    registry.add_page_section(app, "replication", "authorisations/_replication.html", notices.replication_block)
    registry.add_page_section(app, "board", "authorisations/_board.html", notices.board_block)
    registry.add_workspace_section(app, "authorisations", notices.WORKSPACE_TITLE, notices.workspace_items,
                                   order=30, waiting=True)
