"""The workspace as JSON: the same sections, for a client or a mailer."""
from flask_login import current_user

from consortium.auth.api import signed_in
from consortium.core import signals
from consortium.core.api import Blueprint, first

from .schemas import WorkspaceOut

bp = Blueprint("workspace_api", __name__, url_prefix="/api/v1", description="My workspace (我的工作台).")


@bp.route("/me/workspace")
@first(signed_in)
@bp.response(200, WorkspaceOut)
def workspace():
    """The signed-in user's workspace, section by section."""
    return {"sections": [{"key": section.key, "title": str(section.title), "waiting": section.waiting,
                          "total": total, "items": items}
                         for section, items, total in signals.workspace_blocks(current_user)]}
