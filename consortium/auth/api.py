"""/api/v1/me: the caller's account."""
from flask import abort
from flask_login import current_user

from consortium.core import signals
from consortium.core.api import Blueprint, first

from . import permissions
from .schemas import MeOut

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="The caller's account.")


def signed_in(**kwargs) -> dict:
    """A ``core.api.first`` check: a visitor gets 401."""
    if not permissions.is_signed_in(current_user):
        abort(401)
    return kwargs


@bp.route("/me")
@first(signed_in)
@bp.response(200, MeOut)
def me():
    """The signed-in account, with what other domains know about it (``leads_groups`` …)."""
    return {"user": current_user, "facts": signals.merged(signals.profile_facts, current_user)}
