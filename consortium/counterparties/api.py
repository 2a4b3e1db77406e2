"""JSON: /api/v1/counterparties. The public register (no contacts for visitors,
never any negotiation)."""
from flask import abort
from flask_login import current_user

from consortium.core.api import Blueprint, answer_context

from . import permissions, services
from .schemas import CounterpartyList, CounterpartyOut

bp = Blueprint("counterparties_api", __name__, url_prefix="/api/v1", description="The counterparty register.")


@bp.route("/counterparties")
@bp.response(200, CounterpartyList)
def index():
    """The counterparty register."""
    answer_context()["with_contacts"] = permissions.can_view_contacts(current_user)
    return {"items": services.list_counterparties()}


@bp.route("/counterparties/<int:counterparty_id>")
@bp.response(200, CounterpartyOut)
def detail(counterparty_id):
    """One counterparty."""
    cp = services.get_counterparty(counterparty_id)
    if cp is None:
        abort(404)
    answer_context()["with_contacts"] = permissions.can_view_contacts(current_user)
    return cp
